"""The search index's tables: one entry per question of a live FAQ page, and how far it is built.

The full-text part is per database and outside Django's models (migration 0014): on PostgreSQL
two generated ``tsvector`` columns of ``cms_search_entry`` with a GIN index each; on SQLite the
FTS5 table ``cms_search_fts`` over the two word columns, kept in step by triggers.
"""

from django.db import models
from wagtail.models import Page


class SearchEntry(models.Model):
    """One question of a live FAQ page, as its page's row held it when the index last read it."""

    # No database constraint: the page may be deleted by any path (raw SQL, a restore); the index
    # drops its entries when the change log says so, and searches join the page anyway.
    page = models.ForeignKey(
        Page, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    # The page's locale, copied so that a search skips other languages' entries without a join
    # (not indexed: on PostgreSQL an index on it lured the planner away from the word indexes).
    locale_id = models.BigIntegerField()
    # The question's place in the page: sections, then questions, in order, from 0.
    position = models.PositiveIntegerField()
    anchor = models.CharField(max_length=255, blank=True)
    question = models.TextField()
    answer = models.TextField(help_text="The answer as plain text.")
    # What full-text search reads: the words, accent-folded and lower-cased, one space apart.
    question_words = models.TextField()
    answer_words = models.TextField()

    class Meta:
        db_table = "cms_search_entry"
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="cms_search_entry_page_position")
        ]

    def __str__(self):
        return f"{self.page_id}#{self.position}: {self.question}"


class SearchIndexState(models.Model):
    """One row: the change-log sequence up to which every change is in the index."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    built_at = models.DateTimeField()

    class Meta:
        db_table = "cms_search_index_state"

    def __str__(self):
        return f"search index up to #{self.sequence}"
