"""Whatever is stored, channels never receive script: payloads planted straight into the database."""

import pytest

from cms.pages.models import FAQPage
from cms.snippets.models import SourceCitation
from tests.content import question, section

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<p>Meldpunt <script>alert("x")</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">klik</a> <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>'
    '<iframe src="https://evil.example"></iframe><span style="color:red">rood</span>'
    '<b onclick="steal()">vet</b> <a href="https://www.stopchildporno.be">stopchildporno</a></p>'
)
FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "javascript:",
    "data:text",
    "<iframe",
    "style=",
    "<img",
    "<span",
]


@pytest.fixture
def poisoned(content):
    tree = content.page_tree()
    citation = content.citation("Rapport")
    # Written with update(), as a bad import or a compromised database would, bypassing the editor.
    SourceCitation.objects.filter(pk=citation.pk).update(notes=PAYLOAD)
    body = [
        section(
            "FAQ",
            question("Waar meld ik beelden?", PAYLOAD, anchor="waar-meld-ik-beelden", citations=[citation]),
        )
    ]
    FAQPage.objects.filter(pk=tree.faq.pk).update(intro=PAYLOAD, body=body)
    tree.faq.refresh_from_db()
    tree.faq.save()  # re-index for search, as publishing would
    return tree


ENDPOINTS = [
    "/api/v1/faqs/veelgestelde-vragen/",
    "/api/v1/faqs/",
    "/api/v1/campaigns/schat-je-schatje/",
    "/api/v1/citations/",
    "/api/v1/citations/?format=csl",
    "/api/v1/search/?q=meldpunt",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_no_endpoint_passes_on_script(client, poisoned, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for forbidden in FORBIDDEN:
        assert forbidden not in body, (url, forbidden)


def test_answers_keep_their_allowed_markup_and_external_links_get_rel(client, poisoned):
    detail = client.get("/api/v1/faqs/veelgestelde-vragen/").json()
    answer = detail["sections"][0]["questions"][0]["answer"]
    assert answer["html"] == (
        '<p>Meldpunt <a rel="noopener noreferrer">klik</a> <a rel="noopener noreferrer">data</a>rood'
        '<b>vet</b> <a href="https://www.stopchildporno.be" rel="noopener noreferrer">stopchildporno</a></p>'
    )
    # Links whose unsafe target was removed keep only their text; the safe one keeps its target.
    assert answer["text"] == "Meldpunt klik dataroodvet stopchildporno (https://www.stopchildporno.be)"
    assert detail["intro"]["html"] == answer["html"]
    json_ld_answer = detail["structured_data"]["mainEntity"][0]["acceptedAnswer"]["text"]
    assert json_ld_answer == answer["html"]
    notes = detail["sections"][0]["questions"][0]["citations"][0]["notes"]
    assert notes["html"] == answer["html"]


def test_search_excerpts_are_plain_text(client, poisoned):
    results = client.get("/api/v1/search/?q=meldpunt").json()["results"]
    # Excerpts are the answer's words only: no link targets.
    assert [result["excerpt"] for result in results] == ["Meldpunt klik dataroodvet stopchildporno"]
