"""Who a request is counted for: a channel, or an address (never stored as such)."""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings

from api.rate_limits.policies import ANONYMOUS


def client_address(request) -> str:
    """The socket's address, or, behind ``BAKEN_TRUSTED_PROXIES`` proxies that each append the
    address they were reached from to ``X-Forwarded-For``, the address the outermost trusted proxy
    saw. Entries further left were written by the client and are ignored."""
    trusted = settings.BAKEN_TRUSTED_PROXIES
    if trusted > 0:
        chain = [
            part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()
        ]
        if len(chain) >= trusted:
            return chain[-trusted]
    return request.META.get("REMOTE_ADDR", "")


def bucket_of(request) -> tuple[str, str]:
    """(policy name, counter bucket) for this request."""
    channel = getattr(request, "baken_channel", None)
    if channel is not None:
        return channel.rate_limit_policy, f"channel:{channel.channel_id}"
    return ANONYMOUS, _address_bucket(client_address(request), settings.SECRET_KEY)


@functools.lru_cache(maxsize=4096)  # bounded whatever clients send: addresses are short
def _address_bucket(address: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), address.encode(), hashlib.sha256)
    return f"address:{digest.hexdigest()[:24]}"
