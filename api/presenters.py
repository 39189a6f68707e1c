"""Prepare selected objects for their serializers: expansions resolved in bulk, never per item."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from api import selectors, structured_data
from api.richtext import LinkResolver, render
from cms.opening_hours import WEEKDAY_NAMES, OpeningInterval, is_open_at
from cms.snippets.models import ContactType

HREF_PREFIX = {
    ContactType.PHONE: "tel:",
    ContactType.SMS: "sms:",
    ContactType.EMAIL: "mailto:",
    ContactType.CHAT: "",
    ContactType.WEB_FORM: "",
}


def present_helplines(helplines, *, now: dt.datetime) -> None:
    for helpline in helplines:
        details = helpline.published_details or {"contact_points": [], "opening_hours": []}
        helpline.api_contact_points = [
            {**point, "href": HREF_PREFIX[point["contact_type"]] + point["value"]}
            for point in details["contact_points"]
        ]
        intervals = [
            OpeningInterval(
                weekday=hours["weekday"],
                opens=dt.time.fromisoformat(hours["opens"]),
                closes=dt.time.fromisoformat(hours["closes"]),
            )
            for hours in details["opening_hours"]
        ]
        helpline.api_opening_intervals = intervals
        helpline.api_availability = {
            "always_open": helpline.available_24_7,
            "time_zone": helpline.time_zone,
            "opening_hours": [
                {
                    "day": WEEKDAY_NAMES[interval.weekday].lower(),
                    "opens": interval.opens.strftime("%H:%M"),
                    "closes": interval.closes.strftime("%H:%M"),
                }
                for interval in intervals
            ],
        }
        helpline.api_open_now = helpline.available_24_7 or is_open_at(
            intervals=intervals, time_zone=helpline.time_zone, moment=now
        )
        helpline.api_structured_data = structured_data.contact_point(helpline)


def present_citations(citations, *, visibility: selectors.Visibility) -> None:
    resolver = LinkResolver(
        [citation.notes for citation in citations],
        visible_pages=lambda: selectors.visible_pages(model=Page, visibility=visibility),
    )
    for citation in citations:
        citation.api_notes = render(citation.notes, resolver)


def _raw_questions(page):
    for section in page.body.raw_data:
        yield section, [item["value"] for item in section["value"]["questions"]]


def _item_values(items) -> list[int]:
    return [item["value"] if isinstance(item, dict) else item for item in items or []]


def present_faq_summaries(pages) -> None:
    """Pages carry ``campaign_slug`` (``selectors.Visibility.campaign_slug_of``)."""
    for page in pages:
        page.api_question_count = page.question_count
        page.api_campaign_slug = getattr(page, "campaign_slug", None)


def present_faq_detail(page, *, translations, visibility, chain, requested: str) -> None:
    present_faq_summaries([page])
    raw = list(_raw_questions(page))
    # Counted from the body served: a previewed draft's differs from the stored count.
    page.api_question_count = sum(len(questions) for _, questions in raw)
    helpline_ids = [pk for _, questions in raw for q in questions for pk in _item_values(q.get("helplines"))]
    citation_ids = [pk for _, questions in raw for q in questions for pk in _item_values(q.get("citations"))]
    helplines = selectors.helplines_by_source_pk(
        source_pks=helpline_ids, visibility=visibility, chain=chain, requested=requested
    )
    citations = selectors.citations_by_source_pk(
        source_pks=citation_ids, visibility=visibility, chain=chain, requested=requested
    )
    present_helplines(set(helplines.values()), now=visibility.now)
    answers = [q.get("answer", "") for _, questions in raw for q in questions]
    citation_list = list(set(citations.values()))
    resolver = LinkResolver(
        [page.intro, *answers, *(citation.notes for citation in citation_list)],
        visible_pages=lambda: selectors.visible_pages(model=Page, visibility=visibility),
    )
    for citation in citation_list:
        citation.api_notes = render(citation.notes, resolver)
    page.api_intro = render(page.intro, resolver)
    page.api_sections = [
        {
            "heading": section["value"]["heading"],
            "questions": [
                {
                    "anchor": q.get("anchor") or "",
                    "question": q.get("question", ""),
                    "answer": render(q.get("answer", ""), resolver),
                    "helplines": _unique(helplines.get(pk) for pk in _item_values(q.get("helplines"))),
                    "citations": _unique(citations.get(pk) for pk in _item_values(q.get("citations"))),
                }
                for q in questions
            ],
        }
        for section, questions in raw
    ]
    page.api_translations = translations
    page.api_structured_data = structured_data.faq_page(page)


def _unique(objects) -> list:
    seen, result = set(), []
    for obj in objects:
        if obj is not None and obj.pk not in seen:
            seen.add(obj.pk)
            result.append(obj)
    return result


def next_occurrence(day: dt.date, *, recurs_annually: bool, today: dt.date) -> dt.date | None:
    if not recurs_annually:
        return day if day >= today else None
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            candidate = dt.date(year, 3, 1)
        if candidate >= today:
            return candidate
    return None


def present_campaigns(campaigns, *, translations, visibility, chain, requested: str) -> None:
    """``translations`` are the rows from ``selectors.campaigns``."""
    today = timezone.localdate(visibility.now)
    helpline_ids = [link.helpline_id for campaign in campaigns for link in campaign.campaign_helplines.all()]
    helplines = selectors.helplines_by_source_pk(
        source_pks=helpline_ids, visibility=visibility, chain=chain, requested=requested
    )
    present_helplines(set(helplines.values()), now=visibility.now)
    shown_keys = {campaign.translation_key for campaign in campaigns}
    translations = [row for row in translations if row["translation_key"] in shown_keys]
    key_by_path = {row["path"]: row["translation_key"] for row in translations}
    # FAQs below any translation of these campaigns, served in the request's language.
    faqs = selectors.faqs_below(
        campaign_paths=list(key_by_path), visibility=visibility, chain=chain, requested=requested
    )
    present_faq_summaries(faqs)
    for campaign in campaigns:
        campaign.api_key_dates = [
            {
                "date": key_date.date,
                "label": key_date.label,
                "recurs_annually": key_date.recurs_annually,
                "next_occurrence": next_occurrence(
                    key_date.date, recurs_annually=key_date.recurs_annually, today=today
                ),
            }
            for key_date in campaign.key_dates.all()
        ]
        campaign.api_helplines = _unique(
            helplines.get(link.helpline_id) for link in campaign.campaign_helplines.all()
        )
        campaign.api_faqs = [
            faq for faq in faqs if key_by_path.get(faq.path[: -faq.steplen]) == campaign.translation_key
        ]
        for faq in campaign.api_faqs:
            faq.api_campaign_slug = campaign.slug
        campaign.api_translations = sorted(
            (
                {"locale": row["locale"], "slug": row["slug"]}
                for row in translations
                if row["translation_key"] == campaign.translation_key
            ),
            key=lambda link: link["locale"],
        )
