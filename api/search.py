"""Search in questions and answers, through the search index (cms.search_index).

The database does the whole search: it matches the query's words (accents and case ignored; each
word a prefix, so that "meld" finds "melding") in the index's questions, keeps those of the pages
a list would show (the one visibility rule, and one translation per page in the best locale of
the request's chain: api.visibility, api.selectors), scores, counts, orders and cuts out the page
of results asked for. So ``count`` is exact however many questions match, and a question is found
once, in the best language available. Only the results of that page are then read further: their
FAQ page's reference (``translation_outdated`` and the rest, by the selectors) and an excerpt.

Score: 2 for each query word found in the question, 1 for each found in the answer. Order: score,
then the pages' order in the page tree, then the questions' order in their page.
"""

import html
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Count, FloatField, Window
from django.db.models.expressions import RawSQL

from api import selectors, values
from cms.pages.models import FAQPage
from cms.search_index import fulltext
from cms.search_index.documents import word_spans, words
from cms.search_index.models import SearchEntry

EXCERPT_RADIUS = 80
# Words of a query searched: the first ones, each once (a pasted paragraph stays one cheap query).
MAX_QUERY_WORDS = 10
QUESTION_WEIGHT, ANSWER_WEIGHT = 2, 1


def query_terms(query: str) -> list[str]:
    """The words searched for: folded, each once, one-letter words left out (but digits kept)."""
    terms: list[str] = []
    for word in words(query):
        if (len(word) > 1 or word.isdigit()) and word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class SearchPage:
    count: int
    results: list[values.SearchResult]


def search_questions(*, query: str, visibility, chain, requested: str, limit: int, offset: int) -> SearchPage:
    """The questions matching ``query`` that the request may see, ``limit`` from ``offset``."""
    terms = query_terms(query)
    if not terms:
        return SearchPage(count=0, results=[])
    resolved = selectors.resolved_pages(model=FAQPage, visibility=visibility, chain=chain)
    vendor = connection.vendor
    found = (
        SearchEntry.objects.filter(locale_id__in=visibility.chain_locale_ids(chain))
        .filter(page_id__in=resolved.values("pk"))
        # The words are parameters, and matches() refuses any that are not folded letters and digits.
        .filter(RawSQL(*fulltext.matches(vendor, terms), output_field=BooleanField()))  # noqa: S611
        .annotate(score=_score(vendor, terms), total=Window(Count("id")))
        .order_by("-score", "page__path", "position")
        .values_list("page_id", "anchor", "question", "answer", "score", "total")
    )
    # The first page counts in the same statement; a later one counts first, so an offset past the
    # end (any number a client sends) never reaches the database.
    with fulltext.word_indexes_used(connection):
        count = found.count() if offset else None
        ranked = list(found[offset : offset + limit]) if count is None or offset < count else []
    if not ranked:
        return SearchPage(count=count or 0, results=[])
    count = ranked[0][-1]
    page_ids = list(dict.fromkeys(page_id for page_id, *_ in ranked))
    # Their pages' references as a list shows them (visibility applied again, one query).
    served = selectors.faq_summaries(pks=page_ids, visibility=visibility, requested=requested)
    references = {
        page.pk: values.FAQReference(
            id=page.pk,
            slug=page.slug,
            title=page.title,
            locale=how.locale,
            is_fallback=how.is_fallback,
            translation_outdated=how.translation_outdated,
        )
        for page, how in served
    }
    results = []
    for page_id, anchor, question, answer, score, _total in ranked:
        if page_id not in references:  # unpublished between the two reads: not shown
            continue
        text = excerpt(answer, first_match(answer, terms))
        results.append(
            values.SearchResult(
                faq=references[page_id],
                anchor=anchor,
                question=question,
                excerpt=text,
                excerpt_html=marked(text, terms),
                score=float(score),
            )
        )
    return SearchPage(count=count, results=results)


def _score(vendor: str, terms: list[str]) -> RawSQL:
    parts, parameters = [], []
    for term in terms:
        for column, weight in (("question", QUESTION_WEIGHT), ("answer", ANSWER_WEIGHT)):
            sql, params = fulltext.matches(vendor, [term], column)
            parts.append(f"CASE WHEN {sql} THEN {weight} ELSE 0 END")
            parameters += params
    return RawSQL(" + ".join(parts), parameters, output_field=FloatField())  # noqa: S611


def first_match(text: str, terms: list[str]) -> int | None:
    """Where in ``text`` the first word starting with one of ``terms`` starts (None: nowhere)."""
    return next((start for start, _end, word in word_spans(text) if word.startswith(tuple(terms))), None)


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


def marked(text: str, terms: list[str]) -> str:
    """``text`` as HTML, every word found by ``terms`` in ``<mark>``; nothing else is markup."""
    prefixes, out, done = tuple(terms), [], 0
    for start, end, word in word_spans(text):
        if start < done or not word.startswith(prefixes):
            continue
        out += [html.escape(text[done:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        done = end
    out.append(html.escape(text[done:]))
    return "".join(out)
