"""Translations of pages and snippets, and keeping help-line contact data in step across them."""

import datetime as dt

import pytest

from cms.pages.models import CampaignPage, FAQPage, HomePage
from cms.snippets.models import ContactPoint, ContactType, HelpLine, SourceCitation
from tests.content import contact_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def helpline_nl(content):
    return content.mondays_helpline()


@pytest.fixture
def helpline_fr(helpline_nl, content):
    return content.translate_snippet(
        helpline_nl, "fr", name="Ligne d'aide 116000", labels=["Appelez gratuitement le 116000"]
    )


# --- pages ---------------------------------------------------------------------------------


def test_translated_pages_share_the_translation_key(content, locales):
    tree = content.page_tree(translations=("fr",))

    faq_fr = tree.faq.copy_for_translation(locales["fr"]).specific

    for source, translation in [
        (tree.home, tree.homes["fr"]),
        (tree.campaign, tree.campaigns["fr"]),
        (tree.faq, faq_fr),
    ]:
        assert translation.pk != source.pk
        assert translation.translation_key == source.translation_key
        assert translation.locale == locales["fr"]
        assert type(translation) is type(source)
    assert faq_fr.get_parent().specific == tree.campaigns["fr"]
    assert tree.campaigns["fr"].get_parent().specific == tree.homes["fr"]
    assert tree.campaign.get_translation(locales["fr"]).pk == tree.campaigns["fr"].pk
    assert faq_fr.get_translation(locales["nl"]).pk == tree.faq.pk
    assert {page.locale.language_code for page in FAQPage.objects.all()} == {"nl", "fr"}
    assert CampaignPage.objects.filter(translation_key=tree.campaign.translation_key).count() == 2
    assert HomePage.objects.filter(translation_key=tree.home.translation_key).count() == 2


# --- snippets ------------------------------------------------------------------------------


def test_translated_snippets_share_the_translation_key(helpline_nl, helpline_fr, locales, content):
    citation = content.citation("Verdrag van Lanzarote", revision=False)
    citation_en = content.translate_snippet(citation, "en", title="Lanzarote Convention", revision=False)

    assert helpline_fr.pk != helpline_nl.pk
    assert helpline_fr.translation_key == helpline_nl.translation_key
    assert helpline_fr.locale == locales["fr"]
    assert helpline_nl.get_translation(locales["fr"]).pk == helpline_fr.pk
    assert citation_en.translation_key == citation.translation_key
    assert citation_en.locale == locales["en"]
    assert SourceCitation.objects.filter(translation_key=citation.translation_key).count() == 2
    assert sorted(
        SourceCitation.objects.filter(translation_key=citation.translation_key).values_list(
            "title", flat=True
        )
    ) == ["Lanzarote Convention", "Verdrag van Lanzarote"]


def test_translation_starts_with_the_sources_contact_points_and_its_own_labels(helpline_nl, helpline_fr):
    assert contact_points(helpline_nl) == [("phone", "116000", "Bel gratis 116000")]
    assert contact_points(helpline_fr) == [("phone", "116000", "Appelez gratuitement le 116000")]
    assert [point.translation_key for point in helpline_fr.contact_points.all()] == [
        point.translation_key for point in helpline_nl.contact_points.all()
    ]


def test_publishing_a_new_number_in_the_source_updates_the_translation(helpline_nl, helpline_fr):
    point = helpline_nl.contact_points.get()
    point.value = "+3224754411"
    helpline_nl.contact_points = [point]
    helpline_nl.available_24_7 = True
    helpline_nl.languages = ["nl", "fr", "en"]
    helpline_nl.opening_hours = []

    helpline_nl.save_revision().publish()

    helpline_fr.refresh_from_db()
    assert contact_points(helpline_fr) == [("phone", "+3224754411", "Appelez gratuitement le 116000")]
    assert helpline_fr.name == "Ligne d'aide 116000"
    assert helpline_fr.available_24_7 is True
    assert helpline_fr.languages == ["nl", "fr", "en"]
    assert helpline_fr.opening_hours.count() == 0
    assert contact_points(HelpLine.objects.get(pk=helpline_nl.pk)) == [
        ("phone", "+3224754411", "Bel gratis 116000")
    ]


def test_a_contact_point_added_to_the_source_reaches_the_translation_with_the_source_label(
    helpline_nl, helpline_fr
):
    helpline_nl.contact_points = [
        *helpline_nl.contact_points.all(),
        ContactPoint(
            contact_type=ContactType.EMAIL, value="116000@childfocus.org", label="Mail ons", sort_order=1
        ),
    ]
    helpline_nl.save_revision().publish()

    assert contact_points(helpline_fr) == [
        ("phone", "116000", "Appelez gratuitement le 116000"),
        ("email", "116000@childfocus.org", "Mail ons"),
    ]


def test_saving_the_translation_with_another_number_gets_the_source_number_back(helpline_nl, helpline_fr):
    point = helpline_fr.contact_points.get()
    point.value = "+3224754499"
    point.label = "Appelez le 116000"
    helpline_fr.contact_points = [point]
    helpline_fr.available_24_7 = True
    helpline_fr.last_verified = dt.date(2020, 1, 1)
    helpline_fr.name = "Ligne 116000"

    helpline_fr.save()

    stored = HelpLine.objects.get(pk=helpline_fr.pk)
    assert contact_points(stored) == [("phone", "116000", "Appelez le 116000")]
    assert stored.available_24_7 is False
    assert stored.last_verified is None
    assert stored.name == "Ligne 116000"
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in stored.opening_hours.all()] == [
        (0, "09:00", "17:00")
    ]
    # The source is untouched.
    assert contact_points(HelpLine.objects.get(pk=helpline_nl.pk)) == [
        ("phone", "116000", "Bel gratis 116000")
    ]


def test_publishing_a_revision_of_the_translation_also_keeps_the_source_number(helpline_nl, helpline_fr):
    point = helpline_fr.contact_points.get()
    point.value = "+3224754499"
    helpline_fr.contact_points = [point]

    helpline_fr.save_revision().publish()

    assert contact_points(helpline_fr) == [("phone", "116000", "Appelez gratuitement le 116000")]


def test_sync_from_source_copies_contact_data_but_keeps_own_texts(helpline_nl, helpline_fr):
    helpline_fr.sync_from_source(helpline_nl)

    assert helpline_fr.get_sync_source().pk == helpline_nl.pk
    assert helpline_nl.get_sync_source() is None
    assert [(p.value, p.label) for p in helpline_fr.contact_points.all()] == [
        ("116000", "Appelez gratuitement le 116000")
    ]
    assert helpline_fr.slug == helpline_nl.slug == "child-focus-116000"


def test_without_a_default_locale_translation_the_oldest_is_the_source(content):
    english = content.helpline("helpline-en", "Helpline", code="en", points=[("phone", "116000", "Call")])
    french = content.translate_snippet(english, "fr", name="Ligne", labels=["Appelez"])

    assert english.get_sync_source() is None
    assert french.get_sync_source().pk == english.pk

    point = english.contact_points.get()
    point.value = "+3224754411"
    english.contact_points = [point]
    english.save_revision().publish()

    assert contact_points(french) == [("phone", "+3224754411", "Appelez")]
