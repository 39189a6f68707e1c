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
