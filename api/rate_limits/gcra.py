"""The generic cell rate algorithm (GCRA): a bucket of ``quota`` units refilled continuously at
``quota`` units per ``window`` seconds, stored as one number per client, its *theoretical arrival
time* (``tat``): the moment the bucket will be full again.

Invariants (tests/test_rate_limits_gcra.py checks them on random sequences):

* Times are whole microseconds (``now_us``) and a unit refills in a whole number of them
  (``interval``), so the decision is exact integer arithmetic in Python and in the Redis script
  alike (Lua's numbers are doubles: exact below 2**53 µs, year 2255).
* A request of ``cost`` units is allowed when, after it, the bucket would not be over-full:
  ``max(tat, now) + cost × interval - now ≤ quota × interval``. An allowed request moves ``tat``
  on by its cost; a refused one changes nothing (refusals do not push a client's recovery back).
* From a full bucket a client gets at most ``quota`` units at once, then one unit per
  ``interval``: a client hammering the API gets at most ``quota + elapsed / interval`` units in
  ``elapsed``, spread over time instead of a whole window's quota as one burst.
* An arrival time more than a whole bucket ahead of ``now`` cannot come from requests: the
  clock went back (a server's clock corrected, servers sharing Redis that disagree, a test that
  set the clock). The bucket then starts full again, rather than refusing a client until the
  clock has caught up.
* ``remaining`` is what could be spent now (0…quota), ``full_in`` the whole seconds until the
  bucket is full again, ``retry_in`` (refused only) the whole seconds until the request would fit.

The Redis script in :mod:`api.rate_limits.counters` computes :func:`decide` in Lua (one round
trip); this module is the definition, used by the SQLite counter and by the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MICROSECONDS = 1_000_000


@dataclass(frozen=True)
class Decision:
    allowed: bool
    tat: int  # the bucket's theoretical arrival time after this request (µs)


def microseconds(moment: float) -> int:
    return int(moment * MICROSECONDS)


def interval(*, quota: int, window: int) -> int:
    """The microseconds in which one unit refills."""
    return max(1, round(window * MICROSECONDS / quota))


def decide(*, tat: int, now_us: int, cost: int, quota: int, window: int) -> Decision:
    """Whether ``cost`` units may be spent at ``now_us`` from a bucket whose arrival time is
    ``tat`` (0 or any moment in the past: full)."""
    step = interval(quota=quota, window=window)
    tat = current(tat=tat, now_us=now_us, quota=quota, step=step)
    after = tat + cost * step
    if after - now_us <= quota * step:
        return Decision(allowed=True, tat=after)
    return Decision(allowed=False, tat=tat)


def current(*, tat: int, now_us: int, quota: int, step: int) -> int:
    """The arrival time that counts at ``now_us``: not before now (a full bucket holds no more),
    and not more than a whole bucket ahead (only a clock that went back leaves one there)."""
    if tat < now_us or tat - now_us > quota * step:
        return now_us
    return tat


def remaining(*, tat: int, now_us: int, quota: int, window: int) -> int:
    """Units that could be spent at ``now_us``."""
    step = interval(quota=quota, window=window)
    return max(0, min(quota, (quota * step - max(0, tat - now_us)) // step))


def full_in(*, tat: int, now_us: int) -> int:
    """Whole seconds until the bucket is full again (0 when it is)."""
    return max(0, math.ceil((tat - now_us) / MICROSECONDS))


def retry_in(*, tat: int, now_us: int, cost: int, quota: int, window: int) -> int:
    """Whole seconds (at least 1) until a request of ``cost`` units would be allowed."""
    step = interval(quota=quota, window=window)
    after = max(tat, now_us) + cost * step
    return max(1, math.ceil((after - now_us - quota * step) / MICROSECONDS))
