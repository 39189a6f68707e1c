"""Parse a FAQ written as plain text / light Markdown into sections of questions and answers.

The format (that of the campaign's original FAQ):

* a line ``FAQ`` or a Markdown heading (``# Title``) starts a section;
* a line ending in ``?`` is a question; the paragraphs after it, up to the next
  question or section, are its answer;
* ``- 1) …`` lines form an ordered list, ``- …`` lines an unordered list;
* ``*text*`` or ``_text_`` is emphasis, ``**text**`` is bold, ``[text](https://…)`` a link;
  bare web and e-mail addresses become links, their text unchanged.

The answer comes out as Wagtail rich-text HTML (database format) limited to the
answer's feature set.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

DEFAULT_SECTION_HEADING = "FAQ"

_ORDERED_ITEM = re.compile(r"^-\s*\d+[.)]\s+(?P<text>.+)$")
_UNORDERED_ITEM = re.compile(r"^[-*]\s+(?P<text>.+)$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+)$")
# Inline markup, applied to already-escaped text.
_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(?P<text>[^*]+)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?P<text>[^*_\s][^*_]*?)[*_](?![\w*])")
_BARE_ADDRESS = re.compile(
    r"(?<![\w@/.\-\"=>])(?P<address>(?:https?://|www\.)[^\s<]+[^\s<.,;:!?)]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


class FAQFormatError(ValueError):
    """The text is not a FAQ in the expected form; the message says where and why."""


@dataclass
class ParsedQuestion:
    question: str
    answer_html: str
    line_number: int


@dataclass
class ParsedSection:
    heading: str
    questions: list[ParsedQuestion] = field(default_factory=list)


@dataclass
class ParsedFAQ:
    sections: list[ParsedSection]

    @property
    def questions(self) -> list[ParsedQuestion]:
        return [question for section in self.sections for question in section.questions]


def parse_faq(text: str) -> ParsedFAQ:
    sections: list[ParsedSection] = []
    current_question: tuple[str, int] | None = None
    answer_lines: list[tuple[int, str]] = []

    def finish_question():
        nonlocal current_question, answer_lines
        if current_question is None:
            return
        question, line_number = current_question
        answer_html = _render_answer([line for _, line in answer_lines])
        if not answer_html:
            raise FAQFormatError(
                gettext("Line %(line)s: the question “%(question)s” has no answer.")
                % {"line": line_number, "question": question}
            )
        sections[-1].questions.append(ParsedQuestion(question, answer_html, line_number))
        current_question, answer_lines = None, []

    for line_number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        heading = _section_heading(line)
        if heading is not None:
            finish_question()
            if sections and not sections[-1].questions:
                raise FAQFormatError(
                    gettext("Line %(line)s: the section “%(heading)s” has no questions.")
                    % {"line": line_number, "heading": sections[-1].heading}
                )
            sections.append(ParsedSection(heading))
        elif line.endswith("?") and not _UNORDERED_ITEM.match(line):
            finish_question()
            if not sections:
                sections.append(ParsedSection(DEFAULT_SECTION_HEADING))
            current_question = (line, line_number)
        elif line:
            if current_question is None:
                raise FAQFormatError(
                    gettext("Line %(line)s: text before the first question: “%(text)s”.")
                    % {"line": line_number, "text": line[:60]}
                )
            answer_lines.append((line_number, line))
        elif current_question is not None:
            answer_lines.append((line_number, ""))
    finish_question()

    if not any(section.questions for section in sections):
        raise FAQFormatError(gettext("The text has no questions (a question is a line ending in “?”)."))
    if not sections[-1].questions:
        raise FAQFormatError(
            gettext("The section “%(heading)s” has no questions.") % {"heading": sections[-1].heading}
        )
    return ParsedFAQ(sections)


def _section_heading(line: str) -> str | None:
    if line == DEFAULT_SECTION_HEADING:
        return line
    match = _HEADING.match(line)
    return match["text"].strip() if match else None


def _render_answer(lines: list[str]) -> str:
    """Group lines into paragraphs and lists and render them as rich-text HTML."""
    blocks: list[str] = []
    paragraph: list[str] = []
    list_kind: str | None = None
    list_items: list[str] = []

    def flush_paragraph():
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_kind
        if list_items:
            items = "".join(f"<li>{_inline(item)}</li>" for item in list_items)
            blocks.append(f"<{list_kind}>{items}</{list_kind}>")
            list_items.clear()
        list_kind = None

    for line in lines:
        ordered = _ORDERED_ITEM.match(line)
        unordered = None if ordered else _UNORDERED_ITEM.match(line)
        if ordered or unordered:
            flush_paragraph()
            kind = "ol" if ordered else "ul"
            if list_kind not in (None, kind):
                flush_list()
            list_kind = kind
            list_items.append((ordered or unordered)["text"])
        elif not line:
            flush_paragraph()
            flush_list()
        else:
            flush_list()
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    return "".join(blocks)


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _MARKDOWN_LINK.sub(
        lambda m: f'<a href="{m["url"].replace(chr(34), "&quot;")}">{m["text"]}</a>', escaped
    )
    escaped = _BOLD.sub(lambda m: f"<b>{m['text']}</b>", escaped)
    escaped = _EMPHASIS.sub(lambda m: f"<i>{m['text']}</i>", escaped)
    return _BARE_ADDRESS.sub(_link_address, escaped)


def _link_address(match: re.Match) -> str:
    address = match["address"]
    if "@" in address and "://" not in address:
        href = f"mailto:{address}"
    elif address.startswith("www."):
        href = f"https://{address}"
    else:
        href = address
    return f'<a href="{href.replace(chr(34), "&quot;")}">{address}</a>'
