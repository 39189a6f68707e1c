"""From selected rows to the values the contract represents (``api.values``).

Expansions (help-lines and citations of an FAQ page, FAQ pages and help-lines of a campaign) are
resolved in bulk, never per item. Presenters return new values; they set nothing on models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import timezone
from wagtail.models import Page

from api import selectors, structured_data, values
from api.richtext import LinkResolver, render
from api.selectors import Chosen
from api.visibility import Visibility
from cms.opening_hours import is_open_at
from cms.snippets.models import ContactType

HREF_PREFIX = {
    ContactType.PHONE: "tel:",
    ContactType.SMS: "sms:",
    ContactType.EMAIL: "mailto:",
    ContactType.CHAT: "",
    ContactType.WEB_FORM: "",
}


def helpline(chosen: Chosen, *, now: dt.datetime) -> values.HelpLine:
    obj = chosen.obj
    details = obj.published_details or {}
    contact_points = tuple(
        values.ContactPoint(
            type=point["contact_type"],
            value=point["value"],
            label=point["label"],
            href=HREF_PREFIX[point["contact_type"]] + point["value"],
        )
        for point in details.get("contact_points", [])
    )
    availability = values.Availability(
        always_open=obj.available_24_7,
        time_zone=obj.time_zone,
        opening_hours=obj.published_opening_intervals(),
    )
    open_now = obj.available_24_7 or is_open_at(
        intervals=availability.opening_hours, time_zone=obj.time_zone, moment=now
    )
    return values.HelpLine(
        obj=obj,
        served=chosen.served,
        contact_points=contact_points,
        availability=availability,
        open_now=open_now,
        structured_data=structured_data.helpline_organization(obj, contact_points, availability),
    )


def helplines(chosen: Iterable[Chosen], *, now: dt.datetime) -> list[values.HelpLine]:
    return [helpline(item, now=now) for item in chosen]


def _resolver(texts, visibility: Visibility) -> LinkResolver:
    return LinkResolver(
        texts, visible_pages=lambda: selectors.visible_pages(model=Page, visibility=visibility)
    )


def _citation(chosen: Chosen, resolver: LinkResolver) -> values.Citation:
    return values.Citation(obj=chosen.obj, served=chosen.served, notes=render(chosen.obj.notes, resolver))


def citations(chosen: Sequence[Chosen], *, visibility: Visibility) -> list[values.Citation]:
    resolver = _resolver([item.obj.notes for item in chosen], visibility)
    return [_citation(item, resolver) for item in chosen]


def faq_summary(chosen: Chosen, *, campaign: str | None) -> values.FAQSummary:
    return values.FAQSummary(
        obj=chosen.obj, served=chosen.served, campaign=campaign, question_count=chosen.obj.question_count
    )


def faq_summaries(chosen: Iterable[Chosen], *, visibility: Visibility) -> list[values.FAQSummary]:
    return [faq_summary(item, campaign=visibility.campaign_slug_of(item.obj)) for item in chosen]


def _raw_questions(page):
    for section in page.body.raw_data:
        yield section, [item["value"] for item in section["value"]["questions"]]


def _item_values(items) -> list[int]:
    return [item["value"] if isinstance(item, dict) else item for item in items or []]


def faq_detail(
    chosen: Chosen,
    *,
    campaign: str | None,
    translations: Sequence[values.TranslationLink],
    visibility: Visibility,
    chain: Sequence[str],
    requested: str,
) -> values.FAQDetail:
    page = chosen.obj
    raw = list(_raw_questions(page))
    helpline_ids = [pk for _, questions in raw for q in questions for pk in _item_values(q.get("helplines"))]
    citation_ids = [pk for _, questions in raw for q in questions for pk in _item_values(q.get("citations"))]
    served_helplines = selectors.helplines_by_source_pk(
        source_pks=helpline_ids, visibility=visibility, chain=chain, requested=requested
    )
    served_citations = selectors.citations_by_source_pk(
        source_pks=citation_ids, visibility=visibility, chain=chain, requested=requested
    )
    answers = [q.get("answer", "") for _, questions in raw for q in questions]
    resolver = _resolver(
        [page.intro, *answers, *(item.obj.notes for item in served_citations.values())], visibility
    )
    # A help-line or citation shown under several questions is built once.
    helpline_values = _once(served_helplines, lambda item: helpline(item, now=visibility.now))
    citation_values = _once(served_citations, lambda item: _citation(item, resolver))
    sections = tuple(
        values.Section(
            heading=section["value"]["heading"],
            questions=tuple(
                values.Question(
                    anchor=q.get("anchor") or "",
                    question=q.get("question", ""),
                    answer=render(q.get("answer", ""), resolver),
                    helplines=_unique(helpline_values, _item_values(q.get("helplines"))),
                    citations=_unique(citation_values, _item_values(q.get("citations"))),
                )
                for q in questions
            ),
        )
        for section, questions in raw
    )
    return values.FAQDetail(
        obj=page,
        served=chosen.served,
        campaign=campaign,
        # Counted from the body served: a previewed draft's differs from the stored count.
        question_count=sum(len(section.questions) for section in sections),
        intro=render(page.intro, resolver),
        sections=sections,
        translations=tuple(translations),
        structured_data=structured_data.faq_page(
            title=page.title,
            locale=chosen.served.locale,
            sections=sections,
            url=visibility.public_faq_url(page, locale=chosen.served.locale),
        ),
    )


def _once(served: dict[int, Chosen], build) -> dict[int, object]:
    """Source id → value, building each served object once however many ids lead to it."""
    built: dict[int, object] = {}
    by_pk: dict[int, object] = {}
    for source_pk, item in served.items():
        if item.obj.pk not in built:
            built[item.obj.pk] = build(item)
        by_pk[source_pk] = built[item.obj.pk]
    return by_pk


def _unique(by_source_pk: dict[int, object], source_pks: Iterable[int]) -> tuple:
    seen, result = set(), []
    for pk in source_pks:
        value = by_source_pk.get(pk)
        if value is not None and value.obj.pk not in seen:  # type: ignore[attr-defined]
            seen.add(value.obj.pk)  # type: ignore[attr-defined]
            result.append(value)
    return tuple(result)


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


def campaigns(
    chosen: Sequence[Chosen], *, translations: Sequence[dict], visibility: Visibility, chain, requested: str
) -> list[values.Campaign]:
    """``translations`` are the rows from ``selectors.campaigns``."""
    today = timezone.localdate(visibility.now)
    helpline_ids = [link.helpline_id for item in chosen for link in item.obj.campaign_helplines.all()]
    served_helplines = selectors.helplines_by_source_pk(
        source_pks=helpline_ids, visibility=visibility, chain=chain, requested=requested
    )
    helpline_values = _once(served_helplines, lambda item: helpline(item, now=visibility.now))
    shown_keys = {item.obj.translation_key for item in chosen}
    translations = [row for row in translations if row["translation_key"] in shown_keys]
    key_by_path = {row["path"]: row["translation_key"] for row in translations}
    # FAQs below any translation of these campaigns, served in the request's language.
    faqs = selectors.faqs_below(
        campaign_paths=list(key_by_path), visibility=visibility, chain=chain, requested=requested
    )
    result = []
    for item in chosen:
        campaign = item.obj
        result.append(
            values.Campaign(
                obj=campaign,
                served=item.served,
                key_dates=tuple(
                    values.KeyDate(
                        date=key_date.date,
                        label=key_date.label,
                        recurs_annually=key_date.recurs_annually,
                        next_occurrence=next_occurrence(
                            key_date.date, recurs_annually=key_date.recurs_annually, today=today
                        ),
                    )
                    for key_date in campaign.key_dates.all()
                ),
                faqs=tuple(
                    faq_summary(faq, campaign=campaign.slug)
                    for faq in faqs
                    if key_by_path.get(faq.obj.path[: -faq.obj.steplen]) == campaign.translation_key
                ),
                helplines=_unique(
                    helpline_values, [link.helpline_id for link in campaign.campaign_helplines.all()]
                ),
                translations=tuple(
                    sorted(
                        (
                            values.TranslationLink(locale=row["locale"], slug=row["slug"])
                            for row in translations
                            if row["translation_key"] == campaign.translation_key
                        ),
                        key=lambda link: link.locale,
                    )
                ),
            )
        )
    return result
