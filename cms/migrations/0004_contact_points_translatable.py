"""Contact points become translatable child rows (wagtail-localize offers their labels).

The existing ``sync_key`` already linked a contact point across translations: it becomes the
``translation_key``; each row's locale is its help-line's.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_locale_from_help_line(apps, schema_editor):
    ContactPoint = apps.get_model("cms", "ContactPoint")
    for point in ContactPoint.objects.select_related("helpline"):
        point.locale_id = point.helpline.locale_id
        point.save(update_fields=["locale"])


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_editorial_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RenameField(model_name="contactpoint", old_name="sync_key", new_name="translation_key"),
        migrations.AddField(
            model_name="contactpoint",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.RunPython(copy_locale_from_help_line, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contactpoint",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterModelOptions(
            name="contactpoint",
            options={"ordering": ["sort_order"], "verbose_name": "contact point"},
        ),
        migrations.AlterUniqueTogether(name="contactpoint", unique_together={("translation_key", "locale")}),
    ]
