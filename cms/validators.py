"""Validation and normalisation of the values people act on: numbers, addresses, zones, languages."""

import re
import zoneinfo
from functools import cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from phonenumbers import shortnumberinfo

# BCP 47 language tag, the common subset: language, optional script, region and variants.
_LANGUAGE_TAG = re.compile(
    r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$"
)
# ISO 3166-1 alpha-2 country, optionally with an ISO 3166-2 subdivision (BE, BE-VLG, BE-BRU).
_AREA_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone; use a name such as Europe/Brussels."),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_language_tag(value: str) -> None:
    if not _LANGUAGE_TAG.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a BCP 47 language tag such as nl, fr-BE or en."),
            code="invalid_language_tag",
            params={"value": value},
        )


def validate_language_tags(values: list) -> None:
    if not isinstance(values, list):
        raise ValidationError(_("Languages must be a list of BCP 47 tags."), code="invalid")
    for value in values:
        validate_language_tag(value)


def validate_area_code(value: str) -> None:
    if not _AREA_CODE.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166 country or region code such as BE or BE-VLG."),
            code="invalid_area",
            params={"value": value},
        )


def normalise_phone_number(value: str, *, region: str | None = None) -> str:
    """Return the canonical form of a phone number, or raise ValidationError.

    Full numbers become E.164 (``+3224754411``). National short numbers that are
    valid for the region, such as Belgium's 116000, keep their dialable digits.
    """
    region = region or settings.BAKEN_DEFAULT_PHONE_REGION
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None:
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if not str(value).strip().startswith("+") and shortnumberinfo.is_valid_short_number_for_region(
            number, region
        ):
            return phonenumbers.national_significant_number(number)
    raise ValidationError(
        _(
            "“%(value)s” is not a valid phone number for region %(region)s. Use the international "
            "form (+32 2 475 44 11) or a national short number (116000)."
        ),
        code="invalid_phone",
        params={"value": value, "region": region},
    )


def validate_email_address(value: str) -> None:
    # Both validators pass the value to the message as %(value)s.
    EmailValidator(message=_("“%(value)s” is not a valid e-mail address."))(value)


def validate_web_url(value: str) -> None:
    URLValidator(
        schemes=["https", "http"],
        message=_("“%(value)s” is not a valid web address; it must start with https:// or http://."),
    )(value)


FAQ_URL_PLACEHOLDERS = ("{locale}", "{slug}")


def faq_url(template: str, *, locale: str, slug: str) -> str:
    """The public address of an FAQ page from its campaign's template (see validate_faq_url_template)."""
    return template.replace("{locale}", locale).replace("{slug}", slug)


def validate_faq_url_template(value: str) -> None:
    """A web address with ``{slug}`` (the FAQ page's slug) and optionally ``{locale}``, and no other
    placeholder: what a campaign site's FAQ pages are at, e.g. https://schatjeschatje.be/{locale}/faq/{slug}/."""
    if "{slug}" not in value:
        raise ValidationError(_("Put {slug} where the FAQ page's slug goes in the address."), code="no_slug")
    rest = value.replace("{locale}", "").replace("{slug}", "")
    if "{" in rest or "}" in rest:
        raise ValidationError(
            _("Only {locale} and {slug} can be filled in; remove the other braces."), code="placeholder"
        )
    try:
        validate_web_url(faq_url(value, locale="nl", slug="veelgestelde-vragen"))
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid web address; it must start with https:// or http://."),
            code="invalid",
            params={"value": value},
        ) from None
