"""The response cache in the request cycle: answer a repeated public read before anything else,
but only what the full stack would answer (see ``CachedResponseMiddleware``)."""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from api.response_cache.entries import as_response, lookup, request_entry_key, store_response
from api.response_cache.store import RedisStore, enabled, shared_store
from api.response_cache.versions import VERSION_KEYS


def _disallowed_host(request, error: DisallowedHost) -> HttpResponse:
    from api.errors import problem_response

    # Logged as Django logs the DisallowedHost it would have raised further in.
    logging.getLogger("django.security.DisallowedHost").error(
        str(error), extra={"status_code": 400, "request": request}
    )
    return problem_response(400, "This server does not answer for the host named in the request.")


# The feed answers per token and client, never from a shared entry.
EXCLUDED = ("/api/v1/preview/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/changes/")


# An Accept naming CSL-JSON may be answered with it (api.views.CitationViewSet): never from an
# entry built for JSON. Rare enough that such requests simply go to the view.
CSL_IN_ACCEPT = "citationstyles"


def looks_up(request) -> bool:
    """Whether the cache looks this request up (once its host is validated): a GET or HEAD of a
    public endpoint, accepting JSON and not naming another representation, with the response
    cache on."""
    from api.base import accepts_json

    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and request.path.startswith("/api/v1/")
        and not request.path.startswith(EXCLUDED)
        and accepts_json(request)
        and CSL_IN_ACCEPT not in request.META.get("HTTP_ACCEPT", "").lower()
    )


def versions_to_prefetch(request) -> list[str] | None:
    """The shared store's keys of the content versions a lookup of this request will read, for a
    caller that goes to the store first anyway to read them in the same round trip (the rate
    limit, api.rate_limits); None when there is nothing to prefetch. The caller leaves what it
    read on ``request.baken_prefetched_versions`` (as the store returns them, in this order)."""
    store = shared_store()
    if not isinstance(store, RedisStore):
        return None
    # The views read the versions too (api/views.py), for their memos, cached or not.
    reads_versions = looks_up(request) or (
        settings.BAKEN_API_MEMOS
        and request.method in ("GET", "HEAD")
        and request.path.startswith("/api/v1/")
        and not request.path.startswith(EXCLUDED)
    )
    if not reads_versions:
        return None
    return [store.make_key(key) for key in VERSION_KEYS]


class CachedResponseMiddleware:
    """Answers repeated public API reads from the shared cache before any other work is done —
    but only what the full stack would answer.

    For every API request, first the Host is validated against ALLOWED_HOSTS (a problem+json 400
    when it is not allowed, whether or not the answer is cached). Then, for GET/HEAD reads of the
    public endpoints, a request whose Accept the views would refuse (406) goes on to them, so it
    gets exactly their answer; any other is looked up by ``request_entry_key``, which holds every
    input that changes a body. Placed right after SecurityMiddleware (which must still redirect
    plain HTTP), so a hit skips every other middleware; entries keep the headers those middlewares
    added when the response was first built. A hit costs these header checks, the key (remembered
    per raw value) and one round trip to the shared cache: no database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        from api.base import public_origin

        try:
            public_origin(request)
        except DisallowedHost as error:
            return _disallowed_host(request, error)
        if not looks_up(request):
            return self.get_response(request)
        entry = lookup(request_entry_key(request), request)
        if entry is not None:
            return as_response(entry, request)
        response = self.get_response(request)
        pending = getattr(response, "baken_cache_entry", None)
        if pending is not None and response.status_code == 200:
            key, versions, valid_until, transition = pending
            store_response(key, response, versions=versions, valid_until=valid_until, transition=transition)
        return response
