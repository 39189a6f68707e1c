"""Rate limits across real server processes: ``runserver`` and ``gunicorn`` (two workers) share
one count — a SQLite file without Redis (``make run``), Redis in production — and a burst from
another OS process gets exactly the quota, then 429s with ``Retry-After`` and the ``RateLimit``
fields, on cache hits and misses alike."""

import json
import subprocess
import sys

import pytest

from tests.servers import KINDS, REPOSITORY, deployed

QUOTA = 20
# A day's window: a unit refills every 72 minutes, never during the burst.
WINDOW = 86400
BURST = """
import json, sys, urllib.error, urllib.request
bases, paths = sys.argv[1].split(","), sys.argv[2].split(",")
answers = []
for number, path in enumerate(paths):
    url = bases[number % len(bases)] + path
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    names = ("RateLimit", "RateLimit-Policy", "Retry-After")
    answers.append([status, *(headers.get(name) for name in names)])
print(json.dumps(answers))
"""


@pytest.fixture(params=KINDS)
def deployment(request, tmp_path):
    with deployed(request.param, tmp_path, BAKEN_RATE_LIMIT_ANONYMOUS=f"{QUOTA}/{WINDOW}") as built:
        yield built


def burst(bases: list[str], paths: list[str]) -> list[list]:
    done = subprocess.run(
        [sys.executable, "-c", BURST, ",".join(bases), ",".join(paths)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_a_burst_from_another_process_gets_the_quota_shared_by_every_server(deployment):
    detail = "/api/v1/helplines/child-focus-116000/"
    # Twice the quota on one URL (a miss on each process, then hits), then a URL never asked (a miss).
    answers = burst(deployment.bases, [detail] * (2 * QUOTA) + ["/api/v1/citations/1/"])
    statuses = [status for status, *_ in answers]
    assert statuses == [200] * QUOTA + [429] * (QUOTA + 1)
    for number, (status, fields, policy, retry_after) in enumerate(answers):
        assert policy == f'"anonymous";q={QUOTA};w={WINDOW}'
        remaining = int(fields.split(";r=")[1].split(";")[0])
        assert remaining == max(0, QUOTA - number - 1)
        full_in = int(fields.rsplit(";t=", 1)[1])
        assert 0 < full_in <= WINDOW
        if status == 429:  # one unit's interval: the detail costs 1
            assert 0 < int(retry_after) <= WINDOW // QUOTA
        else:
            assert retry_after is None
