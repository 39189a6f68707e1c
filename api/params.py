"""Query-parameter validation: every endpoint declares its parameters; anything else is a 400."""

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.errors import InvalidParameters

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_SEARCH_LENGTH = 200


class LocaleParam(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[],
            required=False,
            help_text="Content language; overrides Accept-Language. One of the supported locales.",
            **kwargs,
        )
        self.choices = {code: code for code in settings.BAKEN_LOCALES}

    def to_internal_value(self, data):
        if data not in settings.BAKEN_LOCALES:
            self.fail("invalid_choice", input=data)
        return data

    default_error_messages = {
        "invalid_choice": "“{input}” is not a supported locale; supported: "
        + ", ".join(settings.BAKEN_LOCALES)
        + "."
    }


@extend_schema_field(
    {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
        "examples": ["2026-11-18", "2026-11-18T09:00:00Z"],
    }
)
class InstantParam(serializers.Field):
    """An ISO 8601 date (midnight in the site's time zone) or date-time (with offset, or UTC)."""

    default_error_messages = {
        "invalid": "Use an ISO 8601 date (2026-11-18) or date-time (2026-11-18T09:00:00Z)."
    }

    def to_internal_value(self, data):
        # RFC 3339 allows lower-case "t" and "z", and a leap second, which Python cannot represent.
        data = re.sub(r"(T\d{2}:\d{2}):60", r"\1:59", str(data).strip().upper())
        try:
            moment = parse_datetime(data)
            if moment is None:
                day = parse_date(data)
                if day is None:
                    raise ValueError
                moment = dt.datetime.combine(day, dt.time.min)
        except ValueError:
            self.fail("invalid")
        try:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC if "T" in data else None)
            # The database compares in UTC: a moment outside years 1–9999 there cannot be asked for.
            moment.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            self.fail("invalid")
        return moment


class BaseParams(serializers.Serializer):
    locale = LocaleParam()


class ListParams(BaseParams):
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"Page size, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    )
    offset = serializers.IntegerField(
        required=False, min_value=0, default=0, help_text="Items to skip (default 0)."
    )


class FAQListParams(ListParams):
    campaign = serializers.SlugField(required=False, help_text="Only FAQs of the campaign with this slug.")
    updated_since = InstantParam(
        required=False, help_text="Only FAQs published at or after this ISO 8601 date or date-time."
    )


class CitationParams(BaseParams):
    format = serializers.ChoiceField(
        choices=["json", "csl"],
        required=False,
        default="json",
        help_text="json (default) or csl for CSL-JSON (application/vnd.citationstyles.csl+json).",
    )


class CitationListParams(ListParams, CitationParams):
    pass


class SearchParams(ListParams):
    q = serializers.CharField(
        max_length=MAX_SEARCH_LENGTH,
        trim_whitespace=True,
        help_text=f"Words to look for in questions and answers (1–{MAX_SEARCH_LENGTH} characters).",
    )


def validate_params(params_class: type[serializers.Serializer], query_params) -> dict:
    errors = {}
    for name in query_params:
        if name not in params_class().fields:
            allowed = ", ".join(params_class().fields) or "none"
            errors[name] = f"Unknown parameter; this endpoint accepts: {allowed}."
        elif len(query_params.getlist(name)) > 1:
            errors[name] = "Give this parameter once."
        elif "\x00" in query_params.get(name, ""):
            errors[name] = "Must not contain NUL characters."
    serializer = params_class(data={name: query_params.get(name) for name in query_params})
    if not serializer.is_valid():
        for name, messages in serializer.errors.items():
            errors.setdefault(name, " ".join(str(message) for message in messages))
    if errors:
        raise InvalidParameters(errors)
    return serializer.validated_data
