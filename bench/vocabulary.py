"""The seeded content's vocabulary, for searches with random words (``bench/search.lua``).

Invariants:

* A locale's vocabulary is every word of at least 3 characters (numbers excluded) in the questions
  and answers its seeded pages are built from (``seed.question_pool``), folded as the API folds
  queries (``cms.text.fold``: lower case, no accents), sorted and unique. Every seeded page holds
  8 of those 9 questions, so the vocabulary is the same at every N.
* At most ``BENCH_SEARCH_WORDS`` words per locale are probed, a sample fixed by the locale's name.
* A word is kept only when one search for it, on the seeded content, finds at least one result in
  **both** Baken's API (``/api/v1/search/``) and Wagtail API v2 (``?search=``). On PostgreSQL, v2
  parses every query with the database's ``default_text_search_config`` (``english``) while pages
  are indexed in their own language (``cms.search_backend``), so many Dutch, French and German words
  find nothing on v2; stop words find nothing on either. Comparing searches that both answer with
  results is the fair comparison; what was dropped is reported (``probe_stats``).
* The words file has one ``locale <TAB> word`` line per kept word, words percent-encoded.
"""

import random
import re
import time
from pathlib import Path
from urllib.parse import quote

from bench import seed
from cms.text import fold, plain_text

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_CHARS = 3


def words_of(code: str) -> list[str]:
    """Folded words of at least MIN_CHARS characters in a locale's question pool, sorted, unique."""
    found = set()
    for question, answer_html in seed.question_pool(code):
        for word in _WORD.findall(fold(f"{question} {plain_text(answer_html)}")):
            if len(word) >= MIN_CHARS and not word.isdigit():
                found.add(word)
    return sorted(found)


def sample(words: list[str], code: str, limit: int) -> list[str]:
    """At most ``limit`` of ``words``, the same ones on every run (a generator seeded by ``code``)."""
    if len(words) <= limit:
        return words
    return sorted(random.Random(f"bench-vocabulary-{code}").sample(words, limit))  # noqa: S311


def v1_path(code: str, word: str) -> str:
    return f"/api/v1/search/?q={quote(word)}&locale={code}&limit=1"


def v2_path(code: str, word: str) -> str:
    return f"/api/v2/pages/?search={quote(word)}&search_operator=or&type=cms.FAQPage&locale={code}&limit=1"


def _count(client, path: str, read) -> int | None:
    """Results of one search through the full stack in this process, or None when it failed."""
    response = client.get(path, HTTP_HOST="127.0.0.1", secure=True)
    if response.status_code != 200:
        return None
    return read(response.json())


def probe(limit: int, *, log=print) -> tuple[dict[str, list[str]], dict]:
    """(kept words per locale, statistics): each sampled word searched once on v1 and on v2, in
    this process with the response cache off; kept when both find something."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(raise_request_exception=False)
    kept, stats = {}, {"per_locale": {}, "max_words_per_locale": limit}
    started = time.monotonic()
    with override_settings(BAKEN_API_RESPONSE_CACHE=False):
        for code in seed.LOCALES:
            words = sample(words_of(code), code, limit)
            v1 = {word: _count(client, v1_path(code, word), lambda data: data["count"]) for word in words}
            v2 = {
                word: _count(client, v2_path(code, word), lambda data: data["meta"]["total_count"])
                for word in words
            }
            kept[code] = [word for word in words if v1[word] and v2[word]]
            stats["per_locale"][code] = {
                "vocabulary": len(words_of(code)),
                "probed": len(words),
                "v1_zero": sum(1 for word in words if not v1[word]),
                "v2_zero": sum(1 for word in words if not v2[word]),
                "kept": len(kept[code]),
                "v2_zero_examples": [word for word in words if not v2[word]][:8],
            }
            log(
                f"  vocabulary {code}: {len(words)} words probed; v1 finds nothing for "
                f"{stats['per_locale'][code]['v1_zero']}, v2 for {stats['per_locale'][code]['v2_zero']}; "
                f"{len(kept[code])} kept"
            )
    stats["seconds"] = round(time.monotonic() - started, 1)
    probed = sum(entry["probed"] for entry in stats["per_locale"].values())
    stats["v2_zero_share"] = (
        round(sum(entry["v2_zero"] for entry in stats["per_locale"].values()) / probed, 3) if probed else None
    )
    return kept, stats


def write(path: Path, kept: dict[str, list[str]]) -> Path:
    """The words file search.lua reads; refuses an empty vocabulary (nothing fair to compare)."""
    lines = [f"{code}\t{quote(word)}" for code, words in kept.items() for word in words]
    if not lines:
        raise RuntimeError("no word of the seeded vocabulary is found by both v1 and v2 search")
    path.write_text("\n".join(lines) + "\n")
    return path
