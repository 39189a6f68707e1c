"""The change log's two tables: the entries the database triggers write, and the compaction horizon.

Both are *unmanaged*: migration 0008 creates them (with Django's own DDL) together with the
triggers, and Django's ``flush`` and test-database serialisation leave them alone. The rows
belong to the database: a flush or a restore of the other tables fires the triggers, and the
entries they write must not be emptied or re-inserted over them. The autodetector ignores
unmanaged models, so a later change to these tables needs a migration written by hand.
"""

from django.db import models


class ObjectType(models.TextChoices):
    """What an entry is about: what the public API serves, or what decides it."""

    PAGE = "page"
    HELPLINE = "helpline"
    CITATION = "citation"
    LOCALE = "locale"
    SITE = "site"
    DOCUMENT = "document"


class Family(models.TextChoices):
    """The API response cache's content families (api.response_cache.FAMILIES), plus ``all``
    for a change that concerns every family (a locale)."""

    PAGES = "pages"
    HELPLINES = "helplines"
    CITATIONS = "citations"
    ALL = "all"


class Kind(models.TextChoices):
    CREATED = "created"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    CHANGED = "changed"
    MOVED = "moved"
    DELETED = "deleted"
    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"
    RESTRICTED = "restricted"
    UNRESTRICTED = "unrestricted"


class ReadOnlyError(TypeError):
    """The change log is written by the database's triggers only."""


class ChangeLogEntry(models.Model):
    """One row change that can alter what the public API serves (see cms.change_log)."""

    sequence = models.BigAutoField(primary_key=True, db_column="seq")
    changed_at = models.DateTimeField()
    object_type = models.CharField(max_length=16, choices=ObjectType.choices)
    object_id = models.BigIntegerField()
    translation_key = models.UUIDField(null=True)
    # A plain id, not a foreign key: an entry outlives the locale it names (a deleted locale).
    locale_id = models.BigIntegerField(null=True)
    family = models.CharField(max_length=16, choices=Family.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The table whose row changed (e.g. cms_contactpoint for an entry about its help-line).
    source_table = models.CharField(max_length=64)
    # PostgreSQL only: the writing transaction (pg_current_xact_id()); null on SQLite.
    transaction_id = models.BigIntegerField(null=True)

    class Meta:
        managed = False
        db_table = "cms_change_log"
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["family", "sequence"], name="cms_change_log_family_seq"),
            models.Index(fields=["changed_at"], name="cms_change_log_changed_at"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.object_type} {self.object_id} {self.kind}"

    def save(self, *args, **kwargs):
        raise ReadOnlyError("The change log is written by database triggers only.")

    def delete(self, *args, **kwargs):
        raise ReadOnlyError("Change log entries are removed by compaction only (compact_change_log).")


class ChangeLogHorizon(models.Model):
    """One row: the highest sequence compaction has deleted (changes after it are all kept)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    compacted_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "cms_change_log_horizon"

    def __str__(self):
        return f"compacted up to #{self.sequence}"
