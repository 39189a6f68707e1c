"""API keys of channels: made, verified, rotated and revoked (see cms.channels for the invariants).

A key's text is ``baken_<8 hex>_<43 URL-safe characters>``: the first two parts are its visible
``prefix`` (how an administrator recognises it), the rest 256 random bits. Only the SHA-256 of the
whole text is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cms.channels.models import Channel, ChannelKey

KEY_SCHEME = "baken"
CREATED, ROTATED, REVOKED = "baken.channel_key.create", "baken.channel_key.rotate", "baken.channel_key.revoke"
DEFAULT_OVERLAP = dt.timedelta(days=7)
MAX_KEY_LENGTH = 100


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prefix_of(text: str) -> str | None:
    """The prefix a key text claims (``baken_1a2b3c4d``), or None when it has not a key's form."""
    if len(text) > MAX_KEY_LENGTH:
        return None
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or len(parts[1]) != 8 or len(parts[2]) < 32:
        return None
    if any(c not in "0123456789abcdef" for c in parts[1]):
        return None
    return f"{parts[0]}_{parts[1]}"


def matches(key: ChannelKey, text: str) -> bool:
    return hmac.compare_digest(key.digest, digest(text))


def _new_text() -> tuple[str, str]:
    while True:
        prefix = f"{KEY_SCHEME}_{secrets.token_hex(4)}"
        if not ChannelKey.objects.filter(prefix=prefix).exists():
            return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def issue(
    channel: Channel, *, label: str = "", expires_at: dt.datetime | None = None, user=None
) -> tuple[ChannelKey, str]:
    """A new key for ``channel`` and its text (shown once: it is not stored)."""
    prefix, text = _new_text()
    key = ChannelKey.objects.create(
        channel=channel,
        label=label,
        prefix=prefix,
        digest=digest(text),
        expires_at=expires_at,
        created_by=user,
    )
    log(channel, CREATED, user=user, data={"prefix": prefix, "label": label})
    return key, text


@transaction.atomic
def rotate(key: ChannelKey, *, overlap: dt.timedelta = DEFAULT_OVERLAP, user=None) -> tuple[ChannelKey, str]:
    """A new key replacing ``key``, which stays valid for ``overlap`` more (or less, if it expired
    sooner), so a channel can deploy the new key before the old one stops working."""
    now = timezone.now()
    new_key, text = issue(key.channel, label=key.label, expires_at=None, user=user)
    ends = now + overlap
    key.expires_at = ends if key.expires_at is None else min(key.expires_at, ends)
    key.replaced_by = new_key
    key.save(update_fields=["expires_at", "replaced_by"])
    log(
        key.channel,
        ROTATED,
        user=user,
        data={
            "prefix": key.prefix,
            "new_prefix": new_key.prefix,
            "old_key_expires_at": key.expires_at.isoformat(),
        },
    )
    return new_key, text


@transaction.atomic
def revoke(key: ChannelKey, *, user=None) -> None:
    """Refuse ``key`` from now on (idempotent: a revoked key keeps its first revocation time)."""
    if key.revoked_at is not None:
        return
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    log(key.channel, REVOKED, user=user, data={"prefix": key.prefix})
