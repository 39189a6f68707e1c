"""The public contract: the generated OpenAPI document must match the committed snapshot.

A deliberate change to the API is made by regenerating the snapshot:
``BAKEN_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_openapi_snapshot.py`` — and the diff is reviewed.
"""

import json
import os
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


@pytest.fixture
def generated_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, sort_keys=True, default=str))


def test_schema_is_valid_openapi(generated_schema):
    validate_schema(generated_schema)
    assert generated_schema["openapi"] == "3.1.0"


def test_schema_describes_only_the_public_api(generated_schema):
    assert sorted(generated_schema["paths"]) == [
        "/api/v1/",
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{slug}/",
        "/api/v1/changes/",
        "/api/v1/citations/",
        "/api/v1/citations/{id}/",
        "/api/v1/faqs/",
        "/api/v1/faqs/{slug}/",
        "/api/v1/helplines/",
        "/api/v1/helplines/{slug}/",
        "/api/v1/locales/",
        "/api/v1/preview/",
        "/api/v1/schemas/",
        "/api/v1/schemas/{name}.json",
        "/api/v1/search/",
    ]


def test_schema_matches_snapshot(generated_schema):
    rendered = json.dumps(generated_schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("BAKEN_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert SNAPSHOT.exists(), "No snapshot yet: run with BAKEN_UPDATE_SNAPSHOTS=1 and commit it."
    assert rendered == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API contract changed. If intended, regenerate the snapshot (see module docstring)."
    )


def test_every_answer_documents_the_rate_limit_fields_and_a_429_its_retry_after(generated_schema):
    for path, operations in generated_schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                headers = response.get("headers", {})
                assert {"RateLimit", "RateLimit-Policy"} <= set(headers), (path, method, status)
                assert ("Retry-After" in headers) == (status == "429"), (path, method, status)
            assert "429" in operation["responses"], (path, method)
    assert generated_schema["components"]["headers"]["Retry-After"]["schema"]["minimum"] == 1
