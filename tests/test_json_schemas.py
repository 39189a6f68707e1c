"""The published JSON Schemas (api.json_schemas): built from the one contract, committed current,
agreeing with the OpenAPI snapshot, served like every v1 endpoint, and checking what they should.

When a test here says the committed files are stale: ``make schemas`` (``manage.py export_schemas``)
and commit ``schemas/v1/``.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from api.json_schemas import files
from api.json_schemas.documents import (
    API_VERSION,
    BY_NAME,
    CATALOGUE,
    DIALECT,
    MEDIA_TYPE,
    VERSION_ANNOTATION,
    NotJSONSchema,
    current_documents,
    current_rendered,
    render,
    schema_documents,
    schema_id,
)
from tests import published_schemas

REPOSITORY = Path(__file__).resolve().parents[1]
SNAPSHOT = REPOSITORY / "tests" / "snapshots" / "openapi.json"
COMMITTED = REPOSITORY / "schemas" / API_VERSION
STALE = (
    "The committed JSON Schemas are not current: run `make schemas` (manage.py export_schemas) "
    "and commit schemas/v1/"
)
PROBLEM_JSON = "application/problem+json"


def references(schema) -> list[str]:
    if isinstance(schema, dict):
        found = [schema["$ref"]] if isinstance(schema.get("$ref"), str) else []
        return found + [ref for value in schema.values() for ref in references(value)]
    if isinstance(schema, list):
        return [ref for item in schema for ref in references(item)]
    return []


# --- the files ---------------------------------------------------------------------------------


def test_the_committed_files_are_current():
    found = files.differences(COMMITTED)
    assert not found, STALE + ":\n" + "\n".join(found.lines())


def test_converting_the_openapi_snapshot_gives_exactly_the_committed_files():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    from_snapshot = {
        f"{name}.json": render(document) for name, document in schema_documents(snapshot).items()
    }
    committed = {path.name: path.read_text(encoding="utf-8") for path in COMMITTED.glob("*.json")}
    assert sorted(from_snapshot) == sorted(committed), STALE
    for name, text in from_snapshot.items():
        assert committed[name] == text, f"{name}: the OpenAPI snapshot and schemas/v1/ disagree. {STALE}"


def test_the_export_writes_checks_and_removes(tmp_path, capsys):
    target = tmp_path / "v1"
    with pytest.raises(CommandError) as refused:
        call_command("export_schemas", "--check", "--directory", str(target))
    assert "missing: faq-detail.json" in str(refused.value)
    assert "manage.py export_schemas" in str(refused.value)
    assert not target.exists(), "--check writes nothing"

    call_command("export_schemas", "--directory", str(target))
    assert sorted(path.name for path in target.iterdir()) == sorted(
        f"{entry.name}.json" for entry in CATALOGUE
    )
    call_command("export_schemas", "--check", "--directory", str(target))

    (target / "faq-detail.json").write_text("{}\n", encoding="utf-8")
    (target / "faq-summary.json").unlink()
    (target / "retired.json").write_text("{}\n", encoding="utf-8")
    (target / "notes.txt").write_text("not ours\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("export_schemas", "--check", "--directory", str(target))
    message = str(refused.value)
    assert "stale: faq-detail.json" in message
    assert "missing: faq-summary.json" in message
    assert "extra: retired.json" in message
    assert (target / "faq-detail.json").read_text() == "{}\n", "--check writes nothing"

    capsys.readouterr()
    call_command("export_schemas", "--directory", str(target))
    output = capsys.readouterr().out
    assert "updated: faq-detail.json" in output and "written: faq-summary.json" in output
    assert "removed: retired.json" in output
    assert not files.differences(target)
    assert (target / "notes.txt").exists(), "files that are not JSON Schemas are left alone"


def test_the_default_directory_is_schemas_v1_in_the_repository():
    assert files.default_directory() == COMMITTED


# --- the documents -------------------------------------------------------------------------------


def test_each_document_is_a_standalone_draft_2020_12_schema_with_its_annotations():
    documents = current_documents()
    assert list(documents) == [entry.name for entry in CATALOGUE]
    for name, document in documents.items():
        Draft202012Validator.check_schema(document)
        assert document["$schema"] == DIALECT
        assert document["$id"] == f"urn:baken:schema:{API_VERSION}:{name}" == schema_id(name)
        assert document["title"] == BY_NAME[name].title and document["description"]
        assert document[VERSION_ANNOTATION] == settings.SPECTACULAR_SETTINGS["VERSION"]
        definitions = document.get("$defs", {})
        for ref in references(document):
            assert ref.startswith("#/$defs/"), (name, ref)
            assert ref.removeprefix("#/$defs/") in definitions, (name, ref)
        # Nothing in $defs that the document does not need.
        assert set(definitions) == {ref.removeprefix("#/$defs/") for ref in references(document)}, name


def test_ids_names_and_files_are_unique_and_safe():
    names = [entry.name for entry in CATALOGUE]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name) for name in names)
    assert len({schema_id(name) for name in names}) == len(names)


def test_the_id_names_the_api_version_of_the_urls():
    major = settings.SPECTACULAR_SETTINGS["VERSION"].split(".")[0]
    assert f"v{major}" == API_VERSION
    assert settings.SPECTACULAR_SETTINGS["SCHEMA_PATH_PREFIX"].endswith(f"/{API_VERSION}")


def test_a_component_document_keeps_the_openapi_component_as_is_but_for_its_refs():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    document = schema_documents(snapshot)["faq-detail"]
    assert document["$ref"] == "#/$defs/FAQDetail"
    component = snapshot["components"]["schemas"]["FAQDetail"]
    as_published = json.dumps(component).replace("#/components/schemas/", "#/$defs/")
    assert document["$defs"]["FAQDetail"] == json.loads(as_published)


def test_the_csl_document_is_the_body_the_citation_endpoints_declare():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    csl = "application/vnd.citationstyles.csl+json"
    declared = snapshot["paths"]["/api/v1/citations/"]["get"]["responses"]["200"]["content"][csl]["schema"]
    document = schema_documents(snapshot)["citations-csl"]
    assert document["type"] == "array"
    assert document["items"] == declared["items"]


def test_rendering_is_deterministic_and_sorted():
    for name, text in current_rendered().items():
        assert text.endswith("}\n")
        assert text == render(json.loads(text)), name
        assert text == render(current_documents()[name])


def _with_components(change) -> dict:
    """The OpenAPI snapshot with its component schemas changed by ``change(components)``."""
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    snapshot["components"]["schemas"] = change(snapshot["components"]["schemas"])
    return snapshot


def test_what_is_not_json_schema_is_refused_never_published():
    with pytest.raises(NotJSONSchema, match="discriminator"):
        schema_documents(
            _with_components(
                lambda c: {**c, "Problem": {**c["Problem"], "discriminator": {"propertyName": "x"}}}
            )
        )
    with pytest.raises(NotJSONSchema, match="component schemas"):
        schema_documents(_with_components(lambda c: {**c, "Index": {"$ref": "#/components/headers/ETag"}}))
    with pytest.raises(NotJSONSchema, match="RichText"):
        schema_documents(_with_components(lambda c: {k: v for k, v in c.items() if k != "RichText"}))


def test_two_different_csl_bodies_are_refused():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    csl = "application/vnd.citationstyles.csl+json"
    detail = snapshot["paths"]["/api/v1/citations/{id}/"]["get"]["responses"]["200"]["content"][csl]
    detail["schema"] = {"type": "array", "items": {"type": "string"}}
    with pytest.raises(NotJSONSchema, match="different"):
        schema_documents(snapshot)


def declared_formats(schema) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(declared_formats(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(declared_formats(item) for item in schema))
    return set()


# OpenAPI's formats of numbers (its format registry): annotations that no JSON number can fail.
NUMBER_FORMATS = frozenset({"double", "float", "int32", "int64"})


def test_every_declared_format_is_checked_when_answers_are_validated():
    declared = set().union(*(declared_formats(document) for document in current_documents().values()))
    assert declared, "the documents declare formats (date-time, uri, uuid, …)"
    declared -= NUMBER_FORMATS
    checked = set(published_schemas.format_checker().checkers)
    assert declared <= checked, f"formats nothing checks: {sorted(declared - checked)}"
    assert declared <= published_schemas.REQUIRED_FORMATS, "add the new format to REQUIRED_FORMATS"


# --- the endpoints -------------------------------------------------------------------------------


def test_the_index_lists_every_document_with_its_id_and_url(client):
    response = client.get("/api/v1/schemas/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    schemas = response.json()["schemas"]
    assert [entry["name"] for entry in schemas] == [entry.name for entry in CATALOGUE]
    for entry in schemas:
        assert entry["$id"] == schema_id(entry["name"])
        assert entry["title"] == BY_NAME[entry["name"]].title
        assert entry["url"] == f"http://testserver/api/v1/schemas/{entry['name']}.json"


def test_the_index_names_the_public_base_url_when_set(client, settings):
    settings.BAKEN_PUBLIC_API_BASE_URL = "https://content.example.org"
    entry = client.get("/api/v1/schemas/").json()["schemas"][0]
    assert entry["url"].startswith("https://content.example.org/api/v1/schemas/")
    assert entry["$id"].startswith("urn:baken:schema:v1:"), "the $id never depends on the host"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", MEDIA_TYPE, "application/*"])
def test_each_document_is_served_as_exported_whatever_json_is_asked_for(client, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    for entry in CATALOGUE:
        response = client.get(f"/api/v1/schemas/{entry.name}.json", **headers)
        assert response.status_code == 200, (entry.name, response.content[:200])
        assert response["Content-Type"] == MEDIA_TYPE
        assert response.content.decode() == (COMMITTED / entry.filename).read_text(encoding="utf-8"), STALE
        assert "Content-Language" not in response


def test_the_answers_are_cacheable_and_conditional_like_every_v1_endpoint(client):
    first = client.get("/api/v1/schemas/faq-detail.json")
    assert first["Cache-Control"].startswith("public, max-age=")
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    again = client.get("/api/v1/schemas/faq-detail.json", HTTP_ACCEPT="application/json")
    assert again["ETag"] == first["ETag"], "the body and its tag never depend on Accept"
    not_modified = client.get("/api/v1/schemas/faq-detail.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]
    failed = client.get("/api/v1/schemas/faq-detail.json", HTTP_IF_MATCH='"another"')
    assert failed.status_code == 412 and failed["Content-Type"] == PROBLEM_JSON
    index = client.get("/api/v1/schemas/")
    assert client.get("/api/v1/schemas/", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 304


def test_a_cached_answer_is_the_same(client, response_cache_on, django_assert_max_num_queries):
    first = client.get("/api/v1/schemas/change.json")
    with django_assert_max_num_queries(1):
        hit = client.get("/api/v1/schemas/change.json", HTTP_ACCEPT="application/json")
    assert (hit.status_code, hit["Content-Type"], hit.content) == (200, MEDIA_TYPE, first.content)
    assert hit["ETag"] == first["ETag"]
    assert (
        client.get("/api/v1/schemas/change.json", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code
        == 304
    )


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/v1/schemas/no-such-document.json", {}, 404),
        ("/api/v1/schemas/faq-detail", {}, 404),
        ("/api/v1/schemas/faq-detail.json?locale=fr", {}, 400),
        ("/api/v1/schemas/?limit=5", {}, 400),
        ("/api/v1/schemas/faq-detail.json", {"HTTP_ACCEPT": "text/html"}, 406),
        ("/api/v1/schemas/", {"HTTP_ACCEPT": "application/schema+json"}, 406),
        ("/api/v1/schemas/faq-detail.json", {"HTTP_AUTHORIZATION": "Bearer baken_not-a-key"}, 401),
    ],
)
def test_errors_are_problems(client, path, headers, status):
    response = client.get(path, **headers)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["status"] == status
    assert response["Cache-Control"] == "private, no-store"


def test_other_methods_are_405(client):
    response = client.post("/api/v1/schemas/faq-detail.json")
    assert response.status_code == 405 and response["Content-Type"] == PROBLEM_JSON
    assert client.head("/api/v1/schemas/faq-detail.json").status_code == 200


def test_cors_applies(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    response = client.get("/api/v1/schemas/faq-detail.json", HTTP_ORIGIN="https://www.example.org")
    assert response["Access-Control-Allow-Origin"] == "https://www.example.org"


# --- the check every API answer in the tests goes through (tests/published_schemas.py) ----------

FAILED = pytest.fail.Exception


def answer(path: str, body, *, status: int = 200, content_type: str = "application/json", query: str = ""):
    published_schemas.check_answer(
        method="GET",
        path=path,
        query=query,
        status=status,
        content_type=content_type,
        body=json.dumps(body).encode() if not isinstance(body, bytes) else body,
    )


def test_the_check_knows_a_document_for_every_whole_response():
    used = {
        *published_schemas.DOCUMENT_FOR.values(),
        *published_schemas.PROBLEM_DOCUMENT_FOR.values(),
        "problem",
    }
    assert used <= set(BY_NAME)
    items_only = {"faq-summary", "search-result", "change"}  # parts of whole responses
    assert set(BY_NAME) - used == items_only


def test_the_check_passes_a_valid_answer_and_fails_a_wrong_one():
    answer("/api/v1/locales/", {"default": "nl", "locales": []})
    with pytest.raises(FAILED, match=r"(?s)'locales'.*\$\.default"):
        answer("/api/v1/locales/", {"default": 1, "locales": []})
    with pytest.raises(FAILED, match="problem"):
        answer("/api/v1/faqs/", {"type": "about:blank"}, status=404, content_type=PROBLEM_JSON)
    with pytest.raises(FAILED, match="changes-gone"):
        problem = {"type": "about:blank", "title": "Gone", "status": 410, "detail": "x"}
        answer("/api/v1/changes/", problem, status=410, content_type=PROBLEM_JSON)
    with pytest.raises(FAILED, match="not JSON"):
        answer("/api/v1/locales/", b"<html>")


def test_the_check_picks_the_document_by_url_name_and_media_type():
    csl = "application/vnd.citationstyles.csl+json"
    answer("/api/v1/citations/1/", [{"id": "x", "type": "report", "title": "T"}], content_type=csl)
    with pytest.raises(FAILED, match="citations-csl"):
        answer("/api/v1/citations/", [{"id": 1}], content_type=csl, query="format=csl")
    with pytest.raises(FAILED, match="'citation-list'"):
        answer("/api/v1/citations/", [{"id": "x", "type": "report", "title": "T"}])


def test_the_check_fails_an_answer_it_has_no_document_for():
    with pytest.raises(FAILED, match="no published JSON Schema"):
        answer("/api/v1/docs/", {"some": "json"})
    with pytest.raises(FAILED, match="must be application/problem"):
        answer("/api/v1/faqs/", {"error": "x"}, status=400)


def test_the_check_checks_formats():
    entry = {"name": "x", "title": "X", "$id": "urn:baken:schema:v1:x", "url": "not a uri"}
    with pytest.raises(FAILED, match="uri"):
        answer("/api/v1/schemas/", {"schemas": [entry]})
    key = {"op": "tombstone", "type": "faq", "key": "not-a-uuid", "locale": "nl", "slug": None, "url": None}
    page = {"mode": "delta", "more": False, "next": "https://x.example/", "next_token": "t"}
    with pytest.raises(FAILED, match="uuid"):
        answer("/api/v1/changes/", {**page, "results": [{**key, "reason": "deleted", "data": None}]})


def test_the_check_leaves_what_has_no_json_body_alone():
    published_schemas.check_answer(
        method="GET", path="/api/v1/docs/", query="", status=200, content_type="text/html", body=b"<html>"
    )
    published_schemas.check_answer(
        method="HEAD", path="/api/v1/faqs/", query="", status=200, content_type="application/json", body=b""
    )
    published_schemas.check_answer(
        method="GET", path="/api/v1/faqs/", query="", status=304, content_type="", body=b""
    )
    published_schemas.check_answer(
        method="GET", path="/admin/api/x/", query="", status=200, content_type="application/json", body=b"[]"
    )


def test_the_test_client_is_checked(client, monkeypatch):
    """The autouse wrapper is on: a view answering a wrong shape fails the request."""
    from rest_framework.response import Response

    from api.views import LocaleViewSet

    monkeypatch.setattr(LocaleViewSet, "list", lambda self, request: Response({"default": 1}))
    with pytest.raises(FAILED, match="locales"):
        client.get("/api/v1/locales/")


def test_the_http_helper_checks_what_a_real_server_answered():
    headers = {"Content-Type": "application/json"}
    published_schemas.check_http_answer(
        "http://127.0.0.1:8000/api/v1/locales/",
        status=200,
        headers=headers,
        body=b'{"default":"nl","locales":[]}',
    )
    with pytest.raises(FAILED, match="GET /api/v1/locales/"):
        published_schemas.check_http_answer(
            "http://127.0.0.1:8000/api/v1/locales/", status=200, headers=headers, body=b'{"default":"nl"}'
        )
