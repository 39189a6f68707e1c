"""schema.org JSON-LD that a channel can embed as is.

Invariants:
- A help-line is the ``Organization`` behind it with one ``ContactPoint`` per contact point, in
  the editor's order: ``telephone`` for phone and SMS numbers, ``email`` for addresses, ``url`` for
  chat and web forms. Nothing is merged or dropped.
- ``contactOption`` only where it applies: ``TollFree`` on a free phone or SMS number (never on an
  e-mail address or a web form). Baken does not model hearing-impaired support, so it never says so.
- Hours mean what the API's ``availability`` means, in the same strings: ``HH:MM`` local time in
  the help-line's time zone, "23:59" closing meaning until midnight; 24/7 is every day
  00:00–23:59. Hours go on the points someone answers live (phone, SMS, chat), not on e-mail or
  a web form, which take messages at any time.
- An FAQ page has ``url`` and ``@id`` only when its public address is known (its campaign's
  public FAQ address, ``CampaignPage.faq_url_template``); nothing is invented otherwise.
"""

from cms.opening_hours import SCHEMA_ORG_DAYS

CONTEXT = "https://schema.org"
TOLL_FREE = "https://schema.org/TollFree"
EVERY_DAY = list(SCHEMA_ORG_DAYS.values())
# The contact points someone answers live: opening hours apply to them.
LIVE = frozenset({"phone", "sms", "chat"})


def _hours(availability) -> list[dict]:
    if availability.always_open:
        return [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": EVERY_DAY,
                "opens": "00:00",
                "closes": "23:59",
            }
        ]
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": SCHEMA_ORG_DAYS[interval.weekday],
            "opens": interval.opens.strftime("%H:%M"),
            "closes": interval.closes.strftime("%H:%M"),
        }
        for interval in availability.opening_hours
    ]


def _contact_point(helpline, point, hours: list[dict]) -> dict:
    data = {
        "@type": "ContactPoint",
        "name": point.label,
        "contactType": helpline.name,
        "description": helpline.description,
        "areaServed": helpline.area_served,
        "availableLanguage": list(helpline.languages),
    }
    if point.type in ("phone", "sms"):
        data["telephone"] = point.value
        if helpline.is_free:
            data["contactOption"] = TOLL_FREE
    elif point.type == "email":
        data["email"] = point.value
    else:
        data["url"] = point.value
    if point.type in LIVE and hours:
        data["hoursAvailable"] = hours
    if not data["description"]:
        del data["description"]
    return data


def helpline_organization(helpline, contact_points, availability) -> dict:
    """A help-line (its row, and its presented ``api.values.ContactPoint``s and ``Availability``)."""
    hours = _hours(availability)
    return {
        "@context": CONTEXT,
        "@type": "Organization",
        "name": helpline.organisation,
        "contactPoint": [_contact_point(helpline, point, hours) for point in contact_points],
    }


def faq_page(*, title: str, locale: str, sections, url: str | None = None) -> dict:
    """An FAQ page from its title, served locale, presented ``api.values.Section``s and, when
    known, its public address."""
    data: dict = {"@context": CONTEXT, "@type": "FAQPage"}
    if url:
        data["@id"] = url
        data["url"] = url
    data.update(
        {
            "name": title,
            "inLanguage": locale,
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": question.question,
                    "inLanguage": locale,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": question.answer.html,
                        "inLanguage": locale,
                    },
                }
                for section in sections
                for question in section.questions
            ],
        }
    )
    return data
