"""schema.org JSON-LD that a channel can embed as is."""

from cms.opening_hours import SCHEMA_ORG_DAYS


def contact_point(helpline) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "ContactPoint",
        "name": helpline.name,
        "description": helpline.description,
        "areaServed": helpline.area_served,
        "availableLanguage": list(helpline.languages),
    }
    for point in helpline.api_contact_points:
        if point["contact_type"] in ("phone", "sms"):
            data.setdefault("telephone", point["value"])
        elif point["contact_type"] == "email":
            data.setdefault("email", point["value"])
        else:
            data.setdefault("url", point["value"])
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
    elif helpline.api_availability["opening_hours"]:
        data["hoursAvailable"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": SCHEMA_ORG_DAYS[interval.weekday],
                "opens": interval.opens.strftime("%H:%M:%S"),
                "closes": interval.closes.strftime("%H:%M:%S"),
            }
            for interval in helpline.api_opening_intervals
        ]
    return data


def faq_page(page) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "name": page.title,
        "inLanguage": page.served_locale,
        "mainEntity": [
            {
                "@type": "Question",
                "name": question["question"],
                "inLanguage": page.served_locale,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": question["answer"]["html"],
                    "inLanguage": page.served_locale,
                },
            }
            for section in page.api_sections
            for question in section["questions"]
        ],
    }
