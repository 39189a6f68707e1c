"""CORS for the public API (django-cors-headers), with the origins of registered channels.

Invariants:

* Only ``/api/`` answers CORS; an origin is allowed when it is in ``CORS_ALLOWED_ORIGINS`` (the
  optional global list, ``BAKEN_CORS_ALLOWED_ORIGINS``) or an allowed origin of an active channel
  (cms.channels.selectors.allowed_origins, at most ``MEMO_SECONDS`` old).
* A preflight is answered ``204 No Content`` before anything else runs; for an allowed origin it
  echoes the origin and names the methods and request headers a channel needs; any other origin
  gets no CORS headers (the browser then blocks the call).
* Decided per request, outside the response cache: a cached entry never holds CORS headers (they
  are added after the cache answered), so a hit for one origin never answers another.
"""

from __future__ import annotations

import logging

from corsheaders.middleware import CorsMiddleware
from corsheaders.signals import check_request_enabled
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

from cms.channels import selectors

API_PATH_PREFIX = "/api/"
logger = logging.getLogger(__name__)


class PublicAPICorsMiddleware(CorsMiddleware):
    """django-cors-headers' middleware; a preflight is a 204 (no body, no Content-Length)."""

    def check_preflight(self, request):
        response = super().check_preflight(request)
        if response is None:
            return None
        preflight = HttpResponse(status=204)
        preflight["Cache-Control"] = "private, no-store"
        return preflight


def origin_of_a_channel(sender, request, **kwargs) -> bool:
    origin = request.headers.get("Origin")
    if not origin or not request.path.startswith(API_PATH_PREFIX):
        return False
    try:
        return origin in selectors.allowed_origins()
    except (OperationalError, InterfaceError):
        # The registry cannot be read: no CORS headers (the browser blocks the call) rather than an
        # error for every request; the global list in settings still applies.
        logger.exception("Channel origins unavailable (database); CORS allows the global list only")
        return False


def connect_signals() -> None:
    check_request_enabled.connect(origin_of_a_channel, dispatch_uid="baken-channel-origins")
