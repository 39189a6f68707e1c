"""cms.validators, cms.opening_hours and the model-level checks that use them."""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from cms import validators
from cms.opening_hours import OpeningInterval, is_open_at, validate_intervals
from cms.snippets.models import ContactPoint, ContactType, OpeningHours

pytestmark = pytest.mark.usefixtures("english")


PHONE_HINT = "Use the international form (+32 2 475 44 11) or a national short number (116000)."
UTC = dt.UTC


def t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def interval(weekday: int, opens: str, closes: str) -> OpeningInterval:
    return OpeningInterval(weekday, t(opens), t(closes))


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("116000", "116000"),
        ("116 000", "116000"),
        (" 116000 ", "116000"),
        ("+32 2 475 44 11", "+3224754411"),
        ("02 475 44 11", "+3224754411"),
        ("0032 2 475 44 11", "+3224754411"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_phone_numbers_are_normalised_for_belgium(value, expected):
    assert validators.normalise_phone_number(value, region="BE") == expected


def test_phone_region_defaults_to_the_setting(settings):
    settings.BAKEN_DEFAULT_PHONE_REGION = "BE"
    assert validators.normalise_phone_number("02 475 44 11") == "+3224754411"


@pytest.mark.parametrize("value", ["123", "abc", "", "+116000", "02 475"])
def test_bad_phone_number_is_refused_with_a_message_naming_it(value):
    with pytest.raises(ValidationError) as caught:
        validators.normalise_phone_number(value, region="BE")
    assert caught.value.messages == [f"“{value}” is not a valid phone number for region BE. {PHONE_HINT}"]
    assert caught.value.code == "invalid_phone"


# --- e-mail, web addresses, time zones, languages, areas ----------------------------------


def test_valid_email_passes():
    assert validators.validate_email_address("116000@childfocus.org") is None


@pytest.mark.parametrize("value", ["116000@", "childfocus.org", "a b@childfocus.org", "@childfocus.org"])
def test_bad_email_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        validators.validate_email_address(value)
    assert caught.value.messages == [f"“{value}” is not a valid e-mail address."]


@pytest.mark.parametrize("value", ["https://www.stopchildporno.be", "http://www.clicksafe.be/nl"])
def test_web_url_accepts_http_and_https(value):
    assert validators.validate_web_url(value) is None


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "ftp://x", "ftp://files.example.org/a.pdf", "www.stopchildporno.be", ""]
)
def test_bad_web_url_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        validators.validate_web_url(value)
    assert caught.value.messages == [
        f"“{value}” is not a valid web address; it must start with https:// or http://."
    ]


@dataclass(frozen=True)
class FieldCheck:
    """A field validator, the values it accepts, those it refuses, its message ("{}": the value)
    and its error code."""

    validate: Callable[[str], None]
    accepts: list[str]
    refuses: list[str]
    message: str
    code: str


FIELD_CHECKS = {
    "time_zone": FieldCheck(
        validators.validate_time_zone,
        ["Europe/Brussels", "UTC", "America/New_York"],
        ["Europe/Brusels", "CET+1", "", "europe/brussels"],
        "“{}” is not a known IANA time zone; use a name such as Europe/Brussels.",
        "invalid_time_zone",
    ),
    "language_tag": FieldCheck(
        validators.validate_language_tag,
        ["nl", "fr-BE", "en", "zh-Hant-TW", "es-419", "de-CH-1901"],
        ["english", "nl_BE", "NL", "fr-be", "", "n"],
        "“{}” is not a BCP 47 language tag such as nl, fr-BE or en.",
        "invalid_language_tag",
    ),
    "area_code": FieldCheck(
        validators.validate_area_code,
        ["BE", "BE-VLG", "BE-BRU", "NL"],
        ["Belgium", "be", "BEL", "BE-", "BE-VLGX", ""],
        "“{}” is not an ISO 3166 country or region code such as BE or BE-VLG.",
        "invalid_area",
    ),
}


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, check in FIELD_CHECKS.items() for value in check.accepts]
)
def test_good_value_passes(name, value):
    assert FIELD_CHECKS[name].validate(value) is None


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, check in FIELD_CHECKS.items() for value in check.refuses]
)
def test_bad_value_is_refused_with_a_message_naming_it(name, value):
    check = FIELD_CHECKS[name]
    with pytest.raises(ValidationError) as caught:
        check.validate(value)
    assert caught.value.messages == [check.message.format(value)]
    assert caught.value.code == check.code


def test_language_tags_must_be_a_list():
    with pytest.raises(ValidationError) as caught:
        validators.validate_language_tags("nl")
    assert caught.value.messages == ["Languages must be a list of BCP 47 tags."]


def test_language_tags_name_the_bad_tag():
    assert validators.validate_language_tags(["nl", "fr-BE"]) is None
    with pytest.raises(ValidationError) as caught:
        validators.validate_language_tags(["nl", "vlaams"])
    assert caught.value.messages == ["“vlaams” is not a BCP 47 language tag such as nl, fr-BE or en."]


# --- opening hours ---------------------------------------------------------------------------


def test_non_overlapping_intervals_pass():
    intervals = [
        interval(0, "09:00", "12:00"),
        interval(0, "12:00", "17:00"),  # touching is not overlapping
        interval(1, "09:00", "17:00"),
        interval(6, "00:00", "23:59:59"),
    ]
    assert validate_intervals(intervals) is None


def test_interval_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_intervals([interval(2, "17:00", "09:00")])
    assert caught.value.messages == ["Wednesday: closing time 09:00 must be after opening time 17:00."]


def test_interval_of_zero_length_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_intervals([interval(4, "09:00", "09:00")])
    assert caught.value.messages == ["Friday: closing time 09:00 must be after opening time 09:00."]


def test_overlapping_intervals_are_refused():
    with pytest.raises(ValidationError) as caught:
        validate_intervals([interval(0, "16:00", "20:00"), interval(0, "09:00", "17:00")])
    assert caught.value.messages == ["Monday: 09:00–17:00 and 16:00–20:00 overlap."]


def test_same_hours_on_different_days_do_not_overlap():
    assert validate_intervals([interval(0, "09:00", "17:00"), interval(1, "09:00", "17:00")]) is None


def test_every_problem_is_listed_at_once():
    with pytest.raises(ValidationError) as caught:
        validate_intervals(
            [
                interval(5, "18:00", "10:00"),
                interval(0, "09:00", "17:00"),
                interval(0, "10:00", "11:00"),
                interval(7, "09:00", "10:00"),
            ]
        )
    assert caught.value.messages == [
        "Saturday: closing time 10:00 must be after opening time 18:00.",
        "7 is not a weekday (0 = Monday … 6 = Sunday).",
        "Monday: 09:00–17:00 and 10:00–11:00 overlap.",
    ]


def test_an_interval_overlapping_a_long_one_but_not_its_neighbour_is_listed():
    """validate_intervals promises to list *every* interval that overlaps another.

    08:00–20:00 overlaps both 09:00–10:00 and 11:00–12:00; only comparing neighbours after
    sorting misses the second pair.
    """
    with pytest.raises(ValidationError) as caught:
        validate_intervals(
            [interval(0, "08:00", "20:00"), interval(0, "09:00", "10:00"), interval(0, "11:00", "12:00")]
        )
    assert caught.value.messages == [
        "Monday: 08:00–20:00 and 09:00–10:00 overlap.",
        "Monday: 08:00–20:00 and 11:00–12:00 overlap.",
    ]


def test_opening_hours_row_clean_refuses_closing_before_opening():
    row = OpeningHours(weekday=3, opens=t("20:00"), closes=t("08:00"))
    with pytest.raises(ValidationError) as caught:
        row.clean()
    assert caught.value.messages == ["Thursday: closing time 08:00 must be after opening time 20:00."]


# --- is_open_at across time zones ------------------------------------------------------------

WEEKDAY_OFFICE_HOURS = [interval(day, "09:00", "17:00") for day in range(5)]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Winter (CET, UTC+1): Monday 15 January 2024.
        (dt.datetime(2024, 1, 15, 7, 59, tzinfo=UTC), False),  # 08:59 local
        (dt.datetime(2024, 1, 15, 8, 0, tzinfo=UTC), True),  # 09:00 local: opens inclusive
        (dt.datetime(2024, 1, 15, 15, 30, tzinfo=UTC), True),  # 16:30 local
        (dt.datetime(2024, 1, 15, 16, 0, tzinfo=UTC), False),  # 17:00 local: closes exclusive
        # Summer (CEST, UTC+2): Monday 15 July 2024; the same UTC times give other answers.
        (dt.datetime(2024, 7, 15, 7, 0, tzinfo=UTC), True),  # 09:00 local
        (dt.datetime(2024, 7, 15, 15, 30, tzinfo=UTC), False),  # 17:30 local
        # Saturday: no hours at all.
        (dt.datetime(2024, 1, 20, 10, 0, tzinfo=UTC), False),
    ],
)
def test_is_open_at_uses_the_help_line_time_zone(moment, expected):
    assert is_open_at(intervals=WEEKDAY_OFFICE_HOURS, time_zone="Europe/Brussels", moment=moment) is expected


SUNDAY_NIGHT = [interval(6, "01:00", "02:00")]
SUNDAY_MORNING = [interval(6, "10:00", "11:00")]
NIGHT_LINE = [interval(0, "00:00", "01:00")]
# Monday 15 January 2024, 03:30 in New York.
MONDAY_MORNING_IN_NEW_YORK = dt.datetime(2024, 1, 15, 3, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    ("intervals", "time_zone", "moment", "local", "expected"),
    [
        # Sunday 31 March 2024: clocks in Brussels jump from 02:00 CET to 03:00 CEST.
        (SUNDAY_NIGHT, "Europe/Brussels", dt.datetime(2024, 3, 31, 0, 30, tzinfo=UTC), "01:30", True),
        # 08:30 UTC is 10:30 CEST (open); with the winter offset it would have been 09:30 (closed).
        (SUNDAY_MORNING, "Europe/Brussels", dt.datetime(2024, 3, 31, 8, 30, tzinfo=UTC), "10:30", True),
        # 09:30 UTC is 11:30 CEST (closed); with the winter offset it would have been 10:30 (open).
        (SUNDAY_MORNING, "Europe/Brussels", dt.datetime(2024, 3, 31, 9, 30, tzinfo=UTC), "11:30", False),
        # Sunday 27 October 2024: clocks go back from 03:00 CEST to 02:00 CET.
        (SUNDAY_MORNING, "Europe/Brussels", dt.datetime(2024, 10, 27, 9, 30, tzinfo=UTC), "10:30", True),
        (SUNDAY_MORNING, "Europe/Brussels", dt.datetime(2024, 10, 27, 8, 30, tzinfo=UTC), "09:30", False),
        # Sunday 14 January 2024 23:30 UTC is already Monday 00:30 in Brussels.
        (NIGHT_LINE, "Europe/Brussels", dt.datetime(2024, 1, 14, 23, 30, tzinfo=UTC), "00:30", True),
        (NIGHT_LINE, "UTC", dt.datetime(2024, 1, 14, 23, 30, tzinfo=UTC), "23:30", False),
        # 03:30 in New York on Monday 15 January 2024 is 09:30 in Brussels.
        (WEEKDAY_OFFICE_HOURS, "Europe/Brussels", MONDAY_MORNING_IN_NEW_YORK, "09:30", True),
        (WEEKDAY_OFFICE_HOURS, "America/New_York", MONDAY_MORNING_IN_NEW_YORK, "03:30", False),
    ],
    ids=[
        "dst-starts-before-the-switch",
        "dst-starts-summer-offset-open",
        "dst-starts-summer-offset-closed",
        "dst-ends-winter-offset-open",
        "dst-ends-winter-offset-closed",
        "crosses-midnight-into-the-local-weekday",
        "crosses-midnight-not-in-utc",
        "moment-in-another-time-zone",
        "moment-in-the-help-line-time-zone",
    ],
)
def test_is_open_at_follows_the_local_wall_clock(intervals, time_zone, moment, local, expected):
    """``local`` is the moment's wall-clock time in ``time_zone``."""
    assert moment.astimezone(zoneinfo.ZoneInfo(time_zone)).strftime("%H:%M") == local
    assert is_open_at(intervals=intervals, time_zone=time_zone, moment=moment) is expected


# --- model-level checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact_type", "value", "expected"),
    [
        (ContactType.PHONE, " 02 475 44 11 ", "+3224754411"),
        (ContactType.PHONE, "116 000", "116000"),
        (ContactType.SMS, "+32 470 12 34 56", "+32470123456"),
        (ContactType.EMAIL, " 116000@childfocus.org ", "116000@childfocus.org"),
        (ContactType.WEB_FORM, "https://www.stopchildporno.be", "https://www.stopchildporno.be"),
    ],
)
def test_contact_point_clean_normalises_the_value(contact_type, value, expected):
    point = ContactPoint(contact_type=contact_type, value=value, label="Contact")
    point.clean()
    assert point.value == expected


@pytest.mark.parametrize(
    ("contact_type", "value", "message"),
    [
        (ContactType.EMAIL, "116000@", "“116000@” is not a valid e-mail address."),
        (ContactType.PHONE, "123", f"“123” is not a valid phone number for region BE. {PHONE_HINT}"),
        (
            ContactType.WEB_FORM,
            "javascript:alert(1)",
            "“javascript:alert(1)” is not a valid web address; it must start with https:// or http://.",
        ),
        (
            ContactType.CHAT,
            "ftp://chat.example.org",
            "“ftp://chat.example.org” is not a valid web address; it must start with https:// or http://.",
        ),
    ],
)
def test_contact_point_clean_reports_a_bad_value_under_value(contact_type, value, message):
    point = ContactPoint(contact_type=contact_type, value=value, label="Contact")
    with pytest.raises(ValidationError) as caught:
        point.clean()
    assert caught.value.message_dict == {"value": [message]}


@pytest.mark.django_db
def test_help_line_full_clean_names_each_bad_field(content):
    helpline = content.unsaved_helpline(
        time_zone="Europe/Brusels", languages=["nl", "vlaams"], area_served="be"
    )
    with pytest.raises(ValidationError) as caught:
        helpline.full_clean()
    assert caught.value.message_dict == {
        "time_zone": ["“Europe/Brusels” is not a known IANA time zone; use a name such as Europe/Brussels."],
        "languages": ["“vlaams” is not a BCP 47 language tag such as nl, fr-BE or en."],
        "area_served": ["“be” is not an ISO 3166 country or region code such as BE or BE-VLG."],
    }


@pytest.mark.django_db
def test_help_line_slug_must_be_unique_across_help_lines(content):
    content.helpline("child-focus-116000", revision=False)
    other = content.unsaved_helpline("child-focus-116000")
    with pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert caught.value.message_dict == {"slug": ["Another help-line already uses this slug."]}


@pytest.mark.django_db
def test_help_line_without_slug_gets_one_from_its_name(content):
    """HelpLine.clean() fills a blank slug from the name; full_clean() must let it."""
    helpline = content.unsaved_helpline("", "Hulplijn 116000")

    helpline.full_clean()

    assert helpline.slug == "hulplijn-116000"


@pytest.mark.django_db
def test_citation_needs_authors_or_an_organisation(content):
    citation = content.unsaved_citation(authors="", organisation="  ")
    with pytest.raises(ValidationError) as caught:
        citation.full_clean()
    assert caught.value.message_dict == {"__all__": ["Give the authors, the organisation, or both."]}


@pytest.mark.django_db
def test_citation_accessed_date_cannot_be_in_the_future(content):
    citation = content.unsaved_citation(accessed_date=dt.date.today() + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as caught:
        citation.full_clean()
    assert caught.value.message_dict == {"accessed_date": ["The accessed date cannot be in the future."]}


@pytest.mark.django_db
def test_citation_language_must_be_a_language_tag(content):
    citation = content.unsaved_citation(language="Nederlands")
    with pytest.raises(ValidationError) as caught:
        citation.full_clean()
    assert caught.value.message_dict == {
        "language": ["“Nederlands” is not a BCP 47 language tag such as nl, fr-BE or en."]
    }
