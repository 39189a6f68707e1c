"""Query logic for the public API. Only live, published, public content ever comes out of here.

Visibility rules, applied at the moment of the request:

* pages: live, not expired, not scheduled for later, with no view restriction on the
  page or an ancestor, and every ancestor live and unexpired too;
* snippets: live and not expired.

Translation resolution: for each ``translation_key`` the object in the first locale of the
request's fallback chain that has a visible one is served; ``is_fallback`` marks objects
served in another language than the one asked for.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from api import response_cache
from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation


@dataclass(frozen=True)
class Visibility:
    """What is hidden right now; computed once per request."""

    now: dt.datetime
    hidden_subtree_paths: tuple[str, ...]
    locale_ids: dict[str, int]
    # Slug of every campaign page by path (campaigns are the parents of FAQ pages).
    campaign_slugs: dict[str, str] = field(default_factory=dict)

    def campaign_slug_of(self, page) -> str | None:
        """The slug of the campaign page directly above ``page`` (None if its parent is none)."""
        return self.campaign_slugs.get(page.path[: -Page.steplen])

    def page_filter(self) -> Q:
        visible = (
            Q(live=True)
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=self.now))
            & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=self.now))
        )
        if self.hidden_subtree_paths:
            visible &= ~reduce(or_, (Q(path__startswith=path) for path in self.hidden_subtree_paths))
        return visible

    def shows_page(self, page) -> bool:
        """The same rule as ``page_filter``, for rows already in memory."""
        return (
            page.live
            and (page.expire_at is None or page.expire_at > self.now)
            and (page.go_live_at is None or page.go_live_at <= self.now)
            and not any(page.path.startswith(top) for top in self.hidden_subtree_paths)
        )

    def shows_snippet(self, snippet) -> bool:
        """The same rule as ``snippet_filter``, for rows already in memory."""
        return (
            snippet.live
            and (snippet.expire_at is None or snippet.expire_at > self.now)
            and (snippet.go_live_at is None or snippet.go_live_at <= self.now)
        )

    def snippet_filter(self) -> Q:
        return (
            Q(live=True)
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=self.now))
            & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=self.now))
        )


def current_visibility(*, now: dt.datetime | None = None, versions: dict | None = None) -> Visibility:
    """The tops of the subtrees hidden by unpublished, expired, scheduled or restricted pages.

    Only pages with children can hide a subtree (hidden pages without children are caught by
    ``page_filter`` itself), and they are few: their rows are read once per content version
    (``versions``, see api.response_cache) and judged against ``now`` on every request.
    """
    now = now or timezone.now()
    if versions is None:
        candidates = _subtree_candidates()
    else:
        key = f"baken:api:v1:subtree-candidates:{response_cache.version_tag(versions, 'pages')}"
        candidates = response_cache.memoised(key, _subtree_candidates)
    hidden = {
        path
        for path, live, go_live_at, expire_at, _slug, _is_campaign in candidates
        if not (live and (expire_at is None or expire_at > now) and (go_live_at is None or go_live_at <= now))
    }
    tops: list[str] = []
    for path in sorted(hidden):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    campaign_slugs = {path: slug for path, *_, slug, is_campaign in candidates if is_campaign}
    return Visibility(
        now=now, hidden_subtree_paths=tuple(tops), locale_ids=locale_ids(), campaign_slugs=campaign_slugs
    )


def _subtree_candidates() -> list[tuple]:
    """(path, live, go_live_at, expire_at, slug, is a campaign) of every page with children, and of
    every restricted page (as never live), in one query."""
    campaign_type = ContentType.objects.get_for_model(CampaignPage).pk
    parents = Page.objects.filter(numchild__gt=0).values_list(
        "path",
        "live",
        "go_live_at",
        "expire_at",
        "slug",
        Case(When(content_type_id=campaign_type, then=Value(True)), default=Value(False)),
    )
    never = Value(None, output_field=DateTimeField())
    restricted = PageViewRestriction.objects.values_list(
        "page__path", Value(False), never, never, "page__slug", Value(False)
    )
    return list(parents.order_by().union(restricted.order_by(), all=True))


@cache
def locale_ids() -> dict[str, int]:
    """Locale ids by language code; locales change only through migrate (see cms.signal_handlers)."""
    return dict(Locale.objects.values_list("language_code", "pk"))


def forget_locales(**kwargs) -> None:
    locale_ids.cache_clear()


def resolve_translations(
    candidates: Iterable[dict], *, chain: Sequence[str], locale_ids: dict[str, int]
) -> list[dict]:
    """From rows with ``pk``, ``translation_key`` and ``locale_id``, keep one per key: the best locale."""
    rank = {locale_ids[code]: position for position, code in enumerate(chain) if code in locale_ids}
    best: dict = {}
    for row in candidates:
        position = rank.get(row["locale_id"])
        if position is None:
            continue
        current = best.get(row["translation_key"])
        if current is None or position < rank[current["locale_id"]]:
            best[row["translation_key"]] = row
    return list(best.values())


def _chain_locale_ids(visibility: Visibility, chain: Sequence[str]) -> list[int]:
    return [visibility.locale_ids[code] for code in chain if code in visibility.locale_ids]


def _fetched_locale_ids(visibility: Visibility, chain: Sequence[str]) -> list[int]:
    """The chain's locales plus the default one, whose versions tell whether a translation is outdated."""
    ids = _chain_locale_ids(visibility, chain)
    default_id = visibility.locale_ids.get(settings.BAKEN_DEFAULT_LOCALE)
    return ids if default_id in ids or default_id is None else [*ids, default_id]


def mark_served(
    objects: Iterable[Model],
    *,
    requested: str,
    locale_codes: dict[int, str],
    source_published_at: dict | None = None,
) -> None:
    """Set ``served_locale``, ``is_fallback`` and ``translation_outdated`` on each object.

    A translation is outdated when its source (the default-locale version) was published
    after it: the source changed and the translation has not caught up.
    """
    source_published_at = source_published_at or {}
    for obj in objects:
        obj.served_locale = locale_codes[obj.locale_id]
        obj.is_fallback = obj.served_locale != requested
        source_time = source_published_at.get(obj.translation_key)
        obj.translation_outdated = bool(
            obj.served_locale != settings.BAKEN_DEFAULT_LOCALE
            and source_time
            and obj.last_published_at
            and source_time > obj.last_published_at
        )


def source_times(items, *, visibility: "Visibility") -> dict:
    """translation_key → last_published_at of the default-locale version, from rows or objects."""
    default_id = visibility.locale_ids.get(settings.BAKEN_DEFAULT_LOCALE)
    times = {}
    for item in items:
        row = item if isinstance(item, dict) else vars(item)
        if row["locale_id"] == default_id:
            times[row["translation_key"]] = row.get("last_published_at")
    return times


def _locale_codes(visibility: Visibility) -> dict[int, str]:
    return {pk: code for code, pk in visibility.locale_ids.items()}


# --- pages ---------------------------------------------------------------------------------


def visible_pages(*, model: type[Page], visibility: Visibility) -> QuerySet:
    return model.objects.filter(visibility.page_filter())


def resolved_pages(
    *,
    model: type[Page],
    visibility: Visibility,
    chain: Sequence[str],
    extra_filter: Q | None = None,
) -> QuerySet:
    """One visible page per translation, in the best locale of ``chain``, resolved by the database.

    A page in the chain's i-th locale is chosen when no visible translation exists in an earlier
    one, so the database can count, order and slice without reading every row. Each page is
    annotated with ``source_published_at`` (its default-locale version's last publication).
    """
    visible = visible_pages(model=model, visibility=visibility)
    ids = [visibility.locale_ids[code] for code in chain if code in visibility.locale_ids]
    chosen = Q(pk__in=[])
    for position, locale_id in enumerate(ids):
        in_this_locale = Q(locale_id=locale_id)
        for earlier in ids[:position]:
            in_this_locale &= ~Exists(
                visible.filter(translation_key=OuterRef("translation_key"), locale_id=earlier)
            )
        chosen |= in_this_locale
    # Filters apply to what is served: a translation is not replaced by its source for failing them.
    resolved = visible.filter(chosen)
    if extra_filter is not None:
        resolved = resolved.filter(extra_filter)
    return with_source_published_at(resolved, model=model, visibility=visibility).order_by("path", "pk")


def with_source_published_at(queryset: QuerySet, *, model: type[Page], visibility: Visibility) -> QuerySet:
    """Annotate each page with ``source_published_at``: when its visible default-locale version was
    last published (None when there is none)."""
    default_id = visibility.locale_ids.get(settings.BAKEN_DEFAULT_LOCALE)
    source = visible_pages(model=model, visibility=visibility).filter(
        translation_key=OuterRef("translation_key"), locale_id=default_id
    )
    return queryset.annotate(source_published_at=Subquery(source.values("last_published_at")[:1]))


def faq_list_pks(
    *,
    visibility: Visibility,
    chain: Sequence[str],
    campaign: str | None = None,
    updated_since: dt.datetime | None = None,
    versions: dict | None = None,
) -> list[int]:
    """The ids of the FAQ pages a list shows, in order: one per translation, in the best locale.

    Counting and ordering them reads every matching row, so the ids are memoised per content
    version (``versions``) until the next scheduled change; each request then reads only the
    rows of its own page of results (``faq_summaries``).
    """

    def compute() -> list[int]:
        extra = Q()
        if campaign:
            extra &= below_campaign(slug=campaign, visibility=visibility)
        if updated_since:
            extra &= Q(last_published_at__gte=updated_since)
        resolved = resolved_pages(model=FAQPage, visibility=visibility, chain=chain, extra_filter=extra)
        return list(resolved.values_list("pk", flat=True))

    if versions is None:
        return compute()
    query = repr((tuple(chain), campaign, updated_since.isoformat() if updated_since else None))
    key = (
        f"baken:api:v1:faq-list:{response_cache.version_tag(versions, 'pages')}:"
        f"{hashlib.sha256(query.encode()).hexdigest()}"
    )
    return response_cache.memoised(
        key,
        compute,
        now=visibility.now,
        valid_until=lambda: response_cache.next_transition(versions=versions, now=visibility.now),
    )


def faq_summaries(*, pks: Sequence[int], visibility: Visibility, requested: str) -> list[FAQPage]:
    """The FAQ pages with these ids, in this order, with what a list item shows (one query)."""
    pages = with_source_published_at(
        # Visibility again: even a memo gone wrong could not put a hidden page in a list.
        visible_pages(model=FAQPage, visibility=visibility)
        .filter(pk__in=list(pks))
        .only(*_DECIDING_FIELDS, "question_count"),
        model=FAQPage,
        visibility=visibility,
    ).in_bulk()
    for page in pages.values():
        page.campaign_slug = visibility.campaign_slug_of(page)
    ordered = [pages[pk] for pk in pks if pk in pages]
    mark_served(
        ordered,
        requested=requested,
        locale_codes=_locale_codes(visibility),
        source_published_at={page.translation_key: page.source_published_at for page in ordered},
    )
    return ordered


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


def page_with_translations(
    *,
    model: type[Page],
    slug: str,
    visibility: Visibility,
    chain: Sequence[str],
    content_fields: Sequence[str] = (),
):
    """The visible page with ``slug`` (in any locale) in the best locale of ``chain``.

    One query reads what decides which translation is served, and the ``content_fields`` of the
    translations that can be (other fields load on access). Returns ``(page, translations)``
    where translations lists every visible translation's locale and slug, or ``(None, [])``.
    """
    # A simple query, visibility applied in memory: every translation of the pages with this slug,
    # with the content only of those in the chain's locales.
    chain_ids = _chain_locale_ids(visibility, chain)
    candidates = list(
        model.objects.raw(
            _translations_by_slug_sql(model, tuple(content_fields), len(chain_ids)),
            [*chain_ids * len(content_fields), slug],
        )
    )
    # The slug must belong to a visible page: a draft's slug leads nowhere, not even to its translations.
    keys = {page.translation_key for page in candidates if page.slug == slug and visibility.shows_page(page)}
    translations = [
        page for page in candidates if page.translation_key in keys and visibility.shows_page(page)
    ]
    rows = [
        {
            "pk": page.pk,
            "translation_key": page.translation_key,
            "locale_id": page.locale_id,
            "path": page.path,
        }
        for page in translations
    ]
    resolved = sorted(
        resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids),
        key=lambda row: (row["path"], row["pk"]),
    )
    if not resolved:
        return None, []
    chosen = next(page for page in translations if page.pk == resolved[0]["pk"])
    chosen.campaign_slug = visibility.campaign_slug_of(chosen)
    chosen.source_published_at = source_times(translations, visibility=visibility)
    codes = _locale_codes(visibility)
    links = sorted(
        (
            {"locale": codes[page.locale_id], "slug": page.slug}
            for page in translations
            if page.translation_key == chosen.translation_key
        ),
        key=lambda link: link["locale"],
    )
    return chosen, links


# --- hot lookups as SQL ----------------------------------------------------------------------
# The FAQ detail's lookups run on every uncached request, and building their SQL through the
# ORM cost more than running it. They are written once per shape here and run through
# ``Model.objects.raw``, which applies the same field converters as a queryset (JSON, UUID,
# dates on SQLite). Plain SQL, the same on SQLite and PostgreSQL; tests run on both.


def _quoted(*names: str) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


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


# What visibility, translation resolution and a public representation need of each snippet.
_SNIPPET_FIELDS = {
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


@cache
def _snippets_and_translations_sql(model: type[Model], ids: int, locales: int) -> str:
    """The rows with ``ids`` ids, and their translations in ``locales`` locales."""
    meta = model._meta
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    columns = _quoted(*(meta.get_field(name.removesuffix("_id")).column for name in _SNIPPET_FIELDS[model]))
    id_list, locale_list = ", ".join(["%s"] * ids), ", ".join(["%s"] * locales) or "NULL"
    key, locale = qn("translation_key"), qn("locale_id")
    return (
        f"SELECT {columns} FROM {table} WHERE {pk} IN ({id_list}) "  # noqa: S608
        f"OR ({key} IN (SELECT {key} FROM {table} WHERE {pk} IN ({id_list})) AND {locale} IN ({locale_list}))"
    )


def below_campaign(*, slug: str, visibility: Visibility) -> Q:
    """Pages whose parent is a visible translation of the campaign with ``slug`` (as a subquery)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    campaigns = visible_pages(model=CampaignPage, visibility=visibility).filter(
        path=parent_path,
        translation_key__in=CampaignPage.objects.filter(slug=slug).values("translation_key"),
    )
    return Q(Exists(campaigns))


def campaigns(*, visibility: Visibility, chain: Sequence[str], requested: str, slug: str | None = None):
    """Campaigns in the best locale (one query plus two prefetches), and every visible translation.

    Campaigns are few, so all their visible translations are read at once: the same rows give
    the translation links and the paths below which their FAQ pages live.
    Returns ``(chosen campaigns in site order, translation rows)``.
    """
    queryset = visible_pages(model=CampaignPage, visibility=visibility)
    if slug is not None:
        queryset = queryset.filter(translation_key__in=queryset.filter(slug=slug).values("translation_key"))
    translations = list(
        queryset.prefetch_related(
            Prefetch("key_dates", queryset=CampaignKeyDate.objects.order_by("sort_order")),
            Prefetch("campaign_helplines", queryset=CampaignHelpLine.objects.order_by("sort_order")),
        )
    )
    rows = [
        {"pk": c.pk, "translation_key": c.translation_key, "locale_id": c.locale_id} for c in translations
    ]
    keep = {row["pk"] for row in resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids)}
    chosen = sorted((c for c in translations if c.pk in keep), key=lambda c: (c.path, c.pk))
    mark_served(
        chosen,
        requested=requested,
        locale_codes=_locale_codes(visibility),
        source_published_at=source_times(translations, visibility=visibility),
    )
    codes = _locale_codes(visibility)
    translation_rows = [
        {"path": c.path, "translation_key": c.translation_key, "locale": codes[c.locale_id], "slug": c.slug}
        for c in translations
    ]
    return chosen, translation_rows


def faqs_below(
    *, campaign_paths: Sequence[str], visibility: Visibility, chain: Sequence[str], requested: str
) -> list[FAQPage]:
    """The FAQ pages below any of these campaign pages, one per translation, in one query."""
    if not campaign_paths:
        return []
    below = reduce(or_, (Q(path__startswith=path) for path in campaign_paths))
    candidates = list(
        visible_pages(model=FAQPage, visibility=visibility).filter(
            below, locale_id__in=_fetched_locale_ids(visibility, chain)
        )
    )
    rows = [
        {"pk": page.pk, "translation_key": page.translation_key, "locale_id": page.locale_id}
        for page in candidates
    ]
    keep = {row["pk"] for row in resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids)}
    chosen = sorted((page for page in candidates if page.pk in keep), key=lambda page: (page.path, page.pk))
    mark_served(
        chosen,
        requested=requested,
        locale_codes=_locale_codes(visibility),
        source_published_at=source_times(candidates, visibility=visibility),
    )
    return chosen


# --- snippets ------------------------------------------------------------------------------


def visible_snippets(*, model: type[Model], visibility: Visibility) -> QuerySet:
    return model.objects.filter(visibility.snippet_filter())


def resolved_snippets(
    *,
    model: type[Model],
    visibility: Visibility,
    chain: Sequence[str],
    requested: str,
    translation_keys: Iterable | None = None,
    source_pks: Iterable[int] | None = None,
    order_by: Sequence[str] = ("pk",),
) -> list:
    """Visible snippets in the best locale, one per translation_key, in ``order_by`` order.

    ``source_pks`` restricts to the translations of these rows (whatever their locale or state);
    ``translation_keys`` restricts to these keys.
    """
    queryset = visible_snippets(model=model, visibility=visibility).filter(
        locale_id__in=_fetched_locale_ids(visibility, chain)
    )
    if translation_keys is not None:
        queryset = queryset.filter(translation_key__in=list(translation_keys))
    if source_pks is not None:
        queryset = queryset.filter(
            translation_key__in=model.objects.filter(pk__in=list(source_pks)).values("translation_key")
        )
    objects = list(queryset)
    rows = [
        {"pk": obj.pk, "translation_key": obj.translation_key, "locale_id": obj.locale_id} for obj in objects
    ]
    keep = {row["pk"] for row in resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids)}
    chosen = [obj for obj in objects if obj.pk in keep]
    mark_served(
        chosen,
        requested=requested,
        locale_codes=_locale_codes(visibility),
        source_published_at=source_times(objects, visibility=visibility),
    )
    chosen.sort(key=lambda obj: tuple(_sort_value(getattr(obj, field)) for field in order_by))
    return chosen


def _sort_value(value):
    return (value is None, value.casefold() if isinstance(value, str) else value)


def helplines_by_source_pk(
    *, source_pks: Iterable[int], visibility: Visibility, chain: Sequence[str], requested: str
) -> dict[int, HelpLine]:
    """Map any help-line row id (e.g. one chosen in a page, in any locale) to what is served for it."""
    return _by_source_pk(HelpLine, source_pks, visibility, chain, requested)


def citations_by_source_pk(
    *, source_pks: Iterable[int], visibility: Visibility, chain: Sequence[str], requested: str
) -> dict[int, SourceCitation]:
    return _by_source_pk(SourceCitation, source_pks, visibility, chain, requested)


# The largest id the database can hold; a larger one (from a corrupt or hand-made body) exists nowhere.
_MAX_ID = 2**63 - 1


def _valid_ids(values) -> list[int]:
    ids = set()
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number <= _MAX_ID:
            ids.add(number)
    return sorted(ids)


def _by_source_pk(model, source_pks, visibility, chain, requested) -> dict:
    """One query: the rows referenced by id plus the visible translations that may be served for them."""
    source_pks = _valid_ids(source_pks)
    if not source_pks:
        return {}
    chain_ids = set(_chain_locale_ids(visibility, chain))
    fetched_ids = set(_fetched_locale_ids(visibility, chain))
    # A simple query, visibility applied in memory: the referenced rows and their translations in
    # the locales that may be served or tell whether a translation is outdated.
    rows = list(
        model.objects.raw(
            _snippets_and_translations_sql(model, len(source_pks), len(fetched_ids)),
            [*source_pks, *source_pks, *fetched_ids],
        )
    )
    for obj in rows:
        shown = visibility.shows_snippet(obj)
        obj.servable = shown and obj.locale_id in chain_ids
        obj.visible_version = shown and obj.locale_id in fetched_ids
    key_of = {obj.pk: obj.translation_key for obj in rows if obj.pk in source_pks}
    candidates = [obj for obj in rows if obj.servable]
    keep = {
        row["pk"]
        for row in resolve_translations(
            [
                {"pk": o.pk, "translation_key": o.translation_key, "locale_id": o.locale_id}
                for o in candidates
            ],
            chain=chain,
            locale_ids=visibility.locale_ids,
        )
    }
    served = [obj for obj in candidates if obj.pk in keep]
    mark_served(
        served,
        requested=requested,
        locale_codes=_locale_codes(visibility),
        source_published_at=source_times([obj for obj in rows if obj.visible_version], visibility=visibility),
    )
    by_key = {obj.translation_key: obj for obj in served}
    return {pk: by_key[key] for pk, key in key_of.items() if key in by_key}
