"""Translation with wagtail-localize: only texts are offered; a fresh translation is never live."""

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import translate_object

from cms.snippets.models import ContactType, HelpLine
from tests.content import publish, question, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def helpline(content):
    return content.mondays_helpline(
        description="Dag en nacht gratis.",
        points=[
            (ContactType.PHONE, "116000", "Bel gratis"),
            (ContactType.EMAIL, "116000@childfocus.org", "Mail ons"),
        ],
    )


def offered_strings(instance) -> set[str]:
    source, _ = TranslationSource.get_or_create_from_instance(instance)
    return set(source.stringsegment_set.values_list("string__data", flat=True))


def test_only_texts_are_offered_for_translation(helpline):
    # Numbers, addresses, hours, slug and dates are never offered.
    assert offered_strings(helpline) == {
        "Hulplijn 116000",
        "Child Focus",
        "Dag en nacht gratis.",
        "Bel gratis",
        "Mail ons",
    }


def test_a_fresh_translation_is_a_draft_and_the_api_keeps_serving_the_source(client, helpline, locales):
    translate_object(helpline, [locales["fr"]])
    french = HelpLine.objects.get(translation_key=helpline.translation_key, locale=locales["fr"])
    assert french.live is False
    assert french.name == "Hulplijn 116000"  # still the Dutch text: must not go live as French
    served = client.get("/api/v1/helplines/child-focus-116000/?locale=fr").json()
    assert (served["locale"], served["is_fallback"]) == ("nl", True)


def test_a_fresh_page_translation_is_a_draft(client, content, locales):
    tree = content.page_tree(translations=("fr",))
    translate_object(tree.faq, [locales["fr"]])
    french = tree.faq.get_translation(locales["fr"])
    assert french.live is False
    served = client.get("/api/v1/faqs/veelgestelde-vragen/?locale=fr").json()
    assert (served["locale"], served["is_fallback"]) == ("nl", True)


def test_labels_translated_through_a_po_file_survive_a_new_number_in_the_source(helpline, locales):
    translate_object(helpline, [locales["fr"]])
    source, _ = TranslationSource.get_or_create_from_instance(helpline)
    translation = source.translations.get(target_locale=locales["fr"])
    po = translation.export_po()  # what an outside translator downloads
    french_texts = {
        "Hulplijn 116000": "Ligne d'aide 116000",
        "Child Focus": "Child Focus",
        "Dag en nacht gratis.": "Jour et nuit, gratuitement.",
        "Bel gratis": "Appelez gratuitement",
        "Mail ons": "Écrivez-nous",
    }
    for entry in po:
        entry.msgstr = french_texts[entry.msgid]
    assert translation.import_po(po) == []  # and uploads again
    translation.save_target(publish=True)

    phone_point = helpline.contact_points.get(contact_type=ContactType.PHONE)
    phone_point.value = "+3224754411"
    helpline.contact_points = [phone_point, helpline.contact_points.get(contact_type=ContactType.EMAIL)]
    helpline.save()
    publish(helpline)
    source.update_from_db()  # "Sync translated snippets"
    translation.save_target(publish=True)

    french = HelpLine.objects.get(translation_key=helpline.translation_key, locale=locales["fr"])
    assert french.name == "Ligne d'aide 116000"
    assert [(p.value, p.label, p.locale_id) for p in french.contact_points.all()] == [
        ("+3224754411", "Appelez gratuitement", locales["fr"].pk),
        ("116000@childfocus.org", "Écrivez-nous", locales["fr"].pk),
    ]
    assert [(h.weekday, h.opens.hour, h.closes.hour) for h in french.opening_hours.all()] == [(0, 9, 17)]


# --- FAQ pages: anchors and links ------------------------------------------------------------

FRENCH_FAQ = {
    "Veelgestelde vragen": "Questions fréquentes",
    "veelgestelde-vragen": "questions-frequentes",
    "FAQ": "FAQ",
    "Waar meld ik beelden?": "Où signaler des images ?",
    'Via <a id="a1">de website van Child Focus</a>, <a id="a2">mail</a> of <a id="a3">de campagne</a>.': (
        'Via <a id="a1">le site de Child Focus</a>, <a id="a2">courriel</a> ou <a id="a3">la campagne</a>.'
    ),
}


@pytest.fixture
def faq_with_links(content):
    tree = content.page_tree(translations=("fr",))
    faq = tree.faq
    faq.body = [
        section(
            "FAQ",
            question(
                "Waar meld ik beelden?",
                '<p>Via <a href="https://www.childfocus.be">de website van '
                'Child Focus</a>, <a href="mailto:116000@childfocus.org">mail</a> of '
                f'<a linktype="page" id="{tree.campaign.pk}">de campagne</a>.</p>',
                anchor="waar-meld-ik-beelden",
            ),
        )
    ]
    publish(faq)
    return tree


@pytest.fixture
def publish_translation(django_capture_on_commit_callbacks):
    """Publish a translation as the editor's "Publish in French" does (the revision goes live on commit)."""

    def publish_it(translation):
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(publish=True)

    return publish_it


@pytest.fixture
def translate_in_french(locales, publish_translation):
    """Translate every string through a PO file and publish, as an outside translator's upload does."""

    def translate(page):
        translate_object(page, [locales["fr"]])
        source, _ = TranslationSource.get_or_create_from_instance(page)
        translation = source.translations.get(target_locale=locales["fr"])
        po = translation.export_po()
        for entry in po:
            entry.msgstr = FRENCH_FAQ[entry.msgid]
        assert translation.import_po(po) == []
        publish_translation(translation)
        return source, translation

    return translate


def answers(page) -> list[tuple[str, str]]:
    page.refresh_from_db()
    return [
        (question["anchor"], question["answer"].source)
        for section in page.body
        for question in section.value["questions"]
    ]


def test_the_anchor_is_not_offered_and_translations_keep_the_source_anchor(
    faq_with_links, locales, translate_in_french, publish_translation
):
    faq = faq_with_links.faq
    assert offered_strings(faq) == set(FRENCH_FAQ)  # no "waar-meld-ik-beelden"
    source, translation = translate_in_french(faq)
    assert not source.stringsegment_set.filter(context__path__contains="anchor").exists()
    assert not source.overridablesegment_set.filter(context__path__contains="anchor").exists()

    french = faq.get_translation(locales["fr"])
    assert french.live is True
    assert [anchor for anchor, _ in answers(french)] == ["waar-meld-ik-beelden"]

    # A new anchor published in Dutch reaches the translation with the next sync.
    faq.body[0].value["questions"][0]["anchor"] = "beelden-melden"
    publish(faq)
    source.update_from_db()
    publish_translation(translation)
    assert [anchor for anchor, _ in answers(french)] == ["beelden-melden"]


def test_link_targets_are_kept_unless_the_translator_overrides_one(
    admin_client, faq_with_links, locales, translate_in_french, publish_translation
):
    faq = faq_with_links.faq
    source, translation = translate_in_french(faq)
    french = faq.get_translation(locales["fr"])
    campaign_link = f'<a id="{faq_with_links.campaign.pk}" linktype="page">la campagne</a>'
    assert answers(french) == [
        (
            "waar-meld-ik-beelden",
            '<p>Via <a href="https://www.childfocus.be">le site de Child Focus</a>, '
            f'<a href="mailto:116000@childfocus.org">courriel</a> ou {campaign_link}.</p>',
        )
    ]

    # The translator edits the website link's URL in the editor (a "synchronised value").
    website = source.overridablesegment_set.get(context__path__endswith=".answer.'https://www.childfocus.be'")
    response = admin_client.put(
        reverse(
            "wagtail_localize:edit_override",
            kwargs={"translation_id": translation.pk, "overridable_segment_id": website.pk},
        ),
        encode_multipart(BOUNDARY, {"value": "https://www.childfocus.be/fr"}),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 201
    publish_translation(translation)
    assert answers(french) == [
        (
            "waar-meld-ik-beelden",
            '<p>Via <a href="https://www.childfocus.be/fr">le site de Child Focus</a>, '
            f'<a href="mailto:116000@childfocus.org">courriel</a> ou {campaign_link}.</p>',
        )
    ]
