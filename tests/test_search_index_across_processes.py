"""The search index with several processes on one database, as people run Baken.

Three OS processes rebuild the index at the same moment while the servers (``runserver`` and
``gunicorn`` with two workers) answer searches: every rebuild succeeds (one at a time, under the
index state's lock), no search ever sees a half-built index (a rebuild is one transaction: each
answer counts every demo question that matches), and the index ends with exactly one entry per
question of each live FAQ page. Then a change made by another process is found by the very next
search on every server (the search brings the index up to the content version first).
"""

import subprocess
import sys
import threading

import pytest

from tests.servers import KINDS, REPOSITORY, deployed, get

pytestmark = pytest.mark.django_db(transaction=False)

COUNT_ENTRIES = (
    "from cms.search_index.models import SearchEntry; from cms.pages.models import FAQPage; "
    "from tests.content import questions; "
    "print(SearchEntry.objects.count(), sum(len(questions(p)) for p in FAQPage.objects.filter(live=True)))"
)
RENAME_A_QUESTION = (
    "from cms.pages.models import FAQPage; from tests.content import publish; "
    "page = FAQPage.objects.get(slug='veelgestelde-vragen', locale__language_code='nl'); "
    "body = page.body.raw_data; "
    "body[0]['value']['questions'][0]['value']['question'] = 'Wat is een zoutvaatje?'; "
    "page.body = body; publish(page)"
)


@pytest.mark.parametrize("kind", KINDS)
def test_rebuilds_by_several_processes_at_once_and_searches_meanwhile(kind, tmp_path):
    # Without rate limits: the searches meanwhile are many more than an anonymous client may make.
    with deployed(kind, tmp_path, BAKEN_RATE_LIMITS_ENABLED="false") as deployment:
        query = "/api/v1/search/?q=116000&limit=100"
        _, first = get(f"{deployment.bases[0]}{query}")
        expected = first["count"]
        assert expected > 0
        answers: list[tuple[int, int]] = []
        stop = threading.Event()

        def search_meanwhile():
            while not stop.is_set():
                for base in deployment.bases:
                    status, body = get(f"{base}{query}")
                    answers.append((status, body.get("count")))

        searcher = threading.Thread(target=search_meanwhile)
        searcher.start()
        try:
            rebuilds = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "update_search_index", "--rebuild"],
                    cwd=REPOSITORY,
                    env=deployment.env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(3)
            ]
            outputs = [rebuild.communicate(timeout=120) for rebuild in rebuilds]
        finally:
            stop.set()
            searcher.join(timeout=60)
        assert [rebuild.returncode for rebuild in rebuilds] == [0, 0, 0], outputs
        assert all(out.startswith("Search index: ") for out, _err in outputs), outputs
        assert answers and set(answers) == {(200, expected)}
        entries, questions = map(int, deployment.shell(COUNT_ENTRIES).split())
        assert entries == questions > 0

        deployment.shell(RENAME_A_QUESTION)
        for base in deployment.bases:
            status, body = get(f"{base}/api/v1/search/?q=zoutvaatje")
            assert (status, [r["question"] for r in body["results"]]) == (200, ["Wat is een zoutvaatje?"])
