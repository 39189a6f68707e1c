"""Hot lookups as hand-written SQL.

The FAQ detail's lookups run on every uncached request, and building their SQL through the
ORM cost more than running it. They are written once per shape here and run through
``Model.objects.raw``, which applies the same field converters as a queryset (JSON, UUID,
dates on SQLite). Plain SQL, the same on SQLite and PostgreSQL; tests run on both.

These queries apply no visibility: the callers judge the rows in memory with
``Visibility.shows_page`` / ``shows_snippet`` (api.visibility), which is why the rows carry the
columns the rule reads.
"""

from functools import cache

from django.db import connection
from django.db.models import Field, ForeignObjectRel, Model
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
