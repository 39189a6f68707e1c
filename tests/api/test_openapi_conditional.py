"""What the OpenAPI document says about conditional requests and content negotiation is true
(api/schema.py: ``conditional_requests``): each documented 304, 412 and 406 happens over the test
client on every operation that documents it, and nothing of it on those that do not.

With the response cache on, as in production, so that the dates (If-Modified-Since,
If-Unmodified-Since) are compared too; api/conditional.py's rules themselves are tested in
test_conditional_requests.py.
"""

import pytest
from django.utils.http import http_date, parse_http_date

from tests.api.conftest import PROBLEM_JSON

CONDITIONAL_HEADERS = {"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"}
VALIDATOR_HEADERS = {"ETag", "Last-Modified", "Cache-Control"}


def sample_request(template: str, site) -> tuple[str, dict]:
    """A request that answers 200 for each path of the document (a new path needs one here)."""
    from api import preview
    from cms.pages.models import FAQPage

    samples = {
        "/api/v1/": ("/api/v1/", {}),
        "/api/v1/locales/": ("/api/v1/locales/", {}),
        "/api/v1/campaigns/": ("/api/v1/campaigns/", {}),
        "/api/v1/campaigns/{slug}/": ("/api/v1/campaigns/schat-je-schatje/", {}),
        "/api/v1/faqs/": ("/api/v1/faqs/", {}),
        "/api/v1/faqs/{slug}/": ("/api/v1/faqs/veelgestelde-vragen/", {}),
        "/api/v1/helplines/": ("/api/v1/helplines/", {}),
        "/api/v1/helplines/{slug}/": ("/api/v1/helplines/child-focus-116000/", {}),
        "/api/v1/citations/": ("/api/v1/citations/", {}),
        "/api/v1/citations/{id}/": (f"/api/v1/citations/{site.cit_report.pk}/", {}),
        "/api/v1/search/": ("/api/v1/search/", {"q": "meld"}),
        "/api/v1/changes/": ("/api/v1/changes/", {}),
        "/api/v1/preview/": (
            "/api/v1/preview/",
            {"token": lambda: preview.issue(FAQPage.objects.get(slug="veelgestelde-vragen"))},
        ),
        "/api/v1/schemas/": ("/api/v1/schemas/", {}),
        "/api/v1/schemas/{name}.json": ("/api/v1/schemas/faq-detail.json", {}),
    }
    assert template in samples, f"add a sample request for {template} to this test"
    path, query = samples[template]
    return path, {name: value() if callable(value) else value for name, value in query.items()}


def header_names(operation: dict, document: dict) -> set[str]:
    names = set()
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = document["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[-1]]
        if parameter["in"] == "header":
            names.add(parameter["name"])
    return names


def earlier(date: str) -> str:
    return http_date(parse_http_date(date) - 10)


def get_operations(document: dict) -> list[tuple[str, dict]]:
    return [
        (path, operations["get"]) for path, operations in document["paths"].items() if "get" in operations
    ]


def test_every_operation_documents_406_and_the_cacheable_ones_304_and_412(openapi_document):
    cacheable = set()
    for path, operation in get_operations(openapi_document):
        responses = operation["responses"]
        assert "406" in responses, path
        assert ("304" in responses) == ("412" in responses), path
        if "304" in responses:
            cacheable.add(path)
            assert header_names(operation, openapi_document) >= CONDITIONAL_HEADERS, path
            assert set(responses["200"]["headers"]) >= VALIDATOR_HEADERS, path
            assert set(responses["304"]["headers"]) >= VALIDATOR_HEADERS, path
            assert "content" not in responses["304"], path
            assert set(responses["412"]["content"]) == {PROBLEM_JSON}, path
        else:
            assert not CONDITIONAL_HEADERS & header_names(operation, openapi_document), path
    # Never cached (private, no-store), so never conditional: the feed and the preview.
    assert {path for path, _ in get_operations(openapi_document)} - cacheable == {
        "/api/v1/changes/",
        "/api/v1/preview/",
    }


@pytest.mark.parametrize("when", ["miss", "hit"])
def test_each_documented_status_happens_and_no_undocumented_one(
    site, client, response_cache_on, openapi_document, when
):
    from django.core.cache import cache

    for template, operation in get_operations(openapi_document):
        documented = set(operation["responses"])
        path, query = sample_request(template, site)

        # A miss: the shared cache lost its entries (only the cacheable operations have any; the
        # preview's token is remembered there too).
        clear_before_each = when == "miss" and "304" in documented

        def get(**headers):
            if clear_before_each:
                cache.clear()
            return client.get(path, query, **headers)

        first = client.get(path, query)
        assert first.status_code == 200, (template, first.content[:300])
        etag, last_modified = first.get("ETag"), first.get("Last-Modified")

        not_acceptable = get(HTTP_ACCEPT="text/html")
        assert ("406" in documented) == (not_acceptable.status_code == 406), template
        assert not_acceptable["Content-Type"] == PROBLEM_JSON, template

        if "304" in documented:
            assert etag and last_modified and first["Cache-Control"].startswith("public"), template
            for headers in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": last_modified}):
                answer = get(**headers)
                assert answer.status_code == 304, (template, headers)
                assert answer["ETag"] == etag and answer["Last-Modified"] == last_modified, template
        else:
            assert etag is None and first["Cache-Control"] == "private, no-store", template
            assert get(HTTP_IF_NONE_MATCH="*").status_code == 200, template

        if "412" in documented:
            for headers in (
                {"HTTP_IF_MATCH": '"another"'},
                {"HTTP_IF_UNMODIFIED_SINCE": earlier(last_modified)},
            ):
                answer = get(**headers)
                assert answer.status_code == 412, (template, headers)
                assert answer["Content-Type"] == PROBLEM_JSON, template
        else:
            assert get(HTTP_IF_MATCH='"another"').status_code == 200, template
