"""The rate limit's bucket (api.rate_limits.gcra): exact decisions, and its invariants on random
sequences of requests."""

from hypothesis import given
from hypothesis import strategies as st

from api.rate_limits import gcra

SECOND = gcra.MICROSECONDS
T0 = 1_000_000 * SECOND


def spend(times_and_costs, *, quota, window):
    tat, allowed = 0, []
    for now_us, cost in times_and_costs:
        decision = gcra.decide(tat=tat, now_us=now_us, cost=cost, quota=quota, window=window)
        if decision.allowed:
            allowed.append((now_us, cost))
        else:
            assert decision.tat == max(tat, now_us)  # a refusal spends nothing
        tat = decision.tat
    return allowed, tat


def test_a_full_bucket_gives_the_quota_at_once_then_one_unit_per_interval():
    # 100 units per 10 s: a unit every 0.1 s.
    allowed, tat = spend([(T0, 1)] * 101, quota=100, window=10)
    assert len(allowed) == 100 and tat == T0 + 10 * SECOND
    assert gcra.remaining(tat=tat, now_us=T0, quota=100, window=10) == 0
    assert gcra.full_in(tat=tat, now_us=T0) == 10
    assert gcra.retry_in(tat=tat, now_us=T0, cost=5, quota=100, window=10) == 1  # 0.5 s, rounded up
    assert not gcra.decide(tat=tat, now_us=T0 + 499_999, cost=5, quota=100, window=10).allowed
    assert gcra.decide(tat=tat, now_us=T0 + 500_000, cost=5, quota=100, window=10).allowed


def test_remaining_and_full_in_of_a_bucket_half_spent():
    tat = gcra.decide(tat=0, now_us=T0, cost=50, quota=100, window=10).tat
    assert gcra.remaining(tat=tat, now_us=T0, quota=100, window=10) == 50
    assert gcra.remaining(tat=tat, now_us=T0 + 2 * SECOND, quota=100, window=10) == 70
    assert gcra.full_in(tat=tat, now_us=T0 + 2 * SECOND) == 3
    assert gcra.remaining(tat=tat, now_us=T0 + 60 * SECOND, quota=100, window=10) == 100
    assert gcra.full_in(tat=tat, now_us=T0 + 60 * SECOND) == 0


def test_a_quota_that_does_not_divide_the_window_still_gives_every_unit():
    allowed, _ = spend([(T0, 1)] * 8, quota=7, window=3600)  # 514,285,714.28… µs a unit
    assert len(allowed) == 7


requests = st.lists(
    st.tuples(st.integers(min_value=0, max_value=3 * SECOND), st.integers(min_value=1, max_value=5)),
    max_size=200,
)


@given(
    gaps=requests,
    quota=st.integers(min_value=5, max_value=1000),
    window=st.integers(min_value=1, max_value=3600),
)
def test_no_client_ever_gets_more_than_the_quota_plus_what_refilled(gaps, quota, window):
    now, timeline = T0, []
    for gap, cost in gaps:
        now += gap
        timeline.append((now, cost))
    allowed, _ = spend(timeline, quota=quota, window=window)
    step = gcra.interval(quota=quota, window=window)
    # Over every stretch of time between two allowed requests, what was allowed fits a full bucket
    # plus what refilled in between.
    for first in range(len(allowed)):
        total = 0
        for last in range(first, len(allowed)):
            total += allowed[last][1]
            elapsed = allowed[last][0] - allowed[first][0]
            assert total <= quota + elapsed // step


@given(
    costs=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=50),
    quota=st.integers(min_value=5, max_value=500),
    window=st.integers(min_value=1, max_value=3600),
)
def test_a_client_that_waits_until_full_is_never_refused_within_the_quota(costs, quota, window):
    # From a full bucket, requests at one moment are allowed exactly while their total fits.
    allowed, tat = spend([(T0, cost) for cost in costs], quota=quota, window=window)
    total = 0
    for cost in costs:
        if total + cost > quota:
            break
        total += cost
    assert sum(cost for _, cost in allowed) >= total
    assert sum(cost for _, cost in allowed) <= quota
    # …and after full_in seconds the whole quota is there again.
    later = T0 + gcra.full_in(tat=tat, now_us=T0) * SECOND
    assert gcra.remaining(tat=tat, now_us=later, quota=quota, window=window) == quota


def test_a_clock_that_went_back_starts_the_bucket_full_again():
    # Spent at a moment a day ahead (a clock that was wrong, or a test that set it)…
    ahead = gcra.decide(tat=0, now_us=T0 + 86_400 * SECOND, cost=100, quota=100, window=10).tat
    # …does not refuse the client for a day once the clock is back: no more than a whole bucket
    # can ever lie ahead.
    back = gcra.decide(tat=ahead, now_us=T0, cost=100, quota=100, window=10)
    assert back == gcra.Decision(allowed=True, tat=T0 + 10 * SECOND)
    # Within a whole bucket ahead is an ordinary spent bucket: refused.
    assert not gcra.decide(tat=back.tat, now_us=T0, cost=1, quota=100, window=10).allowed
