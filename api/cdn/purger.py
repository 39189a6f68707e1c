"""The CDN purger: follows the change log after a durable cursor and purges what each entry affects.

One *attempt* (:meth:`Purger.run_once`):

1. **Claim** the cursor row (cms.change_log.models.CdnPurgeCursor) in a short transaction with
   ``select_for_update`` (``skip_locked`` on PostgreSQL): if another purger holds an unexpired
   claim, do nothing (``busy``). The claim is a lease (``lease`` seconds, renewed while purging),
   so a purger that died is taken over once it expires.
2. **Read** up to ``batch_size`` entries after the cursor, bounded by ``stable_sequence()``
   (on PostgreSQL a later-numbered entry can commit before an earlier one: never pass an entry
   that may still appear). A cursor older than the compaction horizon, or a first run ever
   (no cursor yet), purges everything instead.
3. **Map** them to URLs (api.cdn.urls) and remember what shows each object (so a deleted object's
   detail can be purged later), also for the entries after this batch: while purges keep failing
   the memory stays current.
4. **Purge** through every configured backend (api.cdn.backends, which sees failures).
5. **Advance** the cursor, in a transaction with ``select_for_update``, only if every backend
   succeeded and this purger still holds the claim; otherwise count the failure and keep the
   cursor, so the same entries are purged again next time. Nothing is lost: the entries stay in
   the log (compaction keeps 30 days; a cursor that falls behind the horizon purges everything).

:meth:`Purger.drain` repeats attempts until the log is caught up; :meth:`Purger.run_forever` drains
every ``interval`` seconds and, after a failure, retries with exponential backoff (1 s, 2 s, 4 s …
capped at 60 s) until it succeeds.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from api.cdn import backends as cdn_backends
from api.cdn import urls as cdn_urls
from cms import change_log
from cms.change_log.models import CdnPurgeCursor

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100
DEFAULT_INTERVAL = 5.0
DEFAULT_LEASE = 300.0
# Entries beyond the batch whose detail paths are remembered per attempt.
OBSERVE_AHEAD = 1000
# URLs sent per backend call; the claim is renewed between calls.
CHUNK = 200
BACKOFF_FIRST, BACKOFF_CAP = 1.0, 60.0

IDLE, PURGED, BUSY, FAILED = "idle", "purged", "busy", "failed"


@dataclass
class Outcome:
    """What an attempt (or a drain) did."""

    status: str  # idle (nothing new), purged, busy (another purger holds the claim), failed
    entries: int = 0
    urls: int = 0
    cursor: int | None = None
    error: str = ""
    full: bool = False  # the batch was full: more entries may follow
    everything: bool = False


class Backoff:
    """Exponential: ``first``, doubled after every failure, at most ``cap``; reset by a success."""

    def __init__(self, first: float = BACKOFF_FIRST, cap: float = BACKOFF_CAP):
        self.first, self.cap, self.failures = first, cap, 0

    def failed(self) -> float:
        self.failures += 1
        return min(self.cap, self.first * 2 ** (self.failures - 1))

    def reset(self) -> None:
        self.failures = 0


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


class Purger:
    def __init__(
        self,
        *,
        backends: dict | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        lease: float = DEFAULT_LEASE,
        holder: str | None = None,
    ):
        if batch_size < 1:
            raise ValueError("batch_size must be 1 or more")
        self.backends = cdn_backends.configured() if backends is None else backends
        self.batch_size = batch_size
        self.lease = dt.timedelta(seconds=lease)
        self.holder = holder or _holder()

    # --- the cursor row ---------------------------------------------------------------------

    def _locked_cursor(self, *, skip_locked: bool) -> CdnPurgeCursor | None:
        rows = CdnPurgeCursor.objects.filter(pk=1)
        if skip_locked and connection.features.has_select_for_update_skip_locked:
            return rows.select_for_update(skip_locked=True).first()
        return rows.select_for_update().first()

    def _ensure_cursor(self) -> None:
        if CdnPurgeCursor.objects.filter(pk=1).exists():
            return
        try:
            with transaction.atomic():
                CdnPurgeCursor.objects.create(pk=1, sequence=None)
        except IntegrityError:  # another purger created it first
            pass

    def _claim(self) -> CdnPurgeCursor | None:
        """The cursor, claimed for this purger; None when another one holds it."""
        self._ensure_cursor()
        now = timezone.now()
        with transaction.atomic():
            cursor = self._locked_cursor(skip_locked=True)
            if cursor is None:  # locked by another purger's transaction right now
                return None
            held = cursor.holder and cursor.holder != self.holder
            if held and cursor.claimed_until and cursor.claimed_until > now:
                return None
            if held:
                logger.warning("Taking over the CDN purge claim of %s (expired).", cursor.holder)
            cursor.holder, cursor.claimed_until = self.holder, now + self.lease
            cursor.save(update_fields=["holder", "claimed_until", "updated_at"])
            return cursor

    def _renew(self) -> bool:
        claimed = CdnPurgeCursor.objects.filter(pk=1, holder=self.holder).update(
            claimed_until=timezone.now() + self.lease
        )
        return claimed == 1

    def _finish(
        self, *, advance_to: int | None, observed: int, error: str, plan=None
    ) -> CdnPurgeCursor | None:
        """Advance (``advance_to``) or count a failure (``error``); release the claim. None when the
        claim was lost meanwhile (nothing is changed then)."""
        with transaction.atomic():
            cursor = self._locked_cursor(skip_locked=False)
            if cursor is None or cursor.holder != self.holder:
                logger.warning("Lost the CDN purge claim while purging; the cursor is left as it is.")
                return None
            if error:
                cursor.failures += 1
                cursor.last_error = error[:4000]
            else:
                if advance_to is not None:
                    cursor.sequence = max(advance_to, cursor.sequence or 0)
                cursor.failures, cursor.last_error = 0, ""
                if plan is not None:
                    cdn_urls.replace_memory(plan.shown, everything=plan.everything)
            cursor.observed = max(cursor.observed, observed)
            cursor.holder, cursor.claimed_until = "", None
            cursor.save()
            return cursor

    # --- one attempt --------------------------------------------------------------------------

    def run_once(self) -> Outcome:
        cursor = self._claim()
        if cursor is None:
            return Outcome(BUSY)
        try:
            return self._attempt(cursor)
        except BaseException:
            # Release the claim (the cursor stays), then let the caller see the error.
            try:
                self._finish(advance_to=None, observed=0, error="interrupted")
            except Exception:
                logger.exception("Could not release the CDN purge claim")
            raise

    def _attempt(self, cursor: CdnPurgeCursor) -> Outcome:
        bound = change_log.stable_sequence()
        start = cursor.sequence
        everything = start is None
        changes: list[change_log.Change] = []
        if not everything:
            assert start is not None
            try:
                changes = change_log.changes_after(start, limit=self.batch_size, until=bound)
            except change_log.ChangesCompacted as compacted:
                logger.warning("%s Purging everything instead.", compacted)
                everything = True
        full = len(changes) == self.batch_size
        advance_to = changes[-1].sequence if full else bound
        if not everything and not changes:
            done = self._finish(advance_to=advance_to, observed=0, error="")
            return Outcome(IDLE, cursor=done.sequence if done else start)

        content = cdn_urls.Content()
        plan = cdn_urls.plan(changes, content, everything=everything)
        cdn_urls.remember(plan.shown)
        observed = self._observe(content, after=max(advance_to, cursor.observed), bound=bound)
        urls = plan.urls
        error = self._send(urls)
        first = changes[0].sequence if changes else None
        described = "everything" if everything and not changes else f"entries {first}–{changes[-1].sequence}"
        if error:
            done = self._finish(advance_to=None, observed=observed, error=error)
            attempt = done.failures if done else "?"
            logger.error(
                "CDN purge of %d URLs (%s) failed, attempt %s; the cursor stays at %s: %s",
                len(urls),
                described,
                attempt,
                start,
                error,
            )
            return Outcome(FAILED, len(changes), len(urls), start, error, full, everything)
        done = self._finish(advance_to=advance_to, observed=observed, error="", plan=plan)
        if done is None:
            return Outcome(BUSY, cursor=start)
        logger.info("CDN: purged %d URLs (%s); cursor at %s", len(urls), described, done.sequence)
        return Outcome(PURGED, len(changes), len(urls), done.sequence, "", full, everything)

    def _observe(self, content: cdn_urls.Content, *, after: int, bound: int) -> int:
        """Remember what shows the objects of the entries after the batch (up to the bound)."""
        if after >= bound:
            return after
        try:
            ahead = change_log.changes_after(after, limit=OBSERVE_AHEAD, until=bound)
        except change_log.ChangesCompacted:
            return after
        if not ahead:
            return bound
        cdn_urls.remember(cdn_urls.plan(ahead, content).shown)
        return ahead[-1].sequence if len(ahead) == OBSERVE_AHEAD else bound

    def _send(self, urls: list[str]) -> str:
        failures: dict[str, str] = {}
        for start in range(0, len(urls), CHUNK):
            if start and not self._renew():
                return "lost the claim while purging"
            for name, message in cdn_backends.purge(self.backends, urls[start : start + CHUNK]).items():
                failures.setdefault(name, message)
        return "; ".join(f"[{name}] {message}" for name, message in failures.items())

    # --- repeated ---------------------------------------------------------------------------

    def drain(self) -> Outcome:
        """Attempts until caught up (a batch that was not full), busy or failed; the totals."""
        total = Outcome(IDLE)
        while True:
            outcome = self.run_once()
            total.entries += outcome.entries
            total.urls += outcome.urls
            total.cursor = outcome.cursor if outcome.cursor is not None else total.cursor
            total.everything = total.everything or outcome.everything
            if outcome.status == PURGED:
                total.status = PURGED
            if outcome.status in (BUSY, FAILED):
                total.status, total.error = outcome.status, outcome.error
                return total
            if not outcome.full:
                return total

    def run_forever(
        self,
        *,
        interval: float = DEFAULT_INTERVAL,
        stop: threading.Event | None = None,
        backoff: Backoff | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        """Drain every ``interval`` seconds until ``stop`` is set; after a failure (of a backend, or
        of the database) retry with exponential backoff instead."""
        stop = stop or threading.Event()
        backoff = backoff or Backoff()
        while not stop.is_set():
            # As between requests: drop a connection that broke or is too old (never inside a
            # transaction, e.g. a test's).
            if not connection.in_atomic_block:
                close_old_connections()
            try:
                outcome = self.drain()
            except Exception as error:
                logger.exception("CDN purge attempt failed")
                if not connection.in_atomic_block:
                    connection.close()
                outcome = Outcome(FAILED, error=str(error) or type(error).__name__)
            if on_outcome is not None:
                on_outcome(outcome)
            if outcome.status == FAILED:
                delay = backoff.failed()
                logger.warning("CDN purge failed (%s); retrying in %s s", outcome.error, delay)
            else:
                backoff.reset()
                delay = interval
            stop.wait(delay)
