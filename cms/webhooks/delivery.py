"""Delivering queued webhook messages: claim, sign, POST, record, retry or give up.

Invariants:

* **At least once.** A message stays ``pending`` until an attempt got a 2xx answer. A worker
  *claims* the messages it delivers for ``BAKEN_WEBHOOKS_CLAIM_SECONDS`` (60: longer than a
  round of attempts can take, see ``limit``); a worker
  killed mid-delivery leaves the claim to expire and the message is delivered again, with the same
  ``webhook-id`` and body. Two workers never hold the same message at once.
* **Bounded.** Connecting takes at most ``CONNECT_TIMEOUT`` and each read ``READ_TIMEOUT``; no
  redirects are followed; at most :data:`EXCERPT` characters of an answer are kept.
* **Safe addresses.** The URL is resolved and checked at every attempt (cms.webhooks.addresses)
  and the connection goes to exactly the address checked; a refused address is a failed attempt
  (retried: the endpoint's DNS may be corrected).
* **Outcomes.** 2xx: delivered (a failing endpoint is active again). ``410 Gone``: the endpoint is
  disabled at once, its pending messages cancelled. Anything else (other status, timeout,
  connection error): retried per cms.webhooks.backoff until the message's ``retry_until``; then
  the message has failed and an active endpoint becomes *failing*: the channel's contact is
  e-mailed and the admin shows it (dashboard panel, Settings → Webhooks).
* Every attempt is recorded (WebhookAttempt): when, how long, status or error, response excerpt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import ssl
import time
from dataclasses import dataclass

import certifi
import urllib3
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cms.webhooks import backoff, signing
from cms.webhooks.addresses import UnsafeWebhookURL, resolve
from cms.webhooks.models import (
    EndpointState,
    MessageStatus,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookMessage,
)

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
EXCERPT = 500
USER_AGENT = "Baken-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    excerpt: str
    duration_ms: int


def claim_due(*, now: dt.datetime, limit: int = 4) -> list[WebhookMessage]:
    """Claim up to ``limit`` due messages (priority first, then oldest due) for this worker; each
    attempt takes at most CONNECT_TIMEOUT + READ_TIMEOUT (13 s), so four fit in the claim."""
    lease = dt.timedelta(seconds=settings.BAKEN_WEBHOOKS_CLAIM_SECONDS)
    with transaction.atomic():
        due = (
            WebhookMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .exclude(endpoint__state=EndpointState.DISABLED)
            .order_by("-priority", "next_attempt_at", "created_at")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("id", flat=True)[:limit])
        WebhookMessage.objects.filter(id__in=ids).update(claimed_until=now + lease)
    return list(
        WebhookMessage.objects.filter(id__in=ids)
        .select_related("endpoint", "endpoint__channel")
        .order_by("-priority", "next_attempt_at", "created_at")
    )


def _secrets(endpoint: WebhookEndpoint, *, now: dt.datetime) -> list[str]:
    in_use = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        in_use.append(endpoint.previous_secret)
    return in_use


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Outcome:
    """One POST to the checked address of ``url``; never raises for network trouble."""
    started = time.monotonic()

    def took() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = resolve(url)
    except UnsafeWebhookURL as error:
        return Outcome(None, f"refused: {error}"[:300], "", took())
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    common = {"host": target.address, "port": target.port, "timeout": timeout, "retries": False, "maxsize": 1}
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            **common,
            server_hostname=target.host,
            assert_hostname=target.host,
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
        )
    else:
        pool = urllib3.HTTPConnectionPool(**common)
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    try:
        with pool:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers={
                    **headers,
                    "Host": host_header,
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                },
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                excerpt = response.read(EXCERPT * 4, decode_content=True)
            finally:
                response.release_conn()
    except urllib3.exceptions.TimeoutError:
        return Outcome(None, "timed out", "", took())
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return Outcome(None, f"connection failed: {type(error).__name__}"[:300], "", took())
    text = excerpt.decode("utf-8", errors="replace")[:EXCERPT]
    return Outcome(response.status, "", text, took())


def deliver(message: WebhookMessage, *, now: dt.datetime | None = None) -> WebhookAttempt:
    """Make one attempt at ``message`` (claimed by the caller) and record what followed."""
    now = now or timezone.now()
    endpoint = message.endpoint
    body = message.body.encode()
    headers = signing.headers(
        msg_id=message.webhook_id, body=body, at=now, secrets_in_use=_secrets(endpoint, now=now)
    )
    outcome = post(endpoint.url, body=body, headers=headers)
    return record(message, outcome, started_at=now)


def record(message: WebhookMessage, outcome: Outcome, *, started_at: dt.datetime) -> WebhookAttempt:
    finished = started_at + dt.timedelta(milliseconds=outcome.duration_ms)
    with transaction.atomic():
        message = WebhookMessage.objects.select_related("endpoint__channel").get(pk=message.pk)
        endpoint = message.endpoint
        manual, message.manual_redelivery = message.manual_redelivery, False
        message.attempts += 1
        attempt = WebhookAttempt.objects.create(
            message=message,
            number=message.attempts,
            started_at=started_at,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
            manual=manual,
        )
        message.claimed_until = None
        if attempt.succeeded:
            message.status, message.delivered_at = MessageStatus.DELIVERED, finished
            if endpoint.state == EndpointState.FAILING:
                _set_state(endpoint, EndpointState.ACTIVE, "", at=finished)
        elif outcome.status_code == 410:
            message.status = MessageStatus.FAILED
            _set_state(endpoint, EndpointState.DISABLED, "The receiver answered 410 Gone.", at=finished)
            WebhookMessage.objects.filter(endpoint=endpoint, status=MessageStatus.PENDING).exclude(
                pk=message.pk
            ).update(status=MessageStatus.CANCELLED, claimed_until=None)
        else:
            following = backoff.next_attempt(
                failed_attempts=_failures_in_a_row(message), now=finished, retry_until=message.retry_until
            )
            if following is None:
                message.status = MessageStatus.FAILED
                if endpoint.state == EndpointState.ACTIVE and not manual:
                    reason = f"Gave up on an event after {message.attempts} attempts: {_said(outcome)}."
                    _set_state(endpoint, EndpointState.FAILING, reason, at=finished)
                    transaction.on_commit(lambda: _tell_contact(endpoint))
            else:
                message.next_attempt_at = following
        message.save()
    return attempt


def _failures_in_a_row(message: WebhookMessage) -> int:
    return message.attempt_log.filter(manual=False).count()


def _said(outcome: Outcome) -> str:
    return f"HTTP {outcome.status_code}" if outcome.status_code is not None else outcome.error


def _set_state(endpoint: WebhookEndpoint, state: str, reason: str, *, at: dt.datetime) -> None:
    endpoint.state, endpoint.state_reason, endpoint.state_changed_at = state, reason[:300], at
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        state=state, state_reason=reason[:300], state_changed_at=at
    )
    logger.warning("Webhook %s is now %s: %s", endpoint.url, state, reason)


def _tell_contact(endpoint: WebhookEndpoint) -> None:
    channel = endpoint.channel
    try:
        send_mail(
            subject=f"[Baken] Webhook failing for {channel.name}",
            message=(
                f"Baken could not deliver events to {endpoint.url} for 24 hours and stopped retrying "
                f"them ({endpoint.state_reason}).\n\nNew events are still sent. The delivery log and a "
                f"redeliver button are in the admin: {settings.WAGTAILADMIN_BASE_URL}/admin/ "
                "(Settings → Webhooks)."
            ),
            from_email=None,
            recipient_list=[channel.contact_email],
        )
    except Exception:  # the admin shows the state; mail is a courtesy
        logger.exception("Could not e-mail %s about failing webhook %s", channel.contact_email, endpoint.url)


def redeliver(message: WebhookMessage) -> None:
    """Queue one more attempt now (from the admin); it is not retried if it fails."""
    now = timezone.now()
    WebhookMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.PENDING,
        next_attempt_at=now,
        retry_until=now,
        claimed_until=None,
        manual_redelivery=True,
    )


def prune(*, now: dt.datetime, keep: dt.timedelta) -> int:
    """Delete finished events (delivered, failed, cancelled) made before ``now - keep``, with their
    attempts; pending ones are kept whatever their age. The number of events deleted."""
    finished = WebhookMessage.objects.filter(created_at__lt=now - keep).exclude(status=MessageStatus.PENDING)
    _, by_model = finished.delete()
    return by_model.get(WebhookMessage._meta.label, 0)


def deliver_due(*, now: dt.datetime | None = None, limit: int = 4) -> int:
    """Claim and deliver the due messages; the number of attempts made."""
    claimed = claim_due(now=now or timezone.now(), limit=limit)
    for message in claimed:
        # DoesNotExist: its endpoint was deleted meanwhile (and its events with it).
        with contextlib.suppress(WebhookMessage.DoesNotExist):
            deliver(message, now=now)
    return len(claimed)
