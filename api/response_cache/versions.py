"""Content versions: what every cached response and memo is keyed on, derived from the change log.

A family's version (pages, help-lines, citations) is the sequence of the newest change-log entry
of that family or of all families, bounded on PostgreSQL by ``stable_sequence()``, in one query
(``cms.change_log.stable_latest_sequences``). The change log is written by database triggers in
the same transaction as every change, whichever process or tool makes it, so the version is a
fact of the database, not of any process or of Redis:

- it changes whenever a change of the family commits, and only grows;
- a query made after reading version V sees every change V counts, so a value built from data
  read after V may be served for as long as the version is still V.

Where a process reads it:

- **Private store** (local memory, the embedded default: each process its own cache): from the
  database, on every lookup — one indexed query. A change made by any process (another server, a
  management command, a shell, cron) is seen by the next request.
- **Shared store** (Redis): from Redis, in the same round trip as the entry, and also from the
  database at least once every ``POLL_SECONDS`` per process; the higher of the two counts. A
  writer raises the Redis copy after its commit (api.response_cache.invalidation), so every
  process sees the change at once; when a writer could not reach Redis, or changed rows without
  Django's signals (bulk SQL, a restore), each process notices by itself within ``POLL_SECONDS``
  and raises the Redis copy for the others. So Redis accelerates, never decides: a change is
  served by every process within ``POLL_SECONDS`` (1 s) whatever happened to Redis, and at once
  when the writer reached it.

If the shared store is unreachable the API answers from the database, uncached.
"""

import hashlib
import logging
import threading
import time

from django.core.signals import setting_changed
from django.db import DatabaseError

from api.response_cache.store import FORMAT, PREFIX, shared_store
from cms import change_log

logger = logging.getLogger(__name__)

FAMILIES = ("pages", "helplines", "citations")
# The bound stated above: how stale a process's own reading of the database may be when a writer
# did not reach the shared store.
POLL_SECONDS = 1.0

Versions = dict[str, int]


def version_key(family: str) -> str:
    return f"{PREFIX}:version:{FORMAT}:{family}"


VERSION_KEYS = [version_key(family) for family in FAMILIES]


def from_database() -> Versions:
    """Every family's version as the database has it now (one query)."""
    return change_log.stable_latest_sequences(families=FAMILIES)


class _Poll:
    """This process's latest reading of the database's versions, renewed when older than
    ``POLL_SECONDS``. Only grows (a later reading can be lower on PostgreSQL; the higher is as safe)."""

    def __init__(self):
        self.versions: Versions = dict.fromkeys(FAMILIES, 0)
        self.read_at = float("-inf")
        self.lock = threading.Lock()

    def current(self) -> Versions:
        if time.monotonic() - self.read_at >= POLL_SECONDS:
            try:
                self.renew()
            except DatabaseError:
                # The shared copies still tell every committed change a writer published.
                logger.warning("Could not read the change log; using the shared versions", exc_info=True)
        return self.versions

    def renew(self) -> Versions:
        read_at = time.monotonic()
        found = from_database()
        with self.lock:
            self.versions = {family: max(found[family], self.versions[family]) for family in FAMILIES}
            self.read_at = read_at
            return self.versions

    def forget(self) -> None:
        with self.lock:
            self.versions = dict.fromkeys(FAMILIES, 0)
            self.read_at = float("-inf")


_poll = _Poll()


def _number(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1  # missing (flushed, evicted) or an older release's value: the database decides


def combine(shared_values: list) -> Versions:
    """The versions to use, given the shared store's copies (as read, in ``VERSION_KEYS`` order).

    With a private store, the database's versions now. With a shared one, the higher of the shared
    copy and this process's poll; when the poll is ahead, the shared copy is raised for the others
    (a writer that could not reach the store, or wrote without signals).
    """
    store = shared_store()
    if not store.shared:
        return from_database()
    polled = _poll.current()
    shared = dict(zip(FAMILIES, map(_number, shared_values), strict=True))
    behind = {version_key(family): polled[family] for family in FAMILIES if shared[family] < polled[family]}
    if behind:
        try:
            store.raise_to(behind)
        except Exception:
            logger.warning("Could not raise the shared content versions", exc_info=True)
    return {family: max(shared[family], polled[family]) for family in FAMILIES}


def current_versions(families=FAMILIES, *, prefetched: list | None = None) -> Versions | None:
    """The families' current versions, or None when the shared store cannot be reached (the API
    then answers from the database, uncached). ``prefetched``: the shared copies as a caller read
    them earlier in this request (the rate limit's round trip; api.response_cache.middleware),
    which saves reading them again; earlier is safe, since what is then read from the database can
    only be newer than the versions it is stored under."""
    store = shared_store()
    try:
        if not store.shared:
            shared_values = []
        elif prefetched is not None:
            shared_values = prefetched
        else:
            shared_values = store.get_many(VERSION_KEYS)
    except Exception:  # a cache outage must not take the API down
        logger.warning("API response cache unreachable; serving from the database", exc_info=True)
        return None
    versions = combine(shared_values)
    return {family: versions[family] for family in families}


def publish() -> None:
    """After a commit that changed content: raise the shared copy to the database's versions, so
    every process sees the change at once (the poll would within ``POLL_SECONDS``)."""
    store = shared_store()
    if not store.shared:
        return  # every lookup reads the database
    versions = _poll.renew()
    try:
        store.raise_to({version_key(family): versions[family] for family in FAMILIES})
    except Exception:
        logger.warning(
            "Could not reach the shared cache after a change; every server applies it from the "
            "change log within %s s",
            POLL_SECONDS,
            exc_info=True,
        )


def version_tag(versions: Versions, *families: str) -> str:
    """A short, key-safe label of these families' versions."""
    label = ":".join(f"{family}={versions[family]}" for family in families)
    return hashlib.sha256(label.encode()).hexdigest()[:32]


def _forget(*, setting, **kwargs) -> None:
    if setting in ("CACHES", "BAKEN_API_RESPONSE_CACHE_ALIAS", "DATABASES"):
        _poll.forget()


setting_changed.connect(_forget, dispatch_uid="baken-response-cache-versions-settings")
