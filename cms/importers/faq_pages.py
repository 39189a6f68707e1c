"""Write a parsed FAQ into an FAQ page: create it, or update it in place when it exists."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page

from cms.importers.faq_text import ParsedFAQ
from cms.pages.models import CampaignPage, FAQPage


class FAQImportError(ValueError):
    """The import cannot go ahead; nothing was written."""


@dataclass
class ImportResult:
    page: FAQPage
    created: bool
    changed: bool


def find_campaign(identifier: str) -> CampaignPage:
    """A campaign page by id or slug (any locale)."""
    campaigns = CampaignPage.objects.all()
    found = (
        campaigns.filter(pk=int(identifier)) if identifier.isdigit() else campaigns.filter(slug=identifier)
    )
    campaign = found.order_by("pk").first()
    if campaign is None:
        raise FAQImportError(f"No campaign page with id or slug “{identifier}”.")
    return campaign


def find_locale(language_code: str) -> Locale:
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        known = ", ".join(Locale.objects.order_by("language_code").values_list("language_code", flat=True))
        raise FAQImportError(f"Unknown locale “{language_code}”; known locales: {known}.")
    return locale


def import_faq_page(
    *,
    parsed: ParsedFAQ,
    campaign: CampaignPage,
    locale: Locale,
    slug: str,
    title: str | None = None,
    intro_html: str | None = None,
    translation_of: FAQPage | None = None,
    publish: bool = True,
) -> ImportResult:
    """Create or update the FAQ page ``slug`` under ``campaign``'s translation in ``locale``.

    Questions keep the anchors, help-lines and citations they had (matched by question
    text, then by position), so a re-import never loses what editors attached.
    """
    parent = campaign.get_translation_or_none(locale)
    if parent is None:
        raise FAQImportError(
            f"The campaign “{campaign.title}” has no {locale.language_code} translation; create it first."
        )
    page = _existing_page(parent=parent, locale=locale, slug=slug, translation_of=translation_of)
    created = page is None
    if created and not title:
        raise FAQImportError("A new FAQ page needs a title (--title).")

    with transaction.atomic():
        if created:
            if translation_of is not None:
                page = translation_of.copy_for_translation(locale, copy_parents=False, alias=False)
                page.slug = slug
            else:
                page = FAQPage(slug=slug, locale=locale, title=title)
        old_body = _without_block_ids(list(page.body.raw_data)) if page.pk else []
        new_body = _body_from(parsed, previous=old_body)
        new_title = title or page.title
        new_intro = intro_html if intro_html is not None else page.intro
        changed = created or (
            old_body != _without_block_ids(new_body) or new_title != page.title or new_intro != page.intro
        )
        page.title, page.intro, page.body = new_title, new_intro, new_body
        if created and not publish:
            page.live, page.has_unpublished_changes = False, True
        try:
            page.body.stream_block.clean(page.body)
        except ValidationError as error:
            raise FAQImportError(
                f"The FAQ does not fit the page's content rules: {'; '.join(error.messages)}"
            ) from error
        try:
            if created and translation_of is None:
                parent.add_child(instance=page)
            page.full_clean()
        except ValidationError as error:
            raise FAQImportError("; ".join(error.messages)) from error
        if changed:
            revision = page.save_revision(log_action=True)
            if publish:
                revision.publish()
                page.refresh_from_db()
    return ImportResult(page=page, created=created, changed=changed)


def _existing_page(*, parent: Page, locale: Locale, slug: str, translation_of: FAQPage | None):
    if translation_of is not None:
        translated = translation_of.get_translation_or_none(locale)
        if translated is not None:
            return translated.specific
    return FAQPage.objects.child_of(parent).filter(slug=slug, locale=locale).first()


def _body_from(parsed: ParsedFAQ, *, previous) -> list[dict]:
    previous_questions = [item["value"] for section in previous for item in section["value"]["questions"]]
    by_text = {question["question"]: question for question in previous_questions}
    parsed_texts = {question.question for question in parsed.questions}
    # A previous question kept by its text keeps its anchor; only the others may be taken over
    # by position (a reworded question, or a translation of the same list).
    unmatched_by_position = {
        position: question
        for position, question in enumerate(previous_questions)
        if question["question"] not in parsed_texts
    }
    taken: set[str] = {
        question["anchor"]
        for question in previous_questions
        if question["question"] in parsed_texts and question.get("anchor")
    }
    body = []
    position = 0
    for section in parsed.sections:
        questions = []
        for parsed_question in section.questions:
            earlier = by_text.get(parsed_question.question)
            if earlier is not None:
                anchor = earlier.get("anchor") or ""
            else:
                earlier = unmatched_by_position.get(position)
                anchor = (earlier or {}).get("anchor") or ""
                if anchor in taken:
                    anchor = ""
            position += 1
            if not anchor:
                anchor = _unique_anchor(parsed_question.question, taken)
            taken.add(anchor)
            questions.append(
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "question": parsed_question.question,
                        "anchor": anchor,
                        "answer": parsed_question.answer_html,
                        "helplines": list_items((earlier or {}).get("helplines", [])),
                        "citations": list_items((earlier or {}).get("citations", [])),
                    },
                }
            )
        body.append(
            {
                "type": "section",
                "id": str(uuid.uuid4()),
                "value": {"heading": section.heading, "questions": questions},
            }
        )
    return body


def list_items(values) -> list[dict]:
    """ListBlock raw data in Wagtail's block format; accepts plain values or items without ids."""
    return [
        {
            "type": "item",
            "value": value["value"] if isinstance(value, dict) else value,
            "id": str(uuid.uuid4()),
        }
        for value in values
    ]


def _without_block_ids(data):
    """Raw StreamField data without the per-block ids, for comparing content."""
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    if isinstance(data, dict):
        return {key: _without_block_ids(value) for key, value in data.items() if key != "id"}
    return data


def _unique_anchor(question: str, taken: set[str]) -> str:
    base = slugify(question)[:72] or "question"
    candidate, counter = base, 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate
