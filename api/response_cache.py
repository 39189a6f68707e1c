"""Shared cache of rendered API responses, with exact invalidation.

Every cached response records the *versions* of the content families it was built from
(pages, help-lines, citations) as read **before** the database was queried. Any saved or
deleted page, snippet, child row, restriction, site or locale gives its family a new
version once its transaction commits, so an entry built from older data can never be
served again — on any process that shares the cache (Redis). Entries also never outlive
the next moment content changes by the clock alone: a scheduled go-live or expiry, or a
help-line opening or closing (``open_now``).

A hit costs one small round trip: the current versions. Each process keeps the entries it
served recently in memory (``BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES``), so the body itself only
crosses the network when the process has not seen it yet; the versions decide, every time,
whether it may still be served. Redis is read and written as raw bytes through one client
per process.

If the cache is unreachable the API keeps answering from the database.
"""

import datetime as dt
import functools
import hashlib
import logging
import pickle
import threading
import time
import uuid
import zoneinfo
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

logger = logging.getLogger(__name__)

PREFIX = "baken:api:v1"
# Part of every entry and memo key: bumped when their stored shape changes, so servers of
# different releases sharing one Redis never read each other's entries.
FORMAT = 4
FAMILIES = ("pages", "helplines", "citations")
# Headers that are decided per answer, never replayed from an entry.
_NOT_STORED = frozenset({"cache-control", "set-cookie", "date", "expires"})


def enabled() -> bool:
    return settings.BAKEN_API_RESPONSE_CACHE


# --- the shared store: raw bytes ---------------------------------------------------------------


class _DjangoCacheStore:
    """Any Django cache backend (local memory by default)."""

    def __init__(self, cache):
        self.cache = cache

    def get_many(self, keys: list[str]) -> list:
        found = self.cache.get_many(keys)
        return [found.get(key) for key in keys]

    def set(self, key: str, value: bytes, timeout: int | None) -> None:
        self.cache.set(key, value, timeout=timeout)

    def set_many(self, values: dict, timeout: int | None) -> None:
        self.cache.set_many(values, timeout=timeout)

    def add(self, key: str, value: bytes) -> None:
        self.cache.add(key, value, timeout=None)


class _RedisStore:
    """Django's Redis cache, bypassed for speed: one client per process, values as raw bytes.

    Keys go through the cache's own ``make_key`` so KEY_PREFIX and versioning still apply.
    """

    def __init__(self, cache: RedisCache):
        self.make_key = functools.lru_cache(maxsize=8192)(cache.make_and_validate_key)
        self.client = cache._cache.get_client(write=True)

    def get_many(self, keys: list[str]) -> list:
        return self.client.mget([self.make_key(key) for key in keys])

    def set(self, key: str, value: bytes, timeout: int | None) -> None:
        self.client.set(self.make_key(key), value, ex=timeout)

    def set_many(self, values: dict, timeout: int | None) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for key, value in values.items():
                pipe.set(self.make_key(key), value, ex=timeout)
            pipe.execute()

    def add(self, key: str, value: bytes) -> None:
        self.client.set(self.make_key(key), value, nx=True)


@functools.cache
def _store():
    cache = caches[settings.BAKEN_API_RESPONSE_CACHE_ALIAS]
    return _RedisStore(cache) if isinstance(cache, RedisCache) else _DjangoCacheStore(cache)


# Memo keys name the content versions they derive from, so a copy kept in the process is as good
# as the shared one; it is kept briefly, which bounds what a write without signals leaves behind.
LOCAL_MEMO_SECONDS = 60


class _LocalMemos:
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            value, expires = found
            if expires <= time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return (value,)

    def put(self, key: str, value, *, seconds: float) -> None:
        with self.lock:
            self.entries[key] = (value, time.monotonic() + seconds)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


@functools.cache
def _local_memos() -> _LocalMemos:
    return _LocalMemos(max_entries=256)


def shared_get(key: str):
    """A memoised value from this process or the shared cache, or None; outages are a miss.

    Only for keys that name the versions of what the value derives from."""
    local = _local_memos().get(key)
    if local is not None:
        return local[0]
    try:
        (raw,) = _store().get_many([key])
    except Exception:
        return None
    if raw is None:
        return None
    value = pickle.loads(raw)  # noqa: S301 - written by shared_set only
    _local_memos().put(key, value, seconds=LOCAL_MEMO_SECONDS)
    return value


def shared_set(key: str, value, *, timeout: int) -> None:
    try:
        _store().set(key, pickle.dumps(value), timeout)
    except Exception:
        logger.warning("Could not write %s to the shared cache", key, exc_info=True)
        return  # kept nowhere: while the cache is down every request recomputes
    _local_memos().put(key, value, seconds=min(timeout, LOCAL_MEMO_SECONDS))


def memoised(key: str, compute, *, now: dt.datetime | None = None, valid_until=None):
    """``compute()``, remembered in the shared cache under ``key``, which must name the content
    versions it depends on (``version_tag``).

    ``valid_until``, when the value also depends on the clock, is called once the value is
    computed and gives the moment it stops being true (see ``next_transition``); ``now`` is the
    request's moment. Computed afresh when the cache is unreachable or ``BAKEN_API_MEMOS`` is off.
    Like response entries, memos last at most ``BAKEN_API_RESPONSE_CACHE_TIMEOUT``, which bounds
    what a write that sends no signal can leave behind.
    """
    if not settings.BAKEN_API_MEMOS:
        return compute()
    found = shared_get(f"{key}:{FORMAT}")
    if found is not None:
        value, until = found
        if until is None or (now is not None and until > now):
            return value
    value = compute()
    until = valid_until() if valid_until else None
    shared_set(f"{key}:{FORMAT}", (value, until), timeout=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return value


def version_tag(versions: dict, *families: str) -> str:
    """A short, key-safe label of these families' versions, whatever bytes they hold (an older
    release may have written them in another form)."""
    return hashlib.sha256(b"\0".join(versions[family] for family in families)).hexdigest()[:32]


# --- versions ----------------------------------------------------------------------------------


def _version_key(family: str) -> str:
    return f"{PREFIX}:version:{family}"


_VERSION_KEYS = [_version_key(family) for family in FAMILIES]


def _read_versions() -> dict[str, bytes]:
    """Every family's version in one round trip; a missing one is created, never assumed."""
    _retry_pending_bumps()
    values = _store().get_many(_VERSION_KEYS)
    if None in values:
        # After a flush or eviction: a fresh random version, so no older entry can match it.
        for key, value in zip(_VERSION_KEYS, values, strict=True):
            if value is None:
                _store().add(key, uuid.uuid4().hex.encode())
        values = _store().get_many(_VERSION_KEYS)
    return dict(zip(FAMILIES, values, strict=True))


def current_versions(families=FAMILIES) -> dict | None:
    """The families' current versions, or None when the cache cannot be reached."""
    try:
        versions = _read_versions()
    except Exception:  # a cache outage must not take the API down
        logger.warning("API response cache unreachable; serving from the database", exc_info=True)
        return None
    return {family: versions[family] for family in families}


# Families whose invalidation failed in this process (the cache was unreachable): invalidated as
# soon as the cache answers again, before this process serves or builds anything from it.
_pending_bumps: set[str] = set()


def bump(families) -> None:
    families = set(families) | _pending_bumps
    try:
        _store().set_many({_version_key(family): uuid.uuid4().hex.encode() for family in families}, None)
    except Exception:
        _pending_bumps.update(families)
        logger.error(
            "Could not invalidate the API response cache for %s; will retry", families, exc_info=True
        )
        return
    _pending_bumps.difference_update(families)


def _retry_pending_bumps() -> None:
    if _pending_bumps:
        bump(())


def bump_after_commit(families) -> None:
    # After commit, never before: a request must not cache pre-commit data under a new version.
    transaction.on_commit(lambda: bump(families))


# --- entries -----------------------------------------------------------------------------------


def entry_key(*, path: str, query: list[tuple[str, str]], language: str, origin: str = "") -> str:
    """Everything of a request that can change a cached body: the path, the query parameters (as
    decoded; repeated ones are refused with a 400, so their order cannot matter), the served
    language and the origin of the body's absolute URLs (``api.base.public_origin``).

    ``Accept`` is not part of it: it only decides between the one JSON body and a 406, which is
    decided before an entry is used (``CachedResponseMiddleware``). The conditional headers only
    choose between 200, 304 and 412, per request.
    """
    raw = "\n".join([origin, path, language, *(f"{name}={value}" for name, value in sorted(query))])
    return f"{PREFIX}:response:{FORMAT}:{hashlib.sha256(raw.encode()).hexdigest()}"


# The lookup table from raw request values to entry keys (path, query string, Accept-Language,
# origin). Its memory has a bound that no flood of distinct values can exceed: at most
# KEY_MEMO_ENTRIES entries, each of inputs of at most KEY_MEMO_INPUT_CHARS characters in all
# (longer inputs are keyed every time, never remembered). Measured with tracemalloc after
# 100,000 distinct Accept-Language values (tests/test_cache_answers_as_full_stack.py): 4,096
# entries at the input limit hold 3.5 MiB (about 890 bytes an entry), with 40-character values
# 1.7 MiB; so under 5 MiB per process whatever is sent.
KEY_MEMO_ENTRIES = 4096
KEY_MEMO_INPUT_CHARS = 512


@functools.lru_cache(maxsize=KEY_MEMO_ENTRIES)
def _entry_key_for(path: str, query_string: str, accept_language: str, origin: str = "") -> str:
    return _compute_entry_key(path, query_string, accept_language, origin)


def _compute_entry_key(path: str, query_string: str, accept_language: str, origin: str) -> str:
    from django.http import QueryDict

    from api.languages import choose_language

    # Decoded as Django decodes request.GET: WSGI hands the raw bytes over as latin-1 text.
    query = QueryDict(query_string.encode("iso-8859-1"))
    locale_param = query.get("locale")
    language = choose_language(
        locale_param=locale_param if locale_param in settings.BAKEN_LOCALES else None,
        accept_language=accept_language,
    )
    return entry_key(
        path=path,
        query=[(name, value) for name, values in query.lists() for value in values],
        language=language.code,
        origin=origin,
    )


def request_entry_key(request) -> str:
    """The entry key of a request whose host is valid (``api.base.public_origin`` checks it)."""
    from api.base import public_origin

    request = getattr(request, "_request", request)
    inputs = (
        request.path,
        request.META.get("QUERY_STRING", ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        public_origin(request),
    )
    if sum(map(len, inputs)) <= KEY_MEMO_INPUT_CHARS:
        return _entry_key_for(*inputs)
    return _compute_entry_key(*inputs)


class _LocalEntries:
    """The entries this process served recently, least recently used dropped first, by size."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        size = len(entry["content"]) + 512
        if size > self.max_bytes:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old["size"]
            entry["size"] = size
            self.entries[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.size -= dropped["size"]

    def discard(self, key: str) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old["size"]


@functools.cache
def _local() -> _LocalEntries:
    return _LocalEntries(settings.BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES)


def lookup(key: str, request=None) -> dict | None:
    """The entry for ``key`` if still valid, in one round trip.

    A stale entry's ETag and Last-Modified are left on ``request`` so the response that replaces
    it keeps its Last-Modified when nothing changed, and gets a later one when something did.
    """
    local = _local().get(key)
    try:
        _retry_pending_bumps()
        if _pending_bumps:
            return None  # the cache is still unreachable
        if local is not None:
            values = _store().get_many(_VERSION_KEYS)
            entry = local
        else:
            raw, *values = _store().get_many([key, *_VERSION_KEYS])
            if raw is None:
                return None
            entry = pickle.loads(raw)  # noqa: S301 - written by this module only, into our own cache
            _local().put(key, entry)
    except Exception:
        return None
    current = dict(zip(FAMILIES, values, strict=True))
    if any(current[family] != version for family, version in entry["versions"].items()) or (
        entry["valid_until"] <= timezone.now()
    ):
        _local().discard(key)
        if request is not None:
            request.baken_previous_validators = entry["validators"]
        return None
    return entry


def mark_for_storage(
    response, *, key: str, versions: dict, valid_until: dt.datetime, transition: dt.datetime
) -> None:
    """Let ``CachedResponseMiddleware`` store this response once every middleware has seen it.

    ``valid_until`` ends the entry (at most ``BAKEN_API_RESPONSE_CACHE_TIMEOUT`` away);
    ``transition`` is the next change by the clock, which bounds its ``Cache-Control``.
    """
    response.baken_cache_entry = (key, versions, valid_until, transition)
    # The headers the view gave it; those added later come from the inner middleware.
    response.baken_view_headers = frozenset(name.lower() for name in response.headers)


def store(
    key: str,
    response: HttpResponse,
    *,
    versions: dict,
    valid_until: dt.datetime,
    transition: dt.datetime | None = None,
) -> None:
    seconds = int((valid_until - timezone.now()).total_seconds())
    timeout = min(settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT, seconds)
    if timeout <= 0:
        return
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    view_headers = getattr(response, "baken_view_headers", None)
    validators = getattr(response, "baken_validators", None) or {
        "etag": response.get("ETag"),
        "last_modified": response.get("Last-Modified"),
    }
    entry = {
        "versions": versions,
        "valid_until": valid_until,
        "transition": transition if transition is not None else valid_until,
        "content": response.content,
        "headers": headers,
        # Added by the middleware a hit skips; a 304 or 412 answered from the entry carries them
        # too, as one answered by the view does.
        "middleware_headers": [
            (name, value)
            for name, value in headers
            if view_headers is not None and name.lower() not in view_headers
        ],
        "validators": validators,
    }
    try:
        _store().set(key, pickle.dumps(entry), timeout)
    except Exception:
        logger.warning("Could not store an API response in the cache", exc_info=True)
        return
    _local().put(key, entry)


def as_response(entry: dict, request) -> HttpResponse:
    """The stored answer, or the 304 or 412 the request's preconditions call for: the same
    status, body and headers as the view would give (api/conditional.py)."""
    from api import conditional

    validators = entry["validators"]
    outcome = conditional.evaluate(request, validators)
    response: HttpResponse
    if outcome == conditional.PRECONDITION_FAILED:
        response = conditional.precondition_failed()
    else:
        if outcome == conditional.NOT_MODIFIED:
            response = conditional.not_modified_response(entry["headers"])
        else:
            response = HttpResponse(entry["content"])
            for name, value in entry["headers"]:
                response[name] = value
        response["Cache-Control"] = conditional.cache_control_header(entry["transition"])
        now = int(time.time())
        if validators.get("stamp", 0) > now:  # built on a server whose clock runs ahead
            response["Last-Modified"] = http_date(now)
        if outcome is None:
            return response
    for name, value in entry["middleware_headers"]:
        # As CommonMiddleware sets it, for this answer's own body.
        response[name] = str(len(response.content)) if name.lower() == "content-length" else value
    return response


def _disallowed_host(request, error: DisallowedHost) -> HttpResponse:
    from api.errors import problem_response

    # Logged as Django logs the DisallowedHost it would have raised further in.
    logging.getLogger("django.security.DisallowedHost").error(
        str(error), extra={"status_code": 400, "request": request}
    )
    return problem_response(400, "This server does not answer for the host named in the request.")


class CachedResponseMiddleware:
    """Answers repeated public API reads from the shared cache before any other work is done —
    but only what the full stack would answer.

    For every API request, first the Host is validated against ALLOWED_HOSTS (a problem+json 400
    when it is not allowed, whether or not the answer is cached). Then, for GET/HEAD reads of the
    public endpoints, a request whose Accept the views would refuse (406) goes on to them, so it
    gets exactly their answer; any other is looked up by ``request_entry_key``, which holds every
    input that changes a body. Placed right after SecurityMiddleware (which must still redirect
    plain HTTP), so a hit skips every other middleware; entries keep the headers those middlewares
    added when the response was first built. A hit costs these header checks, the key (remembered
    per raw value) and one round trip to the shared cache: no database query.
    """

    EXCLUDED = ("/api/v1/preview/", "/api/v1/schema/", "/api/v1/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        from api.base import accepts_json, public_origin

        try:
            public_origin(request)
        except DisallowedHost as error:
            return _disallowed_host(request, error)
        if not (
            enabled()
            and request.method in ("GET", "HEAD")
            and request.path.startswith("/api/v1/")
            and not request.path.startswith(self.EXCLUDED)
            and accepts_json(request)
        ):
            return self.get_response(request)
        entry = lookup(request_entry_key(request), request)
        if entry is not None:
            return as_response(entry, request)
        response = self.get_response(request)
        pending = getattr(response, "baken_cache_entry", None)
        if pending is not None and response.status_code == 200:
            key, versions, valid_until, transition = pending
            store(key, response, versions=versions, valid_until=valid_until, transition=transition)
        return response


def forget_process_state(*, setting, **kwargs) -> None:
    """Tests swap caches and settings: drop what this process derived from them."""
    if setting in ("CACHES", "BAKEN_API_RESPONSE_CACHE_ALIAS", "BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES"):
        _store.cache_clear()
        _local.cache_clear()
        _local_memos.cache_clear()
        _pending_bumps.clear()
    if setting in ("BAKEN_LOCALES", "BAKEN_LOCALE_FALLBACKS", "LANGUAGES"):
        _entry_key_for.cache_clear()


setting_changed.connect(forget_process_state, dispatch_uid="baken-response-cache-settings")


# --- when content changes by the clock -------------------------------------------------------


def next_transition(*, versions: dict | None, now: dt.datetime) -> dt.datetime:
    """The next scheduled go-live/expiry or opening-hours boundary, memoised per content version,
    but at most ``BAKEN_API_RESPONSE_CACHE_TIMEOUT`` away: how long a value derived now may be kept."""
    horizon = now + dt.timedelta(seconds=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return min(upcoming_transition(versions=versions, now=now), horizon)


def upcoming_transition(*, versions: dict | None, now: dt.datetime) -> dt.datetime:
    """The next scheduled go-live/expiry or opening-hours boundary itself (at most a year away),
    which ``Cache-Control`` must not reach past. Memoised per content version whether or not
    responses or other lookups are cached (``BAKEN_API_MEMOS``): it is read for every answer."""
    if not versions:  # the cache is unreachable: nothing to key a memo on
        return _compute_next_transition(now)
    key = f"{PREFIX}:next-transition:{FORMAT}:{version_tag(versions, *sorted(versions))}"
    memo = shared_get(key)
    # Only a moment computed at or before ``now`` tells what happens next from ``now``: one computed
    # later (by a request that started later, or on a server whose clock runs ahead) may have
    # stepped over a transition this request must still honour.
    if memo is not None and memo[0] <= now < memo[1]:
        return memo[1]
    moment = _compute_next_transition(now)
    shared_set(key, (now, moment), timeout=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return moment


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
