"""Who is asking: anonymous, or a registered channel by its key (``Authorization: Bearer <key>``).

Invariants:

* No ``Authorization`` header: an anonymous client, served like every other.
* An ``Authorization`` header is a channel key or the request is refused with a 401 problem
  (``WWW-Authenticate: Bearer``, RFC 6750), whether the answer is cached or not: a wrong, revoked
  or expired key, a key of an inactive channel, or another scheme is never read as anonymous.
* A valid key changes nothing in what is served (keys never unlock unpublished content): it only
  names the channel (``request.baken_channel``), for its limits and usage.
* While the database is unreachable, a request with a key (not yet remembered) is a 503 problem
  to retry; one without a key is served as before (from the cache when it can).
* Runs before the response cache (a hit is checked too) and inside CORS (a browser can read the 401).
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

from api.errors import problem_response
from api.middleware import database_unavailable
from cms.channels import selectors
from cms.channels.selectors import EXPIRED, INACTIVE, REVOKED

REFUSALS = {
    REVOKED: "This channel key was revoked. Ask the content team for a new one.",
    EXPIRED: "This channel key has expired. Use the channel's current key.",
    INACTIVE: "This channel is not active, so its keys are refused.",
}
UNKNOWN_KEY = "This is not a valid channel key."
DATABASE_ERRORS = (OperationalError, InterfaceError)
NOT_BEARER = "The Authorization header must be `Bearer <channel key>` (or be left out to read anonymously)."


def unauthorized(detail: str, *, error: str = "invalid_token") -> HttpResponse:
    response = problem_response(401, detail)
    response["WWW-Authenticate"] = f'Bearer realm="baken", error="{error}"'
    return response


class ChannelKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.baken_channel = None
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        header = request.headers.get("Authorization")
        if header is None:
            return self.get_response(request)
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            return unauthorized(NOT_BEARER, error="invalid_request")
        try:
            verdict = selectors.key_verdict(credentials)
        except DATABASE_ERRORS as error:
            # The key cannot be checked: never read as anonymous, never as valid.
            return database_unavailable(request, error)
        if not verdict.valid:
            return unauthorized(REFUSALS.get(verdict.state, UNKNOWN_KEY))
        request.baken_channel = verdict
        return self.get_response(request)
