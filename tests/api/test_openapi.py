"""Every response body matches the generated OpenAPI 3.1 document (component schemas are JSON
Schema 2020-12): lists, details, CSL, and errors."""

import pytest

from tests.api.conftest import API

# (method, path, params, expected status); {report} is replaced by a citation id.
CASES = [
    ("get", "/", {}, 200),
    ("get", "/locales/", {}, 200),
    ("get", "/campaigns/", {}, 200),
    ("get", "/campaigns/", {"locale": "de", "limit": 1}, 200),
    ("get", "/campaigns/schat-je-schatje/", {}, 200),
    ("get", "/campaigns/schat-je-schatje/", {"locale": "fr"}, 200),
    ("get", "/faqs/", {}, 200),
    ("get", "/faqs/", {"campaign": "schat-je-schatje", "updated_since": "2020-01-01", "locale": "fr"}, 200),
    ("get", "/faqs/veelgestelde-vragen/", {}, 200),
    ("get", "/faqs/veelgestelde-vragen/", {"locale": "de"}, 200),
    ("get", "/faqs/questions-frequentes/", {"locale": "fr"}, 200),
    ("get", "/helplines/", {}, 200),
    ("get", "/helplines/kantoor-lijn/", {}, 200),
    ("get", "/helplines/child-focus-116000/", {"locale": "fr"}, 200),
    ("get", "/citations/", {}, 200),
    ("get", "/citations/", {"format": "csl"}, 200),
    ("get", "/citations/{report}/", {}, 200),
    ("get", "/citations/{report}/", {"format": "csl"}, 200),
    ("get", "/search/", {"q": "meld"}, 200),
    ("get", "/search/", {"q": "116000", "locale": "de"}, 200),
    ("get", "/preview/", {"token": "{preview}"}, 200),
    ("get", "/changes/", {}, 200),
    ("get", "/changes/", {"locale": "all", "limit": 2}, 200),
    ("get", "/schemas/", {}, 200),
    ("get", "/schemas/faq-detail.json", {}, 200),
    # errors
    ("get", "/", {"foo": "1"}, 400),
    ("get", "/locales/", {"locale": "xx"}, 400),
    ("get", "/campaigns/", {"limit": "0"}, 400),
    ("get", "/campaigns/schat-je-schatje/", {"limit": "1"}, 400),
    ("get", "/faqs/", {"updated_since": "not-a-date", "offset": "-1"}, 400),
    ("get", "/faqs/veelgestelde-vragen/", {"locale": "xx"}, 400),
    ("get", "/helplines/", {"limit": "abc"}, 400),
    ("get", "/helplines/kantoor-lijn/", {"offset": "1"}, 400),
    ("get", "/citations/", {"format": "bibtex"}, 400),
    ("get", "/citations/{report}/", {"format": "bibtex"}, 400),
    ("get", "/search/", {"q": ""}, 400),
    ("get", "/preview/", {}, 400),
    ("get", "/changes/", {"since": "forged"}, 400),
    ("get", "/changes/", {"limit": "0", "offset": "1"}, 400),
    ("get", "/preview/", {"token": "forged"}, 403),
    ("get", "/campaigns/bestaat-niet/", {}, 404),
    ("get", "/faqs/bestaat-niet/", {}, 404),
    ("get", "/helplines/bestaat-niet/", {}, 404),
    ("get", "/citations/999999/", {}, 404),
    ("get", "/bestaat-niet/", {}, 404),
    ("get", "/schemas/bestaat-niet.json", {}, 404),
    ("get", "/schemas/", {"locale": "nl"}, 400),
    ("post", "/faqs/", {}, 405),
    ("delete", "/faqs/veelgestelde-vragen/", {}, 405),
    ("put", "/citations/{report}/", {}, 405),
    ("patch", "/helplines/kantoor-lijn/", {}, 405),
]


def case_id(case) -> str:
    method, path, params, status = case
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{method.upper()} {path}{'?' + query if query else ''} {status}"


def preview_token() -> str:
    from api import preview
    from cms.pages.models import FAQPage

    return preview.issue(FAQPage.objects.get(slug="veelgestelde-vragen"))


def request(client, site, case):
    method, path, params, status = case
    url = API + path.format(report=site.cit_report.pk)
    if params.get("token") == "{preview}":
        params = {**params, "token": preview_token()}
    response = client.get(url, params) if method == "get" else getattr(client, method)(url)
    assert response.status_code == status, (case, response.content[:300])
    return response


@pytest.mark.parametrize("case", CASES, ids=[case_id(case) for case in CASES])
def test_response_matches_the_openapi_document(site, client, openapi, case):
    openapi.validate(request(client, site, case))


def test_every_documented_operation_is_exercised(site, client, openapi, openapi_document):
    exercised = set()
    for case in CASES:
        response = request(client, site, case)
        found = openapi.operation(response.request["PATH_INFO"], case[0])
        if found is not None:
            exercised.add((found[0], case[0], str(case[3]), response["Content-Type"].split(";")[0]))
    documented = {
        (path, method, status, media_type)
        for path, operations in openapi_document["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        for media_type in response.get("content", {})
    }
    # Every documented 200 media type is exercised by a real response.
    assert {d for d in documented if d[2] == "200"} <= exercised
    assert {path for path, *_ in exercised} == set(openapi_document["paths"])


def test_the_validator_rejects_a_wrong_body(openapi):
    """The validation helper is not vacuous."""
    with pytest.raises(AssertionError):
        openapi.component("FAQSummary", {"id": "nine"})
    with pytest.raises(AssertionError):
        openapi.component("Problem", {"type": "about:blank"})
    openapi.component("Problem", {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "x"})
