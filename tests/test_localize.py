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
    # Numbers, addresses, hours, slug and dates are never offered; contact labels are kept per
    # translation by HelpLine.save instead (see cms/snippets/models.py).
    assert offered_strings(helpline) == {"Hulplijn 116000", "Child Focus", "Dag en nacht gratis."}


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


def test_a_sync_brings_the_sources_values_and_keeps_the_translated_labels(helpline, locales):
    translate_object(helpline, [locales["fr"]])
    french = HelpLine.objects.get(translation_key=helpline.translation_key, locale=locales["fr"])
    phone, email = french.contact_points.all()
    phone.label, email.label = "Appelez gratuitement", "Écrivez-nous"
    french.contact_points = [phone, email]
    french.save()
    phone_point = helpline.contact_points.get(contact_type=ContactType.PHONE)
    phone_point.value = "+3224754411"
    helpline.contact_points = [phone_point, helpline.contact_points.get(contact_type=ContactType.EMAIL)]
    helpline.save()
    publish(helpline)
    source, _ = TranslationSource.get_or_create_from_instance(helpline)
    source.update_from_db()
    source.translations.get(target_locale=locales["fr"]).save_target(publish=False)
    french = HelpLine.objects.get(translation_key=helpline.translation_key, locale=locales["fr"])
    assert [(p.value, p.label) for p in french.contact_points.all()] == [
        ("+3224754411", "Appelez gratuitement"),
        ("116000@childfocus.org", "Écrivez-nous"),
    ]
    assert [(h.weekday, h.opens.hour, h.closes.hour) for h in french.opening_hours.all()] == [(0, 9, 17)]
