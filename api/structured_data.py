"""schema.org JSON-LD that a channel can embed as is."""

from cms.opening_hours import SCHEMA_ORG_DAYS


def contact_point(helpline, contact_points, availability) -> dict:
    """A help-line (its row, and its presented ``api.values.ContactPoint``s and ``Availability``)."""
    data = {
        "@context": "https://schema.org",
        "@type": "ContactPoint",
        "name": helpline.name,
        "description": helpline.description,
        "areaServed": helpline.area_served,
        "availableLanguage": list(helpline.languages),
    }
    for point in contact_points:
        if point.type in ("phone", "sms"):
            data.setdefault("telephone", point.value)
        elif point.type == "email":
            data.setdefault("email", point.value)
        else:
            data.setdefault("url", point.value)
    options = []
    if helpline.is_free:
        options.append("https://schema.org/TollFree")
    if options:
        data["contactOption"] = options
    if helpline.available_24_7:
        data["hoursAvailable"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": list(SCHEMA_ORG_DAYS.values()),
                "opens": "00:00:00",
                "closes": "23:59:59",
            }
        ]
    elif availability.opening_hours:
        data["hoursAvailable"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": SCHEMA_ORG_DAYS[interval.weekday],
                "opens": interval.opens.strftime("%H:%M:%S"),
                "closes": interval.closes.strftime("%H:%M:%S"),
            }
            for interval in availability.opening_hours
        ]
    return data


def faq_page(*, title: str, locale: str, sections) -> dict:
    """An FAQ page from its title, served locale and presented ``api.values.Section``s."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
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
