"""The number of database queries per request does not grow with the amount of content.

Each endpoint is measured on the standard small site, then again after adding many more FAQ
pages, sections, questions, help-lines (with contact points and opening hours), citations,
translations and internal links; the two counts must be equal.
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cms.pages.models import CampaignKeyDate, CampaignPage, FAQPage
from tests.api.conftest import Api, ApiContent, Site, build_site, count_queries
from tests.content import publish, question, section

ENDPOINTS = {
    "index": ("/", {}),
    "locales": ("/locales/", {}),
    "faq list": ("/faqs/", {"limit": 100}),
    "faq list (fr)": ("/faqs/", {"limit": 100, "locale": "fr"}),
    "faq list by campaign": ("/faqs/", {"limit": 100, "campaign": "schat-je-schatje"}),
    "faq list updated since": ("/faqs/", {"limit": 100, "updated_since": "2000-01-01"}),
    "faq detail": ("/faqs/veelgestelde-vragen/", {}),
    "faq detail (fr)": ("/faqs/veelgestelde-vragen/", {"locale": "fr"}),
    "faq detail (de, fallback)": ("/faqs/veelgestelde-vragen/", {"locale": "de"}),
    "campaign list": ("/campaigns/", {"limit": 100}),
    "campaign list (fr)": ("/campaigns/", {"limit": 100, "locale": "fr"}),
    "campaign detail": ("/campaigns/schat-je-schatje/", {}),
    "helpline list": ("/helplines/", {"limit": 100}),
    "helpline list (fr)": ("/helplines/", {"limit": 100, "locale": "fr"}),
    "helpline detail": ("/helplines/kantoor-lijn/", {}),
    "citation list": ("/citations/", {"limit": 100}),
    "citation list (fr)": ("/citations/", {"limit": 100, "locale": "fr"}),
    "citation list as csl": ("/citations/", {"limit": 100, "format": "csl"}),
    "citation detail": ("/citations/{report}/", {}),
    "search": ("/search/", {"q": "kinderen melden 116000 waarom", "limit": 100}),
    "search (de)": ("/search/", {"q": "kinderen melden 116000 waarom", "limit": 100, "locale": "de"}),
}
# Whatever the data, no endpoint needs more than this: 6, and one more to read the content versions
# from the change log, as a process with a private cache does (with Redis it reads them from there;
# api/response_cache/versions.py).
MAX_QUERIES = 7


def measure(api: Api, site: Site) -> dict[str, int]:
    counts = {}
    for name, (path, params) in ENDPOINTS.items():
        path = path.format(report=site.cit_report.pk)
        api.get(path, params)  # warm caches that do not depend on the data (site root paths …)
        queries, response = count_queries(lambda p=path, q=params: api.get(p, q))
        assert response.status_code == 200, (name, response.content[:300])
        counts[name] = queries
    return counts


def link(page) -> str:
    return f'<a linktype="page" id="{page.pk}">{page.title}</a>'


def add_links(site: Site) -> None:
    """Internal links wherever rich text can hold them (intros, answers, citation notes), already
    in the small data set: resolving them costs one query per kind of link, whatever their number."""
    for faq in (site.faq, site.faq_fr):
        faq.intro = f"<p>Zie {link(site.campaign)}.</p>"
        publish(faq)
    for citation in (site.cit_report, site.cit_lanzarote, site.cit_lanzarote_fr, site.cit_lanzarote_en):
        citation.notes = f"<p>Zie {link(site.campaign)}.</p>"
        publish(citation)


def add_lots_of_content(site: Site) -> None:
    content = site.content
    helplines, citations = [], []
    for i in range(10):
        helpline = content.helpline(
            f"extra-lijn-{i:02d}",
            f"Extra lijn {i:02d}",
            points=(
                ("phone", f"+32247544{i:02d}", f"Bel lijn {i}"),
                ("email", f"lijn{i}@example.org", "Mail"),
                ("chat", f"https://example.org/chat/{i}", "Chat"),
            ),
            available_24_7=i % 2 == 0,
            hours=[(day, "09:00", "12:00") for day in range(7)]
            + [(day, "13:00", "17:00") for day in range(5)],
        )
        if i % 3 == 0:
            content.translate_snippet(helpline, "fr", name=f"Ligne {i}")
        helplines.append(helpline)
        citation = content.citation(
            f"Extra bron {i:02d}",
            authors="Janssens, Piet\nPeeters, An",
            notes=f"<p>Zie {link(site.campaign)} en {link(site.faq)}.</p>",
            accessed_date=dt.date(2025, 1, 1),
        )
        if i % 3 == 0:
            content.translate_snippet(citation, "fr", title=f"Source {i}")
        citations.append(citation)

    def sections(prefix: str, n_sections: int, n_questions: int):
        return [
            section(
                f"{prefix} sectie {s}",
                *[
                    question(
                        f"Waarom {prefix} vraag {s}-{q} over kinderen?",
                        f"<p>Kinderen melden 116000, zie {link(site.campaign)}.</p><ul><li>een</li></ul>",
                        anchor=f"vraag-{s}-{q}",
                        helplines=helplines[(s + q) % 7 : (s + q) % 7 + 3] + [site.hl_247],
                        citations=citations[(s * q) % 7 : (s * q) % 7 + 3] + [site.cit_lanzarote],
                    )
                    for q in range(n_questions)
                ],
            )
            for s in range(n_sections)
        ]

    # The measured FAQ itself grows: more sections, questions and linked snippets.
    site.faq.intro = f"<p>{link(site.campaign)} {link(site.faq_fr)}</p>"
    site.faq.body = sections("nl", 5, 6)
    publish(site.faq)
    site.faq_fr.body = sections("fr", 5, 6)
    publish(site.faq_fr)
    site.content.translate_page(site.faq, "en", slug="frequently-asked-questions", title="FAQ")

    campaign = CampaignPage.objects.get(pk=site.campaign.pk)
    campaign.key_dates = [
        CampaignKeyDate(date=dt.date(2015 + i, 1 + i, 10), label=f"Dag {i}", recurs_annually=bool(i % 2))
        for i in range(6)
    ]
    site.campaign = campaign
    site.republish_campaign([site.hl_247, site.hl_office, *helplines[:8]])

    campaigns = [site.campaign] + [
        content.campaign(f"campagne-{i}", f"Campagne {i}", helplines=helplines[i : i + 5]) for i in range(2)
    ]
    for campaign in campaigns[1:]:
        content.translate_page(campaign, "fr")
    for i in range(8):
        faq = content.faq(
            campaigns[i % 3], f"extra-faq-{i:02d}", f"Extra FAQ {i:02d}", sections=sections(f"x{i}", 3, 4)
        )
        if i % 4 == 0:
            content.translate_page(faq, "fr", slug=f"faq-supplementaire-{i:02d}", title=f"FAQ {i}")


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker) -> dict[str, tuple[int, int]]:
    """(small, large) query counts per endpoint, measured on one database."""
    from django.test import Client

    with (
        django_db_blocker.unblock(),
        override_settings(BAKEN_API_RESPONSE_CACHE=False),
        transaction.atomic(),
    ):
        content = ApiContent()
        site = Site.load(build_site(content))
        add_links(site)
        api = Api(Client())
        small = measure(api, site)
        add_lots_of_content(site)
        large = measure(api, site)
        assert api.get("/faqs/", {"limit": 100}).json()["count"] == 9
        assert api.get("/helplines/", {"limit": 100}).json()["count"] == 12
        assert api.get("/citations/", {"limit": 100}).json()["count"] == 12
        transaction.set_rollback(True)
    return {name: (small[name], large[name]) for name in ENDPOINTS}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_query_count_does_not_grow_with_content(query_counts, endpoint):
    small, large = query_counts[endpoint]
    assert large == small, f"{endpoint}: {small} queries with little content, {large} with more"
    assert small <= MAX_QUERIES


@pytest.mark.parametrize(
    ("path", "params"), [("/campaigns/", {"locale": "fr"}), ("/campaigns/schat-je-schatje/", {})]
)
def test_a_campaign_lists_its_faq_pages_without_reading_their_bodies(site, api, path, params):
    """A campaign may hold thousands of FAQ pages: its list items need their titles and counts,
    not their questions and answers (measured at 1,000 pages a locale: 366 KB answered in 135 ms
    with a worker growing 4 MiB, against 580 ms and 29 MiB reading every body)."""
    with CaptureQueriesContext(connection) as context:
        response = api.get(path, params)
    assert response.status_code == 200
    campaigns = response.json()["results"] if path == "/campaigns/" else [response.json()]
    assert any(campaign["faqs"] for campaign in campaigns)
    faq_table = connection.ops.quote_name(FAQPage._meta.db_table)
    for column in ("body", "intro"):
        read = f"{faq_table}.{connection.ops.quote_name(column)}"
        assert not [query["sql"] for query in context.captured_queries if read in query["sql"]]
