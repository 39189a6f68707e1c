from drf_spectacular.openapi import AutoSchema


def only_public_api(endpoints, **kwargs):
    """Describe the public API only; Wagtail's own admin endpoints are not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class PublicAPISchema(AutoSchema):
    """Our list endpoints declare their paginated envelope themselves; don't wrap it in an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if getattr(self.view, "action", None) == "list" and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id
