"""What each feed item is now: its public representation (upsert) or why it is not public (tombstone).

Invariants:

* An upsert's ``data`` is exactly what the item's detail endpoint serves for the item's locale
  (``GET /api/v1/<type>/<slug or id>/?locale=<locale>``): the same selectors (visibility rule,
  translation resolution, fallbacks, ``translation_outdated``), presenters and compiled contract.
* With a single locale, an item is public when the detail endpoint would serve the object in that
  locale, from the locale's fallback chain if need be (``is_fallback``); with ``?locale=all`` only
  when the object has a public translation in exactly that locale.
* Every item that is not public gets a tombstone whose reason (api.feed.values.REASONS) is decided
  from the current rows: of the translations that could be served, the first in the chain that
  was ever published (else the first): its own state, then a view restriction on it or above it,
  then a hidden page above it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from wagtail.models import PageViewRestriction

from api import presenters, selectors
from api.contract import represent
from api.feed.selectors import MODELS, PAGE_TYPES, Item, Scope
from api.feed.values import TOMBSTONE, UPSERT, Change
from api.languages import fallback_chain
from api.serializers import CampaignSerializer, CitationSerializer, FAQDetailSerializer, HelpLineSerializer
from api.values import TranslationLink
from api.visibility import Visibility
from cms.pages.models import FAQPage
from cms.snippets.models import HelpLine, SourceCitation

DETAIL_ROUTES = {
    "campaign": "api:campaigns-detail",
    "faq": "api:faqs-detail",
    "helpline": "api:helplines-detail",
    "citation": "api:citations-detail",
}


def judge(items: Sequence[Item], *, visibility: Visibility, scope: Scope, absolute) -> list[Change]:
    """One change per item, in the items' order. ``absolute`` turns a path into an absolute URL."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for item in items:
        groups[(item.type, item.locale_id)].append(item.key)
    built: dict[tuple[str, int, str], Change] = {}
    for (type_, locale_id), keys in groups.items():
        code = visibility.locale_codes[locale_id]
        exact = scope.locale is None
        found = _represent(type_, keys, code=code, exact=exact, visibility=visibility)
        for key, (slug, lookup, data) in found.items():
            path = reverse(DETAIL_ROUTES[type_], kwargs=lookup) + f"?locale={code}"
            built[(type_, locale_id, key)] = Change(
                op=UPSERT,
                type=type_,
                key=uuid.UUID(key),
                locale=code,
                slug=slug,
                url=absolute(path),
                data=data,
            )
        missing = [key for key in keys if key not in found]
        if missing:
            reasons = _reasons(type_, missing, code=code, exact=exact, visibility=visibility)
            for key in missing:
                built[(type_, locale_id, key)] = Change(
                    op=TOMBSTONE, type=type_, key=uuid.UUID(key), locale=code, reason=reasons[key]
                )
    return [built[(item.type, item.locale_id, item.key)] for item in items]


# --- representations, as the detail endpoints build them ------------------------------------


def _represent(
    type_: str, keys: list[str], *, code: str, exact: bool, visibility: Visibility
) -> dict[str, tuple[str | None, dict, dict]]:
    """key → (slug, the detail route's kwargs, data) of the public ones among ``keys``."""
    chain = fallback_chain(code)
    wanted = [uuid.UUID(key) for key in keys]
    locale_id = visibility.locale_ids[code]
    result: dict[str, tuple[str | None, dict, dict]] = {}

    def keep(obj) -> bool:
        return not exact or obj.locale_id == locale_id

    if type_ == "faq":
        pages = [
            page
            for page in selectors.resolved_pages(
                model=FAQPage, visibility=visibility, chain=chain, extra_filter=Q(translation_key__in=wanted)
            )
            if keep(page)
        ]
        links: dict[str, list[TranslationLink]] = defaultdict(list)
        rows = selectors.visible_pages(model=FAQPage, visibility=visibility).filter(
            translation_key__in=wanted
        )
        for key, other_locale, slug in rows.values_list("translation_key", "locale_id", "slug"):
            links[str(key)].append(TranslationLink(locale=visibility.locale_codes[other_locale], slug=slug))
        chosen = selectors.serve(
            pages,
            requested=code,
            locale_codes=visibility.locale_codes,
            source_published_at={page.translation_key: page.source_published_at for page in pages},
        )
        for item in chosen:
            key = str(item.obj.translation_key)
            detail = presenters.faq_detail(
                item,
                campaign=visibility.campaign_slug_of(item.obj),
                translations=sorted(links[key], key=lambda link: link.locale),
                visibility=visibility,
                chain=chain,
                requested=code,
            )
            result[key] = (item.obj.slug, {"slug": item.obj.slug}, represent(FAQDetailSerializer, detail))
    elif type_ == "campaign":
        campaigns, translations = selectors.campaigns(visibility=visibility, chain=chain, requested=code)
        shown = [item for item in campaigns if str(item.obj.translation_key) in keys and keep(item.obj)]
        for campaign in presenters.campaigns(
            shown, translations=translations, visibility=visibility, chain=chain, requested=code
        ):
            result[str(campaign.obj.translation_key)] = (
                campaign.obj.slug,
                {"slug": campaign.obj.slug},
                represent(CampaignSerializer, campaign),
            )
    elif type_ == "helpline":
        found = selectors.resolved_snippets(
            model=HelpLine, visibility=visibility, chain=chain, requested=code, translation_keys=wanted
        )
        for item in found:
            if keep(item.obj):
                value = presenters.helpline(item, now=visibility.now)
                result[str(item.obj.translation_key)] = (
                    item.obj.slug,
                    {"slug": item.obj.slug},
                    represent(HelpLineSerializer, value),
                )
    else:
        found = selectors.resolved_snippets(
            model=SourceCitation, visibility=visibility, chain=chain, requested=code, translation_keys=wanted
        )
        for citation in presenters.citations(
            [item for item in found if keep(item.obj)], visibility=visibility
        ):
            result[str(citation.obj.translation_key)] = (
                None,
                {"pk": citation.obj.pk},
                represent(CitationSerializer, citation),
            )
    return result


# --- reasons ---------------------------------------------------------------------------------


def _own_reason(row, visibility: Visibility) -> str | None:
    if not row.live:
        return "expired" if row.expired else "unpublished"
    if row.go_live_at is not None and row.go_live_at > visibility.now:
        return "not_yet_live"
    if row.expire_at is not None and row.expire_at <= visibility.now:
        return "expired"
    return None


def _reasons(
    type_: str, keys: list[str], *, code: str, exact: bool, visibility: Visibility
) -> dict[str, str]:
    model = MODELS[type_]
    is_page = type_ in PAGE_TYPES
    fields = [
        "translation_key",
        "locale_id",
        "live",
        "expired",
        "go_live_at",
        "expire_at",
        "last_published_at",
    ]
    rows_by_key: dict[str, list] = defaultdict(list)
    for row in model._default_manager.filter(translation_key__in=[uuid.UUID(key) for key in keys]).only(
        *fields, *(["path"] if is_page else [])
    ):
        rows_by_key[str(row.translation_key)].append(row)
    chain_ids = [visibility.locale_ids[code]] if exact else visibility.chain_locale_ids(fallback_chain(code))
    position = {locale_id: index for index, locale_id in enumerate(chain_ids)}
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True)) if is_page else []
    reasons = {}
    for key in keys:
        rows = rows_by_key.get(key)
        if not rows:
            reasons[key] = "deleted"
            continue
        candidates = sorted(
            (row for row in rows if row.locale_id in position), key=lambda row: position[row.locale_id]
        )
        if not candidates:
            reasons[key] = "not_translated"
            continue
        ever = [row for row in candidates if row.last_published_at is not None]
        row = (ever or candidates)[0]
        reason = _own_reason(row, visibility)
        if reason is None and is_page:
            if any(row.path.startswith(path) for path in restricted):
                reason = "restricted"
            elif any(row.path.startswith(top) for top in visibility.hidden_subtree_paths):
                reason = "hidden_by_ancestor"
        # Published now and below nothing hidden, yet not served: it changed meanwhile.
        reasons[key] = reason or "unpublished"
    return reasons
