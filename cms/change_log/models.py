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


# --- the CDN purger's state (api.cdn.purger): managed, unlike the log itself -------------------


class CdnPurgeCursor(models.Model):
    """One row: how far the CDN purger (``manage.py purge_cdn``, api.cdn.purger) has purged.

    ``sequence`` is the change log sequence up to which every entry's URLs were purged by every
    backend (null: the purger never ran, so its first run purges everything). A purger *claims*
    the row (``holder``, until ``claimed_until``) before it purges and advances ``sequence`` only
    if it still holds the claim, so two purgers never purge the same entries or both advance.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(null=True)
    # Entries up to here have had their detail paths remembered (CdnPurgePath), even while the
    # purge itself keeps failing.
    observed = models.BigIntegerField(default=0)
    holder = models.CharField(max_length=128, blank=True, default="")
    claimed_until = models.DateTimeField(null=True)
    # Failed attempts since the last success, and the last failure's message.
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "cms_cdn_purge_cursor"

    def __str__(self):
        return f"CDN purged up to #{self.sequence}"


class CdnPurgePath(models.Model):
    """A detail path (below ``/api/v1/``) that showed an object when the purger last looked: its
    own detail, or one that embeds it. Kept so that the detail of an object that was deleted,
    renamed or moved since is purged too (its slug or place can no longer be read)."""

    object_type = models.CharField(max_length=16, choices=ObjectType.choices)
    translation_key = models.UUIDField()
    path = models.CharField(max_length=255)

    class Meta:
        db_table = "cms_cdn_purge_path"
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "translation_key", "path"], name="cms_cdn_purge_path_unique"
            )
        ]

    def __str__(self):
        return f"{self.object_type} {self.translation_key}: {self.path}"
