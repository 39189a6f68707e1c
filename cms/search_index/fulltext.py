"""The full-text part of the search index, per database: its DDL and the SQL that matches words.

PostgreSQL: ``question_vector`` and ``answer_vector``, generated ``tsvector`` columns of
``cms_search_entry`` (``simple`` configuration: the words are already folded, and stemming
differs per language while a question is searched in one locale and found by its words), each
with a GIN index. SQLite: ``cms_search_fts``, an FTS5 table whose content is
``cms_search_entry``'s two word columns, kept in step by three triggers.

Both match a query word as a *prefix* of an indexed word ("meld" finds "melden" and
"melding"), as readers type. ``install`` is idempotent: migration 0014 runs it, and so does
every ``migrate`` (a SQLite migration that rebuilds ``cms_search_entry`` drops its triggers;
the FTS table is then rebuilt from the entries).
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import transaction

COLUMNS = ("question", "answer")
# What cms.search_index.documents.words yields: nothing either query language would parse.
_FOLDED_WORD = re.compile(r"[^\W_]+")

# The tables' and columns' names are written out: this is DDL, fixed text with no input in it.
_POSTGRES = [
    "ALTER TABLE cms_search_entry ADD COLUMN IF NOT EXISTS question_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, question_words)) STORED",
    "ALTER TABLE cms_search_entry ADD COLUMN IF NOT EXISTS answer_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, answer_words)) STORED",
    "CREATE INDEX IF NOT EXISTS cms_search_entry_question_vector "
    "ON cms_search_entry USING gin (question_vector)",
    "CREATE INDEX IF NOT EXISTS cms_search_entry_answer_vector ON cms_search_entry USING gin (answer_vector)",
]

_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cms_search_fts USING fts5("
    "question_words, answer_words, content='cms_search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
_ADD = (
    "INSERT INTO cms_search_fts(rowid, question_words, answer_words) "
    "VALUES (new.id, new.question_words, new.answer_words);"
)
_REMOVE = (
    "INSERT INTO cms_search_fts(cms_search_fts, rowid, question_words, answer_words) "
    "VALUES ('delete', old.id, old.question_words, old.answer_words);"
)
_SQLITE_TRIGGERS = {
    "cms_search_fts_insert": f"AFTER INSERT ON cms_search_entry BEGIN {_ADD} END",
    "cms_search_fts_delete": f"AFTER DELETE ON cms_search_entry BEGIN {_REMOVE} END",
    "cms_search_fts_update": f"AFTER UPDATE ON cms_search_entry BEGIN {_REMOVE} {_ADD} END",
}
_SQLITE_REBUILD = "INSERT INTO cms_search_fts(cms_search_fts) VALUES ('rebuild')"
_SQLITE_MATCH = '"cms_search_entry"."id" IN (SELECT rowid FROM cms_search_fts WHERE cms_search_fts MATCH %s)'


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in _POSTGRES:
                cursor.execute(statement)
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cms_search_entry'"
        )
        existing = {name for (name,) in cursor.fetchall()}
        cursor.execute(_SQLITE_TABLE)
        for name, body in _SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        if existing != set(_SQLITE_TRIGGERS):
            # Entries may have changed while a trigger was missing: index them all again.
            cursor.execute(_SQLITE_REBUILD)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cms_search_entry DROP COLUMN IF EXISTS question_vector")
            cursor.execute("ALTER TABLE cms_search_entry DROP COLUMN IF EXISTS answer_vector")
            return
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DROP TABLE IF EXISTS cms_search_fts")


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    if getattr(sender, "label", None) != "cms":
        return
    from django.db import connections

    install(connections[using])


@contextmanager
def word_indexes_used(connection) -> Iterator[None]:
    """PostgreSQL: the statements inside find entries through the GIN indexes.

    The planner estimates a word-match for each row as cheap and a prefix's share of rows
    poorly, so for a common word it reads the whole table and evaluates every ``tsvector``,
    5-10x slower than the index (measured: 32,000 entries, "kind:*" 67 ms against 5 ms).
    ``SET LOCAL`` keeps the hint to this transaction: nothing else is planned differently."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


# --- matching --------------------------------------------------------------------------------


def matches(vendor: str, words: Sequence[str], column: str | None = None) -> tuple[str, list]:
    """SQL true for the entries of ``cms_search_entry`` with a word starting with any of ``words``
    (folded words: letters and digits only), in ``column`` ("question" or "answer") or either."""
    if not words or not all(_FOLDED_WORD.fullmatch(word) for word in words):
        raise ValueError(f"Words to match must be folded letters and digits: {list(words)!r}")
    columns = COLUMNS if column is None else (column,)
    if vendor == "postgresql":
        query = " | ".join(f"'{word}':*" for word in words)
        sql = " OR ".join(
            f'"cms_search_entry"."{name}_vector" @@ to_tsquery(\'simple\', %s)' for name in columns
        )
        return f"({sql})", [query] * len(columns)
    words_query = " OR ".join(f'"{word}"*' for word in words)
    query = words_query if column is None else f"{column}_words : ({words_query})"
    return _SQLITE_MATCH, [query]
