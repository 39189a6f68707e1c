"""Cached responses: their keys, the copies each process keeps, and answering from them.

An entry holds a rendered 200 with the content versions (api.response_cache.versions) read
**before** the database was queried for it, and the moment it stops being true by the clock alone
(``valid_until``: a scheduled go-live or expiry, a help-line opening or closing, at most
``BAKEN_API_RESPONSE_CACHE_TIMEOUT`` away). It is served only while every version it names is
current and that moment has not come, so an entry built from older data is never served again,
in any process that shares the store.

A hit costs the versions (one round trip to Redis, or one indexed query with a private store) and,
when this process has not served the entry recently (``BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES``),
the entry itself in the same round trip.
"""

import datetime as dt
import functools
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.utils import timezone
from django.utils.http import http_date

from api.response_cache import versions as content_versions
from api.response_cache.store import FORMAT, PREFIX, shared_store

logger = logging.getLogger(__name__)

# Headers that are decided per answer, never replayed from an entry.
_NOT_STORED = frozenset({"cache-control", "set-cookie", "date", "expires"})


def entry_key(*, path: str, query: list[tuple[str, str]], language: str, origin: str = "") -> str:
    """Everything of a request that can change a cached body: the path, the query parameters (as
    decoded; repeated ones are refused with a 400, so their order cannot matter), the served
    language and the origin of the body's absolute URLs (``api.base.public_origin``).

    ``Accept`` is not part of it: it only decides between the one JSON body and a 406, which is
    decided before an entry is used (api.response_cache.middleware). The conditional headers only
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
    """The entry for ``key`` if still valid, in one round trip to the store.

    A stale entry's ETag and Last-Modified are left on ``request`` so the response that replaces
    it keeps its Last-Modified when nothing changed, and gets a later one when something did.
    """
    local = _local().get(key)
    store = shared_store()
    version_keys = content_versions.VERSION_KEYS if store.shared else []
    prefetched = getattr(request, "baken_prefetched_versions", None)
    try:
        if local is not None:
            if prefetched is not None and version_keys:
                values = prefetched  # read with the rate limit's count, in the same round trip
            else:
                values = store.get_many(version_keys) if version_keys else []
            entry = local
        else:
            raw, *values = store.get_many([key, *version_keys])
            if raw is None:
                return None
            entry = pickle.loads(raw)  # noqa: S301 - written by this module only, into our own cache
            _local().put(key, entry)
    except Exception:
        return None
    try:
        current = content_versions.combine(values)
    except DatabaseError:
        return None  # a private store's versions are the database's: the view answers (503)
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
    """Let api.response_cache.middleware store this response once every middleware has seen it.

    ``valid_until`` ends the entry (at most ``BAKEN_API_RESPONSE_CACHE_TIMEOUT`` away);
    ``transition`` is the next change by the clock, which bounds its ``Cache-Control``.
    """
    response.baken_cache_entry = (key, versions, valid_until, transition)
    # The headers the view gave it; those added later come from the inner middleware.
    response.baken_view_headers = frozenset(name.lower() for name in response.headers)


def store_response(
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
        shared_store().set(key, pickle.dumps(entry), timeout)
    except Exception:
        logger.warning("Could not store an API response in the cache", exc_info=True)
        return
    _local().put(key, entry)


def _prepared_headers(entry: dict) -> dict:
    """The entry's headers as Django's ResponseHeaders keeps them (lower-cased name → (name,
    value), values checked and converted once), remembered on the entry: a hit copies them in
    one step instead of setting each."""
    prepared = entry.get("prepared_headers")
    if prepared is None:
        checked = ResponseHeaders({})
        for name, value in entry["headers"]:
            checked[name] = value
        prepared = entry["prepared_headers"] = dict(checked._store)
    return prepared


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
            response.headers._store.update(_prepared_headers(entry))
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


def _forget(*, setting, **kwargs) -> None:
    """Tests swap caches and settings: drop what this process derived from them."""
    if setting in ("CACHES", "BAKEN_API_RESPONSE_CACHE_ALIAS", "BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES"):
        _local.cache_clear()
    if setting in ("BAKEN_LOCALES", "BAKEN_LOCALE_FALLBACKS", "LANGUAGES"):
        _entry_key_for.cache_clear()


setting_changed.connect(_forget, dispatch_uid="baken-response-cache-entries-settings")
