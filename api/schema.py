"""How drf-spectacular describes the public API: the AutoSchema of its views and the hooks.

Invariants:
- Only ``/api/v1/`` is described (``only_public_api``); Wagtail's own endpoints are not the contract.
- What the views' shared machinery answers is described where it applies, from the view classes
  themselves (not from a list of paths): the RateLimit fields on every answer and Retry-After on
  each 429 (``rate_limit_headers``); a 406 on every operation, and on the cacheable ones
  (api.views.PublicAPIMixin) the conditional request headers, ETag / Last-Modified /
  Cache-Control, a 304 and a 412 (``conditional_requests``). tests/api/test_openapi_conditional.py
  checks each documented status really happens, and no undocumented one.
"""

import copy

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

CHANNEL_KEY = "channelKey"
CHANNEL_KEY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "Optional. A registered channel's API key (`Authorization: Bearer baken_…`): it names the "
        "channel for its limits and usage and unlocks nothing. Without the header a request is "
        "anonymous; a wrong, revoked or expired key is a 401 problem."
    ),
}


def only_public_api(endpoints, **kwargs):
    """Describe the public API only; Wagtail's own admin endpoints are not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class PublicAPISchema(AutoSchema):
    """Our list endpoints declare their paginated envelope themselves; don't wrap it in an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def get_auth(self) -> list[dict]:
        """Every operation: anonymous, or with a channel key (api/channel_access.py)."""
        self.registry.register_on_missing(
            ResolvedComponent(
                name=CHANNEL_KEY,
                type=ResolvedComponent.SECURITY_SCHEMA,
                object=CHANNEL_KEY,
                schema=CHANNEL_KEY_SCHEME,
            )
        )
        return [{}, {CHANNEL_KEY: []}]

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if getattr(self.view, "action", None) == "list" and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id


# The rate limit's header fields (api/rate_limits/), on every answer of every operation.
RATE_LIMIT_HEADERS = {
    "RateLimit-Policy": {
        "description": 'The client\'s quota (IETF RateLimit header fields), e.g. `"anonymous";q=100;w=10`: '
        "a bucket of q units, refilled continuously at q units per w seconds. A search costs 5 units, "
        "the changes feed 3, a list 2, anything else 1.",
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": 'What is left, e.g. `"anonymous";r=93;t=1`: r units that can be spent now, t seconds '
        "until the bucket is full again. Absent when the counter cannot be reached (the request was not "
        "limited).",
        "schema": {"type": "string"},
    },
}
RETRY_AFTER = {
    "description": "Seconds until this request would fit: refused requests spend nothing.",
    "schema": {"type": "integer", "minimum": 1},
}


def rate_limit_headers(result, generator, request, public):
    """Postprocessing hook: the RateLimit fields on every response, Retry-After on each 429."""
    components = result.setdefault("components", {}).setdefault("headers", {})
    components.update(RATE_LIMIT_HEADERS)
    components["Retry-After"] = RETRY_AFTER
    references = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_LIMIT_HEADERS}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                headers = response.setdefault("headers", {})
                headers.update(references)
                if status == "429":
                    headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
    return result


# --- conditional requests and content negotiation (api/conditional.py, api/base.py) ------------

# Request header fields of conditional requests (RFC 9110 §13), as api.conditional.evaluate reads them.
CONDITIONAL_REQUEST_HEADERS = {
    "IfNoneMatch": {
        "name": "If-None-Match",
        "description": "ETags of representations you hold (`W/` allowed: weak comparison) or `*`: "
        "answered `304 Not Modified` when one matches the current representation.",
    },
    "IfModifiedSince": {
        "name": "If-Modified-Since",
        "description": "An HTTP date (a `Last-Modified` you were given): answered `304 Not Modified` when "
        "the representation has not changed since. Ignored when If-None-Match is present, and unless "
        "the server's response cache is on (it keeps dates stable; see the README's Caching).",
    },
    "IfMatch": {
        "name": "If-Match",
        "description": "ETags (strong comparison: a `W/` tag never matches) or `*`: answered "
        "`412 Precondition Failed` unless one matches the current representation.",
    },
    "IfUnmodifiedSince": {
        "name": "If-Unmodified-Since",
        "description": "An HTTP date: answered `412 Precondition Failed` when the representation changed "
        "after it. Ignored when If-Match is present, and unless the server's response cache is on.",
    },
}
# Response header fields of every cacheable answer (api.conditional.make_cacheable) and its 304.
VALIDATOR_HEADERS = {
    "ETag": {
        "description": "Strong entity tag of exactly this representation (body, media type and "
        "language): send it in If-None-Match to revalidate.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "HTTP date of the representation, never later than the response's Date.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`public, max-age=…, stale-while-revalidate=…, stale-if-error=…`, each cut so that "
        "none reaches past the next change by the clock (a scheduled go-live or expiry, a help-line "
        "opening or closing).",
        "schema": {"type": "string"},
    },
}
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
NOT_MODIFIED = {
    "description": "Not Modified: If-None-Match (or, without it, If-Modified-Since) matched the current "
    "representation; keep using yours. No body.",
    "headers": {name: {"$ref": f"#/components/headers/{name}"} for name in VALIDATOR_HEADERS},
}
PRECONDITION_FAILED = {
    "description": "Precondition Failed: If-Match (or, without it, If-Unmodified-Since) does not hold "
    "for the current representation.",
    "content": PROBLEM_CONTENT,
}
NOT_ACCEPTABLE = {
    "description": "Not Acceptable: the Accept header rules out every representation of the 200 "
    "answer (an absent Accept allows any; `*/*` and `application/*` allow them all).",
    "content": PROBLEM_CONTENT,
}


def _view_classes(generator) -> dict[tuple[str, str], type]:
    """(path as in the document, method) → the view class that answers it."""
    classes = {}
    for path, _path_regex, method, callback in generator.endpoints or ():
        view = generator.create_view(callback, method)
        classes[(generator.coerce_path(path, method, view), method.lower())] = callback.cls
    return classes


def conditional_requests(result, generator, request, public):
    """Postprocessing hook: what every public operation answers besides its own responses.

    * Every operation (api.base.PublicAPIBehaviour: DRF's negotiation, problem+json errors): a 406
      when Accept rules out each media type of its 200.
    * Operations of the views whose successful answers are cacheable (api.views.PublicAPIMixin,
      whose finalize_response calls api.conditional.make_cacheable — not the feed nor the preview,
      which are never cached): the conditional request headers; ETag, Last-Modified and
      Cache-Control on their 200; a 304 and a 412 (api.conditional.evaluate).
    """
    from api.base import PublicAPIBehaviour
    from api.views import PublicAPIMixin

    components = result.setdefault("components", {})
    components.setdefault("headers", {}).update(VALIDATOR_HEADERS)
    components.setdefault("parameters", {}).update(
        {
            key: {"in": "header", "required": False, "schema": {"type": "string"}, **parameter}
            for key, parameter in CONDITIONAL_REQUEST_HEADERS.items()
        }
    )
    view_classes = _view_classes(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view_class = view_classes.get((path, method))
            if view_class is None or not issubclass(view_class, PublicAPIBehaviour):
                continue
            responses = operation.setdefault("responses", {})
            responses["406"] = copy.deepcopy(NOT_ACCEPTABLE)
            if method != "get" or not issubclass(view_class, PublicAPIMixin):
                continue
            operation.setdefault("parameters", []).extend(
                {"$ref": f"#/components/parameters/{key}"} for key in CONDITIONAL_REQUEST_HEADERS
            )
            responses["200"].setdefault("headers", {}).update(copy.deepcopy(NOT_MODIFIED["headers"]))
            responses["304"] = copy.deepcopy(NOT_MODIFIED)
            responses["412"] = copy.deepcopy(PRECONDITION_FAILED)
    return result
