"""Labels for an FAQ page's segments in wagtail-localize's translation editor.

wagtail-localize labels a StreamField segment by its top-level block ("Section") and by the child
of that block it sits under: "Heading" for a section's heading, but "Questions" for everything
inside a question (its text, every paragraph of its answer, the answer's links, its help-lines and
citations). Block labels cannot tell those apart, and wagtail-localize has no hook for labels.

So :func:`install` wraps ``wagtail_localize.views.edit_translation.get_segment_location_info``,
the one function that builds the ``location`` of each segment in the editor's props, and relabels
the segments of an FAQ page: ``field`` (the group header) becomes "Section 1", "Section 2", …;
``subField`` (the line above each segment) becomes "Section heading", "Question 1", "Answer to:
<question>", "Link in the answer to: <question>", "Help-line for: <question>" or "Citation for:
<question>". Everything else in the location (tab, order, blockId, widget) is wagtail-localize's
own, and every other model is left alone.

The wrapped function is private to wagtail-localize, so the override is pinned: on a version
outside ``SUPPORTED_SERIES``, or if the function's signature changed, nothing is patched (the
editor shows its generic labels again) and a warning is logged.
tests/test_translation_editor_labels.py checks the tested version and the labels through the
real admin view, so an upgrade that breaks this fails the suite.
"""

import functools
import inspect
import logging
from importlib.metadata import version

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The override was written against and is tested with these wagtail-localize releases.
SUPPORTED_SERIES = "1.14."
TESTED_VERSIONS = ("1.14.5",)
EXPECTED_PARAMETERS = ("source_instance", "tab_helper", "content_path", "field_path", "widget")

SECTION = _("Section %(number)s")
SECTION_HEADING = _("Section heading")
QUESTION = _("Question %(number)s")
ANSWER_TO = _("Answer to: %(question)s")
LINK_IN_ANSWER_TO = _("Link in the answer to: %(question)s")
HELPLINE_FOR = _("Help-line for: %(question)s")
CITATION_FOR = _("Citation for: %(question)s")
INTRO_LINK = _("Link")

QUESTION_PREVIEW_LENGTH = 60


def shorten(text: str) -> str:
    """A question as a label: at most QUESTION_PREVIEW_LENGTH characters, cut between words."""
    text = " ".join(text.split())
    if len(text) <= QUESTION_PREVIEW_LENGTH:
        return text
    cut = text[: QUESTION_PREVIEW_LENGTH - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def faq_segment_labels(page, content_path: str) -> tuple[str | None, str | None] | None:
    """The (group, segment) labels of one FAQ page segment, or None to keep wagtail-localize's.

    ``content_path`` is the segment's path: ``body.<section id>.heading``,
    ``body.<section id>.questions.<question id>.<question|answer|helplines|citations>[.<rest>]``
    (an answer's link adds ``'<href>'``, a chooser its list item id), or ``intro.'<href>'``.
    A group label of None keeps wagtail-localize's group label.
    """
    if content_path.startswith("intro.'"):
        return None, str(INTRO_LINK)
    parts = content_path.split(".", 5)  # a link's href may hold dots: keep it in one piece
    if parts[0] != "body" or len(parts) < 3:
        return None
    sections = _sections_by_id(page)
    if parts[1] not in sections:
        return None
    section_number, questions = sections[parts[1]]
    group = str(SECTION) % {"number": section_number}
    if parts[2] == "heading" and len(parts) == 3:
        return group, str(SECTION_HEADING)
    if parts[2] != "questions" or len(parts) < 5 or parts[3] not in questions:
        return None
    question_number, question_text = questions[parts[3]]
    child, has_rest = parts[4], len(parts) > 5
    question = shorten(question_text)
    if child == "question" and not has_rest:
        return group, str(QUESTION) % {"number": question_number}
    if child == "answer":
        template = LINK_IN_ANSWER_TO if has_rest else ANSWER_TO
        return group, str(template) % {"question": question}
    if child == "helplines" and has_rest:
        return group, str(HELPLINE_FOR) % {"question": question}
    if child == "citations" and has_rest:
        return group, str(CITATION_FOR) % {"question": question}
    return None


def _sections_by_id(page) -> dict[str, tuple[int, dict[str, tuple[int, str]]]]:
    """section id → (its number, question id → (number within the section, question text)).

    Read from the stored data (no block conversion), once per page instance: the editor asks for
    every segment's location on the same source instance.
    """
    cached = page.__dict__.get("_baken_faq_segment_index")
    if cached is None:
        cached = {}
        for section_number, section in enumerate(page.body.raw_data, start=1):
            questions = {}
            for question_number, item in enumerate(section["value"].get("questions") or [], start=1):
                questions[item.get("id")] = (question_number, item["value"].get("question") or "")
            cached[section.get("id")] = (section_number, questions)
        page.__dict__["_baken_faq_segment_index"] = cached
    return cached


def relabel(get_segment_location_info):
    """Wrap wagtail-localize's ``get_segment_location_info`` to label FAQ page segments."""

    @functools.wraps(get_segment_location_info)
    def get_faq_aware_segment_location_info(
        source_instance, tab_helper, content_path, field_path, widget=False
    ):
        location = get_segment_location_info(
            source_instance, tab_helper, content_path, field_path, widget=widget
        )
        from cms.pages.models import FAQPage

        if isinstance(source_instance, FAQPage):
            labels = faq_segment_labels(source_instance, content_path)
            if labels is not None:
                group, segment = labels
                if group is not None:
                    location["field"] = group
                location["subField"] = segment
        return location

    get_faq_aware_segment_location_info.baken_relabels_faq_segments = True
    return get_faq_aware_segment_location_info


def install() -> bool:
    """Install the labels (called from CmsConfig.ready); True when they are in place."""
    from wagtail_localize.views import edit_translation

    current = edit_translation.get_segment_location_info
    if getattr(current, "baken_relabels_faq_segments", False):
        return True
    installed_version = version("wagtail-localize")
    parameters = tuple(inspect.signature(current).parameters)
    if not installed_version.startswith(SUPPORTED_SERIES) or parameters != EXPECTED_PARAMETERS:
        logger.warning(
            "wagtail-localize %s is not the version cms/localize_segments.py was written for "
            "(%s*, parameters %s; found %s): the translation editor keeps its generic labels.",
            installed_version,
            SUPPORTED_SERIES,
            EXPECTED_PARAMETERS,
            parameters,
        )
        return False
    edit_translation.get_segment_location_info = relabel(current)
    return True
