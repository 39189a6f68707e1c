"""``make run`` on a fresh database, as a new user runs it: the server answers, the webhook worker
it starts beside the server delivers an event for a change made by another process, the reference
campaign page is served from the next port (its own origin, registered as a channel, so the API
answers its preflight), and stopping ``make run`` (Ctrl+C) stops all three."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.servers import REPOSITORY, free_port, get, reachable

pytestmark = pytest.mark.django_db(transaction=False)

REGISTER = """
from cms.channels.models import Channel
from cms.webhooks import signing
from cms.webhooks.models import WebhookEndpoint
channel = Channel.objects.create(name="Clicksafe", contact_email="web@example.org")
WebhookEndpoint.objects.create(channel=channel, url="{url}", secret=signing.new_secret(),
                               events=["helpline.contact_changed"])
"""
RENUMBER = """
from cms.snippets.models import HelpLine
helpline = HelpLine.objects.get(slug="child-focus-116000", locale__language_code="nl")
point = helpline.contact_points.get(value="116000")
point.value = "116111"
point.save()
helpline.save_revision().publish()
"""


def free_port_pair() -> int:
    """A free port whose next one is free too (make run serves the reference page there)."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("no two free ports in a row")


def group_members(pgid: int) -> list[str]:
    listed = subprocess.run(["ps", "-eo", "pgid=,args="], capture_output=True, text=True, check=True).stdout
    return [line for line in listed.splitlines() if line.split(None, 1)[0] == str(pgid)]


def test_make_run_serves_and_runs_the_webhook_worker_until_stopped(tmp_path, receiver):
    port = free_port_pair()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BAKEN_RATE_LIMIT_FILE": str(tmp_path / "rate-limits.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
    }
    env.pop("REDIS_URL", None)
    log = (tmp_path / "make-run.log").open("wb")
    run = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=REPOSITORY,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            if reachable(port):
                break
            assert run.poll() is None, (tmp_path / "make-run.log").read_text()
            time.sleep(0.5)
        status, helpline = get(f"http://127.0.0.1:{port}/api/v1/helplines/child-focus-116000/")
        assert (status, helpline["contact_points"][0]["value"]) == (200, "116000")
        reference = f"http://127.0.0.1:{port + 1}"
        with urllib.request.urlopen(reference + "/", timeout=10) as page:
            html = page.read().decode()
            assert f'src="http://127.0.0.1:{port}/embed/v1/baken.js"' in html
            assert "default-src 'none'" in page.headers["Content-Security-Policy"]
        preflight = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/faqs/veelgestelde-vragen/",
            method="OPTIONS",
            headers={"Origin": reference, "Access-Control-Request-Method": "GET"},
        )
        with urllib.request.urlopen(preflight, timeout=10) as answer:
            assert (answer.status, answer.headers["Access-Control-Allow-Origin"]) == (204, reference)

        def shell(code: str) -> None:
            subprocess.run(
                [sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=REPOSITORY, env=env, check=True
            )

        shell(REGISTER.format(url=f"{receiver.base}/ok"))
        time.sleep(2)  # the worker's next rounds learn the state before the change
        shell(RENUMBER)
        for _ in range(150):
            if receiver.records():
                break
            time.sleep(0.2)
        types = {
            (json.loads(r["body"])["type"], json.loads(r["body"])["data"]["locale"])
            for r in receiver.records()
        }
        assert ("helpline.contact_changed", "nl") in types
        members = group_members(run.pid)
        assert any("webhook_worker" in line for line in members)
        assert any("reference-site/serve.py" in line for line in members)
    finally:
        os.killpg(run.pid, signal.SIGINT)
        run.wait(timeout=30)
    for _ in range(50):
        if not group_members(run.pid):
            break
        time.sleep(0.2)
    assert group_members(run.pid) == []
