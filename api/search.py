"""Search in questions and answers, through Wagtail's search backend.

The backend ranks the visible FAQ pages of the request's language; within the best-ranked
``BAKEN_SEARCH_MAX_PAGES`` pages, questions are scored by the query words they contain (accents
and case ignored, prefix matches so that "meld" finds "melding") and returned with a short
excerpt. Visibility, the served translation and ``translation_outdated`` are the selectors' (the
same rules as every other endpoint: api.visibility, api.selectors.translations).
"""

import re

from django.conf import settings
from wagtail.search.backends import get_search_backend

from api import selectors, values
from api.richtext import sanitise, to_text
from cms.pages.models import FAQPage
from cms.text import fold

EXCERPT_RADIUS = 80
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    return [term for term in _WORD.findall(fold(query)) if len(term) > 1 or term.isdigit()]


def _score(text: str, terms: list[str]) -> tuple[int, int | None]:
    """Hits of ``terms`` among the words of ``text`` (each word folded on its own), and where in
    ``text`` itself the first one starts: folding can change a text's length ("ß" → "ss"), so a
    position in the folded text is not one in ``text``."""
    words = [(match.start(), fold(match.group())) for match in _WORD.finditer(text)]
    hits, first = 0, None
    for term in terms:
        for position, word in words:
            if word.startswith(term):
                hits += 1
                first = position if first is None else min(first, position)
    return hits, first


def excerpt(text: str, position: int | None) -> str:
    if position is None:
        return text[: 2 * EXCERPT_RADIUS].rstrip() + ("…" if len(text) > 2 * EXCERPT_RADIUS else "")
    start = max(position - EXCERPT_RADIUS, 0)
    end = min(position + EXCERPT_RADIUS, len(text))
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < position else start
    if end < len(text):
        space = text.rfind(" ", position, end)
        end = space if space > position else end
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def search_questions(*, query: str, visibility, chain, requested: str) -> list[values.SearchResult]:
    terms = query_terms(query)
    if not terms:
        return []
    # The pages a list would show (one per translation, in the best locale), as a subquery.
    resolved = selectors.resolved_pages(model=FAQPage, visibility=visibility, chain=chain)
    backend = get_search_backend()
    ranked = []
    # Each language is searched with its own stemming (PostgreSQL), in the order of the chain.
    # Only the best-ranked pages are read and scored question by question, so a search costs
    # about the same whatever the number of pages a common word matches.
    remaining = settings.BAKEN_SEARCH_MAX_PAGES
    for code in chain:
        if remaining <= 0:
            break
        if code not in visibility.locale_ids:
            continue
        language_backend = backend.for_language(code) if hasattr(backend, "for_language") else backend
        candidates = FAQPage.objects.filter(
            pk__in=resolved.filter(locale_id=visibility.locale_ids[code]).values("pk")
        )
        found = list(language_backend.search(" ".join(terms), candidates, operator="or")[:remaining])
        ranked += found
        remaining -= len(found)
    if not ranked:
        return []
    source_published_at = dict(
        resolved.filter(pk__in=[page.pk for page in ranked]).values_list("pk", "source_published_at")
    )
    served = selectors.serve(
        ranked,
        requested=requested,
        locale_codes=visibility.locale_codes,
        source_published_at={page.translation_key: source_published_at.get(page.pk) for page in ranked},
    )
    scored = []
    for page_rank, (page, how) in enumerate(served):
        faq = values.FAQReference(
            id=page.pk,
            slug=page.slug,
            title=page.title,
            locale=how.locale,
            is_fallback=how.is_fallback,
            translation_outdated=how.translation_outdated,
        )
        for section in page.body.raw_data:
            for item in section["value"]["questions"]:
                question = item["value"]
                answer_text = to_text(sanitise(question.get("answer", "")))
                question_hits, _ = _score(question.get("question", ""), terms)
                answer_hits, first = _score(answer_text, terms)
                if not question_hits and not answer_hits:
                    continue
                result = values.SearchResult(
                    faq=faq,
                    anchor=question.get("anchor") or "",
                    question=question.get("question", ""),
                    excerpt=excerpt(answer_text, first),
                    score=float(2 * question_hits + answer_hits),
                )
                scored.append((-result.score, page_rank, result))
    scored.sort(key=lambda entry: entry[:2])
    return [result for *_, result in scored]
