"""The webhook tables: endpoints, the events queued for them, every delivery attempt, and the
dispatcher's position in the change feed (see cms.webhooks)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.channels.models import Channel
from cms.webhooks.events import EVENT_CHOICES


class EndpointState(models.TextChoices):
    ACTIVE = "active", _("Active")
    FAILING = "failing", _("Failing")
    DISABLED = "disabled", _("Disabled")


class WebhookEndpoint(models.Model):
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("channel")
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("Where events are POSTed: an https address on the public internet."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list, help_text=_("The events this endpoint receives."))
    # The Standard Webhooks secret ("whsec_" + base64); the previous one keeps signing (a second
    # signature) until previous_secret_until, so a receiver can switch without missing events.
    secret = models.CharField(max_length=80, editable=False)
    previous_secret = models.CharField(max_length=80, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=EndpointState.choices, default=EndpointState.ACTIVE
    )
    state_reason = models.CharField(_("why"), max_length=300, blank=True, editable=False)
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["channel__name", "url"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.channel}: {self.url}"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")  # gave up after the retry period, or the endpoint answered 410
    CANCELLED = "cancelled", _("Cancelled")  # the endpoint was disabled or deleted


class WebhookMessage(models.Model):
    """One event for one endpoint. Its ``id`` is the ``webhook-id`` of every attempt (receivers
    drop duplicates by it); the body is stored as sent, so a retry sends the same bytes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    event_type = models.CharField(_("event"), max_length=40, choices=EVENT_CHOICES)
    object_type = models.CharField(max_length=16)
    object_key = models.UUIDField()
    locale = models.CharField(max_length=16)
    # The change-log position the event reports: per object it only grows, so a receiver can drop
    # an event older than one it has applied.
    sequence = models.BigIntegerField()
    priority = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Failed attempts are retried until then (cms.webhooks.backoff); a manual redelivery sets it
    # to the moment it was asked for, so it is tried once.
    retry_until = models.DateTimeField()
    # A worker holds the message while it delivers it; a worker killed mid-delivery leaves the
    # claim to expire, and the message is delivered again (at least once).
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Asked for in the admin: the next attempt is tried once, and its failure changes nothing else.
    manual_redelivery = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="cms_webhook_due"),
        ]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"msg_{self.id.hex} {self.event_type}"

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.id.hex}"


class WebhookAttempt(models.Model):
    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    manual = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.message} attempt {self.number}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookDispatchState(models.Model):
    """One row: where the dispatcher is in the change feed (a feed token, scope ``all``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"webhook dispatch position (updated {self.updated_at})"


class WebhookObjectState(models.Model):
    """What the dispatcher last saw public of one object in one locale: a digest of its public
    representation and of its contact values (help-lines), to tell published from changed and to
    raise the priority event when a help-line's numbers change."""

    object_type = models.CharField(max_length=16)
    object_key = models.UUIDField()
    locale = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    contact_digest = models.CharField(max_length=64, blank=True)
    sequence = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_key", "locale"], name="cms_webhook_object_state_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_key} {self.locale}"
