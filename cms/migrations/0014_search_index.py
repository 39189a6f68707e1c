"""The search index (cms.search_index): its two tables, then its full-text part per database.

The index is empty here; the first search (or ``manage.py update_search_index``) builds it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cms.search_index import fulltext


def install_fulltext(apps, schema_editor):
    fulltext.install(schema_editor.connection)


def remove_fulltext(apps, schema_editor):
    fulltext.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0013_change_log_indexes"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("sequence", models.BigIntegerField(default=0)),
                ("built_at", models.DateTimeField()),
            ],
            options={
                "db_table": "cms_search_index_state",
            },
        ),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("locale_id", models.BigIntegerField()),
                ("position", models.PositiveIntegerField()),
                ("anchor", models.CharField(blank=True, max_length=255)),
                ("question", models.TextField()),
                ("answer", models.TextField(help_text="The answer as plain text.")),
                ("question_words", models.TextField()),
                ("answer_words", models.TextField()),
                (
                    "page",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "cms_search_entry",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page", "position"), name="cms_search_entry_page_position"
                    )
                ],
            },
        ),
        migrations.RunPython(install_fulltext, remove_fulltext),
    ]
