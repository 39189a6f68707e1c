"""The change log (cms.change_log): its two tables and the triggers that write it.

The tables are unmanaged models (Django neither flushes nor serialises rows the database writes
itself), so they are created here with Django's own DDL, then the triggers, per database vendor
(PostgreSQL and SQLite). The triggers are rendered by cms.change_log.triggers from the tables as
they are when this runs; the same code puts them back after every later migrate (post_migrate),
so a later migration that changes a covered table keeps them right.
"""

from django.db import migrations, models


def create(apps, schema_editor):
    from cms.change_log import triggers

    for name in ("ChangeLogEntry", "ChangeLogHorizon"):
        schema_editor.create_model(apps.get_model("cms", name))
    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    from cms.change_log import triggers

    triggers.remove(schema_editor.connection)
    for name in ("ChangeLogHorizon", "ChangeLogEntry"):
        schema_editor.delete_model(apps.get_model("cms", name))


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0007_faq_block_labels'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeLogEntry',
            fields=[
                ('sequence', models.BigAutoField(db_column='seq', primary_key=True, serialize=False)),
                ('changed_at', models.DateTimeField()),
                ('object_type', models.CharField(choices=[('page', 'Page'), ('helpline', 'Helpline'), ('citation', 'Citation'), ('locale', 'Locale'), ('site', 'Site'), ('document', 'Document')], max_length=16)),
                ('object_id', models.BigIntegerField()),
                ('translation_key', models.UUIDField(null=True)),
                ('locale_id', models.BigIntegerField(null=True)),
                ('family', models.CharField(choices=[('pages', 'Pages'), ('helplines', 'Helplines'), ('citations', 'Citations'), ('all', 'All')], max_length=16)),
                ('kind', models.CharField(choices=[('created', 'Created'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('changed', 'Changed'), ('moved', 'Moved'), ('deleted', 'Deleted'), ('scheduled', 'Scheduled'), ('unscheduled', 'Unscheduled'), ('restricted', 'Restricted'), ('unrestricted', 'Unrestricted')], max_length=16)),
                ('source_table', models.CharField(max_length=64)),
                ('transaction_id', models.BigIntegerField(null=True)),
            ],
            options={
                'db_table': 'cms_change_log',
                'ordering': ['sequence'],
                'managed': False,
                'indexes': [
                    models.Index(fields=['family', 'sequence'], name='cms_change_log_family_seq'),
                    models.Index(fields=['changed_at'], name='cms_change_log_changed_at'),
                ],
            },
        ),
        migrations.CreateModel(
            name='ChangeLogHorizon',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('sequence', models.BigIntegerField(default=0)),
                ('compacted_at', models.DateTimeField()),
            ],
            options={
                'db_table': 'cms_change_log_horizon',
                'managed': False,
            },
        ),
        migrations.RunPython(create, drop),
    ]
