"""FAQPage.question_count: derived from the published body, so lists never read bodies."""

import importlib

from django.apps import apps

from cms.pages.models import FAQPage
from tests.content import publish, question, section


def sections(*counts: int) -> list[dict]:
    return [
        section(f"Deel {number}", *(question(f"Vraag {number}.{index}?") for index in range(count)))
        for number, count in enumerate(counts, start=1)
    ]


def listed_count(client) -> int:
    (item,) = client.get("/api/v1/faqs/").json()["results"]
    return item["question_count"]


def test_publishing_counts_the_questions_and_a_draft_changes_nothing(client, content):
    faq = content.page_tree().faq
    faq.body = sections(2, 1)
    publish(faq)
    assert FAQPage.objects.get(pk=faq.pk).question_count == 3
    assert listed_count(client) == 3

    faq.body = sections(2, 1, 4)
    faq.save_revision()  # a draft: the live page, and its count, stay as they are
    assert FAQPage.objects.get(pk=faq.pk).question_count == 3
    assert listed_count(client) == 3
    assert client.get(f"/api/v1/faqs/{faq.slug}/").json()["question_count"] == 3

    faq.get_latest_revision().publish()
    assert FAQPage.objects.get(pk=faq.pk).question_count == 7
    assert listed_count(client) == 7


def test_the_migration_counts_the_questions_of_existing_pages(content):
    faq = content.page_tree().faq
    faq.body = sections(5)
    publish(faq)
    FAQPage.objects.filter(pk=faq.pk).update(question_count=0)
    migration = importlib.import_module("cms.migrations.0006_faq_question_count")
    migration.count_existing_questions(apps, schema_editor=None)
    assert FAQPage.objects.get(pk=faq.pk).question_count == 5
