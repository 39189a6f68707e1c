"""Webhooks on the real path: ``manage.py webhook_worker`` in its own OS process, changes made by
other OS processes (shell scripts, as editors' publishes are), a receiver in a third process; on
SQLite without Redis (``make run``) and PostgreSQL with Redis.

* the worker's first round learns what is public and announces nothing;
* a help-line number change is delivered as ``helpline.contact_changed`` and ``helpline.changed``,
  an FAQ unpublished as ``faq.removed``, each with a valid Standard Webhooks signature;
* a worker killed (SIGKILL) in the middle of a delivery loses nothing: a worker started after it
  delivers the same event again, with the same ``webhook-id`` and body, once the claim expired.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from standardwebhooks import Webhook

from tests.servers import KINDS, REPOSITORY, Deployment, deployed

pytestmark = pytest.mark.django_db(transaction=False)

CLAIM_SECONDS = 3
LOCALES = ("en", "fr", "nl")

REGISTER = """
from cms.channels.models import Channel
from cms.webhooks import signing
from cms.webhooks.models import WebhookEndpoint
channel = Channel.objects.create(name="Schat je schatje", contact_email="web@example.org")
ok = WebhookEndpoint.objects.create(
    channel=channel, url="{base}/ok", secret=signing.new_secret(),
    events=["helpline.changed", "helpline.contact_changed", "faq.removed"])
slow = WebhookEndpoint.objects.create(
    channel=channel, url="{base}/slowonce/8", secret=signing.new_secret(), events=["helpline.changed"])
print(ok.secret, slow.secret)
"""
LEARNED = """
from cms.webhooks.models import WebhookDispatchState, WebhookObjectState
print(WebhookDispatchState.objects.exists(), WebhookObjectState.objects.count())
"""
HELPLINE_NUMBER = """
from cms.snippets.models import HelpLine
helpline = HelpLine.objects.get(slug="child-focus-116000", locale__language_code="nl")
point = helpline.contact_points.get(value="116000")
point.value = "+3225551234"
point.save()
helpline.save_revision().publish()
"""
UNPUBLISH_FAQ = """
from wagtail.models import Page
Page.objects.get(slug="veelgestelde-vragen", locale__language_code="nl").specific.unpublish()
"""
MESSAGES = """
from cms.webhooks.models import WebhookMessage
for message in WebhookMessage.objects.order_by("created_at", "event_type"):
    path = message.endpoint.url.split("/")[3]
    print(path, message.event_type, message.locale, message.status, message.attempts)
"""


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture(params=KINDS)
def deployment(request, tmp_path):
    with deployed(
        request.param, tmp_path, serve=False, BAKEN_WEBHOOKS_CLAIM_SECONDS=str(CLAIM_SECONDS)
    ) as built:
        yield built


def start_worker(deployment: Deployment) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "webhook_worker", "--interval", "0.2"],
        cwd=REPOSITORY,
        env=deployment.env,
        stdout=(deployment.tmp_path / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_a_worker_process_delivers_changes_made_elsewhere_and_a_killed_one_loses_nothing(
    deployment, receiver
):
    ok_secret, slow_secret = deployment.shell(REGISTER.format(base=receiver.base)).split()
    worker = start_worker(deployment)
    try:
        wait_for(lambda: deployment.shell(LEARNED).split()[0] == "True", seconds=60, what="the first round")
        assert receiver.records() == []

        deployment.shell(HELPLINE_NUMBER)
        # The slow endpoint got its request (logged before it is answered): kill the worker now.
        slow = wait_for(
            lambda: [r for r in receiver.records() if r["path"].startswith("/slowonce")],
            seconds=30,
            what="the slow endpoint's first request",
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.monotonic()
        worker = start_worker(deployment)
        killed_id = slow[0]["headers"]["webhook-id"]
        again = wait_for(
            lambda: (
                len(got := [r for r in receiver.records() if r["headers"]["webhook-id"] == killed_id]) >= 2
                and got
            ),
            seconds=60,
            what="the redelivery after the kill",
        )
        assert time.monotonic() - killed_at >= CLAIM_SECONDS - 1  # not before the claim expired
        assert again[0]["body"] == again[1]["body"]
        assert (
            Webhook(slow_secret).verify(again[1]["body"], again[1]["headers"])["type"] == "helpline.changed"
        )

        def helpline_events() -> set[tuple[str, str]]:
            return {
                (payload["type"], payload["data"]["locale"])
                for record in receiver.records()
                if record["path"] == "/ok"
                for payload in [Webhook(ok_secret).verify(record["body"], record["headers"])]
            }

        # The demo help-line is published in nl, fr and en; its translations share its numbers.
        wanted = {
            (event, code) for event in ("helpline.changed", "helpline.contact_changed") for code in LOCALES
        }
        wait_for(lambda: helpline_events() == wanted, seconds=30, what="the help-line events")
        # The /ok endpoint's first three: the slow endpoint's helpline.changed may arrive among them.
        first = [json.loads(r["body"]) for r in receiver.records() if r["path"] == "/ok"][:3]
        assert {p["type"] for p in first} == {"helpline.contact_changed"}  # priority events first
        assert {p["data"]["slug"] for p in first} == {"child-focus-116000"}

        deployment.shell(UNPUBLISH_FAQ)
        removed = wait_for(
            lambda: [r for r in receiver.records() if json.loads(r["body"])["type"] == "faq.removed"],
            seconds=30,
            what="faq.removed",
        )
        assert (
            Webhook(ok_secret).verify(removed[0]["body"], removed[0]["headers"])["data"]["reason"]
            == "unpublished"
        )
        states = wait_for(
            lambda: (
                (lines := deployment.shell(MESSAGES).splitlines())
                and all(" delivered " in line for line in lines)
                and lines
            ),
            seconds=30,
            what="every message delivered",
        )
        assert sorted(states) == sorted(
            [
                "ok faq.removed nl delivered 1",
                *(f"ok helpline.changed {code} delivered 1" for code in LOCALES),
                *(f"ok helpline.contact_changed {code} delivered 1" for code in LOCALES),
                # the killed worker's attempt left no record; the one after it did
                *(f"slowonce helpline.changed {code} delivered 1" for code in LOCALES),
            ]
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
