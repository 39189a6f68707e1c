"""wagtail-localize's translation editor labels every FAQ segment by what it is (cms/localize_segments.py).

Checked through the real admin view: the page's edit URL renders the editor with a JSON props blob
whose ``segments`` each carry a ``location`` (``field`` heads a group, ``subField`` labels a line).
"""

import html
import json
import logging
import re
from importlib.metadata import version

import pytest
from wagtail_localize.operations import translate_object
from wagtail_localize.views import edit_translation

from cms import localize_segments
from tests.content import publish, question, section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


LONG_QUESTION = (
    "Waarom is de 'Schat je schatje'-campagne belangrijk voor ouders, grootouders en leerkrachten?"
)


@pytest.fixture
def faq(content):
    """A Dutch FAQ with two sections, links of every kind, a help-line and a citation."""
    tree = content.page_tree(translations=("fr",))  # its Dutch home is the site's root: page links resolve
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    citation = content.citation("Verdrag van Lanzarote")
    page = tree.faq
    page.intro = '<p>Alles over de campagne van <a href="https://www.childfocus.be">Child Focus</a>.</p>'
    page.body = [
        section(
            "Over de campagne",
            question(
                LONG_QUESTION,
                '<p>Meer op de website van <a href="https://www.childfocus.be">Child Focus</a>.</p>'
                '<p>Of mail <a href="mailto:116000@childfocus.org">116000@childfocus.org</a>.</p>',
                anchor="waarom-belangrijk",
                citations=[citation],
            ),
            question(
                "Waarom nu?",
                f'<p>Zie <a linktype="page" id="{tree.campaign.pk}">de campagne</a>.</p>',
                anchor="waarom-nu",
            ),
        ),
        section(
            "Hulp",
            question(
                "Wat als ik iets wil melden?",
                "<ul><li>Bel 116000</li><li>Mail ons</li></ul>",
                anchor="melden",
                helplines=[helpline],
            ),
        ),
    ]
    return publish(page)


def editor_props(client, page) -> dict:
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    match = re.search(r'class="js-translation-editor" data-props="([^"]*)"', response.content.decode())
    assert match, "the translation editor was not rendered"
    return json.loads(html.unescape(match[1]))


def described(segment: dict) -> tuple:
    """What the translator sees of a segment: its kind, group label, line label and content."""
    content = {
        "string": lambda: segment["source"],
        "synchronised_value": lambda: segment["value"],
        "related_object": lambda: segment["source"]["title"],
    }[segment["type"]]()
    return segment["type"], segment["location"]["field"], segment["location"]["subField"], content


def test_every_faq_segment_is_labelled_by_what_it_is(admin_client, faq, locales):
    translate_object(faq, [locales["fr"]])
    props = editor_props(admin_client, faq.get_translation(locales["fr"]))

    segments = [
        described(segment)
        for segment in props["segments"]
        if segment["contentPath"].startswith(("intro", "body."))
    ]
    answer_1 = "Answer to: Waarom is de 'Schat je schatje'-campagne belangrijk voor…"
    link_1 = "Link in the answer to: Waarom is de 'Schat je schatje'-campagne belangrijk voor…"
    assert segments == [
        ("string", "Intro", None, 'Alles over de campagne van <a id="a1">Child Focus</a>.'),
        ("synchronised_value", "Intro", "Link", "https://www.childfocus.be"),
        ("string", "Section 1", "Section heading", "Over de campagne"),
        ("string", "Section 1", "Question 1", LONG_QUESTION),
        ("string", "Section 1", answer_1, 'Meer op de website van <a id="a1">Child Focus</a>.'),
        ("string", "Section 1", answer_1, 'Of mail <a id="a1">116000@childfocus.org</a>.'),
        ("synchronised_value", "Section 1", link_1, "https://www.childfocus.be"),
        ("synchronised_value", "Section 1", link_1, "mailto:116000@childfocus.org"),
        (
            "related_object",
            "Section 1",
            "Citation for: Waarom is de 'Schat je schatje'-campagne belangrijk voor…",
            "Verdrag van Lanzarote",
        ),
        ("string", "Section 1", "Question 2", "Waarom nu?"),
        # An internal page link has no href to offer: it keeps its page.
        ("string", "Section 1", "Answer to: Waarom nu?", 'Zie <a id="a1">de campagne</a>.'),
        ("string", "Section 2", "Section heading", "Hulp"),
        ("string", "Section 2", "Question 1", "Wat als ik iets wil melden?"),
        ("string", "Section 2", "Answer to: Wat als ik iets wil melden?", "Bel 116000"),
        ("string", "Section 2", "Answer to: Wat als ik iets wil melden?", "Mail ons"),
        ("related_object", "Section 2", "Help-line for: Wat als ik iets wil melden?", "Hulplijn 116000"),
    ]
    # Sections stay apart in the editor: it groups segments by field and block id.
    groups = {(s["location"]["field"], s["location"]["blockId"]) for s in props["segments"]}
    assert len([group for group in groups if group[0].startswith("Section")]) == 2
    # The anchors are not offered at all.
    assert not [s for s in props["segments"] if "anchor" in s["contentPath"]]
    offered = {s["source"] for s in props["segments"] if s["type"] == "string"}
    assert not {"waarom-belangrijk", "waarom-nu", "melden"} & offered


def test_links_are_offered_as_values_the_translator_may_override(admin_client, faq, locales):
    translate_object(faq, [locales["fr"]])
    props = editor_props(admin_client, faq.get_translation(locales["fr"]))
    links = [s for s in props["segments"] if s["type"] == "synchronised_value"]
    # Shown with the source's URL and an "Edit" text box; kept unless the translator edits it.
    assert {(s["value"], s["location"]["widget"]["type"]) for s in links} == {
        ("https://www.childfocus.be", "text"),
        ("mailto:116000@childfocus.org", "text"),
    }


def test_the_labels_come_from_an_override_of_the_tested_wagtail_localize_version():
    # Upgrading wagtail-localize? Check cms/localize_segments.py against the new
    # get_segment_location_info, then add the version to TESTED_VERSIONS.
    assert version("wagtail-localize") in localize_segments.TESTED_VERSIONS
    assert edit_translation.get_segment_location_info.baken_relabels_faq_segments is True
    assert localize_segments.install() is True  # idempotent: already in place


def test_another_wagtail_localize_version_keeps_the_generic_labels(monkeypatch, caplog):
    monkeypatch.setattr(edit_translation, "get_segment_location_info", lambda *args, **kwargs: {})
    monkeypatch.setattr(localize_segments, "version", lambda name: "1.15.0")
    with caplog.at_level(logging.WARNING, logger="cms.localize_segments"):
        assert localize_segments.install() is False
    assert not hasattr(edit_translation.get_segment_location_info, "baken_relabels_faq_segments")
    assert "keeps its generic labels" in caplog.text


def test_other_models_keep_wagtail_localize_labels(admin_client, locales, content):
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    translate_object(helpline, [locales["fr"]])
    french = helpline.get_translation(locales["fr"])
    response = admin_client.get(f"/admin/snippets/cms/helpline/edit/{french.pk}/")
    match = re.search(r'class="js-translation-editor" data-props="([^"]*)"', response.content.decode())
    props = json.loads(html.unescape(match[1]))
    name = next(s for s in props["segments"] if s["contentPath"] == "name")
    assert (name["location"]["field"], name["location"]["subField"]) == ("Name", None)
