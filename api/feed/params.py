"""The query parameters of ``GET /api/v1/changes/`` (validated like every endpoint's: api.params)."""

from django.conf import settings
from rest_framework import serializers

from api.params import BaseParams, LocaleParam

ALL_LOCALES = "all"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class FeedLocaleParam(LocaleParam):
    """A supported locale, or ``all``: every locale's own translations, each its own item."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.choices = {ALL_LOCALES: ALL_LOCALES, **{code: code for code in settings.BAKEN_LOCALES}}
        self.help_text = (
            "Content language (overrides Accept-Language), or `all` for every locale's own "
            "translations, each its own item. A token is valid only with the locale it was issued for."
        )

    def to_internal_value(self, data):
        return ALL_LOCALES if data == ALL_LOCALES else super().to_internal_value(data)

    default_error_messages = {
        "invalid_choice": "“{input}” is not a supported locale; supported: all, "
        + ", ".join(settings.BAKEN_LOCALES)
        + "."
    }


class ChangesParams(BaseParams):
    locale = FeedLocaleParam()
    since = serializers.CharField(
        required=False,
        max_length=2000,
        help_text="The token from the previous answer's `next` (opaque). Without it: an initial sync.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"Items per answer, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    )
