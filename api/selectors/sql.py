"""Hot lookups as hand-written SQL.

The FAQ detail's lookups and the summaries of a list's page of FAQs run on every uncached
request, and building their SQL through the ORM cost more than running it. They are written
once per shape here and run through ``Model.objects.raw``, which applies the same field
converters as a queryset (JSON, UUID, dates on SQLite) to the model's own columns. Plain SQL,
the same on SQLite and PostgreSQL; tests run on both.

These queries apply no visibility: the callers judge the rows in memory with
``Visibility.shows_page`` / ``shows_snippet`` (api.visibility), which is why the rows carry the
columns the rule reads.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Field, ForeignObjectRel, Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from cms.snippets.models import HelpLine, SourceCitation

# What visibility, translation resolution and the links between translations need of a page.
_DECIDING_FIELDS = (
    "id",
    "path",
    "depth",
    "translation_key",
    "locale_id",
    "slug",
    "title",
    "live",
    "go_live_at",
    "expire_at",
    "first_published_at",
    "last_published_at",
    "url_path",
)

# What visibility, translation resolution and a public representation need of each snippet.
_SNIPPET_FIELDS: dict[type[Model], tuple[str, ...]] = {
    HelpLine: (
        *("id", "translation_key", "locale_id", "live", "go_live_at", "expire_at", "last_published_at"),
        *("slug", "name", "organisation", "description", "is_free", "anonymous_possible"),
        *("available_24_7", "time_zone", "languages", "area_served", "last_verified", "published_details"),
    ),
    SourceCitation: (
        *("id", "translation_key", "locale_id", "live", "go_live_at", "expire_at", "last_published_at"),
        *("title", "authors", "organisation", "publisher", "url", "publication_date", "accessed_date"),
        *("citation_type", "language", "notes"),
    ),
}


def _quoted(*names: str) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _column(field: Field | ForeignObjectRel) -> str:
    """The database column of a concrete field (the only kind these queries name)."""
    if isinstance(field, ForeignObjectRel) or field.column is None:
        raise TypeError(f"{field!r} has no column of its own")
    return field.column


@cache
def _translations_by_slug_sql(model: type[Page], content_fields: tuple[str, ...], locales: int) -> str:
    """Every translation of the ``model`` pages with a slug: the deciding columns, and the
    ``content_fields`` of the rows in the chain's ``locales`` (the only ones that can be served;
    NULL elsewhere). Parameters: the chain's locale ids once per content field, then the slug."""
    qn = connection.ops.quote_name
    page_table, own_table = qn(Page._meta.db_table), qn(model._meta.db_table)
    link, page_pk = qn(model._meta.pk.column), qn(Page._meta.pk.column)
    locale_list = ", ".join(["%s"] * locales) or "NULL"
    columns = [f"p.{qn(Page._meta.get_field(name).column)}" for name in _DECIDING_FIELDS]
    columns.append(f"o.{link}")
    for name in content_fields:
        column = qn(model._meta.get_field(name).column)
        columns.append(f"CASE WHEN p.{qn('locale_id')} IN ({locale_list}) THEN o.{column} END AS {column}")
    return (
        f"SELECT {', '.join(columns)} "  # noqa: S608 - names from model metadata only
        f"FROM {page_table} p INNER JOIN {own_table} o ON o.{link} = p.{page_pk} "
        f"WHERE p.{qn('translation_key')} IN ("
        f"SELECT p2.{qn('translation_key')} FROM {page_table} p2 "
        f"INNER JOIN {own_table} o2 ON o2.{link} = p2.{page_pk} WHERE p2.{qn('slug')} = %s)"
    )


# The default-locale translation's columns that say whether it is visible and when it was last
# published, read beside each page by ``_pages_with_sources_sql`` under these names.
_SOURCE_FIELDS = ("path", "live", "go_live_at", "expire_at", "last_published_at")


@dataclass(frozen=True)
class Source:
    """A page's default-locale translation, as far as ``translation_outdated`` needs it."""

    path: str
    live: bool
    go_live_at: dt.datetime | None
    expire_at: dt.datetime | None
    last_published_at: dt.datetime | None


def source_of(page: Page) -> Source | None:
    """The source columns read beside ``page`` (None: it has no default-locale translation).
    Raw SQL applies no field converters to extra columns: SQLite's dates come back naive."""
    values = {name: getattr(page, f"source_{name}") for name in _SOURCE_FIELDS}
    if values["path"] is None:
        return None
    for name in ("go_live_at", "expire_at", "last_published_at"):
        if values[name] is not None:
            values[name] = _stored_moment(values[name])
    return Source(**{**values, "live": bool(values["live"])})


def _stored_moment(value: dt.datetime | str) -> dt.datetime:
    """A date-time as the database gives it: aware (PostgreSQL), or naive or ISO text in UTC
    (SQLite, Django's convention with USE_TZ)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(f"Not a stored date-time: {value!r}")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


@cache
def _pages_with_sources_sql(model: type[Page], content_fields: tuple[str, ...], ids: int) -> str:
    """The ``model`` pages with ``ids`` ids: the deciding columns, ``content_fields``, and
    ``source_<field>`` for each of ``_SOURCE_FIELDS`` of their default-locale translation (NULL
    when there is none; found by the unique index's key and locale). Parameters: the default
    locale's id, then the ids."""
    qn = connection.ops.quote_name
    page_table, own_table = qn(Page._meta.db_table), qn(model._meta.db_table)
    link, page_pk = qn(model._meta.pk.column), qn(Page._meta.pk.column)
    key, locale = qn("translation_key"), qn("locale_id")
    columns = [f"p.{qn(Page._meta.get_field(name).column)}" for name in _DECIDING_FIELDS]
    columns.append(f"o.{link}")
    columns += [f"o.{qn(model._meta.get_field(name).column)}" for name in content_fields]
    columns += [
        f"s.{qn(Page._meta.get_field(name).column)} AS {qn('source_' + name)}" for name in _SOURCE_FIELDS
    ]
    return (
        f"SELECT {', '.join(columns)} "  # noqa: S608 - names from model metadata only
        f"FROM {page_table} p INNER JOIN {own_table} o ON o.{link} = p.{page_pk} "
        f"LEFT JOIN {page_table} s ON s.{key} = p.{key} AND s.{locale} = %s "
        f"WHERE p.{page_pk} IN ({', '.join(['%s'] * ids)})"
    )


@cache
def _snippets_and_translations_sql(model: type[Model], ids: int, locales: int) -> str:
    """The rows with ``ids`` ids, and their translations in ``locales`` locales."""
    meta = model._meta
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(_column(meta.pk))
    columns = _quoted(*(_column(meta.get_field(name.removesuffix("_id"))) for name in _SNIPPET_FIELDS[model]))
    id_list, locale_list = ", ".join(["%s"] * ids), ", ".join(["%s"] * locales) or "NULL"
    key, locale = qn("translation_key"), qn("locale_id")
    return (
        f"SELECT {columns} FROM {table} WHERE {pk} IN ({id_list}) "  # noqa: S608
        f"OR ({key} IN (SELECT {key} FROM {table} WHERE {pk} IN ({id_list})) AND {locale} IN ({locale_list}))"
    )
