"""Rate-limit buckets shared by every process: Redis, or a SQLite file on this machine.

``take(bucket, cost, quota, window, now_us, read=keys, usage=name)`` decides by
:mod:`api.rate_limits.gcra` whether the bucket can spend ``cost`` units now, spends them if so,
and returns a :class:`Taken`: the decision, the bucket's arrival time after it, and (Redis only,
else None) the values of ``read``: raw keys read in the same round trip (the response cache's
content versions). Raises :class:`CounterUnavailable` when the counter cannot be reached (the
caller serves the request unlimited). A bucket is one number (its arrival time), kept until the
bucket is full again: a full bucket and a missing one are the same.

**Usage** (``usage``): in the same round trip, the day's request count of the client's *usage
name* — ``channel:<id>``, or ``anonymous`` for every client without a key together — and, when
the request is refused, its count of refused (429) requests. Days are UTC and kept
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

from api.rate_limits import gcra
from api.response_cache.store import FORMAT, PREFIX, shared_store

USAGE_DAYS = 40


class CounterUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Taken:
    allowed: bool
    tat: int  # the bucket's arrival time after this request (gcra, µs)
    values: list | None  # the keys read in the same round trip (Redis), else None


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


# One round trip: gcra.decide (gcra.current included) on the bucket's arrival time, keep the new
# one until the bucket is full again, count the day's usage (a hash per day: <name> and
# <name>:limited), and read the keys asked for. Whole microseconds, as in gcra; a bucket's key
# expires when it is full again.
# ARGV: now (µs), cost, the unit's interval (µs), quota, usage name ('' for none), usage TTL (s).
_TAKE_AND_READ = """
local now, cost, step, quota = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now or tat - now > quota * step then tat = now end
local after = tat + cost * step
local allowed = 0
if after - now <= quota * step then
    allowed, tat = 1, after
    redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
end
if ARGV[5] ~= '' then
    if redis.call('HINCRBY', KEYS[2], ARGV[5], 1) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[6]) end
    if allowed == 0 then redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':limited', 1) end
end
local values = {}
if #KEYS > 2 then values = redis.call('MGET', unpack(KEYS, 3)) end
return {allowed, string.format('%d', tat), values}
"""


class RedisCounter:
    def __init__(self, store):
        self.store = store
        self.script = store.client.register_script(_TAKE_AND_READ)

    def _usage_key(self, day: str) -> str:
        return self.store.make_key(f"{PREFIX}:usage:{FORMAT}:{day}")

    def take(
        self,
        bucket: str,
        cost: int,
        quota: int,
        window: int,
        now_us: int,
        read: list[str] | None = None,
        usage: str | None = None,
    ) -> Taken:
        # The policy is part of the key: a channel moved to another policy starts full.
        key = self.store.make_key(f"{PREFIX}:gcra:{FORMAT}:{bucket}:{quota}:{window}")
        step = gcra.interval(quota=quota, window=window)
        args = [now_us, cost, step, quota, usage or "", USAGE_DAYS * 86400]
        try:
            allowed, tat, values = self.script(
                keys=[key, self._usage_key(day_of(now_us / gcra.MICROSECONDS)), *(read or ())], args=args
            )
        except Exception as error:  # any Redis failure: unlimited, not down
            raise CounterUnavailable(str(error)) from error
        return Taken(bool(allowed), int(tat), values if read else None)

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
DROP TABLE IF EXISTS counters;
CREATE TABLE IF NOT EXISTS buckets (
    bucket TEXT NOT NULL PRIMARY KEY, tat INTEGER NOT NULL
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
_KEEP = """
INSERT INTO buckets (bucket, tat) VALUES (?, ?) ON CONFLICT (bucket) DO UPDATE SET tat = excluded.tat
"""
# Buckets that are full again are deleted now and then (by whichever process comes by).
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

    def take(
        self,
        bucket: str,
        cost: int,
        quota: int,
        window: int,
        now_us: int,
        read: list[str] | None = None,
        usage: str | None = None,
    ) -> Taken:
        now = now_us / gcra.MICROSECONDS
        key = f"{bucket}:{quota}:{window}"  # the policy is part of the key, as in Redis
        try:
            connection = self._connection()
            # IMMEDIATE: the read and the write are one step for every process sharing the file.
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute("SELECT tat FROM buckets WHERE bucket = ?", (key,)).fetchone()
                decision = gcra.decide(
                    tat=row[0] if row else 0, now_us=now_us, cost=cost, quota=quota, window=window
                )
                if decision.allowed:
                    connection.execute(_KEEP, (key, decision.tat))
                if usage is not None:
                    connection.execute(_USE, (day_of(now), usage, int(not decision.allowed)))
                if now - self.pruned_at > PRUNE_EVERY_SECONDS:
                    self.pruned_at = now
                    connection.execute("DELETE FROM buckets WHERE tat < ?", (now_us,))
                    oldest = day_of(now - USAGE_DAYS * 86400)
                    connection.execute("DELETE FROM usage WHERE day < ?", (oldest,))
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError) as error:
            raise CounterUnavailable(str(error)) from error
        return Taken(decision.allowed, decision.tat, None)

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
