"""Errors are RFC 9457 problem documents (application/problem+json), never HTML and never a 500."""

import pytest
from django.test import Client

from tests.api.conftest import API, PROBLEM_JSON, assert_problem
from tests.users import logged_in, make_user

LISTS = ["/campaigns/", "/faqs/", "/helplines/", "/citations/"]


def details(site) -> list[str]:
    return [
        "/campaigns/schat-je-schatje/",
        "/faqs/veelgestelde-vragen/",
        "/helplines/child-focus-116000/",
        f"/citations/{site.cit_report.pk}/",
    ]


# --- 400: query parameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "invalid"),
    [
        ("/faqs/", {"foo": "1"}, {"foo"}),
        ("/faqs/", {"page": "2"}, {"page"}),
        ("/faqs/", {"limit": "abc"}, {"limit"}),
        ("/faqs/", {"limit": "-1"}, {"limit"}),
        ("/faqs/", {"limit": "0"}, {"limit"}),
        ("/faqs/", {"limit": "101"}, {"limit"}),
        ("/faqs/", {"limit": "1.5"}, {"limit"}),
        ("/faqs/", {"limit": ""}, {"limit"}),
        ("/faqs/", {"offset": "-1"}, {"offset"}),
        ("/faqs/", {"offset": "x"}, {"offset"}),
        ("/faqs/", {"updated_since": "not-a-date"}, {"updated_since"}),
        ("/faqs/", {"updated_since": "2026-13-45"}, {"updated_since"}),
        ("/faqs/", {"updated_since": "2026-02-30T25:00:00Z"}, {"updated_since"}),
        ("/faqs/", {"updated_since": ""}, {"updated_since"}),
        ("/faqs/", {"campaign": "geen slug!"}, {"campaign"}),
        ("/faqs/", {"format": "json"}, {"format"}),
        ("/faqs/", {"limit": ["10", "20"]}, {"limit"}),
        ("/faqs/", {"locale": ["nl", "fr"]}, {"locale"}),
        (
            "/faqs/",
            {"limit": "abc", "offset": "-1", "foo": "x", "locale": "xx"},
            {"limit", "offset", "foo", "locale"},
        ),
        ("/search/", {"q": ""}, {"q"}),
        ("/search/", {"q": "   "}, {"q"}),
        ("/search/", {"q": "a" * 201}, {"q"}),
        ("/search/", {}, {"q"}),
        ("/search/", {"q": ["kind", "hulp"]}, {"q"}),
        ("/search/", {"q": "hulp", "limit": "0"}, {"limit"}),
        ("/search/", {"q": "hulp", "campaign": "schat-je-schatje"}, {"campaign"}),
        ("/campaigns/", {"campaign": "schat-je-schatje"}, {"campaign"}),
        ("/campaigns/", {"limit": "101"}, {"limit"}),
        ("/helplines/", {"offset": "x"}, {"offset"}),
        ("/helplines/", {"format": "csl"}, {"format"}),
        ("/citations/", {"format": "bibtex"}, {"format"}),
        ("/citations/", {"format": ["csl", "json"]}, {"format"}),
        ("/citations/", {"updated_since": "2026-01-01"}, {"updated_since"}),
        ("/locales/", {"limit": "10"}, {"limit"}),
        ("/", {"foo": "bar"}, {"foo"}),
        ("/faqs/veelgestelde-vragen/", {"limit": "5"}, {"limit"}),
        ("/faqs/veelgestelde-vragen/", {"locale": "xx"}, {"locale"}),
        ("/campaigns/schat-je-schatje/", {"offset": "1"}, {"offset"}),
        ("/helplines/child-focus-116000/", {"format": "csl"}, {"format"}),
    ],
)
def test_bad_query_parameters_are_400_problems_naming_each_parameter(site, api, path, params, invalid):
    response = api.get(path, params)
    body = assert_problem(response, 400, invalid=invalid)
    assert body["title"] == "Bad Request"
    assert body["detail"] == f"Invalid query parameter(s): {', '.join(sorted(invalid))}."
    assert response["Cache-Control"] == "private, no-store"
    assert set(body) == {"type", "title", "status", "detail", "invalid_params"}


def test_bad_citation_detail_parameters(site, api):
    path = f"/citations/{site.cit_report.pk}/"
    assert_problem(api.get(path, format="xml"), 400, invalid={"format"})
    assert_problem(api.get(path, limit="1"), 400, invalid={"limit"})


def test_invalid_parameter_reasons(site, api):
    def reasons(path, **params):
        body = assert_problem(api.get(path, params), 400)
        return {item["name"]: item["reason"] for item in body["invalid_params"]}

    assert reasons("/faqs/", foo="1")["foo"] == (
        "Unknown parameter; this endpoint accepts: locale, limit, offset, campaign, updated_since."
    )
    assert reasons("/faqs/", limit="101")["limit"] == "Ensure this value is less than or equal to 100."
    assert reasons("/faqs/", limit="0")["limit"] == "Ensure this value is greater than or equal to 1."
    assert reasons("/faqs/", offset="-1")["offset"] == "Ensure this value is greater than or equal to 0."
    assert reasons("/faqs/", updated_since="gisteren")["updated_since"] == (
        "Use an ISO 8601 date (2026-11-18) or date-time (2026-11-18T09:00:00Z)."
    )
    assert reasons("/search/", q="x" * 201)["q"] == "Ensure this field has no more than 200 characters."
    assert (
        reasons("/faqs/", locale="xx")["locale"]
        == "“xx” is not a supported locale; supported: nl, fr, en, de."
    )
    assert "once" in reasons("/faqs/", limit=["1", "2"])["limit"]


def test_search_query_length_limits(site, api):
    assert api.json("/search/", q="a" * 200)["count"] == 0
    assert api.json("/search/", q="x")["count"] == 0  # a single letter is no search term


@pytest.mark.parametrize(
    "query",
    [
        '" OR 1=1 --',
        "NEAR(kind hulp)",
        "*",
        "%",
        "kind AND",
        "hulp^2",
        "'; DROP TABLE x; --",
        "ünïcödé 😀",
        "a:b",
        "-hulp",
    ],
)
def test_odd_search_queries_are_answered(site, api, query):
    body = api.json("/search/", q=query)
    assert body["count"] == len(body["results"])


# --- 404 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/faqs/bestaat-niet/",
        "/campaigns/bestaat-niet/",
        "/helplines/bestaat-niet/",
        "/citations/999999/",
        "/citations/0/",
        "/citations/99999999999999999999999999/",
        "/citations/abc/",
        "/faqs/schat-je-schatje/",  # a campaign's slug is no FAQ
        "/campaigns/veelgestelde-vragen/",  # and an FAQ's slug no campaign
    ],
)
def test_unknown_objects_are_404_problems(site, api, path):
    for locale in ("nl", "de"):
        body = assert_problem(api.get(path, locale=locale), 404)
        assert body["title"] == "Not Found"


def test_unknown_id_as_csl_is_a_404_problem(site, api):
    assert_problem(api.get("/citations/999999/", format="csl"), 404)


def test_a_not_found_problem_body(site, api):
    response = api.get("/faqs/bestaat-niet/")
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not found.",
    }
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/nope/",
        "/v2/faqs/",
        "/faqs/veelgestelde-vragen/extra/",
        "/faqs/a/b/c/",
        "/schema/extra/",
        "/%E2%98%83/",
        # A newline in a slug matches no route; "." in a catch-all would not match it either.
        "/campaigns/a%0Ab/",
        "/faqs/%0A/",
        "/%0A",
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_unknown_paths_under_the_api_are_404_problems(db, client, settings, path, debug):
    # With DEBUG on (make run), Django would answer an unmatched path with its HTML page.
    settings.DEBUG = debug
    response = client.get(API + path)
    body = assert_problem(response, 404)
    assert body["title"] == "Not Found"


# --- 405 -------------------------------------------------------------------------------------


@pytest.fixture
def strict_client():
    """A client that, like a real one without a session, gets CSRF checks applied."""
    return Client(enforce_csrf_checks=True)


def assert_405(response, method: str) -> None:
    body = assert_problem(response, 405)
    assert body["title"] == "Method Not Allowed"
    assert body["detail"] == f'Method "{method.upper()}" not allowed.'
    assert "GET" in response["Allow"]
    assert method.upper() not in response["Allow"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_405_problems(site, strict_client, client, api, method):
    paths = ["/", "/locales/", "/search/?q=kind", *LISTS, *details(site)]
    for path in paths:
        response = getattr(strict_client, method)(
            API + path, data='{"title": "x"}', content_type="application/json"
        )
        assert_405(response, method)
    # And from a browser with a logged-in editor's session.
    logged_in(client, make_user("admin", superuser=True))
    assert_405(getattr(client, method)(API + "/faqs/veelgestelde-vragen/"), method)
    assert api.json("/faqs/veelgestelde-vragen/")["title"] == "Veelgestelde vragen"


def test_a_disallowed_method_is_405_even_when_the_query_would_be_invalid(site, client):
    """The method is wrong whatever the query: 405, not a 400 about parameters a GET would need."""
    for method in ("post", "put", "patch", "delete"):
        for path in ["/search/", "/faqs/?limit=abc", "/campaigns/?foo=1"]:
            assert_405(getattr(client, method)(API + path), method)


@pytest.mark.parametrize("path", ["/schema/", "/docs/", "/preview/?token=x"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_schema_docs_and_preview_answer_405_as_problems(db, strict_client, path, method):
    response = getattr(strict_client, method)(API + path, data="{}", content_type="application/json")
    assert_405(response, method)


def test_the_schema_still_serves_yaml_and_json(db, client):
    assert client.get(API + "/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")
    as_json = client.get(API + "/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert as_json.json()["openapi"] == "3.1.0"


def test_preview_errors_are_in_english_whatever_the_active_language(db, client):
    from django.utils import translation

    with translation.override("nl"):
        missing = client.get(API + "/preview/", HTTP_ACCEPT_LANGUAGE="nl")
        invalid = client.get(API + "/preview/?token=nope", HTTP_ACCEPT_LANGUAGE="fr")
    body = assert_problem(missing, 400, invalid={"token"})
    assert body["invalid_params"] == [{"name": "token", "reason": "This field is required."}]
    assert assert_problem(invalid, 403)["detail"] == (
        "This preview link is invalid or has expired; open the preview again from the admin."
    )


def test_format_is_a_parameter_not_a_renderer_switch(site, api):
    # DRF's ?format= override is off on the public API: an unknown format is a 400 naming it.
    assert_problem(api.get("/faqs/", format="json"), 400, invalid={"format"})
    assert api.get("/citations/", format="csl")["Content-Type"] == "application/vnd.citationstyles.csl+json"


def test_writing_to_an_unknown_api_path_is_a_problem_not_a_csrf_page(db, strict_client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(strict_client, method)(API + "/nope/", data="{}", content_type="application/json")
        assert response["Content-Type"].split(";")[0] == PROBLEM_JSON, (method, response.status_code)
        assert_problem(response, 404)


def test_no_500_for_odd_but_syntactically_fine_requests(site, api):
    odd = [
        ("/faqs/", {"offset": str(10**30)}),
        ("/faqs/", {"offset": "1000", "limit": "100"}),
        ("/faqs/", {"campaign": "a" * 500}),
        ("/faqs/" + "a" * 300 + "/", {}),
        ("/helplines/ünïcödé/", {}),
        ("/search/", {"q": "kind", "offset": str(10**30)}),
    ]
    for path, params in odd:
        response = api.get(path, params, accept_language="x-klingon;q=0.5, *;q=0.1, ;;;")
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)
        if response.status_code != 200:
            assert response["Content-Type"].split(";")[0] == PROBLEM_JSON


def test_updated_since_at_the_ends_of_the_calendar(site, api):
    """Dates a client may use as "everything" / "nothing" are answered, not a 500."""
    for since, count in [
        ("0001-01-01T00:00:00Z", 1),
        ("0001-01-01", 1),  # midnight in Brussels: before year 1 in UTC
        ("0001-01-01T00:00:00+01:00", 1),
        ("9999-12-31", 0),
        ("9999-12-31T23:59:59Z", 0),
        ("9999-12-31T23:59:59-12:00", 0),  # after year 9999 in UTC
    ]:
        response = api.get("/faqs/", updated_since=since)
        assert response.status_code in (200, 400), (since, response.status_code)
        if response.status_code == 200:
            assert response.json()["count"] == count, since
        else:
            assert_problem(response, 400, invalid={"updated_since"})
