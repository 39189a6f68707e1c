"""What the index holds for a page: its questions, their plain-text answers and their words."""

import functools
import re
from collections.abc import Iterator

from api.richtext import sanitise, to_text
from cms.pages.models import FAQPage
from cms.search_index.models import SearchEntry
from cms.text import fold

# Runs of letters and digits: what both databases' tokenizers take as one word (FTS5's
# unicode61 and PostgreSQL's parser split on "_" as on any other punctuation).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order: "Européenne, d'abord" → ["europeenne", "d", "abord"]."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word of ``text``, positions in ``text`` itself: folding
    can change a text's length ("ß" → "ss"), so positions in the folded text are not these."""
    for match in _WORD.finditer(text):
        for word in _folded(match.group()):
            yield match.start(), match.end(), word


@functools.lru_cache(maxsize=1 << 16)  # words repeat across answers; bounded (a few MiB)
def _folded(word: str) -> tuple[str, ...]:
    return tuple(words(word))


def entries_for(page: FAQPage) -> list[SearchEntry]:
    """The index entries of a live FAQ page's questions, in the page's order."""
    entries = []
    for section in page.body.raw_data:
        for item in section["value"].get("questions", []):
            question = item["value"]
            text = question.get("question", "")
            answer = to_text(sanitise(question.get("answer", "")))
            entries.append(
                SearchEntry(
                    page_id=page.pk,
                    locale_id=page.locale_id,
                    position=len(entries),
                    anchor=question.get("anchor") or "",
                    question=text,
                    answer=answer,
                    question_words=" ".join(words(text)),
                    answer_words=" ".join(words(answer)),
                )
            )
    return entries
