"""Pagination: count/next/previous/results, default limit 20, maximum 100, stable order."""

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from cms.snippets.models import SourceCitation
from tests.api.conftest import API
from tests.content import question, section

BASE = "http://testserver" + API


def split(url: str) -> tuple[str, dict]:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


def walk_pages(client, url: str) -> tuple[list[dict], int]:
    """Follow ``next`` links from ``url``; check each page's envelope; return all results."""
    results, previous_url, pages = [], None, 0
    count = None
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        assert list(body) == ["count", "next", "previous", "results"]
        count = body["count"] if count is None else count
        assert body["count"] == count
        if pages:
            # previous points back to the page we came from.
            assert (
                client.get(body["previous"]).json()["results"] == client.get(previous_url).json()["results"]
            )
        else:
            assert body["previous"] is None
        results.extend(body["results"])
        previous_url, url = url, body["next"]
        pages += 1
    return results, count


def assert_walks_list_everything(api, everything: list[dict], url: str, limits, *, count: int, key: str):
    """Walking ``url`` (a ``{limit}`` in it) page by page at each limit lists ``everything``, in
    order by ``key``: ``count`` items, no more, no fewer."""
    assert len(everything) == count
    for limit in limits:
        walked, walked_count = walk_pages(api.client, url.format(limit=limit))
        assert walked_count == count
        assert [item[key] for item in walked] == [item[key] for item in everything]


def more_citations(site, n: int) -> None:
    # Several identical and differently-cased titles: the order must still be total and stable.
    SourceCitation.objects.bulk_create(
        SourceCitation(
            title=["Rapport", "rapport", "Analyse", f"Studie {i:02d}"][i % 4],
            locale=site.content.locales["nl"],
            translation_key=uuid.uuid4(),
            organisation="Child Focus",
            citation_type="report",
            language="nl",
            live=True,
        )
        for i in range(n)
    )


def test_default_limit_is_20_with_next_and_previous_links(site, api):
    more_citations(site, 23)  # 25 in all
    first = api.json("/citations/")
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"] == f"{BASE}/citations/?limit=20&offset=20"
    assert first["previous"] is None
    second = api.client.get(first["next"]).json()
    assert second["count"] == 25
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"] == f"{BASE}/citations/?limit=20"
    everything = api.json("/citations/", limit=100)
    assert (everything["count"], len(everything["results"]), everything["next"], everything["previous"]) == (
        25,
        25,
        None,
        None,
    )
    assert [c["id"] for c in first["results"] + second["results"]] == [c["id"] for c in everything["results"]]


def test_links_keep_the_other_parameters(site, api):
    more_citations(site, 5)
    body = api.json("/citations/", locale="fr", limit=2, offset=2)
    assert split(body["next"]) == (f"{BASE}/citations/", {"locale": ["fr"], "limit": ["2"], "offset": ["4"]})
    assert split(body["previous"]) == (f"{BASE}/citations/", {"locale": ["fr"], "limit": ["2"]})
    search = api.json("/search/", q="Bel 116000", limit=1, locale="de")
    assert search["next"] is None
    following = api.client.get(body["next"])
    # The next page keeps ?locale=fr; its header names what those citations are served in.
    served = [c["locale"] for c in following.json()["results"]]
    assert following["Content-Language"] == ", ".join(dict.fromkeys(sorted(served, key=lambda c: c != "fr")))
    faqs = api.json("/faqs/", campaign="schat-je-schatje", limit=1, offset=0)
    assert faqs["next"] is None
    assert faqs["previous"] is None


def test_offset_past_the_end(site, api):
    body = api.json("/citations/", limit=2, offset=10)
    assert body == {
        "count": 2,
        "next": None,
        "previous": f"{BASE}/citations/?limit=2&offset=8",
        "results": [],
    }
    body = api.json("/citations/", limit=2, offset=1)
    assert body["previous"] == f"{BASE}/citations/?limit=2"
    assert body["next"] is None
    assert len(body["results"]) == 1


def test_maximum_limit_is_100(site, api):
    more_citations(site, 103)  # 105 in all
    body = api.json("/citations/", limit=100)
    assert (body["count"], len(body["results"])) == (105, 100)
    assert body["next"] == f"{BASE}/citations/?limit=100&offset=100"
    assert api.get("/citations/", limit=101).status_code == 400


@pytest.mark.parametrize("limit", [1, 3, 7, 20])
def test_walking_citation_pages_has_no_duplicates_or_gaps(site, api, limit):
    more_citations(site, 23)
    everything = [c["id"] for c in api.json("/citations/", limit=100)["results"]]
    walked, count = walk_pages(api.client, f"{API}/citations/?limit={limit}")
    assert count == 25
    assert [c["id"] for c in walked] == everything
    assert len(set(everything)) == 25
    titles = [c["title"].casefold() for c in walked]
    assert titles == sorted(titles)


def test_walking_helpline_pages(site, api):
    for i in range(9):
        site.content.helpline(f"lijn-{i}", ["Lijn", "lijn", f"Lijn {i}"][i % 3])
    everything = api.json("/helplines/", limit=100)["results"]
    url = f"{API}/helplines/?limit={{limit}}&locale=de"
    assert_walks_list_everything(api, everything, url, (1, 4), count=11, key="slug")


def test_walking_faq_and_campaign_pages(site, api):
    campaigns = [site.campaign] + [site.content.campaign(f"campagne-{i}", f"Campagne {i}") for i in range(2)]
    for i in range(7):
        site.content.faq(
            campaigns[i % 3],
            f"faq-{i}",
            f"FAQ {i}",
            sections=[section("S", question(f"Vraag {i}?", "<p>Antwoord.</p>", anchor="v"))],
        )
    everything = api.json("/faqs/", limit=100)["results"]
    assert_walks_list_everything(api, everything, f"{API}/faqs/?limit={{limit}}", (1, 3), count=8, key="id")
    first_campaign, count = walk_pages(api.client, f"{API}/faqs/?campaign=schat-je-schatje&limit=2")
    assert count == 4
    assert {f["campaign"] for f in first_campaign} == {"schat-je-schatje"}
    all_campaigns, count = walk_pages(api.client, f"{API}/campaigns/?limit=1")
    assert count == 3
    assert [c["slug"] for c in all_campaigns] == [c["slug"] for c in api.json("/campaigns/")["results"]]
    assert len({c["id"] for c in all_campaigns}) == 3


def test_walking_search_result_pages(site, api):
    site.faq.body = [
        section(
            f"Sectie {s}",
            *[
                question(
                    f"Vraag {s}-{i} over kinderen?",
                    f"<p>Antwoord over kinderen {i}.</p>",
                    anchor=f"v-{s}-{i}",
                )
                for i in range(6)
            ],
        )
        for s in range(3)
    ]
    site.faq.save_revision().publish()
    everything = api.json("/search/", q="kinderen", limit=100)
    assert everything["count"] == 18
    walked, count = walk_pages(api.client, f"{API}/search/?q=kinderen&limit=5")
    assert count == 18
    assert [r["anchor"] for r in walked] == [r["anchor"] for r in everything["results"]]
    assert len({r["anchor"] for r in walked}) == 18
