"""The webhook worker's loop (``manage.py webhook_worker``): dispatch, deliver, sleep.

Each round turns the change log's new entries into messages (cms.webhooks.dispatch) and delivers
the due ones (cms.webhooks.delivery), and once an hour deletes finished events older than
``BAKEN_WEBHOOKS_KEEP_DAYS`` (30) from the delivery log; it sleeps ``interval`` seconds only when
a round found nothing to do. Several workers may run (they share the work through claims and the dispatcher's
lock); any of them may be killed at any moment (see the invariants of dispatch and delivery).
An error in a round (the database unreachable, say) ends nothing: it is logged and the round is
tried again after the interval.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from cms.webhooks.delivery import deliver_due, prune
from cms.webhooks.dispatch import dispatch

logger = logging.getLogger(__name__)


PRUNE_EVERY = dt.timedelta(hours=1)
_pruned_at: dt.datetime | None = None


def one_round() -> int:
    """Dispatch and deliver once, and prune the delivery log hourly; how much was done (messages
    made plus attempts)."""
    global _pruned_at
    now = timezone.now()
    if _pruned_at is None or now - _pruned_at >= PRUNE_EVERY:
        _pruned_at = now
        prune(now=now, keep=dt.timedelta(days=settings.BAKEN_WEBHOOKS_KEEP_DAYS))
    made = dispatch()
    return made + deliver_due()


def run(*, interval: float, once: bool = False, report: Callable[[str], None] = logger.info) -> None:
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    report(f"Webhook worker started (interval {interval:g} s).")
    try:
        while not stopping:
            close_old_connections()
            try:
                done = one_round()
            except Exception:  # the worker outlives any one round's trouble (a database outage, a bug)
                logger.exception("Webhook worker round failed; trying again in %g s", interval)
                done = 0
            if once:
                break
            if not done:
                time.sleep(interval)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    report("Webhook worker stopped.")
