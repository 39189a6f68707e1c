"""The public JSON of each object, built as plain data from what the presenters prepared.

The serializers in ``api.serializers`` document these shapes (OpenAPI) and are the reference:
``tests/api/test_representations.py`` checks that both give exactly the same output. Building
dicts directly avoids DRF's per-field machinery, which dominated the cost of an uncached answer.
"""

import datetime as dt

from django.utils import timezone


def _datetime(value: dt.datetime | None) -> str | None:
    """As DRF's DateTimeField renders it: ISO 8601 in the current time zone, UTC as ``Z``."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _translated(obj) -> dict:
    return {
        "id": obj.pk,
        "translation_key": str(obj.translation_key),
        "locale": obj.served_locale,
        "is_fallback": obj.is_fallback,
        "translation_outdated": obj.translation_outdated,
    }


def helpline(obj) -> dict:
    return {
        **_translated(obj),
        "slug": obj.slug,
        "name": obj.name,
        "organisation": obj.organisation,
        "description": obj.description,
        "contact_points": [
            {
                "type": point["contact_type"],
                "value": point["value"],
                "label": point["label"],
                "href": point["href"],
            }
            for point in obj.api_contact_points
        ],
        "is_free": obj.is_free,
        "anonymous_possible": obj.anonymous_possible,
        "availability": obj.api_availability,
        "open_now": obj.api_open_now,
        "languages": list(obj.languages),
        "area_served": obj.area_served,
        "last_verified": _date(obj.last_verified),
        "last_published_at": _datetime(obj.last_published_at),
        "structured_data": obj.api_structured_data,
    }


def citation(obj) -> dict:
    return {
        **_translated(obj),
        "title": obj.title,
        "authors": obj.author_names,
        "organisation": obj.organisation,
        "publisher": obj.publisher,
        "url": obj.url,
        "publication_date": _date(obj.publication_date),
        "accessed_date": _date(obj.accessed_date),
        "type": obj.citation_type,
        "language": obj.language,
        "notes": obj.api_notes,
        "last_published_at": _datetime(obj.last_published_at),
    }


def faq_summary(page) -> dict:
    return {
        **_translated(page),
        "title": page.title,
        "slug": page.slug,
        "campaign": page.api_campaign_slug,
        "question_count": page.api_question_count,
        "last_published_at": _datetime(page.last_published_at),
    }


def faq_detail(page) -> dict:
    helplines: dict[int, dict] = {}
    citations: dict[int, dict] = {}
    return {
        **faq_summary(page),
        "intro": page.api_intro,
        "sections": [
            {
                "heading": section["heading"],
                "questions": [
                    {
                        "anchor": question["anchor"],
                        "question": question["question"],
                        "answer": question["answer"],
                        # A help-line shown under several questions is built once.
                        "helplines": [_once(helplines, obj, helpline) for obj in question["helplines"]],
                        "citations": [_once(citations, obj, citation) for obj in question["citations"]],
                    }
                    for question in section["questions"]
                ],
            }
            for section in page.api_sections
        ],
        "translations": page.api_translations,
        "structured_data": page.api_structured_data,
    }


def _once(built: dict, obj, build) -> dict:
    if obj.pk not in built:
        built[obj.pk] = build(obj)
    return built[obj.pk]


def campaign(obj) -> dict:
    return {
        **_translated(obj),
        "name": obj.title,
        "slug": obj.slug,
        "summary": obj.summary,
        "key_dates": [
            {
                "date": _date(key_date["date"]),
                "label": key_date["label"],
                "recurs_annually": key_date["recurs_annually"],
                "next_occurrence": _date(key_date["next_occurrence"]),
            }
            for key_date in obj.api_key_dates
        ],
        "faqs": [faq_summary(faq) for faq in obj.api_faqs],
        "helplines": [helpline(line) for line in obj.api_helplines],
        "translations": obj.api_translations,
        "last_published_at": _datetime(obj.last_published_at),
    }
