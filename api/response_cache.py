"""Shared cache of rendered API responses, with exact invalidation.

Every cached response records the *versions* of the content families it was built from
(pages, help-lines, citations) as read **before** the database was queried. Any saved or
deleted page, snippet, child row, restriction, site or locale gives its family a new
version once its transaction commits, so an entry built from older data can never be
served again — on any process that shares the cache (Redis). Entries also never outlive
the next moment content changes by the clock alone: a scheduled go-live or expiry, or a
help-line opening or closing (``open_now``).

If the cache is unreachable the API keeps answering from the database.
"""

import contextlib
import datetime as dt
import hashlib
import logging
import pickle
import uuid
import zoneinfo

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

PREFIX = "baken:api:v1"
FAMILIES = ("pages", "helplines", "citations")


def _cache():
    return caches[settings.BAKEN_API_RESPONSE_CACHE_ALIAS]


def enabled() -> bool:
    return settings.BAKEN_API_RESPONSE_CACHE


def _version_key(family: str) -> str:
    return f"{PREFIX}:version:{family}"


def current_versions(families) -> dict | None:
    """The families' current versions, or None when the cache cannot be reached."""
    try:
        found = _cache().get_many([_version_key(family) for family in families])
    except Exception:  # a cache outage must not take the API down
        logger.warning("API response cache unreachable; serving from the database", exc_info=True)
        return None
    return {family: found.get(_version_key(family), "0") for family in families}


def bump(families) -> None:
    try:
        _cache().set_many({_version_key(family): uuid.uuid4().hex for family in families}, timeout=None)
    except Exception:
        logger.error("Could not invalidate the API response cache for %s", families, exc_info=True)


def bump_after_commit(families) -> None:
    # After commit, never before: a request must not cache pre-commit data under a new version.
    transaction.on_commit(lambda: bump(families))


def entry_key(*, path: str, query: list[tuple[str, str]], language: str) -> str:
    raw = "\n".join([path, language, *(f"{name}={value}" for name, value in sorted(query))])
    return f"{PREFIX}:response:{hashlib.sha256(raw.encode()).hexdigest()}"


def request_entry_key(request) -> str:
    from api.languages import choose_language

    locale_param = request.GET.get("locale")
    language = choose_language(
        locale_param=locale_param if locale_param in settings.BAKEN_LOCALES else None,
        accept_language=request.headers.get("Accept-Language", ""),
    )
    return entry_key(
        path=request.path,
        query=[(name, value) for name, values in request.GET.lists() for value in values],
        language=language.code,
    )


def lookup(key: str, request=None) -> dict | None:
    """The entry for ``key`` if still valid: one round trip for the entry and every version.

    A stale entry's ETag and Last-Modified are left on ``request`` so the response that replaces
    it keeps its Last-Modified when nothing changed, and gets a later one when something did.
    """
    version_keys = {family: _version_key(family) for family in FAMILIES}
    try:
        found = _cache().get_many([key, *version_keys.values()])
    except Exception:
        return None
    raw = found.get(key)
    if raw is None:
        return None
    entry = pickle.loads(raw)  # noqa: S301 - written by this module only, into our own cache
    current = {family: found.get(version_keys[family], "0") for family in entry["versions"]}
    if entry["versions"] != current or entry["valid_until"] <= timezone.now():
        if request is not None:
            request.baken_previous_validators = {
                "etag": entry["headers"].get("ETag"),
                "last_modified": entry["headers"].get("Last-Modified"),
            }
        return None
    return entry


class CachedResponseMiddleware:
    """Answers repeated public API reads from the shared cache before any other work is done.

    Only GET/HEAD reads of the public endpoints; the view stores what it renders (see
    ``PublicAPIMixin``). Placed early in MIDDLEWARE so a hit costs one cache round trip.
    """

    EXCLUDED = ("/api/v1/preview/", "/api/v1/schema/", "/api/v1/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            enabled()
            and request.method in ("GET", "HEAD")
            and request.path.startswith("/api/v1/")
            and not request.path.startswith(self.EXCLUDED)
        ):
            entry = lookup(request_entry_key(request), request)
            if entry is not None:
                from api import conditional

                return conditional.answer_cached(
                    request, as_response(entry), valid_until=entry["valid_until"]
                )
        return self.get_response(request)


def load(key: str, versions: dict) -> dict | None:
    try:
        raw = _cache().get(key)
    except Exception:
        return None
    if raw is None:
        return None
    entry = pickle.loads(raw)  # noqa: S301 - written by this module only, into our own cache
    if entry["versions"] != versions or entry["valid_until"] <= timezone.now():
        return None
    return entry


def store(key: str, response: HttpResponse, *, versions: dict, valid_until: dt.datetime) -> None:
    seconds = int((valid_until - timezone.now()).total_seconds())
    timeout = min(settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT, seconds)
    if timeout <= 0:
        return
    entry = {
        "versions": versions,
        "valid_until": valid_until,
        "content": response.content,
        "headers": {
            name: response[name]
            for name in ("Content-Type", "Content-Language", "Vary", "ETag", "Last-Modified")
            if name in response
        },
    }
    try:
        _cache().set(key, pickle.dumps(entry), timeout=timeout)
    except Exception:
        logger.warning("Could not store an API response in the cache", exc_info=True)


def as_response(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["headers"]["Content-Type"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


# --- when content changes by the clock -------------------------------------------------------


def next_transition(*, versions: dict, now: dt.datetime) -> dt.datetime:
    """The next scheduled go-live/expiry or opening-hours boundary, memoised per content version."""
    horizon = now + dt.timedelta(seconds=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    key = f"{PREFIX}:next-transition:" + hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()
    try:
        memo = _cache().get(key)
    except Exception:
        memo = None
    if memo is not None and memo > now:
        return min(memo, horizon)
    moment = _compute_next_transition(now)
    with contextlib.suppress(Exception):
        _cache().set(key, moment, timeout=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return min(moment, horizon)


def _compute_next_transition(now: dt.datetime) -> dt.datetime:
    from wagtail.models import Page

    from cms.snippets.models import HelpLine, OpeningHours, SourceCitation

    candidates = [now + dt.timedelta(days=365)]
    for model in (Page, HelpLine, SourceCitation):
        found = model.objects.aggregate(
            go_live=Min("go_live_at", filter=_after("go_live_at", now)),
            expire=Min("expire_at", filter=_after("expire_at", now)),
        )
        candidates.extend(value for value in found.values() if value is not None)
    from wagtail.models import Revision

    scheduled = Revision.objects.filter(approved_go_live_at__gt=now).aggregate(
        next=Min("approved_go_live_at")
    )
    if scheduled["next"] is not None:
        candidates.append(scheduled["next"])
    hours = OpeningHours.objects.filter(helpline__live=True, helpline__available_24_7=False).values_list(
        "weekday", "opens", "closes", "helpline__time_zone"
    )
    for weekday, opens, closes, time_zone in hours:
        local_now = now.astimezone(zoneinfo.ZoneInfo(time_zone))
        for boundary in (opens, closes):
            days_ahead = (weekday - local_now.weekday()) % 7
            for extra in (0, 7):
                day = local_now.date() + dt.timedelta(days=days_ahead + extra)
                moment = dt.datetime.combine(day, boundary, tzinfo=local_now.tzinfo)
                if moment > now:
                    candidates.append(moment)
                    break
    return min(candidates)


def _after(field: str, now: dt.datetime):
    from django.db.models import Q

    return Q(**{f"{field}__gt": now})


# --- invalidation ----------------------------------------------------------------------------


def _families_for(model) -> tuple[str, ...] | None:
    from wagtail.documents import get_document_model
    from wagtail.models import Locale, Page, PageViewRestriction, Revision, Site

    from cms.pages.models import CampaignHelpLine, CampaignKeyDate
    from cms.snippets.models import ContactPoint, HelpLine, OpeningHours, SourceCitation

    if issubclass(model, Page) or model in (PageViewRestriction, Site, CampaignKeyDate, CampaignHelpLine):
        return ("pages",)
    if model in (HelpLine, ContactPoint, OpeningHours):
        return ("helplines",)
    if model is SourceCitation:
        return ("citations",)
    if model in (Locale, Revision) or model is get_document_model():
        return FAMILIES
    return None


def _on_change(sender, instance=None, **kwargs):
    from wagtail.models import Revision

    if sender is Revision and instance is not None:
        # A revision (perhaps carrying a schedule) concerns the content it belongs to.
        sender = instance.content_type.model_class() or sender
    families = _families_for(sender)
    if families:
        bump_after_commit(families)
        from api import cdn

        cdn.purge_after_commit(families=families, instance=instance)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="baken-api-cache-save")
    post_delete.connect(_on_change, dispatch_uid="baken-api-cache-delete")
