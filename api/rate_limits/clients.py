"""Who a request is counted for: a channel, or an address (never stored as such)."""

from __future__ import annotations

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
    digest = hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256)
    return ANONYMOUS, f"address:{digest.hexdigest()[:24]}"
