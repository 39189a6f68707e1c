"""Every API answer the tests see is checked against the published JSON Schemas (api.json_schemas).

Loaded by tests/conftest.py: the session-wide autouse fixture ``api_answers_match_published_schemas``
wraps ``django.test.Client.request`` (so DRF's ``APIClient`` too), and tests that call a server
over real HTTP (urllib) call :func:`check_http_answer` on what they got.

Invariants:

* Every answer to a path below ``/api/v1/`` with a JSON body (a media type ``application/json`` or
  ``…+json``; not a HEAD, a 204 or a 304, which have none) is checked, and a failing check fails
  the test at the request, naming the request, the document and the validation errors.
* Nothing is skipped silently: a JSON answer whose URL name and media type have no document in
  :data:`DOCUMENT_FOR` fails the test too — a new endpoint or representation needs its document
  (api.json_schemas.documents.CATALOGUE) and its line here.
* Which document: every ``application/problem+json`` answer is a ``problem`` (the feed's 410 the
  stricter ``changes-gone``); any other is chosen by the resolved URL name (list or detail) and
  the media type (JSON, or CSL-JSON for ``?format=csl`` or an ``Accept`` preferring it), and
  only for a 200. A JSON Schema
  served by ``/api/v1/schemas/{name}.json`` is valid against the 2020-12 meta-schema and is the
  document of its name; the OpenAPI document as JSON is valid OpenAPI 3.1.
* Validation is JSON Schema 2020-12 (``Draft202012Validator``) with jsonschema's format checker,
  which must check every format the documents declare (``date-time`` and ``uri`` need optional
  packages, in requirements-test.txt; tests/test_json_schemas.py checks none is left unchecked).
* The documents are those the running code publishes (``current_documents()``: what
  ``/api/v1/schemas/`` serves); that the committed ``schemas/v1/`` files are the same is
  tests/test_json_schemas.py's to check.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError

API_PREFIX = "/api/v1/"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
CSL_JSON = "application/vnd.citationstyles.csl+json"
SCHEMA_JSON = "application/schema+json"
OPENAPI_JSON = "application/vnd.oai.openapi+json"

# (URL name in the "api" namespace, media type) of a 200 → the published document of its body.
DOCUMENT_FOR = {
    ("index", JSON): "index",
    ("locales-list", JSON): "locales",
    ("campaigns-list", JSON): "campaign-list",
    ("campaigns-detail", JSON): "campaign",
    ("faqs-list", JSON): "faq-list",
    ("faqs-detail", JSON): "faq-detail",
    ("helplines-list", JSON): "helpline-list",
    ("helplines-detail", JSON): "helpline",
    ("citations-list", JSON): "citation-list",
    ("citations-detail", JSON): "citation",
    ("citations-list", CSL_JSON): "citations-csl",
    ("citations-detail", CSL_JSON): "citations-csl",
    ("search-list", JSON): "search-result-list",
    ("changes", JSON): "changes",
    ("preview", JSON): "preview",
    ("schemas-list", JSON): "schema-index",
}
# Problems: every one is a "problem"; these (URL name, status) are a stricter kind of it.
PROBLEM_DOCUMENT_FOR = {("changes", 410): "changes-gone"}
NO_BODY_STATUSES = frozenset({204, 304})
_JSON_MEDIA_TYPE = re.compile(r"^application/(?:[\w.-]+\+)?json$")


# --- formats ---------------------------------------------------------------------------------

# jsonschema checks these only with optional packages (date-time: rfc3339-validator; uri:
# rfc3986-validator; both in requirements-test.txt): without them a format would silently pass.
REQUIRED_FORMATS = frozenset({"date", "date-time", "email", "time", "uri", "uuid"})


def format_checker() -> FormatChecker:
    """jsonschema's 2020-12 format checker; fails when one of :data:`REQUIRED_FORMATS` has none."""
    checker = Draft202012Validator.FORMAT_CHECKER
    missing = REQUIRED_FORMATS - set(checker.checkers)
    if missing:
        pytest.fail(
            f"jsonschema cannot check the formats {sorted(missing)}: "
            "pip install -r requirements-test.txt (rfc3339-validator, rfc3986-validator)"
        )
    return checker


# --- the check ---------------------------------------------------------------------------------


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    from api.json_schemas.documents import current_documents

    return Draft202012Validator(current_documents()[name], format_checker=format_checker())


# Digests of the JSON Schema and OpenAPI bodies already found valid: they are large and checked
# against meta-schemas, so the same body is checked once per session.
_VALID_META_BODIES: set[str] = set()


def _fail(request: str, message: str) -> None:
    pytest.fail(f"{request}: {message}", pytrace=True)


def _url_name(path: str) -> tuple[str | None, str | None]:
    """(namespace, URL name) that ``path`` resolves to, or (None, None)."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    return match.namespace, match.url_name


def check_answer(*, method: str, path: str, query: str, status: int, content_type: str, body: bytes) -> None:
    """Fail the running test unless this answer's JSON body matches its published document."""
    if not path.startswith(API_PREFIX) or method.upper() == "HEAD" or status in NO_BODY_STATUSES:
        return
    media_type = content_type.split(";")[0].strip().lower()
    if not _JSON_MEDIA_TYPE.match(media_type):
        return  # not JSON: the OpenAPI document as YAML, the docs page
    request = f"{method.upper()} {path}{'?' + query if query else ''} → {status} {media_type}"
    try:
        instance = json.loads(body)
    except ValueError as error:
        _fail(request, f"the body is not JSON ({error}): {body[:200]!r}")
        return
    namespace, url_name = _url_name(path)
    api_name = url_name if namespace == "api" else None
    if media_type == PROBLEM_JSON:
        _validate(request, PROBLEM_DOCUMENT_FOR.get((api_name, status), "problem"), instance)
    elif status != 200:
        _fail(request, "an answer other than a 200 must be application/problem+json")
    elif (api_name, media_type) == ("schemas-detail", SCHEMA_JSON):
        _check_published_document(request, path, body, instance)
    elif (api_name, media_type) == ("schema", OPENAPI_JSON):
        _check_openapi_document(request, body, instance)
    elif (api_name, media_type) in DOCUMENT_FOR:
        _validate(request, DOCUMENT_FOR[(api_name, media_type)], instance)
    else:
        _fail(
            request,
            f"no published JSON Schema for this answer (URL name {namespace}:{url_name}, {media_type}). "
            "Publish one (api/json_schemas/documents.py: CATALOGUE) and map it in "
            "tests/published_schemas.py: DOCUMENT_FOR.",
        )


def _validate(request: str, name: str, instance) -> None:
    validator = _validator(name)
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))
    if errors:
        details = "\n".join(_explained(error) for error in errors[:10])
        more = f"\n  … and {len(errors) - 10} more" if len(errors) > 10 else ""
        _fail(
            request,
            f"the body does not match the published JSON Schema {name!r} "
            f"({validator.schema['$id']}):\n{details}{more}",
        )


def _explained(error: ValidationError) -> str:
    """One line per error; for a failed oneOf / anyOf, why each alternative failed."""
    line = f"  at {error.json_path}: {error.message[:200]}"
    alternatives: dict[object, ValidationError] = {}
    for reason in error.context or ():
        alternatives.setdefault(reason.relative_schema_path[0], reason)
    for index, reason in list(alternatives.items())[:6]:
        target = error.validator_value[index] if isinstance(index, int) else {}
        name = target.get("$ref", f"#{index}") if isinstance(target, dict) else f"#{index}"
        line += f"\n    not {name}: at {reason.json_path}: {reason.message[:200]}"
    return line


def _check_published_document(request: str, path: str, body: bytes, instance) -> None:
    from api.json_schemas.documents import current_rendered, schema_id

    name = path.rsplit("/", 1)[-1].removesuffix(".json")
    if instance.get("$id") != schema_id(name) or body.decode("utf-8") != current_rendered().get(name):
        _fail(request, f"not the published document {name!r} as render() writes it")
    digest = hashlib.sha256(body).hexdigest()
    if digest in _VALID_META_BODIES:
        return
    try:
        Draft202012Validator.check_schema(instance)
    except SchemaError as error:
        _fail(request, f"not a valid JSON Schema 2020-12 document: {error.message[:300]}")
    _VALID_META_BODIES.add(digest)


def _check_openapi_document(request: str, body: bytes, instance) -> None:
    from drf_spectacular.validation import validate_schema

    digest = hashlib.sha256(body).hexdigest()
    if digest in _VALID_META_BODIES:
        return
    try:
        validate_schema(instance)
    except ValidationError as error:
        _fail(request, f"not a valid OpenAPI 3.1 document: {error.message[:300]}")
    _VALID_META_BODIES.add(digest)


def check_test_client_response(response) -> None:
    environ = response.request
    check_answer(
        method=environ.get("REQUEST_METHOD", "GET"),
        path=environ.get("PATH_INFO", ""),
        query=environ.get("QUERY_STRING", ""),
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=b"" if response.streaming else response.content,
    )


def check_http_answer(url: str, *, status: int, headers, body: bytes, method: str = "GET") -> None:
    """The same check, for an answer a test got over real HTTP (e.g. urllib from a server in
    another process): ``headers`` is the answer's header mapping (``response.headers``)."""
    parts = urlsplit(url)
    check_answer(
        method=method,
        path=unquote(parts.path),
        query=parts.query,
        status=status,
        content_type=headers.get("Content-Type", ""),
        body=body,
    )


@pytest.fixture(autouse=True, scope="session")
def api_answers_match_published_schemas():
    """Wraps Django's test client (and so DRF's APIClient): every API answer is checked."""
    from django.test.client import Client

    unchecked = Client.request

    @functools.wraps(unchecked)
    def request(self, **environ):
        response = unchecked(self, **environ)
        check_test_client_response(response)
        return response

    Client.request = request  # type: ignore[method-assign]
    yield
    Client.request = unchecked  # type: ignore[method-assign]
