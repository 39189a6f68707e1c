"""Translation with wagtail-localize: only texts are offered; a fresh translation is never live."""

import pytest
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import translate_object

from cms.snippets.models import ContactPoint, ContactType, HelpLine, OpeningHours
from tests.conftest import publish
from tests.factories import HelpLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helpline(locales):
    import datetime as dt

    return publish(
        HelpLineFactory(
            slug="child-focus-116000",
            name="Hulplijn 116000",
            description="Dag en nacht gratis.",
            available_24_7=False,
            contact_points=[
                ContactPoint(contact_type=ContactType.PHONE, value="116000", label="Bel gratis"),
                ContactPoint(contact_type=ContactType.EMAIL, value="116000@childfocus.org", label="Mail ons"),
            ],
            opening_hours=[OpeningHours(weekday=0, opens=dt.time(9), closes=dt.time(17))],
        )
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


def test_a_fresh_page_translation_is_a_draft(client, make_page_tree, locales):
    tree = make_page_tree(translations=("fr",))
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
