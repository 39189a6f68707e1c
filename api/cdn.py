"""Purge a CDN in front of the API when content changes (wagtail.contrib.frontend_cache).

Off unless ``WAGTAILFRONTENDCACHE`` is configured (see baken/settings/base.py: BAKEN_CDN_*).
On any change to a page or snippet, once its transaction commits, the affected API URLs are
purged: the lists and the object's own detail, bare and with ``?locale=`` for every locale.
Query variants a CDN may also hold (pagination, filters, Accept-Language) age out with the
short ``max-age`` the API sends.
"""

from django.conf import settings
from django.db import transaction

LISTS = {
    "pages": ["campaigns", "faqs", "search"],
    "helplines": ["helplines", "campaigns", "faqs"],
    "citations": ["citations", "faqs"],
}


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None)) and bool(settings.BAKEN_PUBLIC_API_BASE_URL)


def affected_urls(*, family: str, detail_paths: list[str]) -> list[str]:
    base = settings.BAKEN_PUBLIC_API_BASE_URL.rstrip("/") + "/api/v1/"
    paths = [f"{name}/" for name in LISTS[family]] + detail_paths
    urls = []
    for path in paths:
        urls.append(base + path)
        urls += [f"{base}{path}?locale={code}" for code in settings.BAKEN_LOCALES]
    return urls


def detail_paths_for(instance) -> list[str]:
    from cms.pages.models import CampaignPage, FAQPage
    from cms.snippets.models import HelpLine, SourceCitation

    specific = getattr(instance, "specific", instance)
    slug = getattr(specific, "slug", None)
    if isinstance(specific, FAQPage):
        return [f"faqs/{slug}/"]
    if isinstance(specific, CampaignPage):
        return [f"campaigns/{slug}/"]
    if isinstance(specific, HelpLine):
        return [f"helplines/{slug}/"]
    if isinstance(specific, SourceCitation):
        return [f"citations/{specific.pk}/"]
    return []


def purge_after_commit(*, families, instance) -> None:
    if not enabled():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    detail_paths = detail_paths_for(instance)
    urls = sorted(
        {
            url
            for family in families
            if family in LISTS
            for url in affected_urls(family=family, detail_paths=detail_paths)
        }
    )
    transaction.on_commit(lambda: purge_urls_from_cache(urls))
