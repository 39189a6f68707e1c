"""Help-lines as Open Referral HSDS 3.0.1 services: pure functions, from a presented help-line
(``api.values.HelpLine``, see ``api.presenters.helpline``) to HSDS dicts.

The mapping is lossless for everything a help-line holds that the public API shows, so that
``manage.py import_hsds`` (cms/importers/hsds.py) reads a service back into the same help-line:

========================  ==============================================================================
Baken                     HSDS (service)
========================  ==============================================================================
translation_key           ``id`` (already a UUID; the same in every language)
organisation              ``organization.name``; ``organization_id`` = ``organization.id`` =
                          uuid5(NAMESPACE, "organization:" + the *default-locale* translation's
                          organisation, normalised): one organisation per name, in every language
name, description         ``name``, ``description`` (left out when empty)
contact points            ``contacts``, in order; ``contact.id`` = the contact point's translation_key,
                          ``contact.name`` = its label. E-mail → ``contact.email``; phone / SMS →
                          ``contact.phones[0]`` (``type`` "voice" / "text", ``description`` = label,
                          ``languages``); chat / web form → a ``contact.attributes`` entry whose
                          ``taxonomy_term.code`` is "chat" / "web_form" and whose ``value`` is the URL.
                          The phones are listed again, the very same objects, in ``phones``; the first
                          e-mail address is ``email``, the first web form's (else chat's) URL ``url``
is_free                   ``cost_options`` [{"option": "Free of charge", "amount": 0, "currency": "EUR"}]
                          and ``fees_description``; not free: neither
available_24_7            one WEEKLY schedule, ``byday`` all seven days, 00:00–23:59 (HSDS's advice
                          for "open around the clock"; docs/hsds/schedules.md upstream)
opening hours             one WEEKLY schedule per interval: ``byday`` its day, ``opens_at`` /
                          ``closes_at`` its local times, "HH:MM", or "HH:MM:SS" when seconds are set:
                          Baken's "until midnight", 23:59:59, is written "23:59:59", exactly
time_zone                 the service attribute ``time_zone`` (IANA name); also each schedule's
                          attribute and ``notes``. HSDS's ``timezone`` is a fixed UTC offset, which
                          cannot follow daylight saving time (Europe/Brussels is +1 in winter, +2 in
                          summer): it is left out, and ``opens_at`` / ``closes_at`` carry no offset
languages                 ``languages``, in order: ``code`` = the tag's ISO 639 primary subtag,
                          ``name`` = its English name, ``note`` = the full BCP 47 tag when it is more
                          than the primary subtag (``fr-BE``)
area_served               one ``service_areas`` entry: ``name`` = the ISO 3166 code (``BE``,
                          ``BE-VLG``), ``description`` says which part of ISO 3166, ``uri`` = ISO's
                          page of a country code
last_verified             ``assured_date`` (YYYY-MM-DD; left out when never verified)
anonymous_possible, slug  service attributes ``anonymous_possible`` ("true" / "false") and ``slug``
(served language)         service attribute ``locale``: the language the texts are in (a fallback's is
                          not the one asked for), so an import never files them under another
last_published_at         ``last_modified`` (RFC 3339, milliseconds, UTC)
========================  ==============================================================================

``status`` is always "active": only live, public help-lines are ever mapped. Baken's attributes
use two small vocabularies of its own (``TAXONOMIES``, ``TERMS``), described at
``/api/hsds/v3/profile``. Fixed texts (cost option, schedule descriptions) are in English.

Invariants:

* Every id is a UUID; ids are stable between requests and across languages, and within one
  document each id names exactly one object (a phone appears twice, as itself). Besides the
  help-line's and the contact points' translation keys, every id is
  ``uuid5(NAMESPACE, "<owner id>:<role>")`` (``derived_id``).
* Nothing here reads the database or the clock; the same input gives the same output.
* Only HSDS fields are written, and only with values the compiled HSDS schemas accept: absent
  values are left out, never ``null``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.utils.encoding import iri_to_uri

from api import values
from cms.opening_hours import WEEKDAY_NAMES, OpeningInterval

HSDS_VERSION = "3.0.1"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
# Every derived id depends on it: never change it.
NAMESPACE = uuid.UUID("fc972d48-68aa-4ad7-b7e9-fdb72e84a43f")

# RFC 5545 day codes, Monday (0) first, as cms.opening_hours numbers weekdays.
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ALWAYS_OPEN_DAYS = ",".join(DAY_CODES)
ALWAYS_OPENS_AT = "00:00"
ALWAYS_CLOSES_AT = "23:59"
PHONE_TYPES = {"phone": "voice", "sms": "text"}
URL_TYPES = ("web_form", "chat")
FREE_OF_CHARGE = "Free of charge"
CURRENCY = "EUR"
# ISO's Online Browsing Platform page of a country code (ISO 3166-1); it lists the subdivisions.
ISO_3166_PAGE = "https://www.iso.org/obp/ui/#iso:code:3166:"


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy:{self.key}"))

    def as_hsds(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description}


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    taxonomy: Taxonomy

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy_term:{self.code}"))

    def as_hsds(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "taxonomy": self.taxonomy.name,
            "taxonomy_id": self.taxonomy.id,
            "language": "en",
        }


CONTACT_CHANNELS = Taxonomy(
    key="baken-contact-channels",
    name="Baken contact channels",
    description="How a help-line is reached, for the channels HSDS has no field of its own for.",
)
HELPLINE_PROPERTIES = Taxonomy(
    key="baken-help-line-properties",
    name="Baken help-line properties",
    description="Facts about a Baken help-line that HSDS has no field for.",
)
TAXONOMIES = (CONTACT_CHANNELS, HELPLINE_PROPERTIES)
TERMS = {
    term.code: term
    for term in (
        Term("chat", "Chat", "A chat service; the attribute's value is its web address.", CONTACT_CHANNELS),
        Term(
            "web_form",
            "Web reporting form",
            "A form on the web to report or ask for help; the attribute's value is its web address.",
            CONTACT_CHANNELS,
        ),
        Term(
            "slug",
            "Slug",
            "The help-line's identifier in Baken's API (/api/v1/helplines/{slug}/), the same in every "
            "language.",
            HELPLINE_PROPERTIES,
        ),
        Term(
            "anonymous_possible",
            "Anonymous contact possible",
            'Whether the help-line can be contacted anonymously: "true" or "false".',
            HELPLINE_PROPERTIES,
        ),
        Term(
            "time_zone",
            "Time zone",
            "The IANA time zone (e.g. Europe/Brussels) of the opening hours, which are local times.",
            HELPLINE_PROPERTIES,
        ),
        Term(
            "locale",
            "Language of the texts",
            "The language (Baken locale) that the name, description and labels are written in.",
            HELPLINE_PROPERTIES,
        ),
    )
}


# --- ids -----------------------------------------------------------------------------------------


def derived_id(owner: uuid.UUID | str, role: str) -> str:
    """The id of the part ``role`` of the object whose id is ``owner``."""
    return str(uuid.uuid5(NAMESPACE, f"{owner}:{role}"))


def normalised_organisation(name: str) -> str:
    """Compatibility-normalised, case-folded, whitespace collapsed: "Child  Focus" = "child focus"."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def organization_id(source_organisation: str) -> str:
    """The id of the organisation named ``source_organisation`` in the default locale."""
    return str(uuid.uuid5(NAMESPACE, f"organization:{normalised_organisation(source_organisation)}"))


# --- values --------------------------------------------------------------------------------------


def format_time(moment: dt.time) -> str:
    """As HSDS writes times, "HH:MM"; the exact ISO 8601 time when it has seconds ("23:59:59")."""
    if moment.second == 0 and moment.microsecond == 0:
        return moment.strftime("%H:%M")
    return moment.replace(tzinfo=None).isoformat()


def format_instant(moment: dt.datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as HSDS asks of ``last_modified``."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def language_code(tag: str) -> str:
    """The ISO 639 code of a BCP 47 tag: its primary subtag."""
    return tag.split("-")[0]


def area_description(code: str) -> str:
    if "-" in code:
        return f"ISO 3166-2 subdivision code {code}"
    return f"ISO 3166-1 country code {code}"


def schedule_notes(time_zone: str) -> str:
    return f"Times are local times in {time_zone} (IANA time zone)."


# --- building blocks -------------------------------------------------------------------------------


def attribute(*, link_id: str, link_entity: str, code: str, value: str) -> dict:
    term = TERMS[code]
    return {
        "id": derived_id(link_id, f"attribute:{code}"),
        "link_id": link_id,
        "link_entity": link_entity,
        "taxonomy_term_id": term.id,
        "taxonomy_term": term.as_hsds(),
        "value": value,
    }


def languages(tags: Sequence[str], *, owner_id: str, owner_field: str) -> list[dict]:
    """HSDS languages of ``tags``, in order; ``owner_field`` is "service_id" or "phone_id"."""
    result = []
    for index, tag in enumerate(tags):
        code = language_code(tag)
        language = {"id": derived_id(owner_id, f"language:{index}:{tag}"), owner_field: owner_id}
        name = LANG_INFO.get(code.lower(), {}).get("name")
        if name:
            language["name"] = name
        language["code"] = code
        if tag != code:
            language["note"] = tag
        result.append(language)
    return result


def _schedule(*, schedule_id: str, service_id: str, time_zone: str, **fields: str) -> dict:
    return {
        "id": schedule_id,
        "service_id": service_id,
        "freq": "WEEKLY",
        "wkst": "MO",
        **fields,
        "notes": schedule_notes(time_zone),
        "attributes": [
            attribute(link_id=schedule_id, link_entity="schedule", code="time_zone", value=time_zone)
        ],
    }


def schedules(
    *, service_id: str, always_open: bool, intervals: Sequence[OpeningInterval], time_zone: str
) -> list[dict]:
    """The 24/7 schedule first (when open around the clock), then one schedule per interval."""
    result = []
    if always_open:
        result.append(
            _schedule(
                schedule_id=derived_id(service_id, "schedule:24/7"),
                service_id=service_id,
                time_zone=time_zone,
                byday=ALWAYS_OPEN_DAYS,
                opens_at=ALWAYS_OPENS_AT,
                closes_at=ALWAYS_CLOSES_AT,
                description="Open 24 hours a day, 7 days a week.",
            )
        )
    for interval in intervals:
        opens, closes = format_time(interval.opens), format_time(interval.closes)
        result.append(
            _schedule(
                schedule_id=derived_id(service_id, f"schedule:{interval.weekday}:{opens}:{closes}"),
                service_id=service_id,
                time_zone=time_zone,
                byday=DAY_CODES[interval.weekday],
                opens_at=opens,
                closes_at=closes,
                description=f"{WEEKDAY_NAMES[interval.weekday]} {opens}–{closes} ({time_zone}).",
            )
        )
    return result


def service_area(*, service_id: str, code: str) -> dict:
    area = {
        "id": derived_id(service_id, "service_area"),
        "service_id": service_id,
        "name": code,
        "description": area_description(code),
    }
    if "-" not in code:
        area["uri"] = ISO_3166_PAGE + code
    return area


def _contacts_and_phones(
    helpline: values.HelpLine, *, service_id: str, contact_point_keys: Sequence[uuid.UUID]
) -> tuple[list[dict], list[dict]]:
    contacts, phones = [], []
    tags = list(helpline.obj.languages)
    for point, key in zip(helpline.contact_points, contact_point_keys, strict=True):
        contact_id = str(key)
        contact: dict = {"id": contact_id, "service_id": service_id, "name": point.label}
        if point.type == "email":
            contact["email"] = point.value
        elif point.type in PHONE_TYPES:
            phone_id = derived_id(contact_id, "phone")
            phone = {
                "id": phone_id,
                "service_id": service_id,
                "contact_id": contact_id,
                "number": point.value,
                "type": PHONE_TYPES[point.type],
                "description": point.label,
                "languages": languages(tags, owner_id=phone_id, owner_field="phone_id"),
            }
            contact["phones"] = [phone]
            phones.append(phone)
        else:
            contact["attributes"] = [
                attribute(link_id=contact_id, link_entity="contact", code=point.type, value=point.value)
            ]
        contacts.append(contact)
    return contacts, phones


def _service_url(helpline: values.HelpLine) -> str | None:
    for kind in URL_TYPES:
        for point in helpline.contact_points:
            if point.type == kind:
                # HSDS's url is a URI: an internationalised address (IRI) is percent-encoded here;
                # the contact's attribute keeps it exactly as Baken has it.
                return iri_to_uri(point.value)
    return None


def _service_email(helpline: values.HelpLine) -> str | None:
    return next((point.value for point in helpline.contact_points if point.type == "email"), None)


# --- services and organisations ---------------------------------------------------------------------


def organization_summary(*, source_organisation: str, name: str) -> dict:
    """An organisation as listed (compiled/organization_list.json): its id comes from the default
    locale's organisation, its name is the served translation's; the description, which HSDS
    requires, is that name too (Baken knows nothing else about an organisation)."""
    return {"id": organization_id(source_organisation), "name": name, "description": name}


def organization(*, source_organisation: str, name: str, services: Sequence[dict]) -> dict:
    """An organisation with its services (compiled/organization.json)."""
    return {
        **organization_summary(source_organisation=source_organisation, name=name),
        "services": list(services),
    }


def service_summary(
    helpline: values.HelpLine, *, source_organisation: str, with_organization: bool = True
) -> dict:
    """A service's one-to-one fields (compiled/service_list.json): no arrays of related objects.

    ``with_organization=False`` leaves the nested organisation out (inside an organisation).
    """
    obj = helpline.obj
    service_id = str(obj.translation_key)
    service: dict = {
        "id": service_id,
        "organization_id": organization_id(source_organisation),
        "name": obj.name,
    }
    if obj.description:
        service["description"] = obj.description
    url, email = _service_url(helpline), _service_email(helpline)
    if url is not None:
        service["url"] = url
    if email is not None:
        service["email"] = email
    service["status"] = "active"
    if obj.is_free:
        service["fees_description"] = FREE_OF_CHARGE
    if obj.last_verified is not None:
        service["assured_date"] = obj.last_verified.isoformat()
    if obj.last_published_at is not None:
        service["last_modified"] = format_instant(obj.last_published_at)
    if with_organization:
        service["organization"] = organization_summary(
            source_organisation=source_organisation, name=obj.organisation
        )
    return service


def service(
    helpline: values.HelpLine,
    *,
    contact_point_keys: Sequence[uuid.UUID],
    source_organisation: str,
    with_organization: bool = True,
) -> dict:
    """A fully nested service (compiled/service.json).

    ``contact_point_keys`` are the translation keys of ``helpline.contact_points``, in the same
    order; ``source_organisation`` is the organisation of the help-line's default-locale translation.
    """
    obj = helpline.obj
    service_id = str(obj.translation_key)
    availability = helpline.availability
    contacts, phones = _contacts_and_phones(
        helpline, service_id=service_id, contact_point_keys=contact_point_keys
    )
    result = service_summary(
        helpline, source_organisation=source_organisation, with_organization=with_organization
    )
    result["phones"] = phones
    result["schedules"] = schedules(
        service_id=service_id,
        always_open=availability.always_open,
        intervals=availability.opening_hours,
        time_zone=availability.time_zone,
    )
    result["service_areas"] = [service_area(service_id=service_id, code=obj.area_served)]
    result["languages"] = languages(list(obj.languages), owner_id=service_id, owner_field="service_id")
    result["cost_options"] = (
        [
            {
                "id": derived_id(service_id, "cost_option:free"),
                "service_id": service_id,
                "option": FREE_OF_CHARGE,
                "amount": 0,
                "currency": CURRENCY,
            }
        ]
        if obj.is_free
        else []
    )
    result["contacts"] = contacts
    result["attributes"] = [
        attribute(link_id=service_id, link_entity="service", code="slug", value=obj.slug),
        attribute(
            link_id=service_id,
            link_entity="service",
            code="anonymous_possible",
            value="true" if obj.anonymous_possible else "false",
        ),
        attribute(link_id=service_id, link_entity="service", code="time_zone", value=availability.time_zone),
        attribute(link_id=service_id, link_entity="service", code="locale", value=helpline.served.locale),
    ]
    return result


def profile(*, meta_url: str) -> dict:
    """What a consumer needs to read Baken's services: the conventions above, in short, and the
    vocabularies its attributes use."""
    return {
        "name": "Baken help-lines in HSDS",
        "hsds_version": HSDS_VERSION,
        "api": meta_url,
        "description": (
            "Baken's live, public help-lines as HSDS services (core HSDS 3.0.1, no schema changes). "
            "One service per help-line, in the language asked for (?locale= or Accept-Language, "
            "with fallback); the service attribute 'locale' names the language of its texts."
        ),
        "conventions": {
            "ids": (
                "A service's id is the help-line's translation key and a contact's id its contact "
                "point's, the same in every language; every other id is derived from them (UUID 5)."
            ),
            "contacts": (
                "One contact per contact point, in order; its name is the label. E-mail: email; phone "
                "and SMS: one phone of type voice or text; chat and web form: an attribute with term "
                "chat or web_form whose value is the web address. The phones are listed in the "
                "service's phones too."
            ),
            "schedules": (
                "Weekly. Open around the clock: one schedule for all seven days, 00:00 to 23:59. Else "
                "one schedule per opening interval. Times are local times without offset, HH:MM or "
                "HH:MM:SS (23:59:59 is 'until midnight'); the time zone is the IANA name in the "
                "attribute time_zone, as HSDS's numeric timezone cannot follow daylight saving time."
            ),
            "cost": "Free of charge: one cost option of 0 EUR; otherwise none.",
            "service_areas": "One, named by its ISO 3166 code (BE, BE-VLG).",
            "languages": "code is the ISO 639 code; note is the full BCP 47 tag when it has more.",
        },
        "taxonomies": [
            {
                **taxonomy.as_hsds(),
                "terms": [term.as_hsds() for term in TERMS.values() if term.taxonomy == taxonomy],
            }
            for taxonomy in TAXONOMIES
        ],
    }
