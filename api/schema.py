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
        "description": 'The client\'s quota (IETF RateLimit header fields), e.g. `"anonymous";q=600;w=60`: '
        "q units per w seconds. A search costs 5 units, the changes feed 3, a list 2, anything else 1.",
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": 'What is left, e.g. `"anonymous";r=593;t=41`: r units left, t seconds until the '
        "window ends. Absent when the counter cannot be reached (the request was not limited).",
        "schema": {"type": "string"},
    },
}
RETRY_AFTER = {
    "description": "Seconds until the quota returns.",
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
