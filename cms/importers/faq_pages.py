"""Write a parsed FAQ into an FAQ page: create it, or update it in place when it exists.

What happens to the content follows the editorial workflow: by default the import is a draft (a new
revision; the live version and the API are unchanged, a new page is created not live). ``submit``
also hands the draft to the page's review workflow; ``publish`` makes it live straight away. When a
``user`` is given, the import is done as that person and their page permissions apply (a user who
may not publish the page cannot publish it here either); code that runs as the system (the demo
loader) may publish without a user.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from wagtail.locks import BasicLock, ScheduledForPublishLock, WorkflowLock
from wagtail.models import Locale, Page, WorkflowState

from cms.importers.faq_text import ParsedFAQ
from cms.pages.models import CampaignPage, FAQPage


class FAQImportError(ValueError):
    """The import cannot go ahead; nothing was written."""


@dataclass
class ImportResult:
    page: FAQPage
    created: bool
    changed: bool
    #: The import made the page's content live (a new revision, or the unpublished one it matched).
    published: bool = False
    #: The review the import started (``submit``), or None.
    workflow_state: WorkflowState | None = None
    #: Publishing cancelled a review that was in progress.
    cancelled_review: bool = False


def find_campaign(identifier: str) -> CampaignPage:
    """A campaign page by id or slug (any locale)."""
    campaigns = CampaignPage.objects.all()
    found = (
        campaigns.filter(pk=int(identifier)) if identifier.isdigit() else campaigns.filter(slug=identifier)
    )
    campaign = found.order_by("pk").first()
    if campaign is None:
        raise FAQImportError(
            gettext("No campaign page with id or slug “%(campaign)s”.") % {"campaign": identifier}
        )
    return campaign


def find_locale(language_code: str) -> Locale:
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        known = ", ".join(Locale.objects.order_by("language_code").values_list("language_code", flat=True))
        raise FAQImportError(
            gettext("Unknown locale “%(locale)s”; known locales: %(known)s.")
            % {"locale": language_code, "known": known}
        )
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
    publish: bool = False,
    submit: bool = False,
    user=None,
    allow_structure_change: bool = False,
) -> ImportResult:
    """Create or update the FAQ page ``slug`` under ``campaign``'s translation in ``locale``.

    By default the content is saved as a draft: a new revision when it differs from the page's
    latest revision (nothing at all when it does not), the live version untouched, a new page
    created not live. ``submit`` also submits the draft to the page's review workflow as ``user``
    (required); ``publish`` publishes it, as ``user`` when given — who must then be allowed to
    publish the page — or as the system when not. Everything is checked before anything is
    written: a refusal raises FAQImportError and changes nothing.

    Questions keep the anchors, help-lines and citations they had (matched by question
    text, then by position), so a re-import never loses what editors attached. A translation
    (``translation_of``) must have its source's sections and number of questions per section,
    unless ``allow_structure_change``.
    """
    if publish and submit:
        raise FAQImportError(gettext("Submit the draft for review or publish it, not both."))
    if submit and user is None:
        raise FAQImportError(gettext("Submitting for review needs a user: the person who submits."))
    parent = campaign.get_translation_or_none(locale)
    if parent is None:
        raise FAQImportError(
            gettext("The campaign “%(campaign)s” has no %(locale)s translation; create it first.")
            % {"campaign": campaign.title, "locale": locale.language_code}
        )
    existing = _existing_page(parent=parent, locale=locale, slug=slug, translation_of=translation_of)
    created = existing is None
    if created and not title:
        raise FAQImportError(gettext("A new FAQ page needs a title (--title)."))
    if translation_of is not None and not allow_structure_change:
        check_same_structure(parsed, translation_of)
    workflow = _workflow_for_submission(parent=parent, page=existing, title=title) if submit else None
    if user is not None:
        _check_permissions(
            user, parent=parent, page=existing, translation=translation_of is not None, publish=publish
        )
    review_to_cancel = existing.current_workflow_state if publish and existing is not None else None

    with transaction.atomic():
        if created:
            if translation_of is not None:
                page = translation_of.copy_for_translation(locale, copy_parents=False, alias=False)
                page.slug = slug
            else:
                page = FAQPage(slug=slug, locale=locale, title=title)
        else:
            # The latest revision, not the live version: a re-import of the same file over a draft
            # it made changes nothing, and what editors attached in a draft is kept.
            page = existing.get_latest_revision_as_object()
        old_body = _without_block_ids(list(page.body.raw_data)) if page.pk else []
        new_body = _body_from(parsed, previous=old_body)
        new_title = title or page.title
        new_intro = intro_html if intro_html is not None else page.intro
        changed = created or (
            old_body != _without_block_ids(new_body) or new_title != page.title or new_intro != page.intro
        )
        page.title, page.intro, page.body = new_title, new_intro, new_body
        if created:
            page.live, page.has_unpublished_changes = False, True
        try:
            page.body.stream_block.clean(page.body)
        except ValidationError as error:
            raise FAQImportError(
                gettext("The FAQ does not fit the page's content rules: %(errors)s")
                % {"errors": _sentence(describe_block_errors(error))}
            ) from error
        try:
            if created and translation_of is None:
                parent.add_child(instance=page)
            page.full_clean()
            if changed and not page.live and not (created and translation_of is None):
                # As Wagtail's editor does: a page that is not live holds its draft itself.
                page.save()
        except ValidationError as error:
            raise FAQImportError("; ".join(error.messages)) from error

        revision = page.save_revision(user=user, log_action=True) if changed else None
        live, live_revision_id, latest_revision_id = Page.objects.filter(pk=page.pk).values_list(
            "live", "live_revision_id", "latest_revision_id"
        )[0]
        pending = not live or live_revision_id != latest_revision_id
        if pending and latest_revision_id is None and (publish or submit):
            revision = page.save_revision(user=user, log_action=True)
        result = ImportResult(page=page, created=created, changed=changed)
        if publish and pending:
            (revision or page.get_latest_revision()).publish(user=user)
            result.page = FAQPage.objects.get(pk=page.pk)
            result.published = True
            result.cancelled_review = review_to_cancel is not None
        elif submit and pending:
            page = FAQPage.objects.get(pk=page.pk)
            state = page.current_workflow_state
            if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                # Changes were requested: the new draft goes back to the same review, as in the admin.
                state.resume(user)
                state.refresh_from_db()
                result.workflow_state = state
            else:
                result.workflow_state = workflow.start(page, user)
            result.page = page.get_latest_revision_as_object()
    return result


def check_same_structure(parsed: ParsedFAQ, source: FAQPage) -> None:
    """Refuse a translation whose sections or questions per section differ from its source page.

    The source is compared as it is live (as its latest draft when it has never been published):
    that is what a translation translates.
    """
    source = source if source.live else source.get_latest_revision_as_object()
    source_sections = [
        (section["value"].get("heading", ""), len(section["value"].get("questions", [])))
        for section in source.body.raw_data
    ]
    differences = []
    for number, section in enumerate(parsed.sections, start=1):
        if number > len(source_sections):
            differences.append(
                gettext("the file has an extra section %(number)s “%(heading)s”")
                % {"number": number, "heading": section.heading}
            )
            continue
        expected = source_sections[number - 1][1]
        if len(section.questions) != expected:
            differences.append(
                gettext(
                    "section %(number)s “%(heading)s”: the source has %(expected)s, the file has %(found)s"
                )
                % {
                    "number": number,
                    "heading": section.heading,
                    "expected": _questions(expected),
                    "found": _questions(len(section.questions)),
                }
            )
    for number, (heading, _count) in enumerate(
        source_sections[len(parsed.sections) :], start=len(parsed.sections) + 1
    ):
        differences.append(
            gettext("the file lacks section %(number)s “%(heading)s” of the source")
            % {"number": number, "heading": heading}
        )
    if differences:
        raise FAQImportError(
            gettext(
                "The file's structure differs from its source page “%(source)s” (%(locale)s):\n"
                "%(differences)s\n"
                "Translate the source section by section and question by question, or pass "
                "--allow-structure-change to import it anyway."
            )
            % {
                "source": source.title,
                "locale": source.locale.language_code,
                "differences": "\n".join(f"- {difference}" for difference in differences),
            }
        )


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."


def _questions(count: int) -> str:
    return ngettext("%(count)s question", "%(count)s questions", count) % {"count": count}


def describe_block_errors(error: ValidationError) -> str:
    """A StreamField validation error as “section 1, question 2 (question text): …” parts."""
    labels = {
        "heading": gettext("heading"),
        "questions": gettext("questions"),
        "question": gettext("question text"),
        "anchor": gettext("anchor"),
        "answer": gettext("answer"),
        "helplines": gettext("help-lines"),
        "citations": gettext("citations"),
    }
    parts: list[str] = []

    def walk(data, where: list[str], field: str | None):
        for message in data.get("messages", []):
            place = ", ".join(where)
            if field:
                label = labels.get(field, field)
                place = (
                    gettext("%(place)s (%(field)s)") % {"place": place, "field": label} if place else label
                )
            parts.append(
                gettext("%(place)s: %(message)s") % {"place": place, "message": message} if place else message
            )
        for key, child in data.get("blockErrors", {}).items():
            if isinstance(key, int) and field is None and not where:
                walk(child, [gettext("section %(number)s") % {"number": key + 1}], None)
            elif isinstance(key, int) and field == "questions":
                walk(child, [*where, gettext("question %(number)s") % {"number": key + 1}], None)
            elif isinstance(key, int):
                walk(child, [*where, gettext("item %(number)s") % {"number": key + 1}], field)
            else:
                walk(child, where, key)

    if hasattr(error, "as_json_data"):
        walk(error.as_json_data(), [], None)
    return "; ".join(parts) or "; ".join(error.messages)


def _workflow_for_submission(*, parent: Page, page: FAQPage | None, title: str | None):
    """The workflow a submission goes to; refused when there is none or a review is in progress."""
    name = page.get_latest_revision_as_object().title if page is not None else title
    # A new page has the workflow of its parent (its own or the nearest ancestor's).
    workflow = (page or parent).get_workflow()
    if workflow is None:
        raise FAQImportError(
            gettext(
                "The page “%(title)s” has no review workflow, so it cannot be submitted for review; "
                "import it as a draft, or have someone allowed to publish it use --publish."
            )
            % {"title": name}
        )
    state = page.current_workflow_state if page is not None else None
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task = state.current_task_state.task.name if state.current_task_state else ""
        raise FAQImportError(
            gettext(
                "The page “%(title)s” is already in moderation (“%(workflow)s”, awaiting “%(task)s”); "
                "wait for the reviewers' decision before submitting it again."
            )
            % {"title": name, "workflow": state.workflow.name, "task": task}
        )
    return workflow


def _check_permissions(user, *, parent: Page, page: FAQPage | None, translation: bool, publish: bool) -> None:
    """Refuse what ``user`` may not do in the admin either (add, change or publish this page)."""
    username = user.get_username()
    if not user.is_active:
        raise FAQImportError(gettext("The user “%(user)s” is inactive.") % {"user": username})
    if page is None:
        permissions = parent.permissions_for_user(user)
        may_add = permissions.can_add_subpage() or (
            translation and user.has_perm("wagtail_localize.submit_translation")
        )
        if not may_add:
            raise FAQImportError(
                gettext("The user “%(user)s” may not add pages below “%(parent)s”.")
                % {"user": username, "parent": parent.title}
            )
        if publish and not permissions.can_publish_subpage():
            raise FAQImportError(
                gettext(
                    "The user “%(user)s” may not publish pages below “%(parent)s”; "
                    "submit the draft for review instead (--submit)."
                )
                % {"user": username, "parent": parent.title}
            )
        return
    title = page.get_latest_revision_as_object().title
    permissions = page.permissions_for_user(user)
    if not permissions.can_edit():
        raise FAQImportError(
            gettext("The user “%(user)s” may not change the page “%(title)s”.")
            % {"user": username, "title": title}
        )
    if publish and not permissions.can_publish():
        raise FAQImportError(
            gettext(
                "The user “%(user)s” may not publish the page “%(title)s”; "
                "submit the draft for review instead (--submit)."
            )
            % {"user": username, "title": title}
        )
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        raise FAQImportError(_lock_message(lock, page, title))


def _lock_message(lock, page: FAQPage, title: str) -> str:
    if isinstance(lock, WorkflowLock):
        return gettext(
            "The page “%(title)s” is in review; until the reviewers have decided, only they may change it."
        ) % {"title": title}
    if isinstance(lock, ScheduledForPublishLock):
        return gettext(
            "The page “%(title)s” is scheduled to go live; cancel the schedule in the admin before importing."
        ) % {"title": title}
    if isinstance(lock, BasicLock) and page.locked_by is not None:
        return gettext("The page “%(title)s” is locked by “%(user)s”; ask them to unlock it first.") % {
            "title": title,
            "user": page.locked_by.get_username(),
        }
    return gettext("The page “%(title)s” is locked; unlock it in the admin first.") % {"title": title}


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
