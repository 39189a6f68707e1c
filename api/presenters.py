"""Prepare selected objects for their serializers: expansions resolved in bulk, never per item."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from api import selectors, structured_data
from api.richtext import LinkResolver, render
from cms.opening_hours import WEEKDAY_NAMES, is_open_at
from cms.pages.models import FAQPage
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
        helpline.api_contact_points = [
            {
                "contact_type": point.contact_type,
                "value": point.value,
                "label": point.label,
                "href": HREF_PREFIX[point.contact_type] + point.value,
            }
            for point in helpline.contact_points.all()
        ]
        opening_hours = list(helpline.opening_hours.all())
        helpline.api_availability = {
            "always_open": helpline.available_24_7,
            "time_zone": helpline.time_zone,
            "opening_hours": [
                {
                    "day": WEEKDAY_NAMES[hours.weekday].lower(),
                    "opens": hours.opens.strftime("%H:%M"),
                    "closes": hours.closes.strftime("%H:%M"),
                }
                for hours in opening_hours
            ],
        }
        helpline.api_open_now = helpline.available_24_7 or is_open_at(
            intervals=helpline.opening_intervals(), time_zone=helpline.time_zone, moment=now
        )
        helpline.api_structured_data = structured_data.contact_point(helpline)


def present_citations(citations, *, visibility: selectors.Visibility) -> None:
    resolver = LinkResolver(
        [citation.notes for citation in citations],
        visible_pages=selectors.visible_pages(model=Page, visibility=visibility),
    )
    for citation in citations:
        citation.api_notes = render(citation.notes, resolver)


def _raw_questions(page):
    for section in page.body.raw_data:
        yield section, [item["value"] for item in section["value"]["questions"]]


def _item_values(items) -> list[int]:
    return [item["value"] if isinstance(item, dict) else item for item in items or []]


def present_faq_summaries(pages, *, campaign_slugs: dict[str, str]) -> None:
    for page in pages:
        page.api_question_count = sum(len(questions) for _, questions in _raw_questions(page))
        page.api_campaign_slug = campaign_slugs.get(page.path[: -page.steplen])


def campaign_slugs_for(pages) -> dict[str, str]:
    from cms.pages.models import CampaignPage

    parent_paths = {page.path[: -page.steplen] for page in pages}
    return dict(CampaignPage.objects.filter(path__in=parent_paths).values_list("path", "slug"))


def present_faq_detail(page, *, visibility, chain, requested: str) -> None:
    present_faq_summaries([page], campaign_slugs=campaign_slugs_for([page]))
    raw = list(_raw_questions(page))
    helpline_ids = [pk for _, questions in raw for q in questions for pk in _item_values(q.get("helplines"))]
    citation_ids = [pk for _, questions in raw for q in questions for pk in _item_values(q.get("citations"))]
    helplines = selectors.helplines_by_source_pk(
        source_pks=helpline_ids, visibility=visibility, chain=chain, requested=requested
    )
    citations = selectors.citations_by_source_pk(
        source_pks=citation_ids, visibility=visibility, chain=chain, requested=requested
    )
    present_helplines(set(helplines.values()), now=visibility.now)
    present_citations(list(set(citations.values())), visibility=visibility)

    fragments = [page.intro] + [q.get("answer", "") for _, questions in raw for q in questions]
    resolver = LinkResolver(
        fragments, visible_pages=selectors.visible_pages(model=Page, visibility=visibility)
    )
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
    page.api_translations = selectors.page_translations(
        model=type(page), translation_keys=[page.translation_key], visibility=visibility
    ).get(page.translation_key, [])
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


def present_campaigns(campaigns, *, visibility, chain, requested: str) -> None:
    today = timezone.localdate(visibility.now)
    helpline_ids = [link.helpline_id for campaign in campaigns for link in campaign.campaign_helplines.all()]
    helplines = selectors.helplines_by_source_pk(
        source_pks=helpline_ids, visibility=visibility, chain=chain, requested=requested
    )
    present_helplines(set(helplines.values()), now=visibility.now)
    translations = selectors.page_translations(
        model=type(campaigns[0]) if campaigns else FAQPage,
        translation_keys=[campaign.translation_key for campaign in campaigns],
        visibility=visibility,
    )
    campaign_paths = [campaign.path for campaign in campaigns]
    # FAQs below any translation of these campaigns, served in the request's language.
    translation_paths = (
        list(
            selectors.visible_pages(model=type(campaigns[0]), visibility=visibility)
            .filter(translation_key__in=[c.translation_key for c in campaigns])
            .values_list("path", "translation_key")
        )
        if campaigns
        else []
    )
    faq_rows = selectors.faq_rows_below(
        campaign_paths=[path for path, _ in translation_paths] or campaign_paths,
        visibility=visibility,
        chain=chain,
    )
    faqs = selectors.faq_pages(pks=[row["pk"] for row in faq_rows])
    selectors.mark_served(
        faqs, requested=requested, locale_codes={pk: code for code, pk in visibility.locale_ids.items()}
    )
    key_by_path = dict(translation_paths)
    slug_by_key = {campaign.translation_key: campaign.slug for campaign in campaigns}
    for faq in faqs:
        faq.api_question_count = sum(len(questions) for _, questions in _raw_questions(faq))
        faq.api_campaign_slug = slug_by_key.get(key_by_path.get(faq.path[: -faq.steplen]))
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
        campaign.api_faqs = [faq for faq in faqs if faq.api_campaign_slug == campaign.slug]
        campaign.api_translations = translations.get(campaign.translation_key, [])
