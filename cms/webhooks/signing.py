"""Standard Webhooks signatures (https://www.standardwebhooks.com/), with the ``standardwebhooks``
library: ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64 HMAC-SHA256
of id.timestamp.body>``). While a rotated-out secret is still in its overlap period, a second
signature made with it follows the first (space-separated), so receivers verify with either."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def headers(*, msg_id: str, body: bytes, at: dt.datetime, secrets_in_use: list[str]) -> dict[str, str]:
    signatures = [Webhook(secret).sign(msg_id, at, body) for secret in secrets_in_use]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
