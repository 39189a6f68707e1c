"""Every server process serves a change made by another OS process with its very next response.

Two real servers — ``runserver`` and ``gunicorn`` with two workers — share one database with the
demo content; their response caches are warm. Then other OS processes change content the ways
people do: ``import_faq`` publishes a new FAQ page, a shell script changes a help-line number,
restricts a page with a password and unpublishes a campaign (so the FAQ below it is hidden), and
``publish_scheduled`` (as cron runs it) publishes a revision scheduled a moment earlier. After each,
every endpoint that shows the change answers with it, on every server, hidden content gone and new
content there:

- **SQLite without Redis** (``make run``): each process has a private cache and reads the versions
  from the change log for every lookup, so at once;
- **PostgreSQL with Redis** (production): at once when the writer reached Redis; and a writer
  that cannot reach Redis is served by every process within the stated bound
  (api/response_cache/versions.py: ``POLL_SECONDS``).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from api.response_cache.versions import POLL_SECONDS

REPOSITORY = Path(__file__).resolve().parents[1]
FAQ = "veelgestelde-vragen"
CAMPAIGN = "schat-je-schatje"
HELPLINE = "child-focus-116000"
NEW_FAQ = "vragen-over-sextortion"
NEW_FAQ_TEXT = """FAQ

Wat is sextortion precies?

Iemand dreigt naaktbeelden van je te verspreiden als je niet betaalt. Zoutvaatje is het codewoord.
"""

pytestmark = pytest.mark.django_db(transaction=False)


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """A database with the demo content, the environment of every process using it, and its servers."""

    def __init__(self, env: dict, tmp_path: Path):
        self.env = env
        self.tmp_path = tmp_path
        self.servers: list[subprocess.Popen] = []
        self.bases: list[str] = []

    def manage(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPOSITORY,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def shell(self, code: str, env: dict | None = None) -> str:
        return self.manage("shell", "-v0", "-c", code, env=env)

    def start(self) -> None:
        log = (self.tmp_path / "servers.log").open("ab")
        port = _free_port()
        self.servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{port}",
                    "--noreload",
                    "--skip-checks",
                ],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        self.bases.append(f"http://127.0.0.1:{port}")
        port = _free_port()
        self.servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "baken.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                ],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        self.bases.append(f"http://127.0.0.1:{port}")
        for base in self.bases:
            for _ in range(240):
                if _reachable(int(base.rsplit(":", 1)[1])):
                    break
                time.sleep(0.25)
            else:
                raise AssertionError(f"{base} did not start: {(self.tmp_path / 'servers.log').read_text()}")

    def stop(self) -> None:
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            server.wait(timeout=20)


def get(url: str) -> tuple[int, dict]:
    for attempt in range(40):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except OSError:
            if attempt == 39:
                raise
            time.sleep(0.25)
    raise AssertionError(url)


def served(deployment: Deployment) -> list[dict]:
    """What each server process answers now, for every endpoint the scenario changes. Each server
    is asked twice, so both gunicorn workers are likely to answer at least once, and a second answer
    is a cache hit."""
    answers = []
    for base in deployment.bases:
        for _ in range(2):
            api = f"{base}/api/v1"
            faq_status, faq = get(f"{api}/faqs/{FAQ}/")
            new_status, _ = get(f"{api}/faqs/{NEW_FAQ}/")
            campaign_status, _ = get(f"{api}/campaigns/{CAMPAIGN}/")
            _, helpline = get(f"{api}/helplines/{HELPLINE}/")
            _, faqs = get(f"{api}/faqs/?limit=100")
            _, search = get(f"{api}/search/?q=zoutvaatje")
            faq_numbers = sorted(
                {
                    helpline_shown["contact_points"][0]["value"]
                    for section in faq.get("sections", [])
                    for question in section["questions"]
                    for helpline_shown in question["helplines"]
                    if helpline_shown["slug"] == HELPLINE
                }
            )
            answers.append(
                {
                    "server": base,
                    "faq": faq_status,
                    "new_faq": new_status,
                    "campaign": campaign_status,
                    "help_line_number": helpline["contact_points"][0]["value"],
                    "help_line_name": helpline["name"],
                    "numbers_in_the_faq": faq_numbers,
                    "faq_list": sorted(item["slug"] for item in faqs["results"]),
                    "search": sorted({result["faq"]["slug"] for result in search["results"]}),
                }
            )
    return answers


def expect(deployment: Deployment, **wanted) -> None:
    for answer in served(deployment):
        assert {name: answer[name] for name in wanted} == wanted, answer["server"]


@pytest.fixture(params=["sqlite-without-redis", "postgresql-with-redis"])
def deployment(request, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "PYTHONPATH": str(REPOSITORY),
        "BAKEN_CACHE_PREFIX": f"processes-{uuid.uuid4().hex}",
    }
    env.pop("REDIS_URL", None)
    database = None
    if request.param == "sqlite-without-redis":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        if not (_reachable(5432) and _reachable(6379)):
            pytest.skip("PostgreSQL and Redis run on 127.0.0.1 for .ci/run; not here")
        import psycopg

        database = f"baken_processes_{uuid.uuid4().hex[:12]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
            server.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
    built = Deployment(env, tmp_path)
    try:
        built.manage("migrate", "--noinput", "-v0")
        built.manage("load_demo_content")
        built.manage("ensure_dev_admin", "--base-url", "http://127.0.0.1:8000")
        built.start()
        yield built
    finally:
        built.stop()
        if database is not None:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


HELPLINE_NUMBER = """
from cms.snippets.models import ContactPoint, HelpLine
helpline = HelpLine.objects.get(slug="{slug}", locale__language_code="nl")
point = helpline.contact_points.get(value="116000")
point.value = "{number}"
point.save()
helpline.save_revision().publish()
"""

RESTRICT = """
from wagtail.models import Page, PageViewRestriction
page = Page.objects.get(slug="{slug}", locale__language_code="nl")
PageViewRestriction.objects.create(page=page, restriction_type="password", password="geheim")
"""

UNPUBLISH = """
from wagtail.models import Page
Page.objects.get(slug="{slug}", locale__language_code="nl").specific.unpublish()
"""

SCHEDULE_REPUBLISH = """
import datetime as dt
from django.utils import timezone
from wagtail.models import Page
page = Page.objects.get(slug="{slug}", locale__language_code="nl").specific
page.go_live_at = timezone.now() + dt.timedelta(seconds={seconds})
page.save_revision(approved_go_live_at=page.go_live_at)
"""

PENDING_SCHEDULES = """
from wagtail.models import Revision
print(Revision.objects.filter(approved_go_live_at__isnull=False).count())
"""

RENAME_HELPLINE = """
from cms.snippets.models import HelpLine
helpline = HelpLine.objects.get(slug="{slug}", locale__language_code="nl")
helpline.name = "{name}"
helpline.save_revision().publish()
"""


def test_every_server_serves_each_change_made_by_another_process_with_its_next_response(deployment, tmp_path):
    expect(
        deployment,
        faq=200,
        new_faq=404,
        campaign=200,
        help_line_number="116000",
        numbers_in_the_faq=["116000"],
        faq_list=[FAQ],
        search=[],
    )

    faq_file = tmp_path / "sextortion.nl.txt"
    faq_file.write_text(NEW_FAQ_TEXT, encoding="utf-8")
    deployment.manage(
        "import_faq",
        str(faq_file),
        "--campaign",
        CAMPAIGN,
        "--locale",
        "nl",
        "--slug",
        NEW_FAQ,
        "--title",
        "Vragen over sextortion",
        "--publish",
        "--user",
        "admin",
    )
    expect(deployment, new_faq=200, faq_list=sorted([FAQ, NEW_FAQ]), search=[NEW_FAQ])

    deployment.shell(HELPLINE_NUMBER.format(slug=HELPLINE, number="+3225551234"))
    expect(deployment, help_line_number="+3225551234", numbers_in_the_faq=["+3225551234"])

    deployment.shell(RESTRICT.format(slug=NEW_FAQ))
    expect(deployment, new_faq=404, faq_list=[FAQ], search=[])

    deployment.shell(UNPUBLISH.format(slug=CAMPAIGN))
    expect(deployment, campaign=404, faq=404, faq_list=[], search=[])

    # Cron's publish_scheduled publishes the campaign again, scheduled a moment before: the FAQ
    # below it is public again.
    deployment.shell(SCHEDULE_REPUBLISH.format(slug=CAMPAIGN, seconds=1))
    time.sleep(1.5)
    deployment.manage("publish_scheduled")
    assert deployment.shell(PENDING_SCHEDULES).strip() == "0"  # published by cron, not by a request
    expect(deployment, campaign=200, faq=200, faq_list=[FAQ])


@pytest.mark.parametrize("deployment", ["postgresql-with-redis"], indirect=True)
def test_a_writer_that_cannot_reach_redis_is_served_everywhere_within_the_poll_bound(deployment):
    expect(deployment, help_line_name=get(f"{deployment.bases[0]}/api/v1/helplines/{HELPLINE}/")[1]["name"])
    unreachable = {**deployment.env, "REDIS_URL": "redis://127.0.0.1:1/0"}
    deployment.shell(
        RENAME_HELPLINE.format(slug=HELPLINE, name="Hulplijn 116000 (gewijzigd)"), env=unreachable
    )
    written = time.monotonic()
    deadline = written + POLL_SECONDS + 1.0  # the bound, and this test's own requests
    while True:
        names = {answer["help_line_name"] for answer in served(deployment)}
        if names == {"Hulplijn 116000 (gewijzigd)"}:
            break
        assert time.monotonic() < deadline, names
        time.sleep(0.1)
