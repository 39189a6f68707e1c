"""The response cache answers only what the full stack would (issue #12, item 3).

Every odd request that once poisoned the cache — another Host, a disallowed Host, ``indent`` in
Accept, an Accept the API refuses — is sent FIRST to warm the cache; a plain request must then get
exactly (status, body bytes, ETag, Content-Type) what a server without the response cache gives
it. And the reverse order: the odd request, after a plain one warmed the cache, gets exactly what
it gets uncached. One of them goes over real HTTP (``live_server``).
"""

import gc
import tracemalloc
from types import SimpleNamespace

import pytest
import requests
from django.utils.http import parse_http_date

from api.response_cache import entries as cache_entries
from tests.content import question, section

HELPLINES = "/api/v1/helplines/?limit=1"
SEARCH = "/api/v1/search/?q=melden&limit=1"
INDEX = "/api/v1/"
URLS = [HELPLINES, SEARCH, INDEX]

# Requests that once got (or gave later readers) a different answer from the cache.
ODD = {
    "another host": {"HTTP_HOST": "localhost:6666"},
    "another scheme": {"secure": True},
    "indent in Accept": {"HTTP_ACCEPT": "application/json; indent=4"},
    "a disallowed host": {"HTTP_HOST": "evil.example"},
    "an Accept the API refuses": {"HTTP_ACCEPT": "text/html"},
    "an empty Accept": {"HTTP_ACCEPT": ""},
}


def _build(content) -> None:
    """Two help-lines (a list with a ``next`` link at limit=1) and an FAQ with three questions to
    find with ``melden`` (a search with a ``next`` link)."""
    content.helpline("child-focus-116000", "Hulplijn 116000")
    content.helpline("kantoor-lijn", "Kantoorlijn", available_24_7=True)
    tree = content.page_tree(with_faq=False)
    content.faq(
        tree.campaign,
        "veelgestelde-vragen",
        "Veelgestelde vragen",
        sections=[
            section(
                "Hulp",
                question("Waar kan ik melden?", "<p>Melden kan bij het café om de hoek.</p>"),
                question("Wie kan melden?", "<p>Iedereen kan melden, ook in een café.</p>"),
                question("Moet ik melden?", "<p>Melden helpt.</p>"),
            )
        ],
    )


@pytest.fixture
def built(content):
    _build(content)


def signature(response) -> tuple:
    return (response.status_code, response.content, response.get("ETag"), response.get("Content-Type"))


def uncached(settings, client, url: str, **extra):
    """What the full stack answers, with the response cache off."""
    settings.BAKEN_API_RESPONSE_CACHE = False
    try:
        return client.get(url, **extra)
    finally:
        settings.BAKEN_API_RESPONSE_CACHE = True


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("odd", list(ODD))
def test_an_odd_request_first_does_not_change_what_a_plain_one_gets(
    client, settings, response_cache_on, built, odd, url
):
    warming = client.get(url, **ODD[odd])
    repeated = client.get(url, **ODD[odd])
    plain = client.get(url)
    again = client.get(url)
    expected_plain = uncached(settings, client, url)
    expected_odd = uncached(settings, client, url, **ODD[odd])
    assert expected_plain.status_code == 200
    assert signature(plain) == signature(again) == signature(expected_plain)
    assert signature(warming) == signature(repeated) == signature(expected_odd)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("odd", list(ODD))
def test_an_odd_request_after_a_plain_one_gets_what_the_full_stack_gives_it(
    client, settings, response_cache_on, built, odd, url, django_assert_num_queries, hit_queries
):
    plain = client.get(url)
    with django_assert_num_queries(hit_queries()):
        assert signature(client.get(url)) == signature(plain)  # the cache answers it
    odd_answer = client.get(url, **ODD[odd])
    assert signature(odd_answer) == signature(uncached(settings, client, url, **ODD[odd]))
    assert signature(client.get(url)) == signature(plain) == signature(uncached(settings, client, url))


def test_links_name_the_validated_host_of_each_request(client, response_cache_on, built):
    plain = client.get(HELPLINES).json()
    other = client.get(HELPLINES, HTTP_HOST="localhost:6666").json()
    assert plain["next"] == "http://testserver/api/v1/helplines/?limit=1&offset=1"
    assert other["next"] == "http://localhost:6666/api/v1/helplines/?limit=1&offset=1"
    assert client.get(INDEX, secure=True).json()["endpoints"]["faqs"] == "https://testserver/api/v1/faqs/"


def test_links_name_the_public_base_url_when_one_is_configured(
    client, settings, response_cache_on, built, django_assert_num_queries, hit_queries
):
    settings.BAKEN_PUBLIC_API_BASE_URL = "https://content.example.org/"
    first = client.get(HELPLINES, HTTP_HOST="localhost:6666")
    assert first.json()["next"] == "https://content.example.org/api/v1/helplines/?limit=1&offset=1"
    with django_assert_num_queries(hit_queries()):  # the Host no longer changes the body: one entry for all
        plain = client.get(HELPLINES)
    assert signature(plain) == signature(first) == signature(uncached(settings, client, HELPLINES))
    endpoints = client.get(INDEX, secure=True).json()["endpoints"]
    assert endpoints["search"] == "https://content.example.org/api/v1/search/"
    assert client.get(HELPLINES, HTTP_HOST="evil.example").status_code == 400


def test_a_disallowed_host_is_a_problem_hit_or_miss(client, settings, response_cache_on, built):
    client.get(HELPLINES)  # an entry exists for the path
    for _ in range(2):
        response = client.get(HELPLINES, HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response["Cache-Control"] == "private, no-store"
        assert b"evil" not in response.content
    settings.BAKEN_API_RESPONSE_CACHE = False
    assert signature(client.get(HELPLINES, HTTP_HOST="evil.example")) == signature(response)


@pytest.mark.parametrize("accept", ["text/html", "", "application/xml, text/*;q=0.9"])
def test_an_accept_the_api_refuses_is_406_hit_or_miss(client, response_cache_on, built, accept):
    client.get(HELPLINES)
    response = client.get(HELPLINES, HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "accept", ["application/json; indent=4", "application/json;indent=8", "*/*; indent=2"]
)
def test_indent_in_accept_changes_nothing(client, settings, response_cache_on, built, accept):
    settings.BAKEN_API_RESPONSE_CACHE = False
    compact = client.get(HELPLINES)
    asked = client.get(HELPLINES, HTTP_ACCEPT=accept)
    assert b"\n" not in asked.content
    assert signature(asked) == signature(compact)
    errors = client.get("/api/v1/helplines/?limit=0", HTTP_ACCEPT=accept)  # errors too
    assert errors.status_code == 400 and b"\n" not in errors.content


@pytest.mark.parametrize(
    ("warm", "plain"),
    [
        # The same parameters, spelled otherwise: one entry, and one body for both.
        ("/api/v1/search/?limit=1&q=m%65lden", SEARCH),
        ("/api/v1/search/?q=melden+caf%C3%A9&limit=1", "/api/v1/search/?q=melden%20café&limit=1"),
        ("/api/v1/search/?q=melden%20café&limit=1", "/api/v1/search/?limit=1&q=melden+caf%C3%A9"),
    ],
)
def test_a_query_spelled_otherwise_gets_the_same_body(
    client, settings, response_cache_on, built, warm, plain, django_assert_num_queries, hit_queries
):
    warmed = client.get(warm)
    assert warmed.status_code == 200 and warmed.json()["next"]
    with django_assert_num_queries(hit_queries()):
        answer = client.get(plain)
    assert signature(answer) == signature(uncached(settings, client, plain)) == signature(warmed)


def test_every_input_that_changes_a_body_is_in_the_key():
    def key(path="/api/v1/helplines/", query="limit=1", language="", origin="http://testserver"):
        return cache_entries._compute_entry_key(path, query, language, origin)

    base = key()
    assert key(origin="http://localhost:6666") != base
    assert key(origin="https://testserver") != base
    assert key(language="fr") != base
    assert key(query="limit=2") != base
    assert key(path="/api/v1/citations/") != base
    # What does not change a body does not split the entry.
    assert key(language="nl-BE, nl;q=0.9") == key(language="nl") == base  # nl is the default
    assert key(query="limit=1&locale=nl") != base  # (the parameter is echoed in links)


def _flood(count: int, *, length: int) -> None:
    for index in range(count):
        # Distinct values, all of them served in the default language.
        value = f"x-{index:06d}".ljust(length, "a")[:length]
        request = SimpleNamespace(
            path="/api/v1/faqs/",
            META={"QUERY_STRING": "", "HTTP_ACCEPT_LANGUAGE": value},
            baken_origin="http://testserver",
        )
        cache_entries.request_entry_key(request)


def _held_after(flood) -> int:
    """Bytes still allocated after ``flood()`` ran (what the tables it filled hold)."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    flood()
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


def test_the_key_lookup_table_has_a_memory_bound_no_flood_of_accept_language_exceeds(capsys):
    """100,000 distinct Accept-Language values, each as long as the table still remembers: the
    table stays at KEY_MEMO_ENTRIES entries and within the bound api/response_cache/entries.py states;
    values too long to remember are not kept at all."""
    longest = cache_entries.KEY_MEMO_INPUT_CHARS - len("/api/v1/faqs/") - len("http://testserver")
    table = cache_entries._entry_key_for
    table.cache_clear()
    tracemalloc.start()
    try:
        held = _held_after(lambda: _flood(100_000, length=longest))
        entries = table.cache_info().currsize
        assert _held_after(lambda: _flood(1_000, length=longest + 1)) < 16 * 2**10  # kept nowhere
        assert table.cache_info().currsize == entries
        table.cache_clear()
        typical = _held_after(lambda: _flood(20_000, length=40))
    finally:
        tracemalloc.stop()
        table.cache_clear()
    assert entries == cache_entries.KEY_MEMO_ENTRIES == 4096
    assert held <= 5 * 2**20, held  # the stated bound
    assert typical <= 2 * 2**20, typical
    with capsys.disabled():
        print(
            f"\nkey lookup table after 100,000 distinct Accept-Language values: {entries} entries, "
            f"{held:,} bytes at the input limit ({held // entries:,} per entry), "
            f"{typical:,} bytes with 40-character values (after 20,000)"
        )


def test_the_accept_verdicts_have_a_memory_bound_no_flood_of_accept_values_exceeds(capsys):
    from api import base

    def flood(count: int, length: int) -> None:
        for index in range(count):
            accept = f"application/x-{index:06d}, application/json;q=0.5, ".ljust(length, "a")
            assert base.accepts_json(SimpleNamespace(META={"HTTP_ACCEPT": accept}))

    base._remembered_negotiation.cache_clear()
    tracemalloc.start()
    try:
        held = _held_after(lambda: flood(20_000, base.ACCEPT_MEMO_CHARS))
        entries = base._remembered_negotiation.cache_info().currsize
        assert _held_after(lambda: flood(1_000, base.ACCEPT_MEMO_CHARS + 1)) < 16 * 2**10
    finally:
        tracemalloc.stop()
        base._remembered_negotiation.cache_clear()
    assert entries == base.ACCEPT_MEMO_ENTRIES == 256
    assert held <= 128 * 2**10, held  # the stated bound
    with capsys.disabled():
        print(f"\nAccept verdicts after 20,000 distinct values: {entries} entries, {held:,} bytes")


# --- over real HTTP -----------------------------------------------------------------------------


def _http(url: str, **headers) -> requests.Response:
    return requests.get(url, headers=headers, timeout=10)


def _http_signature(response: requests.Response) -> tuple:
    return (
        response.status_code,
        response.content,
        response.headers.get("ETag"),
        response.headers["Content-Type"],
    )


@pytest.mark.django_db(transaction=True)
def test_over_real_http_odd_requests_first_do_not_change_what_plain_ones_get(
    restore_migration_data, live_server, content, settings, response_cache_on
):
    _build(content)  # committed: this test's transactions are real
    base = live_server.url
    port = base.rsplit(":", 1)[1]
    odd_requests = [
        {"Host": "localhost:6666"},
        {"Accept": "application/json; indent=4"},
        {"Host": "evil.example"},
        {"Accept": "text/html"},
    ]
    for path in (SEARCH, HELPLINES, INDEX):
        odd_answers = [_http(base + path, **headers) for headers in odd_requests]
        plain = _http(base + path)
        hit = _http(base + path)
        assert plain.status_code == 200
        if path != INDEX:
            assert plain.json()["next"].startswith(f"http://localhost:{port}/api/v1/")
        assert [answer.status_code for answer in odd_answers] == [200, 200, 400, 406]
        assert odd_answers[2].headers["Content-Type"] == "application/problem+json"
        assert b"\n" not in odd_answers[1].content
        # Last-Modified is never later than Date, built or served from the cache.
        for answer in (plain, hit, odd_answers[0]):
            assert parse_http_date(answer.headers["Last-Modified"]) <= parse_http_date(answer.headers["Date"])
        settings.BAKEN_API_RESPONSE_CACHE = False
        expected = _http(base + path)
        expected_odd = [_http(base + path, **headers) for headers in odd_requests]
        settings.BAKEN_API_RESPONSE_CACHE = True
        assert _http_signature(plain) == _http_signature(hit) == _http_signature(expected)
        assert [_http_signature(answer) for answer in odd_answers] == [
            _http_signature(answer) for answer in expected_odd
        ]
