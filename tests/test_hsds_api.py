"""The HSDS 3 endpoints (/api/hsds/v3/), through Django's test client and over real HTTP.

Bodies validate against the compiled HSDS 3.0.1 schemas (vendored; tests/hsds.py); only live,
public help-lines appear, in the language asked for with fallback; errors are problem+json; the
vendored schemas equal the reference copies in ../shared when those are there.
"""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator

from api.hsds import mapping
from api.hsds.mapping import derived_id
from cms.snippets.models import HelpLine
from tests.hsds import (
    REFERENCE_SCHEMAS,
    REPOSITORY,
    SCHEMA_FILES,
    VENDORED,
    assert_ids_name_one_object,
    assert_valid,
    objects_by_id,
    validator,
)
from tests.servers import deployed, get

HSDS = "/api/hsds/v3"
PROBLEM_JSON = "application/problem+json"
CACHEABLE = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
CHILD_FOCUS = mapping.organization_id("Child Focus")


def body(client, path: str, *, status: int = 200, **headers) -> dict:
    response = client.get(HSDS + path, **headers)
    assert response.status_code == status, (path, response.status_code, response.content[:500])
    return response.json()


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM_JSON
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def key_of(slug: str) -> str:
    return str(HelpLine.objects.get(slug=slug, locale__language_code="nl").translation_key)


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115


# --- the vendored schemas -------------------------------------------------------------------------


@pytest.mark.skipif(not REFERENCE_SCHEMAS.is_dir(), reason="no reference copy beside the repository")
@pytest.mark.parametrize("vendored", sorted(VENDORED), ids=lambda path: str(path.relative_to(REPOSITORY)))
def test_the_vendored_hsds_files_equal_the_reference_copies(vendored):
    assert vendored.read_bytes() == VENDORED[vendored].read_bytes()


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_the_vendored_schemas_are_json_schemas(name):
    Draft202012Validator.check_schema(validator(name).schema)


# --- meta and profile --------------------------------------------------------------------------------


def test_meta_names_the_version_the_profile_and_the_openapi_document(client):
    response = client.get(f"{HSDS}/")
    assert response.json() == {
        "version": "3.0.1",
        "profile": "http://testserver/api/hsds/v3/profile",
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    }
    assert response["Cache-Control"] == CACHEABLE
    assert "Content-Language" not in response
    # Without its slash, the base path is redirected to it (HSDS's paths start with one).
    redirect = client.get(HSDS)
    assert (redirect.status_code, redirect["Location"]) == (301, f"{HSDS}/")


def test_the_profile_describes_bakens_vocabularies(client):
    profile = body(client, "/profile")
    assert profile["hsds_version"] == "3.0.1"
    assert profile["api"] == "http://testserver/api/hsds/v3/"
    assert {
        taxonomy["name"]: [term["code"] for term in taxonomy["terms"]] for taxonomy in profile["taxonomies"]
    } == {
        "Baken contact channels": ["chat", "web_form"],
        "Baken help-line properties": ["slug", "anonymous_possible", "time_zone", "locale"],
    }
    assert body(client, "/profile/") == profile


# --- the demo content ----------------------------------------------------------------------------------


def test_demo_services_are_valid_hsds_and_exact(client, demo):
    listed = body(client, "/services")
    assert {name: value for name, value in listed.items() if name != "contents"} == {
        "total_items": 3,
        "total_pages": 1,
        "page_number": 1,
        "size": 3,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }
    assert [service["name"] for service in listed["contents"]] == [
        "E-mail 116000@childfocus.org",
        "Hulplijn 116000",
        "Meldpunt stopchildporno.be",
    ]
    for service in listed["contents"]:
        assert_valid("service_list", service)
        assert "contacts" not in service
    full = body(client, "/services?full=true")
    for service in full["contents"]:
        assert_valid("service", service)
    assert_ids_name_one_object(full)

    key = key_of("child-focus-116000")
    point_key = str(
        HelpLine.objects.get(translation_key=key, locale__language_code="nl")
        .contact_points.get()
        .translation_key
    )
    phone_id = derived_id(point_key, "phone")
    line = body(client, f"/services/{key}")
    assert line == full["contents"][1]
    assert_valid("service", line)
    assert (line["id"], line["organization_id"], line["name"], line["status"]) == (
        key,
        CHILD_FOCUS,
        "Hulplijn 116000",
        "active",
    )
    assert line["organization"] == {"id": CHILD_FOCUS, "name": "Child Focus", "description": "Child Focus"}
    assert line["description"].startswith("Dag en nacht gratis hulplijn")
    assert line["fees_description"] == "Free of charge"
    assert [(option["amount"], option["currency"]) for option in line["cost_options"]] == [(0, "EUR")]
    assert line["contacts"] == [
        {
            "id": point_key,
            "service_id": key,
            "name": "Bel gratis 116000, dag en nacht",
            "phones": line["phones"],
        }
    ]
    [phone] = line["phones"]
    assert (phone["id"], phone["number"], phone["type"], phone["description"]) == (
        phone_id,
        "116000",
        "voice",
        "Bel gratis 116000, dag en nacht",
    )
    assert [(language["code"], language.get("note")) for language in line["languages"]] == [
        ("nl", None),
        ("fr", None),
    ]
    [schedule] = line["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY",
        "MO,TU,WE,TH,FR,SA,SU",
        "00:00",
        "23:59",
    )
    assert [(area["name"], area["uri"]) for area in line["service_areas"]] == [
        ("BE", "https://www.iso.org/obp/ui/#iso:code:3166:BE")
    ]
    assert {attribute["taxonomy_term"]["code"]: attribute["value"] for attribute in line["attributes"]} == {
        "slug": "child-focus-116000",
        "anonymous_possible": "true",
        "time_zone": "Europe/Brussels",
        "locale": "nl",
    }
    reporting = body(client, f"/services/{key_of('stopchildporno-be')}")
    assert reporting["url"] == "https://www.stopchildporno.be"
    assert reporting["contacts"][0]["attributes"][0]["taxonomy_term"]["code"] == "web_form"
    assert body(client, f"/services/{key_of('child-focus-e-mail')}")["email"] == "116000@childfocus.org"


def test_demo_organisation_is_valid_hsds(client, demo):
    listed = body(client, "/organizations")
    assert listed["contents"] == [{"id": CHILD_FOCUS, "name": "Child Focus", "description": "Child Focus"}]
    assert_valid("organization_list", listed["contents"][0])
    organisation = body(client, f"/organizations/{CHILD_FOCUS}")
    assert_valid("organization", organisation)
    assert [service["name"] for service in organisation["services"]] == [
        "E-mail 116000@childfocus.org",
        "Hulplijn 116000",
        "Meldpunt stopchildporno.be",
    ]
    assert all(
        "contacts" not in service and "organization" not in service for service in organisation["services"]
    )
    full = body(client, f"/organizations/{CHILD_FOCUS}?full_service=true")
    assert_valid("organization", full)
    assert_ids_name_one_object(full)
    assert [service["id"] for service in full["services"]] == [
        service["id"] for service in organisation["services"]
    ]
    assert all(service["contacts"] for service in full["services"])
    assert body(client, "/organizations?full=true&full_service=true")["contents"] == [full]


# --- visibility and language ---------------------------------------------------------------------------


def test_only_live_public_help_lines_appear(client, content):
    live = content.helpline("live-line", "Live lijn")
    content.helpline("draft-line", "Concept", live=False)
    unpublished = content.helpline("unpublished-line", "Teruggetrokken")
    unpublished.unpublish()
    later = content.helpline("scheduled-line", "Gepland")
    HelpLine.objects.filter(pk=later.pk).update(go_live_at=timezone.now() + dt.timedelta(days=1))
    expired = content.helpline("expired-line", "Verlopen")
    HelpLine.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - dt.timedelta(days=1))
    french_only = content.helpline("ligne-francaise", "Ligne seulement en français", code="fr")
    # A newer draft of a live help-line changes nothing that is served.
    live.name = "Live lijn (concept)"
    live.save_revision()

    hidden = HelpLine.objects.exclude(pk__in=[live.pk, french_only.pk])
    assert [service["name"] for service in body(client, "/services?full=true")["contents"]] == ["Live lijn"]
    for key in hidden.values_list("translation_key", flat=True):
        problem(client.get(f"{HSDS}/services/{key}"), 404)
    problem(client.get(f"{HSDS}/services/{french_only.translation_key}?locale=nl"), 404)
    assert [service["name"] for service in body(client, "/services?locale=fr")["contents"]] == [
        "Ligne seulement en français",
        "Live lijn",
    ]
    [organisation] = body(client, "/organizations?full=true")["contents"]
    assert [service["name"] for service in organisation["services"]] == ["Live lijn"]


def test_the_language_asked_for_with_fallback(client, translated):
    key = str(translated["helpline"].translation_key)
    dutch = client.get(f"{HSDS}/services/{key}")
    french = client.get(f"{HSDS}/services/{key}?locale=fr")
    german = client.get(f"{HSDS}/services/{key}?locale=de")
    by_header = client.get(f"{HSDS}/services/{key}", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9")
    assert [response["Content-Language"] for response in (dutch, french, german, by_header)] == [
        "nl",
        "fr",
        "nl",
        "fr",
    ]
    assert [response.json()["name"] for response in (dutch, french, german, by_header)] == [
        "Hulplijn 116000",
        "Ligne d'aide 116000",
        "Hulplijn 116000",
        "Ligne d'aide 116000",
    ]

    def locale_attribute(response) -> str:
        return next(
            a["value"] for a in response.json()["attributes"] if a["taxonomy_term"]["code"] == "locale"
        )

    assert [locale_attribute(response) for response in (dutch, french, german)] == ["nl", "fr", "nl"]
    # The same ids in every language.
    assert set(objects_by_id(french.json())) == set(objects_by_id(dutch.json()))
    assert french.json()["organization_id"] == dutch.json()["organization_id"] == CHILD_FOCUS
    assert all("Accept-Language" in response["Vary"] for response in (dutch, french))
    assert dutch["ETag"] != french["ETag"]
    listed = client.get(f"{HSDS}/services?locale=de")
    assert listed["Content-Language"] == "nl"
    assert problem(client.get(f"{HSDS}/services?locale=xx"), 400)["invalid_params"][0]["name"] == "locale"


# --- lists, filters, errors ------------------------------------------------------------------------------


def test_pages(client, content):
    for number in range(3):
        content.helpline(f"lijn-{number}", f"Lijn {number}")
    first = body(client, "/services?per_page=2")
    assert {name: value for name, value in first.items() if name != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    second = body(client, "/services?per_page=2&page=2")
    assert (second["size"], second["first_page"], second["last_page"]) == (1, False, True)
    assert [service["name"] for service in [*first["contents"], *second["contents"]]] == [
        "Lijn 0",
        "Lijn 1",
        "Lijn 2",
    ]
    past = body(client, "/services?per_page=2&page=3")
    assert (past["size"], past["empty"], past["contents"]) == (0, True, [])
    assert body(client, "/services")["size"] == 3  # default per_page 50


def test_an_empty_result(client):
    assert body(client, "/services") == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }
    assert body(client, "/organizations")["contents"] == []


@pytest.mark.parametrize(
    ("query", "invalid"),
    [
        ("per_page=101", {"per_page"}),
        ("per_page=0", {"per_page"}),
        ("page=0", {"page"}),
        ("page=two", {"page"}),
        ("full=maybe", {"full"}),
        ("organization_id=child-focus", {"organization_id"}),
        ("modified_after=yesterday", {"modified_after"}),
        ("format=ndjson", {"format"}),
        ("search=hulp&minimal=true", {"search", "minimal"}),
        ("page=1&page=2", {"page"}),
    ],
)
def test_bad_parameters_are_400_problems(client, query, invalid):
    found = problem(client.get(f"{HSDS}/services?{query}"), 400)
    assert found["type"] == "urn:baken:problem:invalid-parameters"
    assert {item["name"] for item in found["invalid_params"]} == invalid


def test_filters(client, content):
    content.helpline("child-focus", "Child Focus-lijn", organisation="Child Focus")
    content.helpline("awel", "Awel-lijn", organisation="Awel")
    late = content.helpline("laat", "Late lijn", organisation="Child Focus")
    HelpLine.objects.filter(pk=late.pk).update(last_published_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))

    def names(query: str) -> list[str]:
        return [service["name"] for service in body(client, f"/services?{query}")["contents"]]

    assert names(f"organization_id={CHILD_FOCUS}") == ["Child Focus-lijn", "Late lijn"]
    assert names(f"organization_id={mapping.organization_id('Awel')}") == ["Awel-lijn"]
    assert names(f"organization_id={uuid.uuid4()}") == []
    assert names("modified_after=2029-12-31T23:00:00Z") == ["Late lijn"]
    assert names(f"modified_after=2029-12-31&organization_id={mapping.organization_id('Awel')}") == []
    assert [organisation["name"] for organisation in body(client, "/organizations")["contents"]] == [
        "Awel",
        "Child Focus",
    ]


def test_unknown_ids_and_paths_are_404_problems(client, content):
    content.helpline("lijn", "Lijn")
    for path in (
        f"/services/{uuid.uuid4()}",
        "/services/not-a-uuid",
        f"/organizations/{uuid.uuid4()}",
        "/organizations/42",
        "/service_at_locations",
        "/taxonomies/",
    ):
        assert problem(client.get(HSDS + path), 404)["status"] == 404


def test_paths_take_a_trailing_slash_too(client, content):
    key = content.helpline("lijn", "Lijn").translation_key
    for path in ("/services", f"/services/{key}", "/organizations", f"/organizations/{CHILD_FOCUS}"):
        assert body(client, path) == body(client, f"{path}/")


def test_http_caching_and_methods(client, content):
    key = content.helpline("lijn", "Lijn").translation_key
    response = client.get(f"{HSDS}/services/{key}")
    assert response["Cache-Control"] == CACHEABLE
    assert response["ETag"].startswith('"')
    again = client.get(f"{HSDS}/services/{key}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert problem(client.post(f"{HSDS}/services"), 405)["status"] == 405
    assert client.head(f"{HSDS}/services").status_code == 200
    assert client.get(f"{HSDS}/services", HTTP_ACCEPT="text/html").status_code == 406


def test_the_api_middleware_applies(client, content):
    """Channel keys, rate-limit costs and RateLimit headers are those of every /api/ request."""
    from api.rate_limits.costs import LIST, OTHER, cost_of

    content.helpline("lijn", "Lijn")
    refused = client.get(f"{HSDS}/services", HTTP_AUTHORIZATION="Bearer not-a-key")
    assert problem(refused, 401)["detail"] == "This is not a valid channel key."
    assert refused["WWW-Authenticate"].startswith("Bearer ")
    assert [cost_of(f"{HSDS}/{path}") for path in ("services", "services/", "organizations", "")] == [
        LIST,
        LIST,
        LIST,
        OTHER,
    ]
    assert "RateLimit-Policy" in client.get(f"{HSDS}/services")


def test_the_number_of_queries_does_not_grow_with_the_help_lines(client, content):
    def queries() -> tuple[int, int]:
        counts = []
        for path in ("/services?full=true", "/organizations?full=true&full_service=true"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(HSDS + path).status_code == 200
            counts.append(len(captured))
        return counts[0], counts[1]

    content.helpline("een", "Een")
    few = queries()
    for number in range(5):
        content.helpline(
            f"lijn-{number}",
            f"Lijn {number}",
            points=[("phone", "116000", "Bel"), ("email", f"lijn{number}@example.org", "Mail")],
            available_24_7=False,
            hours=[(0, "09:00", "17:00")],
        )
    assert queries() == few


# --- over real HTTP ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_the_demo_content_over_http(tmp_path):
    with deployed("sqlite-without-redis", tmp_path) as deployment:
        for base in deployment.bases:
            status, meta = get(f"{base}{HSDS}/")
            assert (status, meta["profile"]) == (200, f"{base}{HSDS}/profile")
            status, listed = get(f"{base}{HSDS}/services?full=true&locale=fr")
            assert status == 200
            assert [service["name"] for service in listed["contents"]] == [
                "E-mail 116000@childfocus.org",
                "Ligne d'aide 116000",
                "Point de signalement stopchildporno.be",
            ]
            for service in listed["contents"]:
                assert_valid("service", service)
                status, detail = get(f"{base}{HSDS}/services/{service['id']}?locale=fr")
                assert (status, detail) == (200, service)
            status, organisation = get(f"{base}{HSDS}/organizations/{CHILD_FOCUS}?full_service=true")
            assert status == 200
            assert_valid("organization", organisation)
            status, missing = get(f"{base}{HSDS}/services/{uuid.uuid4()}")
            assert (status, missing["status"]) == (404, 404)
