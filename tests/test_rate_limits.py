"""Rate limits: every API request is counted (cache hits too) with its endpoint's cost, per
channel or per client address; the RateLimit fields on every answer; 429 with Retry-After past the
quota; the bucket refills unit by unit; a counter that cannot be reached never takes the API down.
The bucket's arithmetic: tests/test_rate_limits_gcra.py. Across real server processes:
tests/test_rate_limits_processes.py."""

import logging
import re
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from api.rate_limits import costs
from api.rate_limits.clients import bucket_of, client_address
from api.rate_limits.counters import CounterUnavailable, FileCounter, Taken
from cms.channels import keys
from cms.channels.models import Channel
from tests.servers import REPOSITORY

DETAIL = "/api/v1/helplines/child-focus-116000/"
SEARCH = "/api/v1/search/?q=melden"
LIST = "/api/v1/helplines/"


@pytest.fixture
def limits(settings, tmp_path, built):
    """Small quotas refilling slowly (anonymous: a unit every 360 s, so a slow test machine never
    sees one come back) and a counter file of this test's own."""
    settings.BAKEN_RATE_LIMIT_FILE = str(tmp_path / "counters.sqlite3")
    settings.BAKEN_RATE_LIMITS = {"anonymous": (10, 3600), "standard": (20, 3600), "high": (100, 3600)}
    return settings


@pytest.fixture
def built(content):
    content.helpline("child-focus-116000", "Hulplijn 116000")


def fields(response) -> tuple[str, int, int]:
    match = re.fullmatch(r'"(\w+)";r=(\d+);t=(\d+)', response["RateLimit"])
    return match[1], int(match[2]), int(match[3])


@pytest.mark.parametrize(
    ("path", "cost"),
    [
        ("/api/v1/search/", 5),
        ("/api/v1/changes/", 3),
        ("/api/v1/faqs/", 2),
        ("/api/v1/helplines/", 2),
        ("/api/v1/faqs/veelgestelde-vragen/", 1),
        ("/api/v1/", 1),
        ("/api/v1/nonsense/", 1),
    ],
)
def test_what_a_request_costs(path, cost):
    assert costs.cost_of(path) == cost


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "address"),
    [
        ("10.0.0.9", "", 0, "10.0.0.9"),
        ("10.0.0.9", "1.2.3.4", 0, "10.0.0.9"),  # no trusted proxy: the header is the client's word
        ("10.0.0.9", "6.6.6.6, 1.2.3.4", 1, "1.2.3.4"),  # the proxy appended what it saw
        ("10.0.0.9", "6.6.6.6, 1.2.3.4, 10.0.0.2", 2, "1.2.3.4"),
        ("10.0.0.9", "1.2.3.4", 2, "10.0.0.9"),  # fewer entries than proxies: not through them
    ],
)
def test_the_client_address(rf, settings, remote, forwarded, trusted, address):
    settings.BAKEN_TRUSTED_PROXIES = trusted
    request = rf.get("/api/v1/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address


def test_addresses_are_never_stored_as_such(rf):
    policy, bucket = bucket_of(rf.get("/api/v1/", REMOTE_ADDR="192.0.2.44"))
    assert policy == "anonymous" and "192.0.2.44" not in bucket and bucket.startswith("address:")


def test_every_answer_says_the_policy_and_what_is_left(client, limits):
    first = client.get(DETAIL)
    assert first["RateLimit-Policy"] == '"anonymous";q=10;w=3600'
    assert fields(first) == ("anonymous", 9, 360)  # full again in one unit's interval
    assert fields(client.get(LIST))[1] == 7  # a list costs 2
    assert fields(client.get("/api/v1/nope/"))[1] == 6  # errors count too


def test_past_the_quota_a_429_problem_with_retry_after(client, limits):
    assert client.get(SEARCH).status_code == 200  # 5
    assert client.get(SEARCH).status_code == 200  # 10
    refused = client.get(DETAIL)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    body = refused.json()
    assert body["type"] == "urn:baken:problem:rate-limited"
    assert body["detail"].startswith(
        "Rate limit reached: this client may spend 10 units at once, refilled at 10 units per 3600 s "
        "(this request costs 1)."
    )
    name, remaining, full_in = fields(refused)
    assert (name, remaining) == ("anonymous", 0) and 3599 <= full_in <= 3600
    assert 359 <= int(refused["Retry-After"]) <= 360  # one unit's interval: a detail costs 1
    assert refused["Cache-Control"] == "private, no-store"
    # Another address has its own count.
    assert client.get(DETAIL, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_cache_hits_are_counted_and_refused_like_misses(client, limits, response_cache_on):
    statuses = [client.get(DETAIL).status_code for _ in range(12)]
    assert statuses == [200] * 10 + [429] * 2  # after the first, every 200 was a hit


def test_a_channel_counts_on_its_own_policy(client, limits):
    channel = Channel.objects.create(name="Kanaal", contact_email="a@example.org", rate_limit_policy="high")
    _, text = keys.issue(channel)
    for _ in range(10):
        client.get(DETAIL)
    assert client.get(DETAIL).status_code == 429  # the address is spent…
    with_key = client.get(DETAIL, HTTP_AUTHORIZATION=f"Bearer {text}")
    assert with_key.status_code == 200  # …the channel is not
    assert with_key["RateLimit-Policy"] == '"high";q=100;w=3600'
    assert fields(with_key)[1] == 99


def test_the_bucket_refills_one_unit_at_a_time(client, limits, monkeypatch):
    import api.rate_limits.middleware as middleware

    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    assert [client.get(SEARCH).status_code for _ in range(3)] == [200, 200, 429]  # 5 + 5, then 5 more
    refused = client.get(DETAIL)
    assert (refused.status_code, refused["Retry-After"]) == (429, "360")
    clock[0] += 359  # not yet
    assert client.get(DETAIL)["Retry-After"] == "1"
    clock[0] += 1  # one unit back: one detail, not a search
    assert client.get(SEARCH).status_code == 429
    allowed = client.get(DETAIL)
    assert allowed.status_code == 200 and fields(allowed)[1:] == (0, 3600)
    assert client.get(DETAIL).status_code == 429
    clock[0] += 3600  # full again: the whole quota, not more
    assert [client.get(SEARCH).status_code for _ in range(3)] == [200, 200, 429]


def test_an_unreachable_counter_serves_without_limits_and_says_so_once(client, limits, monkeypatch, caplog):
    from api.rate_limits import counters

    class Down:
        def take(self, *args, **kwargs):
            raise CounterUnavailable("connection refused")

    monkeypatch.setattr(counters, "_counter", Down())
    with caplog.at_level(logging.WARNING, logger="api.rate_limits.middleware"):
        answers = [client.get(DETAIL) for _ in range(15)]
    assert [a.status_code for a in answers] == [200] * 15
    assert all("RateLimit" not in a for a in answers)
    assert [r.message for r in caplog.records] == ["Rate-limit counter unavailable: serving without limits"]


NOW_US = 1_000_000 * 1_000_000


def test_the_file_counter_adds_up_across_processes(tmp_path):
    path = tmp_path / "counters.sqlite3"
    program = (
        "import sys; from pathlib import Path; import django; django.setup()\n"
        "from api.rate_limits.counters import FileCounter\n"
        "counter = FileCounter(Path(sys.argv[1]))\n"
        f"print(sum(counter.take('b', 1, 500, 3600, {NOW_US}).allowed for _ in range(200)))\n"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", program, str(path)], cwd=REPOSITORY, stdout=subprocess.PIPE)
        for _ in range(3)
    ]
    allowed = [int(worker.communicate(timeout=60)[0]) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 3
    assert sum(allowed) == 500  # of 600 asked, exactly the quota, however the processes interleaved
    assert FileCounter(path).take("b", 1, 500, 3600, NOW_US) == Taken(False, NOW_US + 3600 * 1_000_000, None)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM buckets").fetchone() == (1,)


def test_processes_opening_a_new_counter_file_at_the_same_moment_all_count(tmp_path):
    # Opening a new file switches it to WAL, which SQLite does not retry through the busy
    # timeout: processes starting together used to get "database is locked" there.
    program = (
        "import sys, time; from pathlib import Path; import django; django.setup()\n"
        "from api.rate_limits.counters import FileCounter\n"
        "start = float(sys.argv[2])\n"
        "for n in range(40):\n"
        "    while time.time() < start + n * 0.03: pass\n"  # the processes open each file together
        f"    FileCounter(Path(sys.argv[1]) / f'{{n}}.sqlite3').take('b', 1, 60, 60, {NOW_US})\n"
    )
    start = time.time() + 4  # after every interpreter has started
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", program, str(tmp_path), str(start)], cwd=REPOSITORY, stderr=subprocess.PIPE
        )
        for _ in range(6)
    ]
    errors = [worker.communicate(timeout=120)[1].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 6, errors
    for n in range(40):
        assert sqlite3.connect(tmp_path / f"{n}.sqlite3").execute("SELECT tat FROM buckets").fetchall() == [
            (NOW_US + 6 * 1_000_000,)  # six units of one second each
        ]


def test_buckets_full_again_are_pruned(tmp_path):
    counter = FileCounter(tmp_path / "c.sqlite3")
    counter.take("old", 1, 60, 60, NOW_US)  # full again a second later
    counter.take("new", 60, 60, 60, NOW_US + 100 * 1_000_000)  # more than a minute later: prunes
    rows = sqlite3.connect(tmp_path / "c.sqlite3").execute("SELECT bucket FROM buckets").fetchall()
    assert rows == [("new:60:60",)]


def test_an_old_counter_file_is_upgraded(tmp_path):
    path = tmp_path / "c.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE counters (bucket TEXT, window INTEGER, start INTEGER, used INTEGER)")
    old.commit()
    old.close()
    assert FileCounter(path).take("b", 1, 10, 10, NOW_US).allowed
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert sorted(tables) == [("buckets",), ("usage",)]


# --- usage per channel, per day ------------------------------------------------------------------


@pytest.fixture(params=["file", "redis"])
def usage_counter(request, limits):
    if request.param == "redis":
        from tests.test_response_cache import redis_reachable

        if not redis_reachable():
            pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
        limits.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": f"test-usage-{uuid.uuid4().hex}",
            }
        }
    return request.param


def test_a_channels_requests_and_refusals_are_counted_per_day_without_addresses(
    client, usage_counter, admin_client, english_admin
):
    from api.rate_limits.counters import DayUsage, counter, day_of, recent_usage

    channel = Channel.objects.create(name="Kanaal", contact_email="a@example.org")  # standard: 20
    _, text = keys.issue(channel)
    statuses = [client.get(DETAIL, HTTP_AUTHORIZATION=f"Bearer {text}").status_code for _ in range(22)]
    assert statuses == [200] * 20 + [429] * 2
    for _ in range(3):
        client.get(DETAIL, REMOTE_ADDR="203.0.113.9")
    now = time.time()
    today = day_of(now)
    assert recent_usage(f"channel:{channel.pk}", days=2, now=now)[0] == DayUsage(today, 22, 2)
    assert recent_usage("anonymous", days=1, now=now) == [DayUsage(today, 3, 0)]
    if usage_counter == "file":
        names = sqlite3.connect(counter().path).execute("SELECT DISTINCT name FROM usage").fetchall()
        assert sorted(names) == [("anonymous",), (f"channel:{channel.pk}",)]
    page = admin_client.get(f"/admin/channels/edit/{channel.pk}/").content.decode()
    assert re.search(rf"<td>{today}</td><td>22</td><td>2</td>", page)


def test_both_counters_decide_exactly_as_the_algorithm(usage_counter):
    # The Redis script repeats gcra.decide in Lua: the same sequence, the same decisions and times.
    from api.rate_limits import gcra
    from api.rate_limits.counters import counter

    # The last step is a clock that went back a day: the bucket starts full again.
    steps = [(0, 5), (0, 5), (0, 1), (359_999_999, 1), (1, 1), (1, 5), (7_200_000_000, 5), (0, 4)]
    steps += [(0, 10), (-86_400_000_000, 10)]
    now, tat, bucket = NOW_US, 0, f"address:{uuid.uuid4().hex}"
    for gap, cost in steps:
        now += gap
        expected = gcra.decide(tat=tat, now_us=now, cost=cost, quota=10, window=3600)
        assert counter().take(bucket, cost, 10, 3600, now) == Taken(expected.allowed, expected.tat, None)
        tat = expected.tat
    # A quota that does not divide the window, and a key read in the same round trip.
    taken = counter().take(bucket, 1, 7, 3600, NOW_US, read=["missing-key"])
    assert taken.allowed and taken.tat == NOW_US + gcra.interval(quota=7, window=3600)
    assert taken.values == ([None] if usage_counter == "redis" else None)
