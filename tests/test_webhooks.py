"""Publish webhooks, in-process against a real HTTP receiver in another process
(tests/webhook_receiver.py): events from the change log, Standard Webhooks signatures checked with
the ``standardwebhooks`` library, retries on the backoff schedule with the clock in the test's
hands, 410, refused addresses, secret rotation, and the admin (secret shown once, redeliver)."""

import datetime as dt
import json
import random
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook
from wagtail.models import ModelLogEntry

from cms.channels.models import Channel
from cms.webhooks import backoff, delivery, signing
from cms.webhooks.addresses import UnsafeWebhookURL, check_url
from cms.webhooks.dispatch import dispatch
from cms.webhooks.events import CONTACT_CHANGED, EVENT_TYPES, Seen, events_for, seen
from cms.webhooks.models import (
    EndpointState,
    MessageStatus,
    WebhookEndpoint,
    WebhookMessage,
)
from tests.content import publish
from tests.servers import webhook_receiver


@pytest.fixture
def channel(db):
    return Channel.objects.create(name="Schat je schatje", contact_email="web@example.org")


def endpoint(channel, url: str, events=EVENT_TYPES, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        channel=channel, url=url, events=list(events), secret=signing.new_secret(), **fields
    )


def verified(record: dict, secret: str) -> dict:
    return Webhook(secret).verify(record["body"], record["headers"])


# --- what a change makes (pure) ---------------------------------------------------------------

digests = st.builds(Seen, digest=st.sampled_from(["a", "b"]), contact_digest=st.sampled_from(["", "x", "y"]))


@given(
    type_=st.sampled_from(["faq", "campaign", "helpline", "citation"]),
    before=st.none() | digests,
    now=st.none() | digests,
)
def test_events_follow_the_public_state_before_and_after(type_, before, now):
    events = events_for(type_, before=before, now=now)
    if (before is None and now is None) or (
        before is not None and now is not None and before.digest == now.digest
    ):
        assert events == []
    elif before is None:
        assert events == [f"{type_}.published"]
    elif now is None:
        assert events == [f"{type_}.removed"]
    else:
        contact = type_ == "helpline" and before.contact_digest != now.contact_digest
        assert events == [f"{type_}.changed", *([CONTACT_CHANGED] if contact else [])]


def test_open_now_follows_the_clock_and_is_no_change():
    data = {"name": "Hulplijn", "open_now": True, "contact_points": [{"type": "phone", "value": "116000"}]}
    assert seen("helpline", data) == seen("helpline", {**data, "open_now": False})
    renumbered = {**data, "contact_points": [{"type": "phone", "value": "116111"}]}
    assert seen("helpline", renumbered).contact_digest != seen("helpline", data).contact_digest


@given(retry=st.integers(1, 40), seed=st.integers(0, 2**32))
def test_a_retry_waits_exponentially_longer_with_bounded_jitter(retry, seed):
    wait = backoff.delay(retry, rng=random.Random(seed))
    plain = min(backoff.CAP, backoff.BASE * 2 ** (retry - 1))
    assert plain * (1 - backoff.JITTER) <= wait <= plain * (1 + backoff.JITTER)


def test_retries_span_the_retry_period_and_stop_at_its_end():
    start = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
    until, now, attempts = start + backoff.RETRY_PERIOD, start, 1
    rng = random.Random(7)
    while following := backoff.next_attempt(failed_attempts=attempts, now=now, retry_until=until, rng=rng):
        assert now < following <= until
        now, attempts = following, attempts + 1
    assert now == until
    assert 12 <= attempts <= 18


# --- addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.7/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://user:pw@example.org/hook",
        "ftp://example.org/hook",
        "http://192.168.1.10:8000/hook",
    ],
)
def test_webhooks_go_to_public_https_addresses_only(url):
    with pytest.raises(UnsafeWebhookURL):
        check_url(url)


def test_plain_http_to_loopback_only_where_the_setting_allows_it(settings):
    assert check_url(" http://127.0.0.1:9000/hook ") == "http://127.0.0.1:9000/hook"
    settings.BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP = False
    with pytest.raises(UnsafeWebhookURL, match="https"):
        check_url("http://127.0.0.1:9000/hook")


def test_a_saved_private_address_is_never_contacted(channel, receiver):
    hook = endpoint(channel, "https://10.1.2.3/hook")
    message = _queued(hook)
    attempt = delivery.deliver(message)
    assert attempt.status_code is None
    assert attempt.error.startswith("refused: 10.1.2.3 resolves to 10.1.2.3")
    assert WebhookMessage.objects.get(pk=message.pk).status == MessageStatus.PENDING  # retried later
    assert receiver.records() == []


def _queued(hook: WebhookEndpoint, *, event: str = "faq.changed", now=None) -> WebhookMessage:
    now = now or timezone.now()
    return WebhookMessage.objects.create(
        endpoint=hook,
        event_type=event,
        object_type="faq",
        object_key="7d3c4a4e-0000-4000-8000-000000000001",
        locale="nl",
        sequence=12,
        body=json.dumps({"type": event, "data": {"sequence": 12}}),
        created_at=now,
        next_attempt_at=now,
        retry_until=now + backoff.RETRY_PERIOD,
    )


# --- events from the change log, delivered and signed --------------------------------------------


def test_the_first_run_learns_what_is_public_without_announcing_it(channel, content, receiver):
    content.page_tree()
    endpoint(channel, f"{receiver.base}/ok")
    assert dispatch() == 0
    assert WebhookMessage.objects.count() == 0
    assert dispatch() == 0


def test_publish_number_change_and_unpublish_are_delivered_signed(channel, content, receiver):
    tree = content.page_tree(with_faq=False)
    helpline = content.helpline(
        "child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel gratis")]
    )
    events = ["faq.published", "faq.removed", "helpline.changed", CONTACT_CHANGED]
    hook = endpoint(channel, f"{receiver.base}/ok", events=events)
    dispatch()

    faq = content.faq(tree.campaign, "veelgestelde-vragen")
    assert dispatch() == 1
    assert delivery.deliver_due() == 1
    [record] = receiver.records()
    payload = verified(record, hook.secret)
    assert payload["type"] == "faq.published"
    assert payload["data"]["translation_key"] == str(faq.translation_key)
    assert payload["data"]["locale"] == "nl"
    assert payload["data"]["slug"] == "veelgestelde-vragen"
    assert payload["data"]["url"].endswith("/api/v1/faqs/veelgestelde-vragen/?locale=nl")
    first_sequence = payload["data"]["sequence"]
    message = WebhookMessage.objects.get()
    assert record["headers"]["webhook-id"] == f"msg_{message.id.hex}"
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 1)

    from cms.snippets.models import ContactPoint

    helpline.contact_points = [ContactPoint(contact_type="phone", value="116111", label="Bel gratis")]
    helpline.save()
    publish(helpline)
    assert dispatch() == 2
    assert delivery.deliver_due() == 2
    contact, changed = [verified(record, hook.secret) for record in receiver.records()[1:]]
    assert (contact["type"], changed["type"]) == (CONTACT_CHANGED, "helpline.changed")  # priority first
    assert contact["data"]["sequence"] > first_sequence

    faq.unpublish()
    assert dispatch() == 1
    delivery.deliver_due()
    removed = verified(receiver.records()[-1], hook.secret)
    assert removed["type"] == "faq.removed"
    assert removed["data"]["reason"] == "unpublished"
    assert "url" not in removed["data"]


def test_an_endpoint_only_gets_the_events_it_subscribed_to(channel, content, receiver):
    tree = content.page_tree(with_faq=False)
    only_helplines = endpoint(channel, f"{receiver.base}/ok", events=["helpline.published"])
    dispatch()
    content.faq(tree.campaign)
    content.helpline("hulp", "Hulp")
    dispatch()
    assert list(WebhookMessage.objects.values_list("endpoint", "event_type")) == [
        (only_helplines.pk, "helpline.published")
    ]


def test_a_rotated_secret_signs_beside_the_new_one_during_the_overlap(channel, receiver):
    old = signing.new_secret()
    hook = endpoint(channel, f"{receiver.base}/ok")
    hook.previous_secret, hook.previous_secret_until = old, timezone.now() + dt.timedelta(hours=1)
    hook.save()
    delivery.deliver(_queued(hook))
    record = receiver.records()[0]
    assert len(record["headers"]["webhook-signature"].split(" ")) == 2
    assert verified(record, old)["type"] == "faq.changed"
    assert verified(record, hook.secret)["type"] == "faq.changed"
    hook.previous_secret_until = timezone.now() - dt.timedelta(seconds=1)
    hook.save()
    delivery.deliver(_queued(hook))
    assert len(receiver.records()[1]["headers"]["webhook-signature"].split(" ")) == 1


# --- retries, giving up, 410 ---------------------------------------------------------------------


def test_failures_are_retried_on_the_backoff_schedule_then_the_contact_is_told(
    channel, receiver, django_capture_on_commit_callbacks
):
    hook = endpoint(channel, f"{receiver.base}/fail")
    t0 = timezone.now()
    message = _queued(hook, now=t0)
    assert delivery.deliver_due(now=t0) == 1
    message.refresh_from_db()
    wait = message.next_attempt_at - t0
    assert dt.timedelta(seconds=24) <= wait <= dt.timedelta(seconds=37)
    assert delivery.deliver_due(now=t0 + dt.timedelta(seconds=20)) == 0
    assert delivery.deliver_due(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    second_wait = message.next_attempt_at - message.attempt_log.first().started_at
    assert dt.timedelta(seconds=48) <= second_wait <= dt.timedelta(seconds=73)
    assert [a.status_code for a in message.attempt_log.all()] == [500, 500]
    assert message.attempt_log.first().response_excerpt == ""

    with django_capture_on_commit_callbacks(execute=True):
        delivery.deliver_due(now=message.retry_until)
    message.refresh_from_db()
    hook.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
    assert hook.state == EndpointState.FAILING
    assert "after 3 attempts: HTTP 500" in hook.state_reason
    [sent] = mail.outbox
    assert sent.to == ["web@example.org"]
    assert hook.url in sent.body
    assert len(receiver.records()) == 3
    assert len({record["headers"]["webhook-id"] for record in receiver.records()}) == 1


def test_a_timeout_is_a_failed_attempt_that_is_retried(channel, receiver, monkeypatch):
    monkeypatch.setattr(delivery, "READ_TIMEOUT", 0.3)
    hook = endpoint(channel, f"{receiver.base}/slow/2")
    message = _queued(hook)
    attempt = delivery.deliver(message)
    assert (attempt.status_code, attempt.error) == (None, "timed out")
    assert 250 <= attempt.duration_ms < 2000
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)


def test_a_success_after_failures_makes_a_failing_endpoint_active_again(channel, receiver):
    hook = endpoint(channel, f"{receiver.base}/flaky/1", state=EndpointState.FAILING)
    message = _queued(hook)
    delivery.deliver(message)
    delivery.deliver(WebhookMessage.objects.get(pk=message.pk))
    hook.refresh_from_db()
    assert hook.state == EndpointState.ACTIVE
    assert WebhookMessage.objects.get(pk=message.pk).status == MessageStatus.DELIVERED


def test_410_gone_disables_the_endpoint_and_cancels_what_is_queued(channel, content, receiver):
    hook = endpoint(channel, f"{receiver.base}/gone")
    first, second = _queued(hook), _queued(hook)
    delivery.deliver(first)
    hook.refresh_from_db()
    assert hook.state == EndpointState.DISABLED
    assert hook.state_reason == "The receiver answered 410 Gone."
    assert WebhookMessage.objects.get(pk=first.pk).status == MessageStatus.FAILED
    assert WebhookMessage.objects.get(pk=second.pk).status == MessageStatus.CANCELLED
    content.page_tree()
    dispatch()
    content.helpline("hulp", "Hulp")
    dispatch()
    assert WebhookMessage.objects.filter(status=MessageStatus.PENDING).count() == 0
    assert delivery.deliver_due() == 0
    assert len(receiver.records()) == 1


def test_an_expired_claim_is_delivered_again_and_a_live_one_is_not(channel, receiver, settings):
    settings.BAKEN_WEBHOOKS_CLAIM_SECONDS = 30
    hook = endpoint(channel, f"{receiver.base}/ok")
    t0 = timezone.now()
    message = _queued(hook, now=t0)
    assert [m.pk for m in delivery.claim_due(now=t0)] == [message.pk]  # then the worker died
    assert delivery.claim_due(now=t0 + dt.timedelta(seconds=29)) == []
    assert [m.pk for m in delivery.claim_due(now=t0 + dt.timedelta(seconds=31))] == [message.pk]


# --- the admin ------------------------------------------------------------------------------------


def test_an_administrator_adds_a_webhook_and_sees_its_secret_once(
    client, admin, channel, receiver, english_admin
):
    from tests.users import logged_in

    browser = logged_in(client, admin)
    form = {
        "channel": channel.pk,
        "url": "https://192.168.0.5/hook",
        "description": "Rebuild the campaign site",
        "events": ["faq.published", "faq.changed"],
        "state": "active",
    }
    refused = browser.post("/admin/webhooks/new/", form)
    assert refused.status_code == 200
    assert (
        "192.168.0.5 resolves to 192.168.0.5: webhooks are only sent to addresses on the public internet"
        in (refused.content.decode())
    )
    assert not WebhookEndpoint.objects.exists()
    form["url"] = f"{receiver.base}/ok"
    created = browser.post("/admin/webhooks/new/", form)
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    hook = WebhookEndpoint.objects.get()
    assert hook.secret.startswith("whsec_") and hook.secret in created.content.decode()
    assert hook.events == ["faq.published", "faq.changed"]
    edit = browser.get(f"/admin/webhooks/edit/{hook.pk}/").content.decode()
    assert hook.secret not in edit
    assert ModelLogEntry.objects.filter(object_id=str(hook.pk), action="wagtail.create").count() == 1

    rotated = browser.post(f"/admin/webhooks/{hook.pk}/rotate-secret/", {"overlap_hours": "12"})
    old = hook.secret
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in rotated.content.decode()
    assert (hook.previous_secret, hook.previous_secret_until > timezone.now()) == (old, True)
    history = browser.get(f"/admin/webhooks/history/{hook.pk}/").content.decode()
    assert "Signing secret rotated" in history
    assert old not in history and hook.secret not in history


def test_redeliver_from_the_delivery_log_sends_the_same_event_again(
    client, admin, channel, receiver, english_admin
):
    from tests.users import logged_in

    hook = endpoint(channel, f"{receiver.base}/ok")
    message = _queued(hook)
    delivery.deliver_due()
    browser = logged_in(client, admin)
    log_page = browser.get(reverse("webhooks:deliveries", args=[hook.pk])).content.decode()
    assert message.webhook_id in log_page and "HTTP 204" in log_page
    answer = browser.post(reverse("webhooks:redeliver", args=[message.pk]))
    assert answer.status_code == 302
    assert delivery.deliver_due() == 1
    first, second = receiver.records()
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == message.webhook_id
    assert first["body"] == second["body"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 2)
    assert [attempt.manual for attempt in message.attempt_log.order_by("number")] == [False, True]
    history = browser.get(f"/admin/webhooks/history/{hook.pk}/").content.decode()
    assert f"Event {message.webhook_id} queued for redelivery" in history


def test_a_failed_redelivery_is_tried_once_and_leaves_the_endpoint_as_it_was(channel, receiver):
    hook = endpoint(channel, f"{receiver.base}/fail")
    message = _queued(hook)
    delivery.redeliver(message)
    delivery.deliver_due()
    message.refresh_from_db()
    hook.refresh_from_db()
    assert (message.status, hook.state) == (MessageStatus.FAILED, EndpointState.ACTIVE)


def test_failing_webhooks_are_on_the_administrators_dashboard(client, admin, editor, channel, english_admin):
    from tests.users import logged_in

    endpoint(
        channel, "https://hooks.example.org/x", state=EndpointState.FAILING, state_reason="Gave up: HTTP 500."
    )
    dashboard = logged_in(client, admin).get("/admin/").content.decode()
    assert "Webhooks that need attention" in dashboard
    assert "https://hooks.example.org/x" in dashboard and "web@example.org" in dashboard
    assert "Webhooks that need attention" not in logged_in(client, editor).get("/admin/").content.decode()


@pytest.mark.parametrize("path", ["/admin/webhooks/", "/admin/webhooks/new/", "DELIVERIES", "REDELIVER"])
def test_only_administrators_reach_webhooks(client, editor, reviewer, channel, path):
    from tests.users import logged_in

    hook = endpoint(channel, "https://hooks.example.org/x")
    message = _queued(hook)
    path = {
        "DELIVERIES": f"/admin/webhooks/{hook.pk}/deliveries/",
        "REDELIVER": f"/admin/webhooks/messages/{message.pk}/redeliver/",
    }.get(path, path)
    for user in (editor, reviewer):
        answer = (
            logged_in(client, user).post(path, {})
            if "redeliver" in path
            else logged_in(client, user).get(path)
        )
        assert answer.status_code in (302, 403), (user, path)
    assert WebhookMessage.objects.get().manual_redelivery is False


def test_finished_events_leave_the_delivery_log_after_the_retention_pending_ones_never(channel):
    hook = endpoint(channel, "https://hooks.example.org/x")
    now = timezone.now()
    old = now - dt.timedelta(days=31)
    delivered, failed, pending, recent = (
        _queued(hook, now=old),
        _queued(hook, now=old),
        _queued(hook, now=old),
        _queued(hook),
    )
    WebhookMessage.objects.filter(pk=delivered.pk).update(status=MessageStatus.DELIVERED)
    WebhookMessage.objects.filter(pk__in=[failed.pk, recent.pk]).update(status=MessageStatus.FAILED)
    assert delivery.prune(now=now, keep=dt.timedelta(days=30)) == 2
    assert set(WebhookMessage.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}


# --- https: the certificate is checked for the URL's name, at the address that was checked ---------


@pytest.fixture
def tls_receiver(tmp_path):
    """A receiver speaking HTTPS with a self-signed certificate for the name "localhost"."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    with webhook_receiver(tmp_path, certificate, key) as running:
        yield running.port, certificate, running


def test_https_checks_the_certificate_for_the_urls_name_at_the_checked_address(tls_receiver, monkeypatch):
    from cms.webhooks.addresses import Target

    port, certificate, receiver = tls_receiver
    # As if "localhost" were a public name that resolved to this (checked) address.
    target = Target(scheme="https", host="localhost", port=port, path="/ok?x=1", address="127.0.0.1")
    monkeypatch.setattr(delivery, "resolve", lambda url: target)
    untrusted = delivery.post("https://localhost/ok", body=b"{}", headers={"webhook-id": "msg_1"})
    assert (untrusted.status_code, untrusted.error) == (None, "connection failed: SSLError")
    assert receiver.records() == []

    monkeypatch.setattr(delivery.certifi, "where", lambda: str(certificate))
    trusted = delivery.post("https://localhost/ok", body=b'{"a":1}', headers={"webhook-id": "msg_2"})
    assert trusted.status_code == 204
    [record] = receiver.records()
    assert (record["path"], record["body"]) == ("/ok?x=1", '{"a":1}')
    assert record["headers"]["Host"] == f"localhost:{port}"
    assert record["headers"]["webhook-id"] == "msg_2"

    other_name = Target(scheme="https", host="hooks.example.org", port=port, path="/ok", address="127.0.0.1")
    monkeypatch.setattr(delivery, "resolve", lambda url: other_name)
    mismatch = delivery.post("https://hooks.example.org/ok", body=b"{}", headers={})
    assert (mismatch.status_code, mismatch.error) == (None, "connection failed: SSLError")
    assert len(receiver.records()) == 1


def test_an_endpoint_deleted_while_its_events_are_claimed_is_skipped(channel, receiver, monkeypatch):
    hook = endpoint(channel, f"{receiver.base}/ok")
    _queued(hook)
    claimed = delivery.claim_due(now=timezone.now())
    hook.delete()  # by an administrator, while the worker holds the claim
    monkeypatch.setattr(delivery, "claim_due", lambda **kwargs: claimed)
    assert delivery.deliver_due() == 1
    assert WebhookMessage.objects.count() == 0


def test_a_failing_round_is_logged_and_the_worker_goes_on(monkeypatch, caplog):
    from cms.webhooks import worker

    rounds = []

    def one_round():
        rounds.append(1)
        if len(rounds) == 1:
            raise RuntimeError("database unreachable")
        worker_stop()
        return 1

    def worker_stop():
        import os
        import signal

        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(worker, "one_round", one_round)
    with caplog.at_level("ERROR", logger="cms.webhooks.worker"):
        worker.run(interval=0.05, report=lambda text: None)
    assert len(rounds) == 2
    assert [record.message for record in caplog.records] == [
        "Webhook worker round failed; trying again in 0.05 s"
    ]
