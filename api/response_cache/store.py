"""Where the response cache and the memos keep their bytes: the shared store, and small
per-process copies.

The shared store is the Django cache ``BAKEN_API_RESPONSE_CACHE_ALIAS``: Redis in production
(shared by every process; read and written as raw bytes through one client per process), local
memory otherwise (each process its own). Nothing in it is the only record of anything: every
key names the content versions its value was derived from (api.response_cache.versions, which
come from the change log in the database), so a value is either still true or never read again,
and losing the store (flush, eviction, outage) only costs recomputation. An outage is a miss.
"""

import functools
import logging
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)

PREFIX = "baken:api:v1"
# Part of every entry, version and memo key: bumped when their stored shape changes, so servers of
# different releases sharing one Redis never read each other's values.
FORMAT = 5


def enabled() -> bool:
    """Whether rendered responses are cached (``BAKEN_API_RESPONSE_CACHE``)."""
    return settings.BAKEN_API_RESPONSE_CACHE


class DjangoCacheStore:
    """Any Django cache backend (local memory by default): private to this process."""

    shared = False

    def __init__(self, cache):
        self.cache = cache

    def get_many(self, keys: list[str]) -> list:
        found = self.cache.get_many(keys)
        return [found.get(key) for key in keys]

    def set(self, key: str, value: bytes, timeout: int | None) -> None:
        self.cache.set(key, value, timeout=timeout)

    def raise_to(self, values: dict[str, int]) -> None:
        for key, value in values.items():
            current = self.cache.get(key)
            if current is None or int(current) < value:
                self.cache.set(key, str(value).encode(), timeout=None)


# Sets each key to the higher of its value and the given one, atomically: versions only grow,
# whatever order writers reach Redis in. A value that is not a number (an older release's) is lower.
_RAISE_TO = """
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key) or '') or -1
  if tonumber(ARGV[i]) > current then redis.call('SET', key, ARGV[i]) end
end
"""


class RedisStore:
    """Django's Redis cache, bypassed for speed: one client per process, values as raw bytes.
    Shared by every process that names the same Redis.

    Keys go through the cache's own ``make_key`` so KEY_PREFIX and versioning still apply.
    """

    shared = True

    def __init__(self, cache: RedisCache):
        self.make_key = functools.lru_cache(maxsize=8192)(cache.make_and_validate_key)
        self.client = cache._cache.get_client(write=True)
        self.raise_script = self.client.register_script(_RAISE_TO)

    def get_many(self, keys: list[str]) -> list:
        return self.client.mget([self.make_key(key) for key in keys])

    def set(self, key: str, value: bytes, timeout: int | None) -> None:
        self.client.set(self.make_key(key), value, ex=timeout)

    def raise_to(self, values: dict[str, int]) -> None:
        keys = list(values)
        self.raise_script(keys=[self.make_key(key) for key in keys], args=[values[key] for key in keys])


@functools.cache
def shared_store() -> DjangoCacheStore | RedisStore:
    cache = caches[settings.BAKEN_API_RESPONSE_CACHE_ALIAS]
    return RedisStore(cache) if isinstance(cache, RedisCache) else DjangoCacheStore(cache)


# --- memos: derived values remembered per content version ------------------------------------

# Memo keys name the content versions they derive from, so a copy kept in the process is as good
# as the shared one; kept briefly only to bound memory.
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
    """A memoised value from this process or the shared store, or None; outages are a miss.

    Only for keys that name the versions of what the value derives from."""
    local = _local_memos().get(key)
    if local is not None:
        return local[0]
    try:
        (raw,) = shared_store().get_many([key])
    except Exception:
        return None
    if raw is None:
        return None
    value = pickle.loads(raw)  # noqa: S301 - written by shared_set only
    _local_memos().put(key, value, seconds=LOCAL_MEMO_SECONDS)
    return value


def shared_set(key: str, value, *, timeout: int) -> None:
    try:
        shared_store().set(key, pickle.dumps(value), timeout)
    except Exception:
        logger.warning("Could not write %s to the shared cache", key, exc_info=True)
        return  # kept nowhere: while the cache is down every request recomputes
    _local_memos().put(key, value, seconds=min(timeout, LOCAL_MEMO_SECONDS))


def memoised(key: str, compute, *, now=None, valid_until=None):
    """``compute()``, remembered in the shared store under ``key``, which must name the content
    versions it depends on (``versions.version_tag``).

    ``valid_until``, when the value also depends on the clock, is called once the value is
    computed and gives the moment it stops being true (see ``transitions.next_transition``);
    ``now`` is the request's moment. Computed afresh when the store is unreachable or
    ``BAKEN_API_MEMOS`` is off. Memos last at most ``BAKEN_API_RESPONSE_CACHE_TIMEOUT``.
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


def _forget(*, setting, **kwargs) -> None:
    """Tests swap caches and settings: drop what this process derived from them."""
    if setting in ("CACHES", "BAKEN_API_RESPONSE_CACHE_ALIAS"):
        shared_store.cache_clear()
        _local_memos.cache_clear()


setting_changed.connect(_forget, dispatch_uid="baken-response-cache-store-settings")
