import json

from django.db import migrations, models


def count_existing_questions(apps, schema_editor):
    FAQPage = apps.get_model("cms", "FAQPage")
    for page in FAQPage.objects.only("pk", "body").iterator(chunk_size=500):
        sections = getattr(page.body, "raw_data", page.body)
        if isinstance(sections, str):
            sections = json.loads(sections or "[]")
        count = sum(len(section["value"].get("questions", [])) for section in sections or [])
        FAQPage.objects.filter(pk=page.pk).update(question_count=count)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_page_parents_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="faqpage",
            name="question_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_existing_questions, migrations.RunPython.noop),
    ]
