"""What the presenters hand to the contract: immutable values, one class per public shape.

A value holds the model row it was built from (``obj``), how it is served (``served``) and the
parts the presenters computed (expansions, rich text, availability, JSON-LD). The serializers in
``api.serializers`` say, field by field, which attribute of the value each response field is;
``api.contract`` compiles them. Nothing is ever set on a model instance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cms.opening_hours import OpeningInterval


@dataclass(frozen=True, slots=True)
class Served:
    """How a translated object is served: in which locale, and whether that is what was asked."""

    locale: str
    is_fallback: bool
    translation_outdated: bool


@dataclass(frozen=True, slots=True)
class RichText:
    html: str
    text: str


EMPTY_RICH_TEXT = RichText(html="", text="")


@dataclass(frozen=True, slots=True)
class TranslationLink:
    locale: str
    slug: str


@dataclass(frozen=True, slots=True)
class ContactPoint:
    type: str
    value: str
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class Availability:
    always_open: bool
    time_zone: str
    opening_hours: tuple[OpeningInterval, ...]


@dataclass(frozen=True, slots=True)
class HelpLine:
    obj: Any  # cms.snippets.models.HelpLine
    served: Served
    contact_points: tuple[ContactPoint, ...]
    availability: Availability
    open_now: bool
    structured_data: dict


@dataclass(frozen=True, slots=True)
class Citation:
    obj: Any  # cms.snippets.models.SourceCitation
    served: Served
    notes: RichText


@dataclass(frozen=True, slots=True)
class Question:
    anchor: str
    question: str
    answer: RichText
    helplines: tuple[HelpLine, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class FAQSummary:
    obj: Any  # cms.pages.models.FAQPage
    served: Served
    campaign: str | None
    question_count: int


@dataclass(frozen=True, slots=True)
class FAQDetail:
    obj: Any  # cms.pages.models.FAQPage
    served: Served
    campaign: str | None
    question_count: int
    intro: RichText
    sections: tuple[Section, ...]
    translations: tuple[TranslationLink, ...]
    structured_data: dict


@dataclass(frozen=True, slots=True)
class KeyDate:
    date: dt.date
    label: str
    recurs_annually: bool
    next_occurrence: dt.date | None


@dataclass(frozen=True, slots=True)
class Campaign:
    obj: Any  # cms.pages.models.CampaignPage
    served: Served
    key_dates: tuple[KeyDate, ...]
    faqs: tuple[FAQSummary, ...]
    helplines: tuple[HelpLine, ...]
    translations: tuple[TranslationLink, ...]


@dataclass(frozen=True, slots=True)
class FAQReference:
    """The FAQ page a search result belongs to."""

    id: int
    slug: str
    title: str
    locale: str
    is_fallback: bool
    translation_outdated: bool


@dataclass(frozen=True, slots=True)
class SearchResult:
    faq: FAQReference
    anchor: str
    question: str
    excerpt: str
    excerpt_html: str
    score: float
