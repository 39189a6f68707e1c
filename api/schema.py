def only_public_api(endpoints, **kwargs):
    """Describe the public API only; Wagtail's own admin endpoints are not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
