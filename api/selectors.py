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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage
from cms.snippets.models import ContactPoint, HelpLine, OpeningHours, SourceCitation


@dataclass(frozen=True)
class Visibility:
    """What is hidden right now; computed once per request."""

    now: dt.datetime
    hidden_subtree_paths: tuple[str, ...]
    locale_ids: dict[str, int]

    def page_filter(self) -> Q:
        visible = (
            Q(live=True)
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=self.now))
            & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=self.now))
        )
        if self.hidden_subtree_paths:
            visible &= ~reduce(or_, (Q(path__startswith=path) for path in self.hidden_subtree_paths))
        return visible

    def snippet_filter(self) -> Q:
        return (
            Q(live=True)
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=self.now))
            & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=self.now))
        )


def current_visibility(*, now: dt.datetime | None = None) -> Visibility:
    now = now or timezone.now()
    not_shown = ~Q(live=True) | Q(expire_at__lte=now) | Q(go_live_at__gt=now)
    # Hidden pages without children are caught by page_filter itself; only subtrees need prefixes.
    hidden_parents = Page.objects.filter(not_shown, numchild__gt=0).values_list("path", flat=True)
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    paths = sorted(set(hidden_parents) | set(restricted))
    # Keep only the top of each hidden subtree.
    tops: list[str] = []
    for path in paths:
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    locale_ids = dict(Locale.objects.values_list("language_code", "pk"))
    return Visibility(now=now, hidden_subtree_paths=tuple(tops), locale_ids=locale_ids)


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


def mark_served(objects: Iterable[Model], *, requested: str, locale_codes: dict[int, str]) -> None:
    for obj in objects:
        obj.served_locale = locale_codes[obj.locale_id]
        obj.is_fallback = obj.served_locale != requested


def _locale_codes(visibility: Visibility) -> dict[int, str]:
    return {pk: code for code, pk in visibility.locale_ids.items()}


# --- pages ---------------------------------------------------------------------------------


def visible_pages(*, model: type[Page], visibility: Visibility) -> QuerySet:
    return model.objects.filter(visibility.page_filter())


def resolved_page_keys(
    *,
    model: type[Page],
    visibility: Visibility,
    chain: Sequence[str],
    extra_filter: Q | None = None,
) -> list[dict]:
    """One row (pk, translation_key, locale_id, path) per translated page, in the best locale."""
    queryset = visible_pages(model=model, visibility=visibility).filter(
        locale_id__in=_chain_locale_ids(visibility, chain)
    )
    if extra_filter is not None:
        queryset = queryset.filter(extra_filter)
    rows = queryset.values("pk", "translation_key", "locale_id", "path", "last_published_at")
    resolved = resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids)
    return sorted(resolved, key=lambda row: (row["path"], row["pk"]))


def page_by_slug(*, model: type[Page], slug: str, visibility: Visibility, chain: Sequence[str]):
    """The visible page with ``slug`` (in any locale), served in the best locale of ``chain``."""
    keys = (
        visible_pages(model=model, visibility=visibility)
        .filter(slug=slug)
        .values_list("translation_key", flat=True)
    )
    rows = (
        visible_pages(model=model, visibility=visibility)
        .filter(translation_key__in=keys, locale_id__in=_chain_locale_ids(visibility, chain))
        .values("pk", "translation_key", "locale_id", "path", "last_published_at")
    )
    resolved = sorted(
        resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids),
        key=lambda row: (row["path"], row["pk"]),
    )
    return resolved[0]["pk"] if resolved else None


def page_translations(*, model: type[Page], translation_keys: Iterable, visibility: Visibility) -> dict:
    """translation_key → [(locale code, slug)] of every visible translation."""
    codes = _locale_codes(visibility)
    found: dict = {}
    rows = (
        visible_pages(model=model, visibility=visibility)
        .filter(translation_key__in=list(translation_keys))
        .order_by("locale__language_code")
        .values_list("translation_key", "locale_id", "slug")
    )
    for key, locale_id, slug in rows:
        found.setdefault(key, []).append({"locale": codes[locale_id], "slug": slug})
    return found


def faq_pages(*, pks: Sequence[int]) -> list[FAQPage]:
    by_pk = FAQPage.objects.filter(pk__in=pks).in_bulk()
    return [by_pk[pk] for pk in pks if pk in by_pk]


def campaign_pages(*, pks: Sequence[int]) -> list[CampaignPage]:
    queryset = CampaignPage.objects.filter(pk__in=pks).prefetch_related(
        Prefetch("key_dates", queryset=CampaignKeyDate.objects.order_by("sort_order")),
        Prefetch("campaign_helplines", queryset=CampaignHelpLine.objects.order_by("sort_order")),
    )
    by_pk = queryset.in_bulk()
    return [by_pk[pk] for pk in pks if pk in by_pk]


def faq_rows_below(
    *, campaign_paths: Sequence[str], visibility: Visibility, chain: Sequence[str]
) -> list[dict]:
    if not campaign_paths:
        return []
    below = reduce(or_, (Q(path__startswith=path) for path in campaign_paths))
    return resolved_page_keys(model=FAQPage, visibility=visibility, chain=chain, extra_filter=below)


# --- snippets ------------------------------------------------------------------------------


def visible_snippets(*, model: type[Model], visibility: Visibility) -> QuerySet:
    return model.objects.filter(visibility.snippet_filter())


def _with_helpline_details(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("contact_points", queryset=ContactPoint.objects.order_by("sort_order", "pk")),
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
    )


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
        locale_id__in=_chain_locale_ids(visibility, chain)
    )
    if translation_keys is not None:
        queryset = queryset.filter(translation_key__in=list(translation_keys))
    if source_pks is not None:
        queryset = queryset.filter(
            translation_key__in=model.objects.filter(pk__in=list(source_pks)).values("translation_key")
        )
    if model is HelpLine:
        queryset = _with_helpline_details(queryset)
    objects = list(queryset)
    rows = [
        {"pk": obj.pk, "translation_key": obj.translation_key, "locale_id": obj.locale_id} for obj in objects
    ]
    keep = {row["pk"] for row in resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids)}
    chosen = [obj for obj in objects if obj.pk in keep]
    mark_served(chosen, requested=requested, locale_codes=_locale_codes(visibility))
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


def _by_source_pk(model, source_pks, visibility, chain, requested) -> dict:
    source_pks = list(set(source_pks))
    if not source_pks:
        return {}
    key_of = dict(model.objects.filter(pk__in=source_pks).values_list("pk", "translation_key"))
    served = resolved_snippets(
        model=model,
        visibility=visibility,
        chain=chain,
        requested=requested,
        translation_keys=set(key_of.values()),
    )
    by_key = {obj.translation_key: obj for obj in served}
    return {pk: by_key[key] for pk, key in key_of.items() if key in by_key}
