"""The published JSON Schemas (draft 2020-12) of the public API, built from the one contract.

Each public shape is declared once, as a serializer in ``api.serializers`` (and the few responses
the views declare themselves, such as CSL-JSON); drf-spectacular turns them into the OpenAPI
document, and :func:`schema_documents` turns that document into standalone JSON Schemas that a
reader can validate objects and whole responses with, without OpenAPI tooling.

Invariants:

* One source. A document is a component of the OpenAPI document (or the 200 body its operations
  declare for a media type), never written by hand: a change to a serializer changes the
  OpenAPI snapshot and these documents together (tests/test_json_schemas.py checks that
  converting tests/snapshots/openapi.json gives exactly the committed ``schemas/v1/*.json``).
* A pure function. :func:`schema_documents` depends on its argument only; :func:`render` writes a
  document with sorted keys, two-space indentation, UTF-8 and a final newline, so the same
  contract always gives the same bytes and a change is a readable diff.
* Standalone. Every ``$ref`` in a document is ``#/$defs/<Component>`` inside it — the components
  it needs, transitively, under their OpenAPI names — so no document refers outside itself.
  A document of a component is ``{"$ref": "#/$defs/<Component>", "$defs": {...}}`` plus the
  annotations below, which keeps each component exactly as OpenAPI has it.
* Identified independently of any host. ``$id`` is ``urn:baken:schema:v1:<name>``: Baken runs
  under many hosts (``BAKEN_PUBLIC_API_BASE_URL``, the request's host), and no single domain
  serves every deployment's copy, so the identifier is a name that promises no document to
  dereference, like the problem types (``urn:baken:problem:…``, api.errors). ``v1`` is the API
  version of the URLs (/api/v1/); where to fetch a document is the ``url`` in the index
  (``GET /api/v1/schemas/``). Every document also has ``$schema`` (draft 2020-12), ``title``,
  ``description`` and ``x-baken-version``, the contract's version (``info.version`` of the
  OpenAPI document, i.e. ``SPECTACULAR_SETTINGS["VERSION"]``).
* Only JSON Schema. A keyword that exists only in OpenAPI (``discriminator``, ``nullable``,
  ``xml``, ``externalDocs``) or a ``$ref`` that is not a component schema is an error, never
  silently published.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from api.csl import CSL_MEDIA_TYPE

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The API version of the URLs these documents describe (/api/v1/): part of every $id.
API_VERSION = "v1"
ID_PREFIX = f"urn:baken:schema:{API_VERSION}:"
VERSION_ANNOTATION = "x-baken-version"
MEDIA_TYPE = "application/schema+json"

COMPONENT_REF_PREFIX = "#/components/schemas/"
DEFS_REF_PREFIX = "#/$defs/"
OPENAPI_ONLY_KEYWORDS = frozenset({"discriminator", "nullable", "xml", "externalDocs"})
# Keywords whose value maps names (property names, $defs names) to schemas.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
# Keywords whose value is data, not a schema: copied as they are, never searched for $ref.
_PLAIN_VALUE_KEYWORDS = frozenset(
    {"enum", "const", "default", "examples", "example", "required", "type", "description", "title"}
)


@dataclass(frozen=True)
class Published:
    """One published document: its file and URL name, and where in the OpenAPI document it comes
    from — a component schema, or the 200 body every operation declares for ``media_type``."""

    name: str
    title: str
    description: str
    component: str | None = None
    media_type: str | None = None

    @property
    def schema_id(self) -> str:
        return schema_id(self.name)

    @property
    def filename(self) -> str:
        return f"{self.name}.json"


def schema_id(name: str) -> str:
    return ID_PREFIX + name


# Every published document, in the order of the index (objects, then whole responses).
CATALOGUE: tuple[Published, ...] = (
    # --- the public objects ---
    Published(
        "faq-summary",
        "FAQ page (summary)",
        "An FAQ page as lists show it: an item of GET /api/v1/faqs/ (faq-list) and of a campaign's `faqs`.",
        component="FAQSummary",
    ),
    Published(
        "faq-detail",
        "FAQ page",
        "GET /api/v1/faqs/{slug}/: an FAQ page with its sections, questions and answers, their "
        "help-lines and citations inline, its translations and schema.org JSON-LD.",
        component="FAQDetail",
    ),
    Published(
        "campaign",
        "Campaign",
        "GET /api/v1/campaigns/{slug}/, and each item of campaign-list: a campaign with its key "
        "dates, FAQ pages (summaries) and help-lines.",
        component="Campaign",
    ),
    Published(
        "helpline",
        "Help-line",
        "GET /api/v1/helplines/{slug}/, and each item of helpline-list: contact points, "
        "availability, open_now and a schema.org ContactPoint.",
        component="HelpLine",
    ),
    Published(
        "citation",
        "Source citation",
        "GET /api/v1/citations/{id}/, and each item of citation-list.",
        component="Citation",
    ),
    Published(
        "search-result",
        "Search result",
        "An item of GET /api/v1/search/ (search-result-list): a matching question, the FAQ page it "
        "is on, an excerpt and a score.",
        component="SearchResult",
    ),
    Published(
        "change",
        "Change (an item of the changes feed)",
        "An item of GET /api/v1/changes/: an upsert, with the object exactly as its detail "
        "endpoint serves it, or a tombstone with the reason it is no longer public.",
        component="Change",
    ),
    # --- whole responses ---
    Published(
        "index",
        "API index",
        "GET /api/v1/: the URL of each endpoint, by name.",
        component="Index",
    ),
    Published(
        "locales",
        "Locales",
        "GET /api/v1/locales/: the content locales, the default, and each locale's fallback chain.",
        component="Locales",
    ),
    Published(
        "faq-list",
        "FAQ pages (a page of the list)",
        "GET /api/v1/faqs/: {count, next, previous, results} with faq-summary results.",
        component="PaginatedFAQList",
    ),
    Published(
        "campaign-list",
        "Campaigns (a page of the list)",
        "GET /api/v1/campaigns/: {count, next, previous, results} with campaign results.",
        component="PaginatedCampaignList",
    ),
    Published(
        "helpline-list",
        "Help-lines (a page of the list)",
        "GET /api/v1/helplines/: {count, next, previous, results} with helpline results.",
        component="PaginatedHelpLineList",
    ),
    Published(
        "citation-list",
        "Source citations (a page of the list)",
        "GET /api/v1/citations/: {count, next, previous, results} with citation results.",
        component="PaginatedCitationList",
    ),
    Published(
        "citations-csl",
        "Source citations as CSL-JSON",
        "GET /api/v1/citations/?format=csl and GET /api/v1/citations/{id}/?format=csl "
        f"({CSL_MEDIA_TYPE}): an array of CSL-JSON items, for citation managers.",
        media_type=CSL_MEDIA_TYPE,
    ),
    Published(
        "search-result-list",
        "Search results (a page of the list)",
        "GET /api/v1/search/?q=…: {count, next, previous, results} with search-result results, best first.",
        component="PaginatedSearchResultList",
    ),
    Published(
        "changes",
        "Changes feed (one answer)",
        "GET /api/v1/changes/: a page of the initial sync (mode snapshot) or the changes after a "
        "token (mode delta), with where to continue.",
        component="Changes",
    ),
    Published(
        "changes-gone",
        "Changes feed: token too old (410 problem)",
        "The 410 problem of GET /api/v1/changes/: the token is older than the compacted change log; "
        "`restart` is a fresh sync.",
        component="ChangesGone",
    ),
    Published(
        "preview",
        "Preview of a draft",
        "GET /api/v1/preview/?token=…: a draft, by kind, in the shape of its public detail.",
        component="Preview",
    ),
    Published(
        "problem",
        "Problem details (RFC 9457)",
        "Every error of the API (application/problem+json): type, title, status and detail; a 400 "
        "for query parameters lists each in invalid_params.",
        component="Problem",
    ),
    Published(
        "schema-index",
        "JSON Schema index",
        "GET /api/v1/schemas/: the published JSON Schemas, with the name, title, $id and url of each.",
        component="SchemaIndex",
    ),
)
BY_NAME: dict[str, Published] = {entry.name: entry for entry in CATALOGUE}


class NotJSONSchema(ValueError):
    """The OpenAPI document holds something a standalone JSON Schema cannot publish as is."""


def schema_documents(openapi: dict) -> dict[str, dict]:
    """Every published document, by name (in catalogue order), from an OpenAPI 3.1 document."""
    version = openapi["info"]["version"]
    components = openapi.get("components", {}).get("schemas", {})
    return {entry.name: _document(entry, openapi, components, version) for entry in CATALOGUE}


def _document(entry: Published, openapi: dict, components: dict, version: str) -> dict:
    if entry.component is not None:
        if entry.component not in components:
            raise NotJSONSchema(f"{entry.name}: no component {entry.component!r} in the OpenAPI document")
        body: dict = {"$ref": DEFS_REF_PREFIX + entry.component}
    elif entry.media_type is not None:
        body = _rewritten(_declared_body(openapi, entry.media_type), where=entry.name)
    else:
        raise NotJSONSchema(f"{entry.name}: neither a component nor a media type")
    definitions = {
        name: _rewritten(components[name], where=f"{entry.name}: {name}")
        for name in sorted(_needed_components(body, components))
    }
    document = {
        **body,
        "$schema": DIALECT,
        "$id": entry.schema_id,
        "title": entry.title,
        "description": entry.description,
        VERSION_ANNOTATION: version,
    }
    if definitions:
        document["$defs"] = definitions
    return document


def _declared_body(openapi: dict, media_type: str) -> dict:
    """The 200 body every operation declares for ``media_type``: one schema, or an error."""
    declared = [
        operation["responses"]["200"]["content"][media_type]["schema"]
        for operations in openapi.get("paths", {}).values()
        for operation in operations.values()
        if media_type in operation.get("responses", {}).get("200", {}).get("content", {})
    ]
    if not declared:
        raise NotJSONSchema(f"No operation declares a 200 {media_type} body")
    if any(schema != declared[0] for schema in declared[1:]):
        raise NotJSONSchema(f"The operations declare different {media_type} bodies: publish them apart")
    return declared[0]


def _references(schema) -> Iterator[str]:
    """Every ``$ref`` in a schema (at any depth)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key in _PLAIN_VALUE_KEYWORDS:
                continue
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                for subschema in value.values():
                    yield from _references(subschema)
            else:
                yield from _references(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _references(item)


def _needed_components(body: dict, components: dict) -> set[str]:
    """The components ``body`` refers to, and those they refer to, transitively."""
    needed: set[str] = set()
    pending = [_component_name(ref) for ref in _references(body)]
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        if name not in components:
            raise NotJSONSchema(f"$ref to a missing component: {name}")
        needed.add(name)
        pending.extend(_component_name(ref) for ref in _references(components[name]))
    return needed


def _component_name(ref: str) -> str:
    for prefix in (COMPONENT_REF_PREFIX, DEFS_REF_PREFIX):
        if ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
            return ref[len(prefix) :]
    raise NotJSONSchema(f"Only component schemas can be referred to, not {ref!r}")


def _rewritten(schema, *, where: str):
    """A deep copy of ``schema`` with each component ``$ref`` pointing into ``$defs``; refuses
    keywords that exist only in OpenAPI."""

    def rewrite(value):
        if isinstance(value, list):  # allOf, oneOf, anyOf, prefixItems: schemas
            return [rewrite(item) for item in value]
        if not isinstance(value, dict):  # true / false schemas, and annotation values
            return value
        refused = OPENAPI_ONLY_KEYWORDS & set(value)
        if refused:
            raise NotJSONSchema(f"{where}: OpenAPI-only keyword(s) {sorted(refused)}")
        result: dict[str, object] = {}
        for key, item in value.items():
            if key == "$ref":
                result[key] = DEFS_REF_PREFIX + _component_name(item)
            elif key in _SCHEMA_MAPS and isinstance(item, dict):
                result[key] = {name: rewrite(subschema) for name, subschema in item.items()}
            elif key in _PLAIN_VALUE_KEYWORDS:
                result[key] = copy.deepcopy(item)
            else:
                result[key] = rewrite(item)
        return result

    return rewrite(schema)


def render(document: dict) -> str:
    """The document as published: sorted keys, two-space indentation, UTF-8, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generated_openapi() -> dict:
    """The OpenAPI document as drf-spectacular generates it now, as plain JSON data (the same
    conversion the snapshot test makes: lazy texts and other objects become strings)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, sort_keys=True, default=str))


@cache
def current_documents() -> dict[str, dict]:
    """The documents of the running code's contract (generated once per process)."""
    return schema_documents(generated_openapi())


@cache
def current_rendered() -> dict[str, str]:
    """:func:`render` of each current document, by name (what is served and exported)."""
    return {name: render(document) for name, document in current_documents().items()}
