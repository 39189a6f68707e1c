from django.db import migrations


class Migration(migrations.Migration):
    """An index on the few pages that have children, for the API's per-request visibility check.

    The API hides every subtree whose top is unpublished, expired, scheduled or restricted; it
    reads the pages with children (home pages, campaigns) on each content change. Without this
    index that read scans every page, which grows with the number of FAQ pages.
    """

    dependencies = [("cms", "0004_contact_points_translatable"), ("wagtailcore", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS baken_page_with_children ON wagtailcore_page (path) WHERE numchild > 0",
            reverse_sql="DROP INDEX IF EXISTS baken_page_with_children",
        )
    ]
