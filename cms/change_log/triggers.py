"""The database triggers that write the change log, on PostgreSQL and on SQLite.

What is recorded is described once (:func:`describe`), as SQL expressions over the changed row;
:func:`install` renders that description for the connection's database and (re)creates the
triggers, idempotently. Migration 0008 calls it, and so does every ``post_migrate``: on SQLite a
migration that alters a table rebuilds it (new table, copy, drop, rename), which drops that
table's triggers, so they are put back after every migrate. Which columns an update must touch
to be recorded is read from the database at that moment, so a column a later migration adds is
watched too (only the draft-only columns below are ever left out).

On PostgreSQL each table has one trigger function per event and all of them call
``baken_change_log_write``, which also takes the transaction's *floor* lock that
:func:`cms.change_log.stable_sequence` reads (see there). On SQLite the trigger bodies insert
directly. The entry's time is the database clock (PostgreSQL ``clock_timestamp()``, SQLite
``'now'``, both UTC).
"""

# Every statement here is SQL built from this module's own constants and the database's table and
# column names, never from input.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cms.change_log.models import Family, Kind, ObjectType

LOG_TABLE = "cms_change_log"
PREFIX = "baken_change_log"
WRITE_FUNCTION = f"{PREFIX}_write"
# PostgreSQL: every transaction that writes entries holds the shared advisory lock
# ADVISORY_NAMESPACE + floor, where floor is the change log sequence's value before its first
# entry ("BC" in the top 16 bits; floors stay below 2**48).
ADVISORY_NAMESPACE = 0x4243 << 48
FLOOR_SETTING = "baken.change_log_floor"

LOG_COLUMNS = (
    "changed_at",
    "object_type",
    "object_id",
    "translation_key",
    "locale_id",
    "family",
    "kind",
    "source_table",
    "transaction_id",
)

PAGE_TABLE = "wagtailcore_page"
REVISION_TABLE = "wagtailcore_revision"
RESTRICTION_TABLE = "wagtailcore_pageviewrestriction"
LOCALE_TABLE = "wagtailcore_locale"
SITE_TABLE = "wagtailcore_site"
# Columns that never change what is public: written by every draft save, lock or child insert,
# or bookkeeping. live_revision_id changes on a publish or unpublish together with live or
# last_published_at (which are watched); alone it is only set to null when revisions are deleted.
SNIPPET_NOT_PUBLIC = frozenset(
    {
        "has_unpublished_changes",
        "latest_revision_id",
        "live_revision_id",
        "locked",
        "locked_at",
        "locked_by_id",
    }
)
PAGE_NOT_PUBLIC = SNIPPET_NOT_PUBLIC | {
    "latest_revision_created_at",
    "draft_title",
    "owner_id",
    "numchild",  # recounted when a child is added or removed, which has an entry of its own
}


@dataclass(frozen=True)
class Dialect:
    vendor: str

    @property
    def postgres(self) -> bool:
        return self.vendor == "postgresql"

    @property
    def integer(self) -> str:
        return "bigint" if self.postgres else "INTEGER"

    def distinct(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.postgres else f"{a} IS NOT {b}"

    def changed(self, column: str) -> str:
        return self.distinct(f'NEW."{column}"', f'OLD."{column}"')


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Entry:
    """One entry a trigger writes; every field but the literals is an SQL expression."""

    object_type: str
    family: str
    object_id: str
    translation_key: str
    locale_id: str
    kind: str
    condition: str | None = None


@dataclass(frozen=True)
class Trigger:
    table: str
    event: str  # INSERT, UPDATE or DELETE
    when: str | None
    entries: tuple[Entry, ...]

    @property
    def name(self) -> str:
        return f"{PREFIX}__{self.table}__{self.event.lower()}"


def _itself(object_type: str, family: str, row: str, kind: str) -> Entry:
    """An entry for the changed row itself: a page, help-line or citation."""
    return Entry(object_type, family, f'{row}."id"', f'{row}."translation_key"', f'{row}."locale_id"', kind)


def _owner(
    object_type: str, family: str, table: str, object_id: str, kind: str, condition: str | None = None
) -> Entry:
    """An entry for the object whose id is ``object_id`` in ``table`` (a row's parent)."""
    return Entry(
        object_type,
        family,
        object_id,
        f'(SELECT "translation_key" FROM {table} WHERE "id" = {object_id})',
        f'(SELECT "locale_id" FROM {table} WHERE "id" = {object_id})',
        kind,
        condition,
    )


def _update_kind(d: Dialect, *, moves: bool) -> str:
    """What an update of a page, help-line or citation row did, first match wins."""
    whens = [
        ('NEW."live" AND NOT OLD."live"', Kind.PUBLISHED),
        ('OLD."live" AND NOT NEW."live"', Kind.UNPUBLISHED),
    ]
    if moves:
        whens.append((d.changed("path"), Kind.MOVED))
    whens += [
        (d.changed("last_published_at"), Kind.PUBLISHED),  # republished while live
        (
            f'({d.changed("go_live_at")} AND NEW."go_live_at" IS NOT NULL)'
            f' OR ({d.changed("expire_at")} AND NEW."expire_at" IS NOT NULL)',
            Kind.SCHEDULED,
        ),
        (f"{d.changed('go_live_at')} OR {d.changed('expire_at')}", Kind.UNSCHEDULED),
    ]
    cases = " ".join(f"WHEN {condition} THEN {literal(kind)}" for condition, kind in whens)
    return f"CASE {cases} ELSE {literal(Kind.CHANGED)} END"


def describe(d: Dialect, columns: Callable[[str], list[str] | None]) -> list[Trigger]:
    """Every trigger, for the tables that exist (``columns(table)`` is None for the others)."""
    from django.apps import apps
    from modelcluster.models import get_all_child_relations
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from cms.snippets.models import HelpLine, SourceCitation

    triggers: dict[str, Trigger] = {}

    def add(table: str, event: str, when: str | None, *entries: Entry) -> None:
        if columns(table) is not None and (event != "UPDATE" or when):
            trigger = Trigger(table, event, when, entries)
            triggers[trigger.name] = trigger

    def any_changed(table: str, ignore: Iterable[str] = ()) -> str:
        watched = [column for column in columns(table) or () if column not in set(ignore)]
        return " OR ".join(d.changed(column) for column in watched)

    # Pages, help-lines and citations: their own rows.
    objects = (
        (Page, ObjectType.PAGE, Family.PAGES, PAGE_NOT_PUBLIC),
        (HelpLine, ObjectType.HELPLINE, Family.HELPLINES, SNIPPET_NOT_PUBLIC),
        (SourceCitation, ObjectType.CITATION, Family.CITATIONS, SNIPPET_NOT_PUBLIC),
    )
    for model, object_type, family, not_public in objects:
        table = model._meta.db_table
        add(table, "INSERT", None, _itself(object_type, family, "NEW", literal(Kind.CREATED)))
        update_kind = _update_kind(d, moves=model is Page)
        add(table, "UPDATE", any_changed(table, not_public), _itself(object_type, family, "NEW", update_kind))
        add(table, "DELETE", None, _itself(object_type, family, "OLD", literal(Kind.DELETED)))

    # The specific tables of page types (FAQ page, campaign page, home page, …): the page's content.
    page_models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and not model._meta.proxy
    ]
    for model in page_models:
        table, pointer = model._meta.db_table, model._meta.pk.column
        changed = _owner(ObjectType.PAGE, Family.PAGES, PAGE_TABLE, f'NEW."{pointer}"', literal(Kind.CHANGED))
        add(table, "UPDATE", any_changed(table), changed)
        deleted = _owner(ObjectType.PAGE, Family.PAGES, PAGE_TABLE, f'OLD."{pointer}"', literal(Kind.DELETED))
        add(table, "DELETE", None, deleted)

    # Child rows a page or snippet publishes with it (key dates, contact points, opening hours, …).
    owners = [(model, ObjectType.PAGE, Family.PAGES, PAGE_TABLE) for model in page_models] + [
        (HelpLine, ObjectType.HELPLINE, Family.HELPLINES, HelpLine._meta.db_table),
        (SourceCitation, ObjectType.CITATION, Family.CITATIONS, SourceCitation._meta.db_table),
    ]
    for owner, object_type, family, owner_table in owners:
        for relation in get_all_child_relations(owner):
            child = relation.related_model
            if child._meta.app_label != "cms":  # e.g. Wagtail's comments: admin only
                continue
            table, key = child._meta.db_table, relation.field.column
            changed = literal(Kind.CHANGED)

            def part(row: str, condition: str | None = None) -> Entry:
                return _owner(object_type, family, owner_table, f'{row}."{key}"', changed, condition)  # noqa: B023

            add(table, "INSERT", None, part("NEW"))
            add(table, "UPDATE", any_changed(table), part("NEW"), part("OLD", d.changed(key)))
            add(table, "DELETE", None, part("OLD"))

    # View restrictions: any restriction hides the page and everything below it.
    def on_page(row: str, kind: Kind, condition: str | None = None) -> Entry:
        return _owner(ObjectType.PAGE, Family.PAGES, PAGE_TABLE, f'{row}."page_id"', literal(kind), condition)

    add(RESTRICTION_TABLE, "INSERT", None, on_page("NEW", Kind.RESTRICTED))
    add(
        RESTRICTION_TABLE,
        "UPDATE",
        any_changed(RESTRICTION_TABLE),
        on_page("NEW", Kind.RESTRICTED),
        on_page("OLD", Kind.UNRESTRICTED, d.changed("page_id")),
    )
    add(RESTRICTION_TABLE, "DELETE", None, on_page("OLD", Kind.UNRESTRICTED))

    # Schedules: a revision approved to go live at a moment (the API publishes it then, see
    # api/scheduling.py), or no longer.
    scheduled = (
        ("wagtailcore", "page", ObjectType.PAGE, Family.PAGES, PAGE_TABLE),
        ("cms", "helpline", ObjectType.HELPLINE, Family.HELPLINES, HelpLine._meta.db_table),
        ("cms", "sourcecitation", ObjectType.CITATION, Family.CITATIONS, SourceCitation._meta.db_table),
    )

    def schedule(row: str, kind: str) -> tuple[Entry, ...]:
        return tuple(
            _owner(
                object_type,
                family,
                table,
                f'CAST({row}."object_id" AS {d.integer})',
                kind,
                condition=f'{row}."base_content_type_id" = (SELECT "id" FROM django_content_type'
                f" WHERE app_label = {literal(app_label)} AND model = {literal(model_name)})",
            )
            for app_label, model_name, object_type, family, table in scheduled
        )

    approved = '"approved_go_live_at"'
    add(REVISION_TABLE, "INSERT", f"NEW.{approved} IS NOT NULL", *schedule("NEW", literal(Kind.SCHEDULED)))
    unscheduled, scheduled_ = literal(Kind.UNSCHEDULED), literal(Kind.SCHEDULED)
    new_schedule = f"CASE WHEN NEW.{approved} IS NULL THEN {unscheduled} ELSE {scheduled_} END"
    add(REVISION_TABLE, "UPDATE", d.changed("approved_go_live_at"), *schedule("NEW", new_schedule))
    add(REVISION_TABLE, "DELETE", f"OLD.{approved} IS NOT NULL", *schedule("OLD", literal(Kind.UNSCHEDULED)))

    # Locales (every family: the API's languages and fallbacks), sites (the page tree served) and
    # documents (rich text links to them are served with their URL, in any family).
    for table, object_type, family, locale in (
        (LOCALE_TABLE, ObjectType.LOCALE, Family.ALL, '{row}."id"'),
        (SITE_TABLE, ObjectType.SITE, Family.PAGES, "NULL"),
        (get_document_model()._meta.db_table, ObjectType.DOCUMENT, Family.ALL, "NULL"),
    ):

        def itself(row: str, kind: Kind) -> Entry:
            return Entry(object_type, family, f'{row}."id"', "NULL", locale.format(row=row), literal(kind))  # noqa: B023

        add(table, "INSERT", None, itself("NEW", Kind.CREATED))
        add(table, "UPDATE", any_changed(table), itself("NEW", Kind.CHANGED))
        add(table, "DELETE", None, itself("OLD", Kind.DELETED))

    return list(triggers.values())


# --- rendering ---------------------------------------------------------------------------------

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def sqlite_statements(trigger: Trigger) -> list[str]:
    inserts = []
    for entry in trigger.entries:
        values = (
            SQLITE_NOW,
            literal(entry.object_type),
            entry.object_id,
            entry.translation_key,
            entry.locale_id,
            literal(entry.family),
            entry.kind,
            literal(trigger.table),
            "NULL",
        )
        where = f" WHERE {entry.condition}" if entry.condition else ""
        inserts.append(
            f"INSERT INTO {LOG_TABLE} ({', '.join(LOG_COLUMNS)}) SELECT {', '.join(values)}{where};"
        )
    when = f" WHEN {trigger.when}" if trigger.when else ""
    return [
        f"DROP TRIGGER IF EXISTS {trigger.name}",
        f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table} FOR EACH ROW{when}\n"
        f"BEGIN\n  {chr(10).join(inserts)}\nEND",
    ]


def postgres_write_function(sequence: str) -> str:
    """The one function every PostgreSQL trigger calls: the floor lock, then the entry."""
    return f"""
CREATE OR REPLACE FUNCTION {WRITE_FUNCTION}(
    p_object_type text, p_object_id bigint, p_translation_key uuid, p_locale_id bigint,
    p_family text, p_kind text, p_source_table text
) RETURNS void LANGUAGE plpgsql AS $body$
DECLARE
    floor bigint;
BEGIN
    -- Once per transaction, before its first entry takes a sequence value: a shared lock whose
    -- key holds the sequence's value now, so stable_sequence() knows that every entry this
    -- transaction writes has a higher sequence (see cms.change_log).
    IF coalesce(current_setting('{FLOOR_SETTING}', true), '') = '' THEN
        floor := coalesce(pg_sequence_last_value({literal(sequence)}::regclass), 0);
        PERFORM pg_advisory_xact_lock_shared({ADVISORY_NAMESPACE} + floor);
        PERFORM set_config('{FLOOR_SETTING}', floor::text, true);
    END IF;
    INSERT INTO {LOG_TABLE} ({", ".join(LOG_COLUMNS)})
    VALUES (clock_timestamp(), p_object_type, p_object_id, p_translation_key, p_locale_id,
            p_family, p_kind, p_source_table, pg_current_xact_id()::text::bigint);
END
$body$"""


def postgres_statements(trigger: Trigger) -> list[str]:
    calls = []
    for entry in trigger.entries:
        call = (
            f"PERFORM {WRITE_FUNCTION}({literal(entry.object_type)}, {entry.object_id}, "
            f"{entry.translation_key}, {entry.locale_id}, {literal(entry.family)}, {entry.kind}, "
            f"{literal(trigger.table)});"
        )
        calls.append(f"IF {entry.condition} THEN\n    {call}\n  END IF;" if entry.condition else call)
    when = f" WHEN ({trigger.when})" if trigger.when else ""
    return [
        f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        f"BEGIN\n  {chr(10).join(calls)}\n  RETURN NULL;\nEND\n$body$",
        f"CREATE OR REPLACE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table} "
        f"FOR EACH ROW{when} EXECUTE FUNCTION {trigger.name}()",
    ]


# --- installing ---------------------------------------------------------------------------------


def _existing(cursor, dialect: Dialect) -> dict[str, str]:
    """Change log triggers in the database: name → table."""
    if dialect.postgres:
        cursor.execute(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            [f"{PREFIX}\\_\\_%"],
        )
    else:
        cursor.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
            [f"{PREFIX}\\_\\_%"],
        )
    return dict(cursor.fetchall())


def _drop(cursor, dialect: Dialect, name: str, table: str) -> None:
    if dialect.postgres:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def wanted(connection) -> list[Trigger]:
    """The triggers the database should have now (none before the change log table exists)."""
    dialect = Dialect(connection.vendor)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if LOG_TABLE not in tables:
            return []
        cache: dict[str, list[str]] = {}

        def columns(table: str) -> list[str] | None:
            if table not in tables:
                return None
            if table not in cache:
                description = connection.introspection.get_table_description(cursor, table)
                cache[table] = [column.name for column in description]
            return cache[table]

        return describe(dialect, columns)


def install(connection) -> list[str]:
    """Create or replace every change log trigger and remove any this code no longer describes;
    returns the names of the installed triggers. Safe to run any number of times."""
    _check_vendor(connection)
    dialect = Dialect(connection.vendor)
    triggers = wanted(connection)
    if not triggers:
        return []
    with connection.cursor() as cursor:
        if dialect.postgres:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'seq')", [LOG_TABLE])
            (sequence,) = cursor.fetchone()
            cursor.execute(postgres_write_function(sequence))
        for trigger in triggers:
            for statement in (postgres_statements if dialect.postgres else sqlite_statements)(trigger):
                cursor.execute(statement)
        names = {trigger.name for trigger in triggers}
        for name, table in _existing(cursor, dialect).items():
            if name not in names:
                _drop(cursor, dialect, name, table)
    return sorted(names)


def remove(connection) -> None:
    """Drop every change log trigger (and, on PostgreSQL, their functions)."""
    _check_vendor(connection)
    dialect = Dialect(connection.vendor)
    with connection.cursor() as cursor:
        for name, table in _existing(cursor, dialect).items():
            _drop(cursor, dialect, name, table)
        if dialect.postgres:
            cursor.execute(
                f"DROP FUNCTION IF EXISTS {WRITE_FUNCTION}(text, bigint, uuid, bigint, text, text, text)"
            )


def missing(connection) -> list[str]:
    """Names of the triggers the database should have but does not (empty when all is well)."""
    dialect = Dialect(connection.vendor)
    with connection.cursor() as cursor:
        existing = _existing(cursor, dialect)
    return sorted(trigger.name for trigger in wanted(connection) if trigger.name not in existing)


def _check_vendor(connection) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(
            f"The change log has triggers for PostgreSQL and SQLite, not {connection.vendor}."
        )


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: put the triggers back (a SQLite table rebuild drops them), once per migrate."""
    if getattr(sender, "label", None) != "cms":
        return
    from django.db import connections

    install(connections[using])
