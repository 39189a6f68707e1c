"""The HSDS mapping (api/hsds/mapping.py), pure: no database, no clock.

Any valid help-line maps to a service valid against the compiled HSDS 3.0.1 schemas (formats
checked), whose ids are UUIDs naming one object each, the same in every language and on every
call; the importer's reader (cms/importers/hsds.py) reads every value back.
"""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from api.hsds import mapping
from api.hsds.mapping import derived_id
from cms.importers.hsds import read_service
from cms.opening_hours import OpeningInterval, validate_intervals
from cms.validators import (
    normalise_phone_number,
    validate_area_code,
    validate_email_address,
    validate_language_tags,
    validate_time_zone,
    validate_web_url,
)
from tests.hsds import (
    HelpLineSpec,
    assert_ids_name_one_object,
    assert_valid,
    helpline_specs,
    objects_by_id,
    validator,
)

KEY = uuid.UUID("3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
PHONE_KEY = uuid.UUID("11111111-2222-4333-8444-555555555555")
FORM_KEY = uuid.UUID("66666666-7777-4888-9999-aaaaaaaaaaaa")
# The organisation id of "Child Focus": pinned, so the namespace and the normalisation never change.
CHILD_FOCUS = "35f10866-d0d6-507b-81b2-153c5a0c457b"


def office_line(**changes) -> HelpLineSpec:
    fields = {
        "slug": "kantoor-lijn",
        "name": "Kantoorlijn",
        "organisation": "Child Focus",
        "description": "Tijdens de kantooruren.",
        "is_free": False,
        "anonymous_possible": False,
        "available_24_7": False,
        "time_zone": "Europe/Brussels",
        "languages": ["nl", "fr-BE"],
        "area_served": "BE-VLG",
        "last_verified": dt.date(2026, 11, 2),
        "points": [
            ("phone", "+3224754411", "Bel ons"),
            ("web_form", "https://www.stopchildporno.be/meld", "Meld online"),
        ],
        "hours": [(0, "09:00:00", "17:00:00"), (5, "20:00:00", "23:59:59")],
        "translation_key": KEY,
        "point_keys": [PHONE_KEY, FORM_KEY],
        "last_published_at": dt.datetime(2026, 11, 18, 9, 0, 0, 123456, tzinfo=dt.UTC),
    }
    return HelpLineSpec(**{**fields, **changes})


def service_of(
    spec: HelpLineSpec, *, locale: str = "nl", source_organisation: str | None = None, **kwargs
) -> dict:
    return mapping.service(
        spec.presented(locale=locale),
        contact_point_keys=spec.point_keys,
        source_organisation=source_organisation or spec.organisation,
        **kwargs,
    )


def term(code: str) -> dict:
    return mapping.TERMS[code].as_hsds()


def test_a_help_line_is_this_service_exactly():
    key, phone_id = str(KEY), derived_id(PHONE_KEY, "phone")
    schedule_zone = "Times are local times in Europe/Brussels (IANA time zone)."
    monday, saturday = derived_id(KEY, "schedule:0:09:00:17:00"), derived_id(KEY, "schedule:5:20:00:23:59:59")

    def zone_attribute(link_id: str, link_entity: str) -> dict:
        return {
            "id": derived_id(link_id, "attribute:time_zone"),
            "link_id": link_id,
            "link_entity": link_entity,
            "taxonomy_term_id": term("time_zone")["id"],
            "taxonomy_term": term("time_zone"),
            "value": "Europe/Brussels",
        }

    def service_attribute(code: str, value: str) -> dict:
        return {
            "id": derived_id(key, f"attribute:{code}"),
            "link_id": key,
            "link_entity": "service",
            "taxonomy_term_id": term(code)["id"],
            "taxonomy_term": term(code),
            "value": value,
        }

    phone = {
        "id": phone_id,
        "service_id": key,
        "contact_id": str(PHONE_KEY),
        "number": "+3224754411",
        "type": "voice",
        "description": "Bel ons",
        "languages": [
            {
                "id": derived_id(phone_id, "language:0:nl"),
                "phone_id": phone_id,
                "name": "Dutch",
                "code": "nl",
            },
            {
                "id": derived_id(phone_id, "language:1:fr-BE"),
                "phone_id": phone_id,
                "name": "French",
                "code": "fr",
                "note": "fr-BE",
            },
        ],
    }
    assert service_of(office_line()) == {
        "id": key,
        "organization_id": CHILD_FOCUS,
        "name": "Kantoorlijn",
        "description": "Tijdens de kantooruren.",
        "url": "https://www.stopchildporno.be/meld",
        "status": "active",
        "assured_date": "2026-11-02",
        "last_modified": "2026-11-18T09:00:00.123Z",
        "organization": {"id": CHILD_FOCUS, "name": "Child Focus", "description": "Child Focus"},
        "phones": [phone],
        "schedules": [
            {
                "id": monday,
                "service_id": key,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": "MO",
                "opens_at": "09:00",
                "closes_at": "17:00",
                "description": "Monday 09:00–17:00 (Europe/Brussels).",
                "notes": schedule_zone,
                "attributes": [zone_attribute(monday, "schedule")],
            },
            {
                "id": saturday,
                "service_id": key,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": "SA",
                "opens_at": "20:00",
                "closes_at": "23:59:59",
                "description": "Saturday 20:00–23:59:59 (Europe/Brussels).",
                "notes": schedule_zone,
                "attributes": [zone_attribute(saturday, "schedule")],
            },
        ],
        "service_areas": [
            {
                "id": derived_id(key, "service_area"),
                "service_id": key,
                "name": "BE-VLG",
                "description": "ISO 3166-2 subdivision code BE-VLG",
            }
        ],
        "languages": [
            {"id": derived_id(key, "language:0:nl"), "service_id": key, "name": "Dutch", "code": "nl"},
            {
                "id": derived_id(key, "language:1:fr-BE"),
                "service_id": key,
                "name": "French",
                "code": "fr",
                "note": "fr-BE",
            },
        ],
        "cost_options": [],
        "contacts": [
            {"id": str(PHONE_KEY), "service_id": key, "name": "Bel ons", "phones": [phone]},
            {
                "id": str(FORM_KEY),
                "service_id": key,
                "name": "Meld online",
                "attributes": [
                    {
                        "id": derived_id(FORM_KEY, "attribute:web_form"),
                        "link_id": str(FORM_KEY),
                        "link_entity": "contact",
                        "taxonomy_term_id": term("web_form")["id"],
                        "taxonomy_term": term("web_form"),
                        "value": "https://www.stopchildporno.be/meld",
                    }
                ],
            },
        ],
        "attributes": [
            service_attribute("slug", "kantoor-lijn"),
            service_attribute("anonymous_possible", "false"),
            service_attribute("time_zone", "Europe/Brussels"),
            service_attribute("locale", "nl"),
        ],
    }


def test_a_free_help_line_open_around_the_clock():
    spec = office_line(
        is_free=True,
        available_24_7=True,
        hours=[],
        area_served="BE",
        last_verified=None,
        last_published_at=None,
        description="",
        points=[("email", "116000@childfocus.org", "Mail ons"), ("chat", "https://chat.example.org", "Chat")],
    )
    service = service_of(spec)
    key = str(KEY)
    assert (service["email"], service["url"]) == ("116000@childfocus.org", "https://chat.example.org")
    assert "description" not in service and "assured_date" not in service and "last_modified" not in service
    assert service["fees_description"] == "Free of charge"
    assert service["cost_options"] == [
        {
            "id": derived_id(key, "cost_option:free"),
            "service_id": key,
            "option": "Free of charge",
            "amount": 0,
            "currency": "EUR",
        }
    ]
    [always] = service["schedules"]
    assert {name: always[name] for name in ("byday", "opens_at", "closes_at", "description")} == {
        "byday": "MO,TU,WE,TH,FR,SA,SU",
        "opens_at": "00:00",
        "closes_at": "23:59",
        "description": "Open 24 hours a day, 7 days a week.",
    }
    assert service["service_areas"][0]["uri"] == "https://www.iso.org/obp/ui/#iso:code:3166:BE"
    assert service["phones"] == []
    assert [contact.get("email") for contact in service["contacts"]] == ["116000@childfocus.org", None]
    assert service["contacts"][1]["attributes"][0]["taxonomy_term"]["code"] == "chat"
    assert_valid("service", service)


def test_the_summary_is_the_services_one_to_one_fields():
    spec = office_line()
    full = service_of(spec)
    summary = mapping.service_summary(spec.presented(), source_organisation="Child Focus")
    assert summary == {name: value for name, value in full.items() if not isinstance(value, list)}
    assert_valid("service_list", summary)
    assert "organization" not in mapping.service_summary(
        spec.presented(), source_organisation="Child Focus", with_organization=False
    )


def test_an_internationalised_web_address_is_a_uri_in_url_and_exact_in_its_contact():
    spec = office_line(
        points=[("web_form", "https://bücher.example.be/meld-ä", "Meld")], point_keys=[FORM_KEY]
    )
    service = service_of(spec)
    assert service["url"] == "https://b%C3%BCcher.example.be/meld-%C3%A4"
    assert service["contacts"][0]["attributes"][0]["value"] == "https://bücher.example.be/meld-ä"
    assert_valid("service", service)


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (dt.time(9, 0), "09:00"),
        (dt.time(23, 59, 59), "23:59:59"),
        (dt.time(8, 30, 15), "08:30:15"),
        (dt.time(7, 0, 0, 500000), "07:00:00.500000"),
    ],
)
def test_times_are_written_exactly(moment, written):
    assert mapping.format_time(moment) == written
    assert dt.time.fromisoformat(written) == moment


def test_one_organisation_id_per_name_however_it_is_spaced_or_cased():
    assert mapping.organization_id("Child Focus") == CHILD_FOCUS
    assert mapping.organization_id("  child   FOCUS ") == CHILD_FOCUS
    assert mapping.organization_id("Ｃｈｉｌｄ Ｆｏｃｕｓ") == CHILD_FOCUS  # full-width, NFKC
    assert mapping.organization_id("Awel") != CHILD_FOCUS


def test_the_organisation_id_comes_from_the_default_locale_translation():
    french = service_of(
        office_line(organisation="Fondation Child Focus"), locale="fr", source_organisation="Child Focus"
    )
    assert french["organization_id"] == french["organization"]["id"] == CHILD_FOCUS
    assert french["organization"]["name"] == "Fondation Child Focus"


def test_organisations_validate():
    spec = office_line()
    summary = mapping.organization_summary(source_organisation="Child Focus", name="Child Focus")
    assert summary == {"id": CHILD_FOCUS, "name": "Child Focus", "description": "Child Focus"}
    assert_valid("organization_list", summary)
    nested = mapping.organization(
        source_organisation="Child Focus",
        name="Child Focus",
        services=[service_of(spec, with_organization=False)],
    )
    assert_valid("organization", nested)
    assert_ids_name_one_object(nested)


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "not-a-uuid"), ("email", "no address"), ("url", "not a uri"), ("last_modified", "yesterday")],
)
def test_the_validator_checks_formats(field, value):
    """uri and date-time are checked only when jsonschema finds rfc3986-validator and
    rfc3339-validator (requirements-test.txt): without them these tests would prove less."""
    service = {**service_of(office_line()), field: value}
    assert [error.json_path for error in validator("service").iter_errors(service)] == [f"$.{field}"]


# --- any valid help-line ---------------------------------------------------------------------------


def assert_is_valid_help_line(spec: HelpLineSpec) -> None:
    """The generated help-line passes Baken's own rules, as the admin stores it."""
    for kind, value, _label in spec.points:
        if kind in ("phone", "sms"):
            assert normalise_phone_number(value) == value
        elif kind == "email":
            validate_email_address(value)
        else:
            validate_web_url(value)
    validate_language_tags(spec.languages)
    validate_area_code(spec.area_served)
    validate_time_zone(spec.time_zone)
    validate_intervals(
        [OpeningInterval(day, dt.time.fromisoformat(o), dt.time.fromisoformat(c)) for day, o, c in spec.hours]
    )


@given(helpline_specs())
@settings(max_examples=150, deadline=None)
def test_any_valid_help_line_is_a_valid_hsds_service(spec):
    try:
        assert_is_valid_help_line(spec)
    except ValidationError as error:  # pragma: no cover - the strategy makes valid ones only
        raise AssertionError(f"the strategy made an invalid help-line: {error}") from error
    service = service_of(spec)
    assert_valid("service", service)
    assert_valid(
        "service_list", mapping.service_summary(spec.presented(), source_organisation=spec.organisation)
    )
    assert_ids_name_one_object(service)
    assert service == service_of(spec)  # stable: the same input, the same output


@given(
    helpline_specs(), st.text(min_size=1, max_size=30).filter(str.strip), st.sampled_from(["fr", "en", "de"])
)
@settings(max_examples=75, deadline=None)
def test_ids_are_the_same_in_every_language(spec, text, locale):
    translated = HelpLineSpec(
        **{
            **spec.__dict__,
            "name": text,
            "description": text,
            "organisation": text,
            "points": [(kind, value, text) for kind, value, _ in spec.points],
        }
    )
    source = service_of(spec)
    other = service_of(translated, locale=locale, source_organisation=spec.organisation)
    assert set(objects_by_id(other)) == set(objects_by_id(source))
    assert other["organization_id"] == source["organization_id"]


@given(helpline_specs())
@settings(max_examples=150, deadline=None)
def test_the_importers_reader_reads_every_value_back(spec):
    parsed, problems = read_service(service_of(spec), path="$", number=1)
    assert problems == []
    assert parsed is not None
    assert (parsed.id, parsed.name, parsed.organisation, parsed.description) == (
        spec.translation_key,
        spec.name,
        spec.organisation,
        spec.description,
    )
    assert (parsed.slug, parsed.is_free, parsed.anonymous_possible, parsed.available_24_7) == (
        spec.slug,
        spec.is_free,
        spec.anonymous_possible,
        spec.available_24_7,
    )
    assert (parsed.time_zone, parsed.languages, parsed.area_served, parsed.last_verified, parsed.locale) == (
        spec.time_zone,
        spec.languages,
        spec.area_served,
        spec.last_verified,
        "nl",
    )
    assert [(c.key, c.contact_type, c.value, c.label) for c in parsed.contacts] == [
        (key, *point) for key, point in zip(spec.point_keys, spec.points, strict=True)
    ]
    assert sorted(parsed.opening_hours) == sorted(
        OpeningInterval(day, dt.time.fromisoformat(o), dt.time.fromisoformat(c)) for day, o, c in spec.hours
    )
