"""The change log's indexes, which 0008 declared but never created.

``schema_editor.create_model`` skips ``Meta.indexes`` of an unmanaged model, so on every database
migrated so far ``cms_change_log`` had only its primary key: every read of the latest sequence per
family (each API request with a private version store, the feed, webhooks, CDN purging) scanned the
whole log. ``IF NOT EXISTS``: the same SQL on PostgreSQL and SQLite, harmless where an operator
created them by hand.
"""

from django.db import migrations

INDEXES = {
    "cms_change_log_family_seq": "(family, seq)",
    "cms_change_log_changed_at": "(changed_at)",
}


class Migration(migrations.Migration):
    dependencies = [("cms", "0012_campaign_faq_url_template")]

    operations = [
        migrations.RunSQL(
            sql=[
                f"CREATE INDEX IF NOT EXISTS {name} ON cms_change_log {columns}"
                for name, columns in INDEXES.items()
            ],
            reverse_sql=[f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        )
    ]
