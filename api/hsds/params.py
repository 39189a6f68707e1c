"""Query parameters of the HSDS endpoints: each endpoint declares its own; anything else, and any
bad value, is a 400 problem listing each parameter (api.params.validate_params), as in v1.

The names are HSDS's (its OpenAPI document's ``components.parameters``); of its optional filters,
those that mean something for help-lines are offered. ``format`` is accepted with its default,
``json`` (HSDS's ``ndjson`` stream is not offered). ``locale`` picks the language as in v1.
"""

from rest_framework import serializers

from api.params import BaseParams, InstantParam

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


class HSDSParams(BaseParams):
    format = serializers.ChoiceField(
        choices=["json"], required=False, default="json", help_text="json (the only format offered)."
    )


class PageParams(HSDSParams):
    page = serializers.IntegerField(
        required=False, min_value=1, default=1, help_text="Page number, from 1 (default 1)."
    )
    per_page = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PER_PAGE,
        default=DEFAULT_PER_PAGE,
        help_text=f"Items per page, 1–{MAX_PER_PAGE} (default {DEFAULT_PER_PAGE}).",
    )
    full = serializers.BooleanField(
        required=False, default=False, help_text="true: fully nested items (default false)."
    )


class ServiceListParams(PageParams):
    organization_id = serializers.UUIDField(
        required=False, help_text="Only services of the organisation with this id."
    )
    modified_after = InstantParam(
        required=False, help_text="Only services modified (published) at or after this date or date-time."
    )


class OrganizationParams(HSDSParams):
    full_service = serializers.BooleanField(
        required=False, default=False, help_text="true: the organisation's services fully nested."
    )


class OrganizationListParams(PageParams, OrganizationParams):
    pass
