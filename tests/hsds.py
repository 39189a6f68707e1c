"""What the HSDS tests share (tests/test_hsds_*.py, tests/test_import_hsds.py).

- The compiled HSDS 3.0.1 schemas, vendored (tests/schemas/README.md): ``validator(name)`` is a
  Draft 2020-12 validator with the format checker (uuid, email, uri, date-time are checked; the
  files declare no ``$schema``), ``assert_valid(name, instance)`` lists every error.
- ``assert_ids_name_one_object``: every id in a document is a UUID and names one object (the
  same phone may appear twice, as itself).
- Hypothesis strategies of valid help-lines (``helpline_specs``), as the admin stores them:
  normalised phone numbers, valid e-mail and web addresses (some internationalised), BCP 47 tags,
  ISO 3166 codes, IANA zones, opening hours that neither overlap nor run backwards, times with
  and without seconds ("until midnight" is 23:59:59).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from api import values
from api.hsds.validation import COMPILED_SERVICE_SCHEMA
from cms.opening_hours import OpeningInterval

REPOSITORY = Path(__file__).resolve().parents[1]
TEST_SCHEMAS = REPOSITORY / "tests" / "schemas" / "hsds"
REFERENCE_SCHEMAS = REPOSITORY.parent / "shared" / "schemas" / "hsds"
SCHEMA_FILES = {
    "service": COMPILED_SERVICE_SCHEMA,
    "service_list": TEST_SCHEMAS / "compiled" / "service_list.json",
    "organization": TEST_SCHEMAS / "compiled" / "organization.json",
    "organization_list": TEST_SCHEMAS / "compiled" / "organization_list.json",
}
# Every vendored file and the reference file it copies.
VENDORED = {
    COMPILED_SERVICE_SCHEMA: REFERENCE_SCHEMAS / "compiled" / "service.json",
    COMPILED_SERVICE_SCHEMA.parents[1] / "LICENSE": REFERENCE_SCHEMAS / "LICENSE",
    TEST_SCHEMAS / "LICENSE": REFERENCE_SCHEMAS / "LICENSE",
    **{
        SCHEMA_FILES[name]: REFERENCE_SCHEMAS / "compiled" / f"{name}.json"
        for name in SCHEMA_FILES
        if name != "service"
    },
}


@functools.cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILES[name].read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, instance) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda error: error.json_path)
    assert not errors, f"not a valid HSDS {name}:\n" + "\n".join(
        f"{error.json_path}: {error.message}" for error in errors[:20]
    )


def objects_by_id(document) -> dict[str, list]:
    """Every object with an ``id`` in ``document``, by id (an object met twice is listed twice)."""
    found: dict[str, list] = {}

    def walk(value) -> None:
        if isinstance(value, dict):
            if "id" in value:
                found.setdefault(value["id"], []).append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


def assert_ids_name_one_object(document) -> None:
    for identifier, objects in objects_by_id(document).items():
        assert str(uuid.UUID(identifier)) == identifier, identifier
        distinct = {json.dumps(item, sort_keys=True) for item in objects}
        assert len(distinct) == 1, f"{identifier} names {len(distinct)} different objects"


# --- valid help-lines -------------------------------------------------------------------------------

PHONE_NUMBERS = ["116000", "112", "1733", "+3224754411", "+32470123456", "+33142685300", "+31206241111"]
LANGUAGE_TAGS = [
    "nl",
    "fr",
    "en",
    "de",
    "fr-BE",
    "nl-BE",
    "en-GB",
    "sr-Latn",
    "zh-Hant-TW",
    "es-419",
    "fil",
    "gsw",
]
AREAS = ["BE", "NL", "FR", "US", "BE-VLG", "BE-BRU", "BE-WAL", "DE-BY", "GB-ENG"]
TIME_ZONES = [
    "Europe/Brussels",
    "UTC",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Etc/GMT-14",
]

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    min_size=1,
    max_size=60,
).filter(str.strip)
labels = texts
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
hosts = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(
        st.one_of(words, st.sampled_from(["bücher", "kinderrechte-ä", "école"])), min_size=1, max_size=3
    ),
    st.sampled_from(["be", "org", "com", "eu"]),
)
emails = st.builds(lambda local, host: f"{local}@{host}", words, hosts)
urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path}",
    st.sampled_from(["https", "http"]),
    hosts,
    st.sampled_from(["", "/", "/meld", "/hulp/chat?taal=nl", "/signaler-é"]),
)


@st.composite
def contact_points(draw) -> tuple[str, str, str]:
    kind = draw(st.sampled_from(["phone", "sms", "email", "chat", "web_form"]))
    if kind in ("phone", "sms"):
        value = draw(st.sampled_from(PHONE_NUMBERS))
    elif kind == "email":
        value = draw(emails)
    else:
        value = draw(urls)
    return kind, value, draw(labels)


times = st.one_of(
    st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
    st.times().map(lambda moment: moment.replace(microsecond=0)),
)


@st.composite
def opening_hours(draw) -> list[tuple[int, str, str]]:
    """Per day, sorted distinct moments paired into intervals: never overlapping, never backwards;
    sometimes until midnight (23:59:59)."""
    hours = []
    for weekday in draw(st.sets(st.integers(0, 6), max_size=4)):
        moments = sorted(set(draw(st.lists(times, min_size=2, max_size=6))))
        if draw(st.booleans()) and moments[-1] < dt.time(23, 59, 59):
            moments.append(dt.time(23, 59, 59))
        for opens, closes in zip(moments[::2], moments[1::2], strict=False):
            hours.append((weekday, opens.isoformat(), closes.isoformat()))
    return hours


@dataclass
class HelpLineSpec:
    """A valid help-line's fields, as tests/content.py's builder takes them (``as_builder``)."""

    slug: str
    name: str
    organisation: str
    description: str
    is_free: bool
    anonymous_possible: bool
    available_24_7: bool
    time_zone: str
    languages: list[str]
    area_served: str
    last_verified: dt.date | None
    points: list[tuple[str, str, str]]
    hours: list[tuple[int, str, str]]
    translation_key: uuid.UUID = field(default_factory=uuid.uuid4)
    point_keys: list[uuid.UUID] = field(default_factory=list)
    last_published_at: dt.datetime | None = None

    def as_builder(self) -> dict:
        return {
            "slug": self.slug,
            "name": self.name,
            "organisation": self.organisation,
            "description": self.description,
            "is_free": self.is_free,
            "anonymous_possible": self.anonymous_possible,
            "available_24_7": self.available_24_7,
            "time_zone": self.time_zone,
            "languages": self.languages,
            "area_served": self.area_served,
            "last_verified": self.last_verified,
            "points": self.points,
            "hours": self.hours,
        }

    def presented(self, *, locale: str = "nl", is_fallback: bool = False) -> values.HelpLine:
        """As api.presenters.helpline presents the stored help-line (no database)."""
        obj = SimpleNamespace(
            **{key: value for key, value in self.as_builder().items() if key not in ("points", "hours")},
            translation_key=self.translation_key,
            last_published_at=self.last_published_at,
        )
        intervals = tuple(
            sorted(
                OpeningInterval(day, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes))
                for day, opens, closes in self.hours
            )
        )
        return values.HelpLine(
            obj=obj,
            served=values.Served(locale=locale, is_fallback=is_fallback, translation_outdated=False),
            contact_points=tuple(
                values.ContactPoint(type=kind, value=value, label=label, href="")
                for kind, value, label in self.points
            ),
            availability=values.Availability(
                always_open=self.available_24_7, time_zone=self.time_zone, opening_hours=intervals
            ),
            open_now=self.available_24_7,
            structured_data={},
        )


@st.composite
def helpline_specs(draw, *, slug: str | None = None) -> HelpLineSpec:
    points = draw(st.lists(contact_points(), min_size=1, max_size=5))
    # The help-line's and its contact points' translation keys: all different.
    keys = draw(
        st.lists(st.uuids(version=4), min_size=len(points) + 1, max_size=len(points) + 1, unique=True)
    )
    return HelpLineSpec(
        slug=slug or draw(st.from_regex(r"[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,3}", fullmatch=True)),
        name=draw(texts),
        organisation=draw(st.sampled_from(["Child Focus", "Awel", "Tele-Onthaal", "Fondation Child  Focus"])),
        description=draw(st.one_of(st.just(""), texts)),
        is_free=draw(st.booleans()),
        anonymous_possible=draw(st.booleans()),
        available_24_7=draw(st.booleans()),
        time_zone=draw(st.sampled_from(TIME_ZONES)),
        languages=draw(st.lists(st.sampled_from(LANGUAGE_TAGS), max_size=4)),
        area_served=draw(st.sampled_from(AREAS)),
        last_verified=draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))),
        points=points,
        hours=draw(opening_hours()),
        translation_key=keys[0],
        point_keys=keys[1:],
        last_published_at=draw(
            st.one_of(
                st.none(),
                st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2035, 1, 1), timezones=st.just(dt.UTC)),
            )
        ),
    )
