"""Read Open Referral HSDS 3.0.1 services into help-lines: what ``manage.py import_hsds`` does.

A file holds one service, a list of services, or an HSDS Page (``{"contents": [...]}``). Each
service is read as ``api.hsds.mapping`` writes one (see its table), so Baken's own HSDS output
reads back into the very same help-lines:

* the service ``id`` is the help-line's translation key: an existing help-line is updated, any
  other id makes a new help-line (in the default locale) with that translation key; a contact's
  ``id`` is its contact point's translation key in the same way, so translated labels stay linked;
* ``contacts``, in order, are the contact points (the service's own ``phones``, ``email`` and
  ``url`` repeat them and are not read); ``schedules`` give 24/7 and the opening hours; the
  attributes ``slug``, ``anonymous_possible`` and ``time_zone`` of Baken's vocabulary are read
  when present (absent: an existing help-line keeps its value, a new one gets the model's
  default), as are the schedules' ``time_zone`` attributes, or HSDS's numeric ``timezone`` as a
  last resort (a fixed offset, ``Etc/GMT-1``); not free unless every cost option costs 0.

With ``locale`` other than the default, only that translation's texts are imported — name,
organisation, description and contact point labels — into its latest version (a missing
translation is created from the default-locale help-line); every synchronised value in the file
(HelpLine.SYNCHRONISED_FIELDS, contact types and values, opening hours) must equal the
default-locale help-line's, from which translations copy them.

Invariants:

* Everything is checked before anything is written: the compiled HSDS schema
  (api.hsds.validation), then Baken's own rules (``full_clean`` of each help-line and contact
  point: phone numbers normalised, e-mail addresses, web addresses, language tags, area code,
  time zone; ``validate_intervals``), locks, reviews and permissions. Every problem is reported,
  with its service and the JSONPath of the value in the file; one problem and nothing is written.
* ``plan_import`` reads and never writes; ``apply_import`` writes in one transaction: all of the
  plan or, on any failure, nothing.
* A help-line whose latest version already has the file's content is reported unchanged and not
  touched: no new revision. A changed one gets a new revision (a draft: what is live, and so
  the API, is unchanged) and is published only when asked; a new one is created not live.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext, pgettext
from wagtail.locks import BasicLock, ScheduledForPublishLock, WorkflowLock
from wagtail.models import Locale

from api.hsds import mapping, validation
from cms.opening_hours import WEEKDAY_NAMES, OpeningInterval, validate_intervals
from cms.snippets.models import ContactPoint, ContactType, HelpLine, OpeningHours
from cms.translation_completeness import synced_translation
from cms.validators import normalise_phone_number, validate_language_tag

ALWAYS_OPEN_CLOSES = (dt.time(23, 59), dt.time(23, 59, 59))
PHONE_KINDS = {"voice": ContactType.PHONE, "text": ContactType.SMS}
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Fields of a schedule that say more than "every week on these days": Baken cannot keep them.
UNSUPPORTED_SCHEDULE_FIELDS = (
    "valid_from",
    "valid_to",
    "dtstart",
    "until",
    "count",
    "byweekno",
    "bymonthday",
    "byyearday",
)
TERM_CODES_BY_ID = {term.id: code for code, term in mapping.TERMS.items()}


class HSDSImportError(ValueError):
    """The import cannot go ahead; nothing was written. ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Problem:
    """Why a service cannot be imported: which service, where in the file (a JSONPath), and why."""

    service: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.service}, {self.path}" if self.service else self.path
        return f"{where}: {self.message}"


# --- what a help-line holds, to compare and to report -----------------------------------------


@dataclass(frozen=True)
class PointState:
    key: uuid.UUID
    contact_type: str
    value: str
    label: str


@dataclass(frozen=True)
class HelpLineState:
    name: str
    organisation: str
    description: str
    slug: str
    is_free: bool
    anonymous_possible: bool
    available_24_7: bool
    time_zone: str
    languages: tuple[str, ...]
    area_served: str
    last_verified: dt.date | None
    contact_points: tuple[PointState, ...]
    opening_hours: tuple[OpeningInterval, ...]


TEXT_FIELDS = ("name", "organisation", "description")
# The help-line's synchronised values that HSDS carries: all but the review interval.
VALUE_FIELDS = tuple(name for name in HelpLine.SYNCHRONISED_FIELDS if name != "review_interval_days")


def ordered_points(helpline: HelpLine) -> list[ContactPoint]:
    """A help-line's contact points in their order, as its published details list them."""
    return sorted(helpline.contact_points.all(), key=lambda point: point.sort_order or 0)


def state_of(helpline: HelpLine) -> HelpLineState:
    """What a help-line (a row, or a version held in memory) holds that HSDS carries."""
    return HelpLineState(
        name=helpline.name,
        organisation=helpline.organisation,
        description=helpline.description,
        slug=helpline.slug,
        is_free=helpline.is_free,
        anonymous_possible=helpline.anonymous_possible,
        available_24_7=helpline.available_24_7,
        time_zone=helpline.time_zone,
        languages=tuple(helpline.languages or ()),
        area_served=helpline.area_served,
        last_verified=helpline.last_verified,
        contact_points=tuple(
            PointState(
                key=point.translation_key,
                contact_type=point.contact_type,
                value=point.value,
                label=point.label,
            )
            for point in ordered_points(helpline)
        ),
        opening_hours=tuple(sorted(hours.interval() for hours in helpline.opening_hours.all())),
    )


# --- reading services ------------------------------------------------------------------------------


@dataclass
class ParsedContact:
    key: uuid.UUID
    contact_type: str
    value: str
    label: str
    path: str
    value_path: str


@dataclass
class ParsedService:
    """A service as Baken reads it; ``None`` for a value the file does not state."""

    number: int
    path: str
    id: uuid.UUID
    name: str
    organisation: str
    description: str
    slug: str | None
    is_free: bool
    anonymous_possible: bool | None
    available_24_7: bool
    time_zone: str | None
    languages: list[str]
    area_served: str
    last_verified: dt.date | None
    contacts: list[ParsedContact]
    opening_hours: list[OpeningInterval]
    locale: str | None
    # Where each help-line field's value is in the file, for model errors.
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return gettext("service %(number)s (id %(id)s)") % {"number": self.number, "id": self.id}


def services_in(data: object) -> list[tuple[str, object]]:
    """The services of a file's JSON with where each is: one service, a list, or a Page."""
    if isinstance(data, dict) and "contents" in data and "id" not in data:
        contents = data["contents"]
        if isinstance(contents, list):
            return [(f"$.contents[{index}]", item) for index, item in enumerate(contents)]
    elif isinstance(data, list):
        return [(f"$[{index}]", item) for index, item in enumerate(data)]
    elif isinstance(data, dict):
        return [("$", data)]
    raise HSDSImportError(
        [
            Problem(
                "",
                "$",
                gettext(
                    "The file holds no HSDS service: give one service (an object), a list of "
                    'services, or an HSDS page ({"contents": [...]}).'
                ),
            )
        ]
    )


def _term_code(attribute: dict) -> str | None:
    """The code of an attribute's term when it is one of Baken's (api.hsds.mapping.TERMS)."""
    term = attribute.get("taxonomy_term") or {}
    code = term.get("code")
    if code in mapping.TERMS and term.get("taxonomy_id") in (None, mapping.TERMS[code].taxonomy.id):
        return code
    return TERM_CODES_BY_ID.get(attribute.get("taxonomy_term_id") or term.get("id") or "")


class _Reader:
    """Reads one service that passed the schema; collects problems instead of stopping."""

    def __init__(self, document: dict, *, path: str, number: int):
        self.document, self.path, self.number = document, path, number
        self.label = gettext("service %(number)s (id %(id)s)") % {"number": number, "id": document.get("id")}
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.label, path, message))

    def attributes(self, attributes: list, *, path: str, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Baken's attributes among ``attributes``: code → (value, path of the value)."""
        found: dict[str, tuple[str, str]] = {}
        for index, attribute in enumerate(attributes):
            code = _term_code(attribute)
            if code is None:
                continue  # another vocabulary's: nothing Baken keeps
            where = f"{path}.attributes[{index}]"
            if code not in codes:
                self.problem(
                    where,
                    gettext("The attribute “%(code)s” does not belong here.") % {"code": code},
                )
            elif code in found:
                self.problem(where, gettext("The attribute “%(code)s” is given twice.") % {"code": code})
            elif not isinstance(attribute.get("value"), str):
                self.problem(where, gettext("The attribute “%(code)s” needs a value.") % {"code": code})
            else:
                found[code] = (attribute["value"], f"{where}.value")
        return found

    def read(self) -> ParsedService | None:
        document, path = self.document, self.path
        if document.get("status") != "active":
            self.problem(
                f"{path}.status",
                gettext("Only active services can be imported; this one is “%(status)s”.")
                % {"status": document.get("status")},
            )
        organisation = (document.get("organization") or {}).get("name")
        if not organisation:
            self.problem(
                f"{path}.organization.name",
                gettext("Give the organisation behind the help-line (organization.name)."),
            )
        attributes = self.attributes(
            document.get("attributes", []),
            path=path,
            codes=("slug", "anonymous_possible", "time_zone", "locale"),
        )
        paths = {
            "name": f"{path}.name",
            "organisation": f"{path}.organization.name",
            "description": f"{path}.description",
            "languages": f"{path}.languages",
            "last_verified": f"{path}.assured_date",
            "opening_hours": f"{path}.schedules",
            "contact_points": f"{path}.contacts",
            NON_FIELD_ERRORS: path,
        }
        slug = attributes.get("slug")
        paths["slug"] = slug[1] if slug else f"{path}.name"
        anonymous = self.boolean(attributes.get("anonymous_possible"))
        available_24_7, opening_hours, schedule_zones, offsets = self.schedules(document.get("schedules", []))
        time_zone = self.time_zone(attributes.get("time_zone"), schedule_zones, offsets, paths)
        contacts = self.contacts(document.get("contacts", []))
        area = self.area(document.get("service_areas", []), paths)
        last_verified = self.date(document.get("assured_date"), f"{path}.assured_date")
        locale = attributes.get("locale")
        if locale is not None:
            paths["locale"] = locale[1]
        if self.problems:
            return None
        options = document.get("cost_options", [])
        return ParsedService(
            number=self.number,
            path=path,
            id=uuid.UUID(document["id"]),
            name=document["name"],
            organisation=organisation or "",
            description=document.get("description", ""),
            slug=slug[0] if slug else None,
            is_free=bool(options) and all(option.get("amount") == 0 for option in options),
            anonymous_possible=anonymous,
            available_24_7=available_24_7,
            time_zone=time_zone,
            languages=self.languages(document.get("languages", [])),
            area_served=area,
            last_verified=last_verified,
            contacts=contacts,
            opening_hours=opening_hours,
            locale=locale[0] if locale else None,
            paths=paths,
        )

    def boolean(self, attribute: tuple[str, str] | None) -> bool | None:
        if attribute is None:
            return None
        value, where = attribute
        if value.lower() not in ("true", "false"):
            self.problem(where, gettext("Use “true” or “false”, not “%(value)s”.") % {"value": value})
            return None
        return value.lower() == "true"

    def date(self, value: str | None, where: str) -> dt.date | None:
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problem(
                where, gettext("“%(value)s” is not a date of the form 2026-11-18.") % {"value": value}
            )
            return None

    def time(self, value: str | None, where: str) -> dt.time | None:
        if value is None:
            self.problem(where, gettext("Give the time (HH:MM)."))
            return None
        if not _TIME.match(value):
            self.problem(
                where,
                gettext(
                    "“%(value)s” is not a local time such as 09:00 or 23:59:59; give it without an "
                    "offset: the time zone is the attribute time_zone."
                )
                % {"value": value},
            )
            return None
        return dt.time.fromisoformat(value)

    def schedules(self, schedules: list) -> tuple[bool, list[OpeningInterval], list[tuple[str, str]], list]:
        """(24/7, the opening intervals, the schedules' time_zone attributes, their timezones)."""
        always_open, intervals, zones, offsets = False, [], [], []
        for index, schedule in enumerate(schedules):
            where = f"{self.path}.schedules[{index}]"
            for name in UNSUPPORTED_SCHEDULE_FIELDS:
                if schedule.get(name) not in (None, ""):
                    self.problem(
                        f"{where}.{name}",
                        gettext("Baken keeps weekly opening hours only; it cannot keep %(field)s.")
                        % {"field": name},
                    )
            if schedule.get("freq") != "WEEKLY" or schedule.get("interval") not in (None, 1):
                self.problem(
                    where,
                    gettext("Baken keeps weekly opening hours only: give freq WEEKLY (every week)."),
                )
            days = [day.strip().upper() for day in (schedule.get("byday") or "").split(",") if day.strip()]
            if not days or any(day not in mapping.DAY_CODES for day in days):
                self.problem(
                    f"{where}.byday",
                    gettext("Give the days of the week, e.g. “MO,TU”, not “%(value)s”.")
                    % {"value": schedule.get("byday", "")},
                )
                continue
            opens = self.time(schedule.get("opens_at"), f"{where}.opens_at")
            closes = self.time(schedule.get("closes_at"), f"{where}.closes_at")
            found = self.attributes(schedule.get("attributes", []), path=where, codes=("time_zone",))
            if "time_zone" in found:
                zones.append(found["time_zone"])
            if schedule.get("timezone") is not None:
                offsets.append((schedule["timezone"], f"{where}.timezone"))
            if opens is None or closes is None:
                continue
            if set(days) == set(mapping.DAY_CODES) and opens == dt.time(0) and closes in ALWAYS_OPEN_CLOSES:
                always_open = True
                continue
            intervals.extend(
                OpeningInterval(weekday=mapping.DAY_CODES.index(day), opens=opens, closes=closes)
                for day in days
            )
        return always_open, intervals, zones, offsets

    def time_zone(self, attribute, schedule_zones, offsets, paths) -> str | None:
        """The service's time_zone attribute, else its schedules', else their fixed offset."""
        if attribute is not None:
            paths["time_zone"] = attribute[1]
            return attribute[0]
        if schedule_zones:
            paths["time_zone"] = schedule_zones[0][1]
            if len({zone for zone, _ in schedule_zones}) > 1:
                self.problem(
                    f"{self.path}.schedules",
                    gettext("The schedules give different time zones; Baken keeps one per help-line."),
                )
            return schedule_zones[0][0]
        if offsets:
            value, where = offsets[0]
            paths["time_zone"] = where
            if len({offset for offset, _ in offsets}) > 1 or value != int(value) or not -12 <= value <= 14:
                self.problem(
                    where,
                    gettext(
                        "Give the time zone as the attribute time_zone, an IANA name such as Europe/Brussels."
                    ),
                )
                return None
            hours = int(value)
            # POSIX signs: Etc/GMT-1 is UTC+1.
            return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
        return None

    def contacts(self, contacts: list) -> list[ParsedContact]:
        if not contacts:
            self.problem(
                f"{self.path}.contacts",
                gettext("Give at least one contact: each contact is one of the help-line's contact points."),
            )
        parsed, keys = [], set()
        for index, contact in enumerate(contacts):
            where = f"{self.path}.contacts[{index}]"
            key = uuid.UUID(contact["id"])
            if key in keys:
                self.problem(f"{where}.id", gettext("Two contacts have this id."))
            keys.add(key)
            channels = []
            if "email" in contact:
                channels.append((ContactType.EMAIL, contact["email"], f"{where}.email"))
            for number, phone in enumerate(contact.get("phones", [])):
                kind = PHONE_KINDS.get(phone.get("type", "voice"))
                if kind is None:
                    self.problem(
                        f"{where}.phones[{number}].type",
                        gettext("Baken has phone (voice) and SMS (text) numbers, not “%(type)s”.")
                        % {"type": phone.get("type")},
                    )
                    continue
                channels.append((kind, phone["number"], f"{where}.phones[{number}].number"))
            for code, (value, value_path) in self.attributes(
                contact.get("attributes", []), path=where, codes=mapping.URL_TYPES
            ).items():
                channels.append((code, value, value_path))
            if len(channels) != 1:
                self.problem(
                    where,
                    gettext(
                        "A contact is one contact point: give exactly one of an e-mail address, one "
                        "phone, or a chat or web_form attribute (this contact gives %(count)s)."
                    )
                    % {"count": len(channels)},
                )
                continue
            [(contact_type, value, value_path)] = channels
            phones = contact.get("phones") or [{}]
            label = contact.get("name") or phones[0].get("description") or ""
            parsed.append(ParsedContact(key, contact_type, value, label, where, value_path))
        return parsed

    def area(self, areas: list, paths: dict[str, str]) -> str:
        if len(areas) != 1:
            self.problem(
                f"{self.path}.service_areas",
                gettext("Give exactly one service area, named by its ISO 3166 code (e.g. BE or BE-VLG)."),
            )
            return ""
        area = areas[0]
        paths["area_served"] = f"{self.path}.service_areas[0].name"
        name = area.get("name")
        if not name and str(area.get("uri", "")).startswith(mapping.ISO_3166_PAGE):
            paths["area_served"] = f"{self.path}.service_areas[0].uri"
            name = area["uri"].removeprefix(mapping.ISO_3166_PAGE)
        return name or ""

    def languages(self, languages: list) -> list[str]:
        """BCP 47 tags: the note when it is a tag of the code's language, else the code."""
        tags = []
        for language in languages:
            code, note = language.get("code"), language.get("note")
            tag = code or ""
            if note and code and mapping.language_code(note).lower() == code.lower():
                try:
                    validate_language_tag(note)
                    tag = note
                except ValidationError:
                    pass
            tags.append(tag)
        return tags


def read_service(document: object, *, path: str, number: int) -> tuple[ParsedService | None, list[Problem]]:
    """A service from the file, checked against the compiled HSDS schema, then read."""
    label = gettext("service %(number)s") % {"number": number}
    if isinstance(document, dict) and isinstance(document.get("id"), str):
        label = gettext("service %(number)s (id %(id)s)") % {"number": number, "id": document["id"]}
    schema_problems = [
        Problem(label, path + error.path.removeprefix("$"), error.message)
        for error in validation.service_errors(document)
    ]
    if schema_problems:
        return None, schema_problems
    assert isinstance(document, dict)
    reader = _Reader(document, path=path, number=number)
    parsed = reader.read()
    return parsed, reader.problems


# --- planning: what would change -------------------------------------------------------------------


@dataclass
class Change:
    """One field of a help-line: its label, and the old and new values as the report shows them."""

    label: str
    old: str | None
    new: str


@dataclass
class PlannedHelpLine:
    service: ParsedService
    #: "create", "change" or "unchanged".
    action: str
    #: The version to save: the latest version with the file's content, or a new help-line.
    version: HelpLine
    #: The help-line's row in the import's locale, None when it is created.
    row: HelpLine | None
    changes: list[Change]

    @property
    def name(self) -> str:
        return self.version.name

    @property
    def pending(self) -> bool:
        """Whether the help-line's latest version is not what is live (a draft waits)."""
        row = self.row
        return row is not None and (not row.live or row.live_revision_id != row.latest_revision_id)


@dataclass
class ImportPlan:
    locale: Locale
    helplines: list[PlannedHelpLine]

    def count(self, action: str) -> int:
        return sum(1 for planned in self.helplines if planned.action == action)


def find_locale(language_code: str) -> Locale:
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        known = ", ".join(Locale.objects.order_by("language_code").values_list("language_code", flat=True))
        raise HSDSImportError(
            [
                Problem(
                    "",
                    "--locale",
                    gettext("Unknown locale “%(locale)s”; known locales: %(known)s.")
                    % {"locale": language_code, "known": known},
                )
            ]
        )
    return locale


def plan_import(data: object, *, locale: Locale, user=None, publish: bool = False) -> ImportPlan:
    """What importing ``data`` (a file's JSON) into ``locale`` would do; writes nothing.

    Raises HSDSImportError listing every problem: nothing may then be written.
    """
    problems: list[Problem] = []
    parsed: list[ParsedService] = []
    for number, (path, document) in enumerate(services_in(data), start=1):
        service, found = read_service(document, path=path, number=number)
        problems.extend(found)
        if service is not None:
            parsed.append(service)
    problems.extend(_duplicates(parsed))
    default = locale.language_code == settings.BAKEN_DEFAULT_LOCALE
    planned: list[PlannedHelpLine] = []
    for service in parsed:
        builder = _SourcePlanner(service, locale) if default else _TranslationPlanner(service, locale)
        result = builder.plan()
        problems.extend(builder.problems)
        if result is not None:
            problems.extend(_refusals(result, user=user, publish=publish))
            planned.append(result)
    if problems:
        raise HSDSImportError(problems)
    return ImportPlan(locale=locale, helplines=planned)


def _duplicates(services: Sequence[ParsedService]) -> list[Problem]:
    problems = []
    seen_ids: dict[uuid.UUID, ParsedService] = {}
    seen_contacts: dict[uuid.UUID, ParsedService] = {}
    seen_slugs: dict[str, ParsedService] = {}
    for service in services:
        earlier = seen_ids.setdefault(service.id, service)
        if earlier is not service:
            problems.append(
                Problem(
                    service.label,
                    f"{service.path}.id",
                    gettext("%(earlier)s has the same id.") % {"earlier": earlier.label},
                )
            )
        for contact in service.contacts:
            earlier = seen_contacts.setdefault(contact.key, service)
            if earlier is not service:
                problems.append(
                    Problem(
                        service.label,
                        f"{contact.path}.id",
                        gettext("A contact of %(earlier)s has the same id.") % {"earlier": earlier.label},
                    )
                )
        if service.slug:
            earlier = seen_slugs.setdefault(service.slug, service)
            if earlier is not service:
                problems.append(
                    Problem(
                        service.label,
                        service.paths["slug"],
                        gettext("%(earlier)s has the same slug.") % {"earlier": earlier.label},
                    )
                )
    return problems


def latest_version(row: HelpLine) -> HelpLine:
    """The help-line's latest version, as Wagtail's editor opens it (its draft when one waits, else
    the row), as an object apart from ``row``: the plan changes it in memory."""
    version = row.get_latest_revision_as_object()
    return HelpLine.objects.get(pk=row.pk) if version is row else version


class _Planner:
    """Plans one service: builds the version to save in memory and checks it; collects problems."""

    def __init__(self, service: ParsedService, locale: Locale):
        self.service, self.locale = service, locale
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.service.label, path, message))

    def check(self, version: HelpLine) -> None:
        """Baken's rules: the help-line's and its contact points' ``full_clean``, the hours."""
        service = self.service
        by_key = {contact.key: contact for contact in service.contacts}
        for point in ordered_points(version):
            contact = by_key.get(point.translation_key)
            try:
                point.full_clean(exclude=["helpline"], validate_unique=False)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    where = service.paths["contact_points"]
                    if contact is not None:
                        where = {"value": contact.value_path, "label": f"{contact.path}.name"}.get(
                            name, contact.path
                        )
                    for message in messages:
                        self.problem(where, message)
        try:
            validate_intervals([hours.interval() for hours in version.opening_hours.all()])
        except ValidationError as error:
            for message in error.messages:
                self.problem(service.paths["opening_hours"], message)
        try:
            version.full_clean(exclude=["published_details"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in dict.fromkeys(messages):
                    self.problem(service.paths.get(name, service.path), message)
        self.check_contact_ids(version)

    def check_contact_ids(self, version: HelpLine) -> None:
        """A contact id is a contact point's translation key: it may not be another help-line's."""
        keys = {contact.key: contact for contact in self.service.contacts}
        taken = ContactPoint.objects.filter(translation_key__in=list(keys), locale=self.locale).exclude(
            helpline__translation_key=self.service.id
        )
        for key, helpline_name in taken.values_list("translation_key", "helpline__name"):
            self.problem(
                f"{keys[key].path}.id",
                gettext("This id is a contact point of another help-line, “%(name)s”.")
                % {"name": helpline_name},
            )


class _SourcePlanner(_Planner):
    """A service into the default locale: every field, the help-line created when it is new."""

    def plan(self) -> PlannedHelpLine | None:
        service = self.service
        if service.locale not in (None, self.locale.language_code):
            self.problem(
                service.paths["locale"],
                gettext(
                    "The service's texts are in %(language)s (its attribute locale): import it with "
                    "--locale %(language)s."
                )
                % {"language": service.locale},
            )
            return None
        rows = HelpLine.objects.filter(translation_key=service.id)
        row = rows.filter(locale=self.locale).first()
        if row is None and rows.exists():
            others = ", ".join(sorted(rows.values_list("locale__language_code", flat=True)))
            self.problem(
                f"{service.path}.id",
                gettext(
                    "This help-line exists only in %(locales)s, not in %(default)s: import it with "
                    "--locale, or translate it from %(default)s first."
                )
                % {"locales": others, "default": self.locale.language_code},
            )
            return None
        if row is None:
            version = HelpLine(translation_key=service.id, locale=self.locale, live=False)
            old = None
        else:
            version = latest_version(row)
            old = state_of(version)
        self.apply(version)
        self.check(version)
        if self.problems:
            return None
        new = state_of(version)
        if old is None:
            return PlannedHelpLine(service, "create", version, None, describe_changes(None, new))
        changes = describe_changes(old, new)
        return PlannedHelpLine(service, "change" if changes else "unchanged", version, row, changes)

    def apply(self, version: HelpLine) -> None:
        service = self.service
        version.name, version.organisation, version.description = (
            service.name,
            service.organisation,
            service.description,
        )
        if service.slug is not None:
            version.slug = service.slug
        elif version.pk is None:
            version.slug = ""  # made from the name by full_clean
        if service.anonymous_possible is not None:
            version.anonymous_possible = service.anonymous_possible
        if service.time_zone is not None:
            version.time_zone = service.time_zone
        version.is_free = service.is_free
        version.available_24_7 = service.available_24_7
        version.languages = list(service.languages)
        version.area_served = service.area_served
        version.last_verified = service.last_verified
        existing = {point.translation_key: point for point in version.contact_points.all()}
        points = []
        for position, contact in enumerate(service.contacts):
            point = existing.get(contact.key) or ContactPoint(translation_key=contact.key)
            point.locale = self.locale
            point.contact_type, point.value, point.label = contact.contact_type, contact.value, contact.label
            point.sort_order = position
            points.append(point)
        version.contact_points = points
        version.opening_hours = [
            OpeningHours(
                weekday=interval.weekday, opens=interval.opens, closes=interval.closes, sort_order=position
            )
            for position, interval in enumerate(sorted(service.opening_hours))
        ]


class _TranslationPlanner(_Planner):
    """A service into another locale: its texts only; its values must be the source's."""

    def plan(self) -> PlannedHelpLine | None:
        service = self.service
        code = self.locale.language_code
        if service.locale not in (None, code):
            self.problem(
                service.paths["locale"],
                gettext(
                    "The service's texts are in %(language)s (its attribute locale), not %(locale)s: it "
                    "was served as a fallback. Import only services in %(locale)s with --locale %(locale)s."
                )
                % {"language": service.locale, "locale": code},
            )
            return None
        source = HelpLine.objects.filter(
            translation_key=service.id, locale__language_code=settings.BAKEN_DEFAULT_LOCALE
        ).first()
        if source is None:
            self.problem(
                f"{service.path}.id",
                gettext(
                    "There is no help-line with this id in %(default)s: import it without --locale first."
                )
                % {"default": settings.BAKEN_DEFAULT_LOCALE},
            )
            return None
        self.check_synchronised(source)
        row = HelpLine.objects.filter(translation_key=service.id, locale=self.locale).first()
        if row is not None and synced_translation(row) is not None:
            self.problem(
                service.path,
                gettext(
                    "The %(locale)s translation of “%(name)s” is kept by the translation editor "
                    "(wagtail-localize): change its texts there, or stop its synced translation first."
                )
                % {"locale": code, "name": row.name},
            )
        if self.problems:
            return None
        if row is None:
            version = source.copy_for_translation(self.locale)
            version.live = False
            old = None
        else:
            version = latest_version(row)
            # The values a translation copies, as saving it would copy them; then its texts.
            version.sync_from_source(source)
            old = state_of(version)
        version.name, version.organisation, version.description = (
            service.name,
            service.organisation,
            service.description,
        )
        labels = {contact.key: contact.label for contact in service.contacts}
        for point in version.contact_points.all():
            point.label = labels[point.translation_key]
            point.locale = self.locale
        self.check(version)
        if self.problems:
            return None
        new = state_of(version)
        changes = describe_changes(old, new, fields=TEXT_FIELDS, labels_only=True)
        if old is None:
            return PlannedHelpLine(service, "create", version, None, changes)
        return PlannedHelpLine(service, "change" if changes else "unchanged", version, row, changes)

    def check_synchronised(self, source: HelpLine) -> None:
        """Refuse any synchronised value that differs from the default-locale help-line's."""
        service, there = self.service, state_of(source)
        stated = {
            "slug": service.slug,
            "is_free": service.is_free,
            "anonymous_possible": service.anonymous_possible,
            "available_24_7": service.available_24_7,
            "time_zone": service.time_zone,
            "languages": tuple(service.languages),
            "area_served": service.area_served,
            "last_verified": service.last_verified,
            "opening_hours": tuple(sorted(service.opening_hours)),
        }
        for name, value in stated.items():
            theirs = getattr(there, name)
            if value is not None and value != theirs:
                self.refuse(
                    service.paths.get(name, service.path), _field_label(name), _shown(value), _shown(theirs)
                )
        ours = [(contact.key, contact.contact_type) for contact in service.contacts]
        if ours != [(point.key, point.contact_type) for point in there.contact_points]:
            self.refuse(
                service.paths["contact_points"],
                gettext("contact points"),
                _shown_points([(c.contact_type, c.value) for c in service.contacts]),
                _shown_points([(p.contact_type, p.value) for p in there.contact_points]),
            )
            return
        for contact, point in zip(service.contacts, there.contact_points, strict=True):
            value = contact.value
            if contact.contact_type in (ContactType.PHONE, ContactType.SMS):
                value = _normalised_phone(value)
            if value != point.value:
                self.refuse(
                    contact.value_path, gettext("contact value"), _shown(contact.value), _shown(point.value)
                )

    def refuse(self, path: str, label: str, ours: str, theirs: str) -> None:
        self.problem(
            path,
            gettext(
                "%(field)s is synchronised from the %(default)s version, which has %(theirs)s (the file "
                "has %(ours)s): change it there, importing without --locale."
            )
            % {"field": label, "default": settings.BAKEN_DEFAULT_LOCALE, "theirs": theirs, "ours": ours},
        )


def _normalised_phone(value: str) -> str:
    try:
        return normalise_phone_number(value)
    except ValidationError:
        return value


def _refusals(planned: PlannedHelpLine, *, user, publish: bool) -> list[Problem]:
    """Locks, reviews and permissions: what would stop the import from writing this help-line."""
    if planned.action == "unchanged" and not (publish and planned.pending):
        return []
    service = planned.service
    problems = []
    row = planned.row
    if row is not None:
        lock = row.get_lock()
        if lock is not None and (user is None or lock.for_user(user)):
            problems.append(Problem(service.label, service.path, _lock_message(lock, row)))
    if user is not None:
        needed = ["cms.add_helpline" if planned.action == "create" else "cms.change_helpline"]
        if publish:
            needed.append("cms.publish_helpline")
        for permission in needed:
            if not user.has_perm(permission):
                problems.append(
                    Problem(service.label, service.path, _not_permitted(permission, user.get_username()))
                )
    return problems


def _not_permitted(permission: str, username: str) -> str:
    if permission == "cms.add_helpline":
        message = gettext("The user “%(user)s” may not add help-lines.")
    elif permission == "cms.change_helpline":
        message = gettext("The user “%(user)s” may not change help-lines.")
    else:
        message = gettext("The user “%(user)s” may not publish help-lines.")
    return message % {"user": username}


def _lock_message(lock, row: HelpLine) -> str:
    if isinstance(lock, WorkflowLock):
        return gettext("“%(name)s” is in review; import into it once the reviewers have decided.") % {
            "name": row.name
        }
    if isinstance(lock, ScheduledForPublishLock):
        return gettext("“%(name)s” is scheduled to go live; cancel the schedule in the admin first.") % {
            "name": row.name
        }
    if isinstance(lock, BasicLock) and row.locked_by is not None:
        return gettext("“%(name)s” is locked by “%(user)s”; ask them to unlock it first.") % {
            "name": row.name,
            "user": row.locked_by.get_username(),
        }
    return gettext("“%(name)s” is locked; unlock it in the admin first.") % {"name": row.name}


# --- describing changes ----------------------------------------------------------------------------


def _field_label(name: str) -> str:
    if name == "opening_hours":
        return gettext("opening hours")
    return str(HelpLine._meta.get_field(name).verbose_name)


def _shown(value) -> str:
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return pgettext("import report", "yes") if value else pgettext("import report", "no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple) and value and isinstance(value[0], OpeningInterval):
        return ", ".join(
            f"{WEEKDAY_NAMES[interval.weekday]} {mapping.format_time(interval.opens)}–"
            f"{mapping.format_time(interval.closes)}"
            for interval in value
        )
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    return f"“{value}”"


def _shown_point(point: PointState | None) -> str:
    if point is None:
        return "—"
    return f"{point.contact_type} “{point.value}” (“{point.label}”)"


def _shown_points(points: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{kind} “{value}”" for kind, value in points) or "—"


def describe_changes(
    old: HelpLineState | None,
    new: HelpLineState,
    *,
    fields: Sequence[str] = (*TEXT_FIELDS, *VALUE_FIELDS, "opening_hours"),
    labels_only: bool = False,
) -> list[Change]:
    """Field by field, what differs between ``old`` (None: a new help-line) and ``new``."""
    changes = []
    for name in fields:
        before = None if old is None else getattr(old, name)
        after = getattr(new, name)
        if old is None or before != after:
            changes.append(Change(_field_label(name), None if old is None else _shown(before), _shown(after)))
    old_points = () if old is None else old.contact_points
    for position in range(max(len(old_points), len(new.contact_points))):
        before = old_points[position] if position < len(old_points) else None
        after = new.contact_points[position] if position < len(new.contact_points) else None
        if labels_only and before is not None and after is not None:
            if before.label != after.label:
                changes.append(
                    Change(
                        gettext("contact point %(number)s label") % {"number": position + 1},
                        _shown(before.label),
                        _shown(after.label),
                    )
                )
            continue
        if old is None or before != after:
            changes.append(
                Change(
                    gettext("contact point %(number)s") % {"number": position + 1},
                    None if old is None else _shown_point(before),
                    _shown_point(after),
                )
            )
    return changes


def report_lines(plan: ImportPlan) -> list[str]:
    """The report, help-line by help-line: created, changed (field by field, old → new), unchanged."""
    lines = []
    code = plan.locale.language_code
    for planned in plan.helplines:
        names = {"name": planned.name, "locale": code, "id": planned.service.id}
        if planned.action == "unchanged":
            lines.append(gettext("Unchanged: “%(name)s” (%(locale)s, id %(id)s).") % names)
            continue
        if planned.action == "create":
            lines.append(gettext("New: “%(name)s” (%(locale)s, id %(id)s):") % names)
        else:
            lines.append(gettext("Changed: “%(name)s” (%(locale)s, id %(id)s):") % names)
        for change in planned.changes:
            if change.old is None:
                lines.append(f"  {change.label}: {change.new}")
            else:
                lines.append(f"  {change.label}: {change.old} → {change.new}")
    return lines


# --- writing -----------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    published: int = 0


def apply_import(plan: ImportPlan, *, publish: bool = False, user=None) -> ImportResult:
    """Write the plan in one transaction: a new revision of each created or changed help-line (a
    draft; a new help-line is not live), published when ``publish``; with ``publish``, an
    unchanged help-line whose latest version is not live yet is published too (no new revision)."""
    result = ImportResult()
    with transaction.atomic():
        for planned in plan.helplines:
            version, row = planned.version, planned.row
            if planned.action == "unchanged":
                result.unchanged += 1
                if publish and row is not None and planned.pending:
                    revision = row.latest_revision or row.save_revision(user=user, log_action=True)
                    revision.publish(user=user)
                    result.published += 1
                continue
            if row is None or not row.live:
                # As Wagtail's editor does: a help-line that is not live holds its draft itself.
                version.save()
            revision = version.save_revision(user=user, log_action=True)
            if planned.action == "create":
                result.created += 1
            else:
                result.changed += 1
            if publish:
                revision.publish(user=user)
                result.published += 1
    return result
