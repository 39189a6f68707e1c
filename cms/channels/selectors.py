"""What the API asks of the channel registry on every request, remembered briefly per process.

* :func:`key_verdict`: which channel a key text names, or why it is refused;
* :func:`allowed_origins`: the origins of active channels (CORS).

Both are read from the database at most once per :data:`MEMO_SECONDS` per process (and per key
text), so a cache hit costs no query. A change made in this process (the admin) applies at once
here (signal handlers clear the memos); in other processes within :data:`MEMO_SECONDS`: that is
the bound on how long a revoked key or a removed origin may still be accepted elsewhere.
Memory is bounded whatever clients send: at most :data:`MAX_REMEMBERED_KEYS` key texts of at most
``keys.MAX_KEY_LENGTH`` characters; texts without a key's form are refused without a query.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.utils import timezone

from cms.channels import keys
from cms.channels.models import Channel, ChannelKey
from cms.channels.origins import normalise_origin

MEMO_SECONDS = 5.0
MAX_REMEMBERED_KEYS = 4096

VALID, UNKNOWN, REVOKED, EXPIRED, INACTIVE = "valid", "unknown", "revoked", "expired", "inactive"


@dataclass(frozen=True)
class KeyVerdict:
    state: str  # VALID, UNKNOWN, REVOKED, EXPIRED or INACTIVE
    channel_id: int | None = None
    channel_name: str | None = None
    key_id: int | None = None
    rate_limit_policy: str = "standard"
    # A valid key that expires later is valid until then, memo or not.
    expires_at: float | None = None

    @property
    def valid(self) -> bool:
        return self.state == VALID and (self.expires_at is None or time.time() < self.expires_at)


_lock = threading.Lock()
_keys: dict[str, tuple[float, KeyVerdict]] = {}
_origins: tuple[float, frozenset[str]] | None = None


def forget() -> None:
    """Drop the memos (after any change to channels or keys in this process)."""
    global _origins
    with _lock:
        _keys.clear()
        _origins = None


def _judge(text: str) -> KeyVerdict:
    prefix = keys.prefix_of(text)
    if prefix is None:
        return KeyVerdict(UNKNOWN)
    key = ChannelKey.objects.select_related("channel").filter(prefix=prefix).first()
    if key is None or not keys.matches(key, text):
        return KeyVerdict(UNKNOWN)
    now = timezone.now()
    common = {"channel_id": key.channel_id, "channel_name": key.channel.name, "key_id": key.pk}
    if key.revoked_at is not None:
        return KeyVerdict(REVOKED, **common)
    if key.expires_at is not None and key.expires_at <= now:
        return KeyVerdict(EXPIRED, **common)
    if not key.channel.active:
        return KeyVerdict(INACTIVE, **common)
    return KeyVerdict(
        VALID,
        expires_at=key.expires_at.timestamp() if key.expires_at else None,
        rate_limit_policy=key.channel.rate_limit_policy,
        **common,
    )


def key_verdict(text: str) -> KeyVerdict:
    if keys.prefix_of(text) is None:
        return KeyVerdict(UNKNOWN)
    now = time.monotonic()
    with _lock:
        remembered = _keys.get(text)
    if remembered is not None and now - remembered[0] < MEMO_SECONDS:
        verdict = remembered[1]
        return verdict if verdict.state != VALID or verdict.valid else KeyVerdict(EXPIRED, **_ids(verdict))
    verdict = _judge(text)
    with _lock:
        if len(_keys) >= MAX_REMEMBERED_KEYS:
            _keys.clear()
        _keys[text] = (now, verdict)
    return verdict


def _ids(verdict: KeyVerdict) -> dict:
    return {"channel_id": verdict.channel_id, "channel_name": verdict.channel_name, "key_id": verdict.key_id}


def allowed_origins() -> frozenset[str]:
    """The allowed origins of every active channel."""
    global _origins
    now = time.monotonic()
    remembered = _origins
    if remembered is not None and now - remembered[0] < MEMO_SECONDS:
        return remembered[1]
    found: set[str] = set()
    for text in Channel.objects.filter(active=True).values_list("allowed_origins", flat=True):
        for line in text.splitlines():
            try:
                found.add(normalise_origin(line))
            except ValueError:
                continue  # saved without the form's check (a shell): that line allows nothing
    origins = frozenset(found)
    with _lock:
        _origins = (now, origins)
    return origins
