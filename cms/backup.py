"""Content archives: every page, snippet and translation of a Baken site in one JSON document.

``manage.py export_content`` writes an archive and ``manage.py import_content`` restores it into
an empty database; docs/backup.md describes the format for people. In short, an archive is::

    {"format": "baken-content-archive", "version": 1, "created_at": "…", "generator": {…},
     "locales": ["nl", "fr", "en", "de"], "site": {…}, "pages": [Page…],
     "helplines": [Snippet…], "citations": [Snippet…], "sha256": "…"}

Every record keeps its primary key, so everything that refers to a row by id — the help-lines
and citations chosen in an FAQ page's StreamField, a campaign's help-lines, the ids the API
serves — is still right after a restore. Database-specific ids (locales, content types) are
written as codes and looked up again on import; users, locks, comments, workflow states and the
audit log are not archived.

Restoring inserts the rows exactly as they were exported, as ``loaddata`` does, through
``save_base``: ``HelpLine.save`` would re-copy contact points from the source translation and
``Page.save`` expects the row to exist already, and the archive already holds the result of both.
"""

import datetime as dt
import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import django
import wagtail
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageViewRestriction, ReferenceIndex, Revision, Site
from wagtail.search.index import insert_or_update_object

from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage, HomePage
from cms.snippets.models import ContactPoint, HelpLine, OpeningHours, SourceCitation

FORMAT_NAME = "baken-content-archive"
FORMAT_VERSION = 1
# Versions this code can restore. A new version adds an upgrade step from the older ones
# rather than dropping them, so old backups stay restorable (see docs/backup.md).
SUPPORTED_VERSIONS = (1,)

TOP_LEVEL_KEYS = (
    "format",
    "version",
    "created_at",
    "generator",
    "locales",
    "site",
    "pages",
    "helplines",
    "citations",
    "sha256",
)

PAGE_MODELS: dict[str, type[Page]] = {
    model._meta.label_lower: model for model in (HomePage, CampaignPage, FAQPage)
}
SNIPPET_MODELS: dict[str, type[Model]] = {"helplines": HelpLine, "citations": SourceCitation}
# Rows that belong to a page or snippet and are archived inside its record.
CHILD_RELATIONS: dict[type[Model], tuple[str, ...]] = {
    CampaignPage: ("key_dates", "campaign_helplines"),
    HelpLine: ("contact_points", "opening_hours"),
}
# Every model whose rows keep their ids; their id sequences are moved past them after a restore.
RESTORED_MODELS = (
    Page,
    HelpLine,
    ContactPoint,
    OpeningHours,
    SourceCitation,
    CampaignKeyDate,
    CampaignHelpLine,
)

# How an object stands: the translation it belongs to, whether and when it is published.
# The same for pages and snippets.
STATE_KEYS = (
    "translation_key",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "expired",
)
# Page columns that describe where the page is rather than what it says.
PAGE_POSITION = ("path", "depth", "slug", "alias_of")
# Columns that only make sense in the database they came from: revisions are recreated on
# import, users are not archived, a lock belongs to an editing session, the content type and
# locale are written as codes, numchild is recounted.
NOT_IN_FIELDS = (
    "id",
    "page_ptr",
    "locale",
    "content_type",
    "numchild",
    "latest_revision",
    "live_revision",
    "owner",
    "locked",
    "locked_at",
    "locked_by",
)
PAGE_RECORD_KEYS = (
    "id",
    "type",
    *PAGE_POSITION,
    "locale",
    *STATE_KEYS,
    "fields",
    "children",
    "view_restrictions",
    "draft",
)
SNIPPET_RECORD_KEYS = ("id", "locale", *STATE_KEYS, "fields", "children", "draft")
DRAFT_KEYS = ("created_at", "approved_go_live_at", "content")
SITE_KEYS = ("hostname", "port", "site_name", "root_page")
# Keys of a revision's content that hold ids of the database it was made in: exported as null,
# filled in from the restored object on import.
REVISION_DATABASE_KEYS = (
    "locale",
    "content_type",
    "owner",
    "locked",
    "locked_at",
    "locked_by",
    "latest_revision",
    "live_revision",
    "wagtail_admin_comments",
)


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, for the person running it."""


@dataclass(frozen=True)
class RestoreSummary:
    pages: int
    helplines: int
    citations: int
    drafts: int
    site_root_page: int | None


# --- export ---------------------------------------------------------------------------------


def export_archive() -> dict:
    """The whole content of the site as an archive (a JSON-ready dict, checksum included)."""
    with _consistent_snapshot():
        archive = _build_archive()
    archive["sha256"] = checksum(archive)
    return archive


@contextmanager
def _consistent_snapshot() -> Iterator[None]:
    """Read everything from one moment, even while editors publish (one transaction; on
    PostgreSQL at REPEATABLE READ, since its default isolation sees commits between queries)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _build_archive() -> dict:
    locale_codes = dict(Locale.objects.values_list("pk", "language_code"))
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "generator": {"application": "baken", "wagtail": wagtail.__version__, "django": django.get_version()},
        "locales": sorted(locale_codes.values(), key=_locale_order),
        "site": _site_record(),
        "pages": [_page_record(page, locale_codes) for page in _archived_pages()],
        "helplines": [_snippet_record(obj, locale_codes) for obj in HelpLine.objects.order_by("pk")],
        "citations": [_snippet_record(obj, locale_codes) for obj in SourceCitation.objects.order_by("pk")],
    }


def dumps(archive: dict) -> str:
    """The archive as people read it: indented, UTF-8 text rather than escapes."""
    return json.dumps(archive, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def checksum(archive: dict) -> str:
    """sha256 of the canonical JSON of every key but ``sha256`` itself (sorted keys, no spaces, UTF-8)."""
    payload = {key: value for key, value in archive.items() if key != "sha256"}
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locale_order(code: str) -> tuple[int, str]:
    # The configured order first (the default locale leads), then any other locale.
    configured = list(settings.BAKEN_LOCALES)
    return (configured.index(code) if code in configured else len(configured), code)


def _site_record() -> dict | None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.root_page.specific_class not in PAGE_MODELS.values():
        return None
    return {
        "hostname": site.hostname,
        "port": site.port,
        "site_name": site.site_name,
        "root_page": site.root_page_id,
    }


def _archived_pages() -> list[Page]:
    """Baken's pages in tree order; refuses a tree where one hangs below a page the archive skips."""
    pages = list(Page.objects.filter(depth__gt=1).order_by("path").specific())
    archived = [page for page in pages if type(page) in PAGE_MODELS.values()]
    root_path = Page.get_first_root_node().path
    archived_paths = {page.path for page in archived}
    for page in archived:
        parent_path = page.path[: -page.steplen]
        if parent_path != root_path and parent_path not in archived_paths:
            raise ArchiveError(
                gettext(
                    "Page %(id)s (“%(title)s”) is below a page that is not a Baken page; "
                    "the archive can only hold Baken's page tree. Move it, then export again."
                )
                % {"id": page.pk, "title": page.title}
            )
    return archived


def _page_record(page: Page, locale_codes: dict[int, str]) -> dict:
    return {
        "id": page.pk,
        "type": page._meta.label_lower,
        **{name: _encode(page, name) for name in PAGE_POSITION},
        "locale": locale_codes[page.locale_id],
        **{name: _encode(page, name) for name in STATE_KEYS},
        "fields": _content_fields(page, skip=(*PAGE_POSITION, *STATE_KEYS)),
        "children": _children(page),
        "view_restrictions": [
            {
                "restriction_type": restriction.restriction_type,
                "password": restriction.password,
                "groups": sorted(restriction.groups.values_list("name", flat=True)),
            }
            for restriction in page.view_restrictions.order_by("pk")
        ],
        "draft": _pending_draft(page),
    }


def _snippet_record(obj: Model, locale_codes: dict[int, str]) -> dict:
    return {
        "id": obj.pk,
        "locale": locale_codes[obj.locale_id],
        **{name: _encode(obj, name) for name in STATE_KEYS},
        "fields": _content_fields(obj, skip=STATE_KEYS),
        "children": _children(obj),
        "draft": _pending_draft(obj),
    }


def _content_fields(obj: Model, *, skip: Iterable[str]) -> dict:
    skipped = {*skip, *NOT_IN_FIELDS}
    return {
        field.name: _encode(obj, field.name)
        for field in obj._meta.concrete_fields
        if field.name not in skipped
    }


def _children(obj: Model) -> dict[str, list[dict]]:
    children = {}
    for relation in CHILD_RELATIONS.get(type(obj), ()):
        parental_key = obj._meta.get_field(relation).field
        children[relation] = [
            {
                field.name: _encode(row, field.name)
                for field in row._meta.concrete_fields
                if field is not parental_key
            }
            for row in getattr(obj, relation).order_by("pk")
        ]
    return children


def _pending_draft(obj: Model) -> dict | None:
    """The latest revision when it is not the live one: a draft that has not been published."""
    if obj.latest_revision_id is None or obj.latest_revision_id == obj.live_revision_id:
        return None
    revision = obj.latest_revision
    return {
        "created_at": revision.created_at.isoformat(),
        "approved_go_live_at": revision.approved_go_live_at.isoformat()
        if revision.approved_go_live_at
        else None,
        # As Wagtail stored it (JSON already), minus the ids that only mean something here.
        "content": {
            key: None if key in REVISION_DATABASE_KEYS else value for key, value in revision.content.items()
        },
    }


def _encode(obj: Model, field_name: str):
    """A column's value as JSON: ids for relations, ISO 8601 for dates and times, raw StreamField data.

    Datetimes keep their microseconds (Django's JSON encoder would cut them to milliseconds,
    and the API serves them in full).
    """
    field = obj._meta.get_field(field_name)
    value = field.value_from_object(obj)
    if isinstance(field, StreamField):
        return field.get_prep_value(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


# --- reading and checking ---------------------------------------------------------------------


def parse_archive(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveError(
            gettext(
                "The file is not valid JSON (%(error)s at line %(line)s, column %(column)s); "
                "it may be truncated or corrupted."
            )
            % {"error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error


def check_archive(archive) -> None:
    """Raise ArchiveError for anything that keeps the archive from being restored as it is."""
    if not isinstance(archive, dict):
        raise ArchiveError(gettext("This is not a Baken content archive: the JSON is not an object."))
    _check_format_and_version(archive)
    _check_checksum(archive)
    _require_keys(archive, TOP_LEVEL_KEYS, gettext("The archive"))
    _check_records(archive)


def _check_format_and_version(archive: dict) -> None:
    # Before the checksum: another format or version may compute it differently.
    for key in ("format", "version"):
        if key not in archive:
            raise ArchiveError(
                gettext("This is not a Baken content archive: it has no %(key)s key.") % {"key": repr(key)}
            )
    if archive["format"] != FORMAT_NAME:
        raise ArchiveError(
            gettext("This is not a Baken content archive: its format is %(format)s, expected %(expected)s.")
            % {"format": repr(archive["format"]), "expected": repr(FORMAT_NAME)}
        )
    version = archive["version"]
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(number) for number in SUPPORTED_VERSIONS)
        raise ArchiveError(
            gettext(
                "Archive version %(version)s is not supported: this version of Baken restores "
                "version %(supported)s. Restore it with the Baken release that wrote it."
            )
            % {"version": repr(version), "supported": supported}
        )


def _check_checksum(archive: dict) -> None:
    stored = archive.get("sha256")
    if not isinstance(stored, str):
        raise ArchiveError(
            gettext("The archive has no sha256 checksum, so its integrity cannot be verified.")
        )
    actual = checksum(archive)
    if stored != actual:
        raise ArchiveError(
            gettext(
                "Checksum mismatch: the archive says sha256 %(stored)s, its content hashes to %(actual)s. "
                "It was changed or damaged after it was written."
            )
            % {"stored": stored, "actual": actual}
        )


def _require_keys(record, keys: Iterable[str], where: str) -> None:
    if not isinstance(record, dict):
        raise ArchiveError(gettext("%(where)s should be a JSON object.") % {"where": where})
    missing = [key for key in keys if key not in record]
    if missing:
        raise ArchiveError(
            gettext("%(where)s lacks the key(s) %(keys)s.")
            % {"where": where, "keys": ", ".join(repr(key) for key in missing)}
        )


def _require_list(value, where: str) -> list:
    if not isinstance(value, list):
        raise ArchiveError(gettext("%(where)s should be a JSON list.") % {"where": where})
    return value


def _check_records(archive: dict) -> None:
    locales = _require_list(archive["locales"], "'locales'")
    pages = _require_list(archive["pages"], "'pages'")
    for index, record in enumerate(pages):
        where = f"pages[{index}]"
        _require_keys(record, PAGE_RECORD_KEYS, where)
        model = PAGE_MODELS.get(record["type"])
        if model is None:
            raise ArchiveError(
                gettext("%(where)s has page type %(type)s; known types: %(known)s.")
                % {"where": where, "type": repr(record["type"]), "known": ", ".join(PAGE_MODELS)}
            )
        where = gettext("%(where)s (page %(id)s)") % {"where": where, "id": record["id"]}
        _check_record(record, model, locales, PAGE_RECORD_KEYS, where)
    for key, model in SNIPPET_MODELS.items():
        for index, record in enumerate(_require_list(archive[key], f"'{key}'")):
            _require_keys(record, SNIPPET_RECORD_KEYS, f"{key}[{index}]")
            _check_record(record, model, locales, SNIPPET_RECORD_KEYS, f"{key}[{index}] (id {record['id']})")
    _check_unique_ids(archive)
    _check_tree(pages)
    _check_references(archive)


def _check_record(
    record: dict, model: type[Model], locales: list, record_keys: tuple[str, ...], where: str
) -> None:
    if not isinstance(record["id"], int) or isinstance(record["id"], bool):
        raise ArchiveError(gettext("%(where)s: 'id' should be a whole number.") % {"where": where})
    if record["locale"] not in locales:
        raise ArchiveError(
            gettext("%(where)s: locale %(locale)s is not in the archive's 'locales'.")
            % {"where": where, "locale": repr(record["locale"])}
        )
    _require_keys(record["fields"], (), f"{where}: 'fields'")
    for name in record["fields"]:
        _model_field(model, name, where)
        if name in NOT_IN_FIELDS or name in record_keys:
            raise ArchiveError(
                gettext("%(where)s: %(name)s does not belong in 'fields'.")
                % {"where": where, "name": repr(name)}
            )
    _require_keys(record["children"], CHILD_RELATIONS.get(model, ()), f"{where}: 'children'")
    for relation, rows in record["children"].items():
        if relation not in CHILD_RELATIONS.get(model, ()):
            raise ArchiveError(
                gettext("%(where)s: %(model)s has no child rows %(relation)s.")
                % {"where": where, "model": model._meta.label_lower, "relation": repr(relation)}
            )
        child_model = model._meta.get_field(relation).related_model
        for position, row in enumerate(_require_list(rows, f"{where}: {relation!r}")):
            _require_keys(row, ("id",), f"{where}: {relation}[{position}]")
            for name in row:
                _model_field(child_model, name, f"{where}: {relation}[{position}]")
    if record["draft"] is not None:
        _require_keys(record["draft"], DRAFT_KEYS, f"{where}: 'draft'")
        _require_keys(
            record["draft"]["content"], (), gettext("%(where)s: the draft's 'content'") % {"where": where}
        )


def _model_field(model: type[Model], name: str, where: str) -> Field:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise ArchiveError(
            gettext("%(where)s: %(name)s is not a field of %(model)s in this version of Baken.")
            % {"where": where, "name": repr(name), "model": model._meta.label_lower}
        ) from error


def _check_unique_ids(archive: dict) -> None:
    for key in ("pages", *SNIPPET_MODELS):
        counts = Counter(record["id"] for record in archive[key])
        repeated = sorted(pk for pk, count in counts.items() if count > 1)
        if repeated:
            raise ArchiveError(
                gettext("'%(key)s' repeats the id(s) %(ids)s.")
                % {"key": key, "ids": ", ".join(map(str, repeated))}
            )


def _check_tree(pages: list[dict]) -> None:
    """Paths must describe one tree below a single root (in any order: restore sorts them)."""
    steplen = Page.steplen
    paths = {record["path"] for record in pages}
    if len(paths) != len(pages):
        raise ArchiveError(gettext("'pages' holds two pages at the same tree path."))
    for record in pages:
        where = gettext("page %(id)s") % {"id": record["id"]}
        path, depth = record["path"], record["depth"]
        if not isinstance(path, str) or not isinstance(depth, int) or len(path) != depth * steplen:
            raise ArchiveError(
                gettext("%(where)s: path %(path)s does not match depth %(depth)s.")
                % {"where": where, "path": repr(path), "depth": repr(depth)}
            )
        if depth < 2:
            raise ArchiveError(
                gettext("%(where)s: only pages below Wagtail's root can be restored.") % {"where": where}
            )
        parent_path = path[:-steplen]
        if depth > 2 and parent_path not in paths:
            raise ArchiveError(
                gettext("%(where)s: its parent (path %(path)s) is not in the archive.")
                % {"where": where, "path": parent_path}
            )
    if len({record["path"][:steplen] for record in pages}) > 1:
        raise ArchiveError(gettext("'pages' hangs below more than one root."))


def _check_references(archive: dict) -> None:
    page_ids = {record["id"] for record in archive["pages"]}
    helpline_ids = {record["id"] for record in archive["helplines"]}
    for record in archive["pages"]:
        if record["alias_of"] is not None and record["alias_of"] not in page_ids:
            raise ArchiveError(
                gettext("page %(id)s: it is an alias of page %(alias)s, not archived.")
                % {"id": record["id"], "alias": record["alias_of"]}
            )
        for row in record["children"].get("campaign_helplines", []):
            if row.get("helpline") not in helpline_ids:
                raise ArchiveError(
                    gettext("page %(id)s: it shows help-line %(helpline)s, not archived.")
                    % {"id": record["id"], "helpline": repr(row.get("helpline"))}
                )
    site = archive["site"]
    if site is not None:
        _require_keys(site, SITE_KEYS, "'site'")
        if site["root_page"] not in page_ids:
            raise ArchiveError(
                gettext("'site': its root page %(page)s is not archived.") % {"page": repr(site["root_page"])}
            )


# --- restore ------------------------------------------------------------------------------------


def existing_content() -> list[str]:
    """What the database already holds beyond Wagtail's root and welcome page, e.g. ['3 help-lines']."""
    helplines = HelpLine.objects.count()
    citations = SourceCitation.objects.count()
    pages = Page.objects.filter(depth__gt=1).exclude(pk__in=_placeholder_pages()).count()
    found = []
    if helplines:
        found.append(
            ngettext("%(count)s help-line", "%(count)s help-lines", helplines) % {"count": helplines}
        )
    if citations:
        found.append(
            ngettext("%(count)s source citation", "%(count)s source citations", citations)
            % {"count": citations}
        )
    if pages:
        found.append(ngettext("%(count)s page", "%(count)s pages", pages) % {"count": pages})
    return found


def _placeholder_pages():
    """Wagtail's 'Welcome to your new Wagtail site!' page: a plain, childless page below the root."""
    return Page.objects.filter(depth=2, numchild=0).exact_type(Page)


def restore_archive(archive) -> RestoreSummary:
    """Check an archive, then write it into an empty database, all or nothing."""
    check_archive(archive)
    with transaction.atomic():
        found = existing_content()
        if found:
            raise ArchiveError(
                gettext(
                    "The database is not empty: it holds %(content)s. "
                    "import_content only restores into an empty database (freshly migrated)."
                )
                % {"content": ", ".join(found)}
            )
        locale_ids = _ensure_locales(archive["locales"])
        _refuse_taken_ids(archive)
        _remove_placeholder_pages()
        restored = [
            *(_restore_snippet(HelpLine, record, locale_ids) for record in archive["helplines"]),
            *(_restore_snippet(SourceCitation, record, locale_ids) for record in archive["citations"]),
        ]
        pages = sorted(archive["pages"], key=lambda record: record["path"])
        restored += [_restore_page(record, locale_ids) for record in pages]
        _recount_children([record["path"] for record in pages])
        _refresh_helpline_details(obj for obj, _ in restored if isinstance(obj, HelpLine))
        drafts = sum(_restore_revisions(obj, record) for obj, record in restored)
        site_root_page = _point_default_site(archive["site"], locale_ids)
        _reset_id_sequences()
        connection.check_constraints(
            table_names=[model._meta.db_table for model in (*RESTORED_MODELS, *PAGE_MODELS.values())]
        )
        _rebuild_indexes(obj for obj, _ in restored)
    Site.clear_site_root_paths_cache()
    return RestoreSummary(
        pages=len(pages),
        helplines=len(archive["helplines"]),
        citations=len(archive["citations"]),
        drafts=drafts,
        site_root_page=site_root_page,
    )


def _ensure_locales(codes: list[str]) -> dict[str, int]:
    return {code: Locale.objects.get_or_create(language_code=code)[0].pk for code in codes}


def _refuse_taken_ids(archive: dict) -> None:
    # The database is empty of content, but Wagtail's root (and welcome page) have ids too.
    taken = (
        Page.objects.filter(pk__in=[record["id"] for record in archive["pages"]])
        .exclude(pk__in=_placeholder_pages())
        .first()
    )
    if taken is not None:
        raise ArchiveError(
            gettext("Page id %(id)s is in the archive but already used by “%(title)s” in this database.")
            % {"id": taken.pk, "title": taken.title}
        )


def _remove_placeholder_pages() -> None:
    # Its path or id may be one the archive needs; a site pointing at it is moved, not deleted.
    placeholders = list(_placeholder_pages())
    Site.objects.filter(root_page__in=placeholders).update(root_page=Page.get_first_root_node())
    for page in placeholders:
        page.delete()


def _assign(obj: Model, name: str, value, where: str) -> None:
    field = obj._meta.get_field(name)
    try:
        setattr(obj, field.attname, field.to_python(value))
    except (ValidationError, TypeError, ValueError) as error:
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise ArchiveError(
            gettext("%(where)s: field %(name)s cannot hold %(value)s: %(reason)s")
            % {"where": where, "name": repr(name), "value": repr(value), "reason": reason}
        ) from error


def _fill(obj: Model, values: dict, where: str) -> Model:
    for name, value in values.items():
        _assign(obj, name, value, where)
    return obj


def _restore_snippet(model: type[Model], record: dict, locale_ids: dict[str, int]) -> tuple[Model, dict]:
    where = f"{model._meta.verbose_name} {record['id']}"
    obj = model(pk=record["id"], locale_id=locale_ids[record["locale"]])
    _fill(obj, {name: record[name] for name in STATE_KEYS}, where)
    _fill(obj, record["fields"], where)
    obj.save_base(force_insert=True)
    _restore_children(obj, record, where)
    return obj, record


def _restore_page(record: dict, locale_ids: dict[str, int]) -> tuple[Page, dict]:
    where = gettext("page %(id)s") % {"id": record["id"]}
    model = PAGE_MODELS[record["type"]]
    page = model(
        id=record["id"],
        content_type=ContentType.objects.get_for_model(model),
        numchild=0,
        locale_id=locale_ids[record["locale"]],
    )
    _fill(page, {name: record[name] for name in (*PAGE_POSITION, *STATE_KEYS)}, where)
    _fill(page, record["fields"], where)
    # Insert both the wagtailcore_page row and the specific row, never update an existing one.
    page.save_base(force_insert=(Page,))
    _restore_children(page, record, where)
    for restriction in record["view_restrictions"]:
        _restore_view_restriction(page, restriction)
    return page, record


def _restore_children(obj: Model, record: dict, where: str) -> None:
    for relation, rows in record["children"].items():
        parental_key = obj._meta.get_field(relation).field
        for row in rows:
            child = _fill(parental_key.model(), row, f"{where}, {relation} {row['id']}")
            setattr(child, parental_key.attname, obj.pk)
            if hasattr(child, "locale_id"):
                # Translatable child rows share their parent's locale; ids differ between databases.
                child.locale_id = obj.locale_id
            child.save_base(force_insert=True)


def _restore_view_restriction(page: Page, restriction: dict) -> None:
    # Groups are matched by name; a missing one is created (without permissions) so that the
    # page stays hidden from the public API rather than silently becoming visible.
    row = PageViewRestriction(
        page=page, restriction_type=restriction["restriction_type"], password=restriction["password"]
    )
    row.save_base(force_insert=True)
    row.groups.set([Group.objects.get_or_create(name=name)[0] for name in restriction["groups"]])


def _recount_children(paths: list[str]) -> None:
    """Set numchild of the root and every restored page, which save_base leaves as archived."""
    root = Page.get_first_root_node()
    for path in [root.path, *paths]:
        depth = len(path) // Page.steplen
        count = Page.objects.filter(path__startswith=path, depth=depth + 1).count()
        Page.objects.filter(path=path).update(numchild=count)


def _restore_revisions(obj: Model, record: dict) -> int:
    """Recreate a revision of the restored row (the live one when live) and of a pending draft.

    Returns 1 when a draft was restored. Revisions are new rows with new ids: nothing outside
    the revision tables refers to them.
    """
    row_revision = _create_revision(
        obj,
        content=obj.serializable_data(),
        created_at=obj.last_published_at or timezone.now(),
        approved_go_live_at=None,
    )
    latest = row_revision
    draft = record["draft"]
    if draft is not None:
        where = gettext("the draft of %(object)s") % {"object": f"{obj._meta.verbose_name} {obj.pk}"}
        latest = _create_revision(
            obj,
            content=_localise_revision_content(draft["content"], obj, where),
            created_at=_parse_datetime(draft["created_at"], where),
            approved_go_live_at=_parse_datetime(draft["approved_go_live_at"], where),
        )
    type(obj).objects.filter(pk=obj.pk).update(
        latest_revision=latest, live_revision=row_revision if obj.live else None
    )
    return int(draft is not None)


def _create_revision(obj: Model, *, content: dict, created_at, approved_go_live_at) -> Revision:
    return Revision.objects.create(
        content_object=obj,
        base_content_type=obj.get_base_content_type(),
        object_str=str(obj.with_content_json(content)),
        content=content,
        created_at=created_at,
        approved_go_live_at=approved_go_live_at,
    )


def _localise_revision_content(content: dict, obj: Model, where: str) -> dict:
    """The draft's content with the source database's ids (locale, content type…) replaced by ours."""
    current = obj.serializable_data()
    localised = dict(content)
    for key in REVISION_DATABASE_KEYS:
        if key in localised and key in current:
            localised[key] = current[key]
    try:
        obj.with_content_json(localised)
    except Exception as error:  # whatever Wagtail raises, the draft cannot be opened in the editor
        raise ArchiveError(
            gettext("%(where)s cannot be loaded: %(error)s") % {"where": where, "error": error}
        ) from error
    return localised


def _parse_datetime(value, where: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ArchiveError(
            gettext("%(where)s: %(value)s is not an ISO 8601 date and time.")
            % {"where": where, "value": repr(value)}
        ) from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


def _point_default_site(site: dict | None, locale_ids: dict[str, int]) -> int | None:
    """Point the default site at the archived site's root, or at the default locale's home page."""
    if site is not None:
        root_page_id = site["root_page"]
    else:
        home = HomePage.objects.filter(
            depth=2, locale_id=locale_ids.get(settings.BAKEN_DEFAULT_LOCALE)
        ).first()
        if home is None:
            return None
        root_page_id = home.pk
    default = Site.objects.filter(is_default_site=True).first()
    if default is None:
        archived = site or {"hostname": "localhost", "port": 80, "site_name": settings.WAGTAIL_SITE_NAME}
        default = Site(
            is_default_site=True,
            hostname=archived["hostname"],
            port=archived["port"],
            site_name=archived["site_name"],
        )
    # An existing default site keeps its host name and port: they belong to this deployment.
    if site is not None:
        default.site_name = site["site_name"]
    default.root_page_id = root_page_id
    default.save()
    return root_page_id


def _reset_id_sequences() -> None:
    # Rows were inserted with explicit ids; without this PostgreSQL would hand out taken ones.
    statements = connection.ops.sequence_reset_sql(no_style(), RESTORED_MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _refresh_helpline_details(helplines: Iterable[HelpLine]) -> None:
    """Recompute the denormalised contact/opening-hours document from the restored child rows.

    Archives written before ``published_details`` existed, or edited by hand, would otherwise
    restore help-lines the API shows without contact points.
    """
    for helpline in helplines:
        fresh = HelpLine.objects.get(pk=helpline.pk)
        HelpLine.objects.filter(pk=helpline.pk).update(published_details=fresh.details_document())


def _rebuild_indexes(objects: Iterable[Model]) -> None:
    for obj in objects:
        fresh = type(obj).objects.get(pk=obj.pk)
        insert_or_update_object(fresh)
        ReferenceIndex.create_or_update_for_object(fresh)
