"""StreamField blocks for FAQ pages."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.forms.utils import ErrorList
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.labels import label_blocks

# The answer's small feature set; the API sanitises to the same set on output.
ANSWER_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class AnchorBlock(blocks.CharBlock):
    """A question's stable anchor: identical in every translation, so never offered for translation."""

    def __init__(self, **kwargs):
        super().__init__(max_length=80, required=False, validators=[validate_slug], **kwargs)

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=255)
    anchor = AnchorBlock(
        help_text=_(
            "Stable link target, e.g. 'kan-ik-de-beelden-verwijderen'. Left blank, it is made "
            "from the question when saved and then kept."
        )
    )
    answer = blocks.RichTextBlock(features=ANSWER_FEATURES)
    helplines = blocks.ListBlock(SnippetChooserBlock("cms.HelpLine"), default=[], label=_("Help-lines"))
    citations = blocks.ListBlock(
        SnippetChooserBlock("cms.SourceCitation"), default=[], label=_("Source citations")
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("answer") or not value["answer"].source.strip():
            raise StructBlockValidationError(
                block_errors={"answer": ValidationError(_("A question needs an answer."))}
            )
        return value


class SectionBlock(blocks.StructBlock):
    # Also how wagtail-localize's translation editor labels it (cms/localize_segments.py).
    heading = blocks.CharBlock(max_length=255, label=_("Section heading"))
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Section")


class FAQSectionsBlock(blocks.StreamBlock):
    """Ordered sections; fills blank anchors and refuses duplicate anchors within the page."""

    section = SectionBlock()

    def clean(self, value):
        value = super().clean(value)
        assign_missing_anchors(value)
        seen = set()
        duplicates = []
        for section in value:
            for question in section.value["questions"]:
                anchor = question["anchor"]
                if anchor in seen:
                    duplicates.append(anchor)
                seen.add(anchor)
        if duplicates:
            raise blocks.StreamBlockValidationError(
                non_block_errors=ErrorList(
                    [
                        ValidationError(
                            _("Each question's anchor must be unique within the page; repeated: %(anchors)s")
                            % {"anchors": ", ".join(sorted(set(duplicates)))}
                        )
                    ]
                )
            )
        return value


# Blocks named after themselves: their labels in the admin's language (see cms/labels.py).
label_blocks(QuestionBlock, question=_("Question"), anchor=_("Anchor"), answer=_("Answer"))
label_blocks(SectionBlock, questions=_("Questions"))


def assign_missing_anchors(sections) -> None:
    """Give every question without an anchor one made from its text, unique within the page."""
    taken = {
        question["anchor"]
        for section in sections
        for question in section.value["questions"]
        if question["anchor"]
    }
    for section in sections:
        for question in section.value["questions"]:
            if question["anchor"]:
                continue
            base = slugify(question["question"])[:72] or "question"
            candidate, counter = base, 2
            while candidate in taken:
                candidate = f"{base}-{counter}"
                counter += 1
            question["anchor"] = candidate
            taken.add(candidate)
