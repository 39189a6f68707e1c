"""Fixed-window counters shared by every process: Redis, or a SQLite file on this machine.

``add(bucket, cost, window, now, read=keys, usage=Usage(...))`` adds ``cost`` to the bucket's
current window and returns the window's total, the seconds until it ends, and (Redis only, else
None) the values of ``read``: raw keys read in the same round trip (the response cache's content
versions). Raises :class:`CounterUnavailable` when the counter cannot be reached (the caller
serves the request unlimited).

**Usage** (``usage``): in the same round trip, the day's request count of the client's *usage
name* — ``channel:<id>``, or ``anonymous`` for every client without a key together — and, when
the window's total is past the quota, its count of refused (429) requests. Days are UTC and kept
:data:`USAGE_DAYS` days. Nothing about a client's address or software is stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

from api.response_cache.store import FORMAT, PREFIX, shared_store

USAGE_DAYS = 40


class CounterUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Usage:
    name: str  # "channel:<id>" or "anonymous"
    quota: int  # a window's total past this is a refused request


@dataclass(frozen=True)
class DayUsage:
    day: str  # YYYY-MM-DD, UTC
    requests: int
    limited: int


def day_of(now: float) -> str:
    """The UTC day of moment ``now`` (YYYY-MM-DD)."""
    return _day_name(int(now // 86400))


@functools.lru_cache(maxsize=4)  # the day changes once a day: not worth a datetime per request
def _day_name(day_number: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day_number)).isoformat()


def window_of(now: float, window: int) -> tuple[int, float]:
    """(the window's start, the seconds until it ends) for moment ``now``."""
    start = int(now // window) * window
    return start, start + window - now


# One round trip: count, give a new window's key its expiry, count the day's usage (a hash per
# day: <name> and <name>:limited), and read the keys asked for.
_ADD_AND_READ = """
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if ARGV[3] ~= '' then
    if redis.call('HINCRBY', KEYS[2], ARGV[3], 1) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[5]) end
    if used > tonumber(ARGV[4]) then redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':limited', 1) end
end
if #KEYS > 2 then return {used, redis.call('MGET', unpack(KEYS, 3))} end
return {used, {}}
"""


class RedisCounter:
    def __init__(self, store):
        self.store = store
        self.script = store.client.register_script(_ADD_AND_READ)

    def _usage_key(self, day: str) -> str:
        return self.store.make_key(f"{PREFIX}:usage:{FORMAT}:{day}")

    def add(
        self,
        bucket: str,
        cost: int,
        window: int,
        now: float,
        read: list[str] | None = None,
        usage: Usage | None = None,
    ) -> tuple[int, float, list | None]:
        start, left = window_of(now, window)
        key = self.store.make_key(f"{PREFIX}:ratelimit:{FORMAT}:{bucket}:{window}:{start}")
        args = [
            cost,
            window + 1,
            usage.name if usage else "",
            usage.quota if usage else 0,
            USAGE_DAYS * 86400,
        ]
        try:
            used, values = self.script(keys=[key, self._usage_key(day_of(now)), *(read or ())], args=args)
        except Exception as error:  # any Redis failure: unlimited, not down
            raise CounterUnavailable(str(error)) from error
        return int(used), left, (values if read else None)

    def usage(self, name: str, days: list[str]) -> list[DayUsage]:
        try:
            with self.store.client.pipeline(transaction=False) as pipeline:
                for day in days:
                    pipeline.hmget(self._usage_key(day), [name, f"{name}:limited"])
                rows = pipeline.execute()
        except Exception as error:
            raise CounterUnavailable(str(error)) from error
        return [
            DayUsage(day, int(requests or 0), int(limited or 0))
            for day, (requests, limited) in zip(days, rows, strict=True)
        ]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    bucket TEXT NOT NULL, window INTEGER NOT NULL, start INTEGER NOT NULL, used INTEGER NOT NULL,
    PRIMARY KEY (bucket, window, start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS usage (
    day TEXT NOT NULL, name TEXT NOT NULL, requests INTEGER NOT NULL, limited INTEGER NOT NULL,
    PRIMARY KEY (day, name)
) WITHOUT ROWID;
"""
_USE = """
INSERT INTO usage (day, name, requests, limited) VALUES (?, ?, 1, ?)
ON CONFLICT (day, name) DO UPDATE SET requests = requests + 1, limited = limited + excluded.limited
"""
_ADD = """
INSERT INTO counters (bucket, window, start, used) VALUES (?, ?, ?, ?)
ON CONFLICT (bucket, window, start) DO UPDATE SET used = used + excluded.used
RETURNING used
"""
# Windows that ended are deleted now and then (by whichever process comes by).
PRUNE_EVERY_SECONDS = 60
SETUP_WAIT_SECONDS = 5  # as long as the connection's busy timeout


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
            try:
                self._set_up(connection)
            except BaseException:
                connection.close()
                raise
            self.local.connection = connection
        return connection

    @staticmethod
    def _set_up(connection: sqlite3.Connection) -> None:
        """Switch a new file to WAL and create the tables. SQLite does not wait through the busy
        timeout for a journal-mode change, so processes opening a new file at the same moment
        get "database is locked" there: the mode is kept in the file, so it is only set when
        it is not WAL yet, and a locked setup is retried for as long as the busy timeout."""
        delay, waited = 0.005, 0.0
        while True:
            try:
                (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
                if mode.lower() != "wal":
                    connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=OFF")  # counts, not records: a crash may lose a few
                connection.executescript(_SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or waited >= SETUP_WAIT_SECONDS:
                    raise
            time.sleep(delay)
            waited += delay
            delay = min(delay * 2, 0.2)

    def add(
        self,
        bucket: str,
        cost: int,
        window: int,
        now: float,
        read: list[str] | None = None,
        usage: Usage | None = None,
    ) -> tuple[int, float, list | None]:
        start, left = window_of(now, window)
        try:
            connection = self._connection()
            (used,) = connection.execute(_ADD, (bucket, window, start, cost)).fetchone()
            if usage is not None:
                connection.execute(_USE, (day_of(now), usage.name, int(used > usage.quota)))
            if now - self.pruned_at > PRUNE_EVERY_SECONDS:
                self.pruned_at = now
                connection.execute("DELETE FROM counters WHERE start + window < ?", (int(now),))
                oldest = day_of(now - USAGE_DAYS * 86400)
                connection.execute("DELETE FROM usage WHERE day < ?", (oldest,))
        except (sqlite3.Error, OSError) as error:
            raise CounterUnavailable(str(error)) from error
        return int(used), left, None

    def usage(self, name: str, days: list[str]) -> list[DayUsage]:
        try:
            rows = self._connection().execute(
                "SELECT day, requests, limited FROM usage WHERE name = ? AND day BETWEEN ? AND ?",
                (name, min(days), max(days)),
            )
            found = {day: (requests, limited) for day, requests, limited in rows}
        except (sqlite3.Error, OSError) as error:
            raise CounterUnavailable(str(error)) from error
        return [DayUsage(day, *found.get(day, (0, 0))) for day in days]


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


def recent_usage(name: str, *, days: int, now: float) -> list[DayUsage] | None:
    """The last ``days`` days of a usage name, newest first; None when the counter is unreachable."""
    wanted = [day_of(now - back * 86400) for back in range(days)]
    try:
        return counter().usage(name, wanted)
    except CounterUnavailable:
        return None
