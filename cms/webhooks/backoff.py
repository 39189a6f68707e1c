"""When a failed delivery is tried again (pure logic).

Exponential backoff with jitter: the n-th retry waits ``BASE · 2^(n-1)``, at most ``CAP``, times a
random factor in [1 - JITTER, 1 + JITTER] (so many endpoints failing together do not retry
together). Retries stop when the message's retry period (24 hours by default) has passed: the
last retry is at its end, never after it.
"""

from __future__ import annotations

import datetime as dt
import random

BASE = dt.timedelta(seconds=30)
CAP = dt.timedelta(hours=4)
JITTER = 0.2
RETRY_PERIOD = dt.timedelta(hours=24)


def delay(retry: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """The wait before retry number ``retry`` (1 for the first retry)."""
    if retry < 1:
        raise ValueError("retry numbers start at 1")
    plain = min(CAP, BASE * 2 ** min(retry - 1, 32))
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return plain * factor


def next_attempt(
    *, failed_attempts: int, now: dt.datetime, retry_until: dt.datetime, rng: random.Random | None = None
) -> dt.datetime | None:
    """When to try again after ``failed_attempts`` failures, or None: give up."""
    if now >= retry_until:
        return None
    return min(now + delay(failed_attempts, rng=rng), retry_until)
