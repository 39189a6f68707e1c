"""Pages for the public API: FAQ lists and details, campaigns and the FAQ pages below them.

Visible pages only (``Visibility.page_filter``, or ``shows_page`` for the hand-written SQL's
rows; api.visibility), one per translation in the best locale of the request's chain.
"""

import datetime as dt
import hashlib
from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from api import response_cache
from api.selectors.sql import (
    _DECIDING_FIELDS,
    _pages_with_sources_sql,
    _translations_by_slug_sql,
    source_of,
)
from api.selectors.translations import Chosen, best_translations, fetched_locale_ids, serve, source_times
from api.values import TranslationLink
from api.visibility import Visibility
from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage


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
    ids = visibility.chain_locale_ids(chain)
    chosen = Q(pk__in=[])
    for position, locale_id in enumerate(ids):
        in_this_locale = Q(locale_id=locale_id)
        for earlier in ids[:position]:
            # Q & Exists is a Q (Q._combine takes any conditional expression); the stubs take Q only.
            in_this_locale &= ~Exists(  # type: ignore[assignment]
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
    source = visible_pages(model=model, visibility=visibility).filter(
        translation_key=OuterRef("translation_key"), locale_id=visibility.default_locale_id
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


def faq_summaries(*, pks: Sequence[int], visibility: Visibility, requested: str) -> list[Chosen[FAQPage]]:
    """The FAQ pages with these ids, in this order, with what a list item shows (one query)."""
    if not pks:
        return []
    rows = FAQPage.objects.raw(
        _pages_with_sources_sql(FAQPage, ("question_count",), len(pks)),
        [visibility.default_locale_id, *pks],
    )
    # Visibility again: even a memo gone wrong could not put a hidden page in a list.
    pages = {page.pk: page for page in rows if visibility.shows_page(page)}
    ordered = [pages[pk] for pk in pks if pk in pages]
    source_published_at = {}
    for page in ordered:
        source = source_of(page)
        if source is not None and visibility.shows_page(source):
            source_published_at[page.translation_key] = source.last_published_at
    return serve(
        ordered,
        requested=requested,
        locale_codes=visibility.locale_codes,
        source_published_at=source_published_at,
    )


def page_with_translations(
    *,
    model: type[Page],
    slug: str,
    visibility: Visibility,
    chain: Sequence[str],
    requested: str,
    content_fields: Sequence[str] = (),
) -> tuple[Chosen | None, list[TranslationLink]]:
    """The visible page with ``slug`` (in any locale) in the best locale of ``chain``.

    One query reads what decides which translation is served, and the ``content_fields`` of the
    translations that can be (other fields load on access). Returns ``(chosen, translations)``
    where translations links every visible translation by locale and slug, or ``(None, [])``.
    """
    # A simple query, visibility applied in memory: every translation of the pages with this slug,
    # with the content only of those in the chain's locales.
    chain_ids = visibility.chain_locale_ids(chain)
    candidates = list(
        model.objects.raw(
            # Classes are hashable; mypy does not see it through the cache (python/mypy#11469).
            _translations_by_slug_sql(model, tuple(content_fields), len(chain_ids)),  # type: ignore[arg-type]
            [*chain_ids * len(content_fields), slug],
        )
    )
    # The slug must belong to a visible page: a draft's slug leads nowhere, not even to its translations.
    keys = {page.translation_key for page in candidates if page.slug == slug and visibility.shows_page(page)}
    translations = [
        page for page in candidates if page.translation_key in keys and visibility.shows_page(page)
    ]
    served = best_translations(translations, chain=chain, visibility=visibility)
    if not served:
        return None, []
    page = min(served, key=lambda page: (page.path, page.pk))
    [chosen] = serve(
        [page],
        requested=requested,
        locale_codes=visibility.locale_codes,
        source_published_at=source_times(translations, visibility=visibility),
    )
    codes = visibility.locale_codes
    links = sorted(
        (
            TranslationLink(locale=codes[other.locale_id], slug=other.slug)
            for other in translations
            if other.translation_key == page.translation_key
        ),
        key=lambda link: link.locale,
    )
    return chosen, links


def below_campaign(*, slug: str, visibility: Visibility) -> Q:
    """Pages whose parent is a visible translation of the campaign with ``slug`` (as a subquery)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    campaigns = visible_pages(model=CampaignPage, visibility=visibility).filter(
        path=parent_path,
        translation_key__in=CampaignPage.objects.filter(slug=slug).values("translation_key"),
    )
    return Q(Exists(campaigns))


def campaigns(
    *, visibility: Visibility, chain: Sequence[str], requested: str, slug: str | None = None
) -> tuple[list[Chosen[CampaignPage]], list[dict]]:
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
    chosen = sorted(
        best_translations(translations, chain=chain, visibility=visibility), key=lambda c: (c.path, c.pk)
    )
    codes = visibility.locale_codes
    served = serve(
        chosen,
        requested=requested,
        locale_codes=codes,
        source_published_at=source_times(translations, visibility=visibility),
    )
    translation_rows = [
        {"path": c.path, "translation_key": c.translation_key, "locale": codes[c.locale_id], "slug": c.slug}
        for c in translations
    ]
    return served, translation_rows


def faqs_below(
    *, campaign_paths: Sequence[str], visibility: Visibility, chain: Sequence[str], requested: str
) -> list[Chosen[FAQPage]]:
    """The FAQ pages below any of these campaign pages, one per translation, in one query.

    As for every filter (``resolved_pages``), the translation to serve is chosen first, among all
    visible translations wherever they are, and is then kept only if it is below one of these
    campaigns: so a campaign lists an FAQ page exactly when that page's detail in this language
    names the campaign, whichever campaigns are presented together (a list or one detail).
    """
    if not campaign_paths:
        return []
    below = reduce(or_, (Q(path__startswith=path) for path in campaign_paths))
    visible = visible_pages(model=FAQPage, visibility=visibility)
    # What a list item shows, not the pages' bodies: a campaign may hold thousands of FAQ pages.
    candidates = list(
        visible.filter(
            translation_key__in=visible.filter(below).values("translation_key"),
            locale_id__in=fetched_locale_ids(visibility, chain),
        ).only(*_DECIDING_FIELDS, "question_count")
    )
    chosen = sorted(
        (
            page
            for page in best_translations(candidates, chain=chain, visibility=visibility)
            if page.path.startswith(tuple(campaign_paths))
        ),
        key=lambda page: (page.path, page.pk),
    )
    return serve(
        chosen,
        requested=requested,
        locale_codes=visibility.locale_codes,
        source_published_at=source_times(candidates, visibility=visibility),
    )
