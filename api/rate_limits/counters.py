"""Fixed-window counters shared by every process: Redis, or a SQLite file on this machine.

``add(bucket, cost, window, now, read=keys)`` adds ``cost`` to the bucket's current window and
returns the window's total, the seconds until it ends, and (Redis only, else None) the values of
``read``: raw keys read in the same round trip (the response cache's content versions). Raises
:class:`CounterUnavailable` when the counter cannot be reached (the caller serves the request
unlimited).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

from api.response_cache.store import FORMAT, PREFIX, shared_store


class CounterUnavailable(RuntimeError):
    pass


def window_of(now: float, window: int) -> tuple[int, float]:
    """(the window's start, the seconds until it ends) for moment ``now``."""
    start = int(now // window) * window
    return start, start + window - now


# One round trip: count, give a new window's key its expiry, and read the keys asked for.
_ADD_AND_READ = """
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if #KEYS > 1 then return {used, redis.call('MGET', unpack(KEYS, 2))} end
return {used, {}}
"""


class RedisCounter:
    def __init__(self, store):
        self.store = store
        self.script = store.client.register_script(_ADD_AND_READ)

    def add(
        self, bucket: str, cost: int, window: int, now: float, read: list[str] | None = None
    ) -> tuple[int, float, list | None]:
        start, left = window_of(now, window)
        key = self.store.make_key(f"{PREFIX}:ratelimit:{FORMAT}:{bucket}:{window}:{start}")
        try:
            used, values = self.script(keys=[key, *(read or ())], args=[cost, window + 1])
        except Exception as error:  # any Redis failure: unlimited, not down
            raise CounterUnavailable(str(error)) from error
        return int(used), left, (values if read else None)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    bucket TEXT NOT NULL, window INTEGER NOT NULL, start INTEGER NOT NULL, used INTEGER NOT NULL,
    PRIMARY KEY (bucket, window, start)
) WITHOUT ROWID
"""
_ADD = """
INSERT INTO counters (bucket, window, start, used) VALUES (?, ?, ?, ?)
ON CONFLICT (bucket, window, start) DO UPDATE SET used = used + excluded.used
RETURNING used
"""
# Windows that ended are deleted now and then (by whichever process comes by).
PRUNE_EVERY_SECONDS = 60


class FileCounter:
    """A SQLite file of its own (not the content database): every process on this machine that
    names the same file shares the counts. WAL, so counting never waits on readers."""

    def __init__(self, path: Path):
        self.path = path
        self.local = threading.local()
        self.pruned_at = 0.0

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # counts, not records: a crash may lose a few
            connection.execute(_SCHEMA)
            self.local.connection = connection
        return connection

    def add(
        self, bucket: str, cost: int, window: int, now: float, read: list[str] | None = None
    ) -> tuple[int, float, list | None]:
        start, left = window_of(now, window)
        try:
            connection = self._connection()
            (used,) = connection.execute(_ADD, (bucket, window, start, cost)).fetchone()
            if now - self.pruned_at > PRUNE_EVERY_SECONDS:
                self.pruned_at = now
                connection.execute("DELETE FROM counters WHERE start + window < ?", (int(now),))
        except (sqlite3.Error, OSError) as error:
            raise CounterUnavailable(str(error)) from error
        return int(used), left, None


_lock = threading.Lock()
_counter: RedisCounter | FileCounter | None = None


def counter() -> RedisCounter | FileCounter:
    global _counter
    with _lock:
        if _counter is None:
            store = shared_store()
            _counter = (
                RedisCounter(store) if store.shared else FileCounter(Path(settings.BAKEN_RATE_LIMIT_FILE))
            )
        return _counter


def _forget(*, setting, **kwargs) -> None:
    global _counter
    if setting in ("CACHES", "BAKEN_API_RESPONSE_CACHE_ALIAS", "BAKEN_RATE_LIMIT_FILE"):
        with _lock:
            _counter = None


setting_changed.connect(_forget, dispatch_uid="baken-rate-limit-counter")
