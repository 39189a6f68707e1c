"""Plain-text answers keep their links' targets: "… van Child Focus (https://www.childfocus.be)"."""

import uuid

import pytest
from wagtail.models import Page

from api import richtext
from api.richtext import LinkResolver, render, sanitise, to_text
from api.values import RichText
from cms.pages.models import FAQPage
from tests.content import publish, question, section

pytestmark = pytest.mark.django_db


def text_of(fragment: str) -> str:
    return render(fragment, LinkResolver([fragment], visible_pages=Page.objects.live)).text


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        (
            '<p>Meer op de website van <a href="https://www.childfocus.be">Child Focus</a>.</p>',
            "Meer op de website van Child Focus (https://www.childfocus.be).",
        ),
        # The text already is the URL (scheme, "www." and a final "/" aside): shown once.
        (
            '<p>Meld het via <a href="https://www.stopchildporno.be">www.stopchildporno.be</a>.</p>',
            "Meld het via www.stopchildporno.be.",
        ),
        (
            '<p><a href="https://www.clicksafe.be/">clicksafe.be</a> en '
            '<a href="https://www.childfocus.be">https://www.childfocus.be</a></p>',
            "clicksafe.be en https://www.childfocus.be",
        ),
        # A different path is a different target.
        (
            '<p><a href="https://www.childfocus.be/fr/signaler">childfocus.be</a></p>',
            "childfocus.be (https://www.childfocus.be/fr/signaler)",
        ),
        # mailto: and tel: read as the address and the number.
        (
            '<p>Mail <a href="mailto:116000@childfocus.org">116000@childfocus.org</a> of '
            '<a href="mailto:116000@childfocus.org?subject=Melding">schrijf ons</a>.</p>',
            "Mail 116000@childfocus.org of schrijf ons (116000@childfocus.org).",
        ),
        (
            '<p>Bel <a href="tel:116000">116 000</a> of <a href="tel:+3224754411">ons kantoor</a>.</p>',
            "Bel 116 000 of ons kantoor (+3224754411).",
        ),
        # Formatting inside the link, spaces at its end, lists: the target follows the words.
        (
            '<ul><li>Lees <a href="https://www.childfocus.be"><b>dit</b> <i>artikel</i> </a>eerst</li></ul>',
            "- Lees dit artikel (https://www.childfocus.be) eerst",
        ),
        # The URL is given as the sanitised HTML has it (&amp; is &).
        (
            '<p><a href="https://example.org/zoek?q=hulp&amp;taal=nl">zoeken</a></p>',
            "zoeken (https://example.org/zoek?q=hulp&taal=nl)",
        ),
        # No target left (unsafe scheme removed, no href, no text): the words alone, as in the HTML.
        (
            '<p><a href="javascript:alert(1)">klik</a>, <a>hier</a>, <a href="https://x.example"></a>niets</p>',
            "klik, hier, niets",
        ),
    ],
)
def test_link_targets_in_plain_text(fragment, text):
    assert text_of(fragment) == text


@pytest.fixture
def campaign_link(content):
    return content.page_tree()  # the default site's root is its Dutch home: page links resolve below it


def test_an_internal_page_link_reads_as_the_url_the_html_gives_it(campaign_link):
    fragment = f'<p>Zie <a linktype="page" id="{campaign_link.campaign.pk}">de campagne</a>.</p>'
    answer = render(fragment, LinkResolver([fragment], visible_pages=Page.objects.live))
    assert answer == RichText(
        html='<p>Zie <a href="/schat-je-schatje/" rel="noopener noreferrer">de campagne</a>.</p>',
        text="Zie de campagne (/schat-je-schatje/).",
    )


def test_a_link_to_a_page_that_is_not_public_keeps_only_its_text(campaign_link):
    campaign_link.campaign.unpublish()
    fragment = f'<p>Zie <a linktype="page" id="{campaign_link.campaign.pk}">de campagne</a>.</p>'
    answer = render(fragment, LinkResolver([fragment], visible_pages=Page.objects.live))
    assert answer == RichText(
        html='<p>Zie <a rel="noopener noreferrer">de campagne</a>.</p>',
        text="Zie de campagne.",
    )


def test_search_excerpts_keep_the_words_only():
    fragment = '<p>Meer op de website van <a href="https://www.childfocus.be">Child Focus</a>.</p>'
    assert to_text(sanitise(fragment)) == "Meer op de website van Child Focus."


def test_the_text_is_memoised_with_the_html():
    fragment = f'<p>Uniek {uuid.uuid4()}: <a href="https://www.childfocus.be">Child Focus</a>.</p>'
    before = richtext._clean_and_text.cache_info()
    first = text_of(fragment)
    assert text_of(fragment) == first
    after = richtext._clean_and_text.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


def test_the_api_serves_answers_and_intro_with_their_link_targets(client, campaign_link):
    faq = campaign_link.faq
    body = [
        section(
            "Hulp",
            question(
                "Waar vind ik meer?",
                '<p>Meer op de website van <a href="https://www.childfocus.be">'
                'Child Focus</a>, via <a href="mailto:116000@childfocus.org">'
                "116000@childfocus.org</a> of op "
                f'<a linktype="page" id="{campaign_link.campaign.pk}">de campagnepagina</a>.</p>'
                '<ul><li>Bel <a href="tel:116000">116000</a></li></ul>',
                anchor="waar-vind-ik-meer",
            ),
        )
    ]
    faq.intro = '<p>Van <a href="https://www.childfocus.be">Child Focus</a>.</p>'
    faq.body = body
    publish(faq)
    assert FAQPage.objects.get(pk=faq.pk).live

    detail = client.get("/api/v1/faqs/veelgestelde-vragen/").json()
    answer = detail["sections"][0]["questions"][0]["answer"]
    assert answer["text"] == (
        "Meer op de website van Child Focus (https://www.childfocus.be), via 116000@childfocus.org "
        "of op de campagnepagina (/schat-je-schatje/).\n\n- Bel 116000"
    )
    assert answer["html"] == (
        '<p>Meer op de website van <a href="https://www.childfocus.be" rel="noopener noreferrer">'
        'Child Focus</a>, via <a href="mailto:116000@childfocus.org" rel="noopener noreferrer">'
        "116000@childfocus.org</a> of op "
        '<a href="/schat-je-schatje/" rel="noopener noreferrer">de campagnepagina</a>.</p>'
        '<ul><li>Bel <a href="tel:116000" rel="noopener noreferrer">116000</a></li></ul>'
    )
    assert detail["intro"] == {
        "html": '<p>Van <a href="https://www.childfocus.be" rel="noopener noreferrer">Child Focus</a>.</p>',
        "text": "Van Child Focus (https://www.childfocus.be).",
    }
