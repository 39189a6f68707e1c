"""``GET /api/v1/schemas/`` and ``GET /api/v1/schemas/{name}.json``: the published JSON Schemas.

Invariants:

* Served exactly as exported: the body of ``{name}.json`` is ``render()`` of the current document,
  byte for byte the committed ``schemas/v1/{name}.json`` (while that file is current, which the
  tests check), as ``application/schema+json``.
* Like every v1 endpoint (``PublicAPIMixin``): strict query parameters (these endpoints take
  none: any is a 400), a strong ``ETag``, ``Last-Modified`` and the public ``Cache-Control``,
  conditional requests (304, 412), the shared response cache, CORS, channel keys and the rate
  limit; every error is problem+json (an unknown name is a 404).
* The body never depends on ``Accept``: ``{name}.json`` is always ``application/schema+json``,
  also to a client that asks for ``application/json`` (a JSON Schema is JSON; RFC 6839); an
  ``Accept`` that allows neither is a 406. So every ``Accept`` the response cache answers from an
  entry (api.base.accepts_json) is one these views serve, with the same bytes.
* No content language: a schema is the same in every locale (no ``Content-Language``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAcceptable
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import PublicContentNegotiation, PublicJSONRenderer, absolute_url
from api.contract import represent
from api.json_schemas.documents import (
    CATALOGUE,
    DIALECT,
    MEDIA_TYPE,
    VERSION_ANNOTATION,
    current_rendered,
)
from api.views import DETAIL_ERRORS, ERRORS, PublicAPIMixin


@dataclass(frozen=True)
class IndexedSchema:
    name: str
    title: str
    schema_id: str
    url: str


@dataclass(frozen=True)
class SchemaIndex:
    schemas: tuple[IndexedSchema, ...]


class NoParams(serializers.Serializer):
    """These endpoints take no query parameters: any is a 400."""


SchemaIndexEntrySerializer = serializers.SerializerMetaclass(
    "SchemaIndexEntrySerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "__doc__": '``{"name": "faq-detail", "title": "FAQ page", "$id": "urn:baken:schema:v1:faq-detail", '
        '"url": "https://…/api/v1/schemas/faq-detail.json"}``',
        "name": serializers.CharField(help_text="The document's name: the file name without `.json`."),
        "title": serializers.CharField(help_text="The document's `title`."),
        # Named as the document's keyword it repeats ("$id" is no Python name: declared in this dict).
        "$id": serializers.CharField(
            source="schema_id",
            help_text="The document's `$id`: a stable name, the same on every host (not where to fetch it).",
        ),
        "url": serializers.URLField(help_text="Where this server serves the document."),
    },
)


class SchemaIndexSerializer(serializers.Serializer):
    """The published JSON Schemas (draft 2020-12) of the public objects and responses."""

    schemas = SchemaIndexEntrySerializer(many=True)


# What GET /api/v1/schemas/{name}.json answers, as the OpenAPI document describes it: the
# document's own annotations (its full shape is the JSON Schema 2020-12 meta-schema, which is not
# referred to here, so that no tool reading the OpenAPI document fetches anything).
SCHEMA_DOCUMENT = {
    "type": "object",
    "description": f"A standalone JSON Schema ({DIALECT}) of one public shape; its `$ref`s point into "
    "its own `$defs`.",
    "required": ["$schema", "$id", "title", "description", VERSION_ANNOTATION],
    "properties": {
        "$schema": {"type": "string", "const": DIALECT},
        "$id": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        VERSION_ANNOTATION: {"type": "string", "description": "The version of the API contract."},
        "$defs": {"type": "object", "additionalProperties": {"type": ["object", "boolean"]}},
    },
    "additionalProperties": True,
}

SCHEMA_NAME = OpenApiParameter(
    "name",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[entry.name for entry in CATALOGUE],
    description="The document's name (see GET /api/v1/schemas/).",
)


class SchemaDocumentRenderer(PublicJSONRenderer):
    """The pre-rendered document, as is (``render()``: sorted keys, indented, final newline)."""

    media_type = MEDIA_TYPE
    format = "json"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return super().render(data, accepted_media_type, renderer_context)  # errors (problem+json)


class SchemaDocumentNegotiation(PublicContentNegotiation):
    """``application/schema+json`` for any ``Accept`` that allows it or JSON; else a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            # Not schema+json by name: still served when JSON is acceptable (what accepts_json says).
            super().select_renderer(request, [PublicJSONRenderer()], format_suffix)
            document_renderer = renderers[0]
            return document_renderer, document_renderer.media_type


class PublishedSchemasMixin(PublicAPIMixin):
    """The shared behaviour of the v1 endpoints, for bodies that depend on no content."""

    cache_families = ()  # the documents depend on the code only, not on content versions
    served_languages: list[str] = []  # a schema is in no content language

    def get_params_class(self):
        return NoParams


@extend_schema(tags=["schemas"])
class SchemaIndexView(PublishedSchemasMixin, APIView):
    """The published JSON Schemas."""

    @extend_schema(
        operation_id="schemas_list",
        responses={200: SchemaIndexSerializer, **ERRORS},
        description="The JSON Schemas (draft 2020-12) of the public objects and of whole responses, "
        "built from the same contract as this OpenAPI document: the name, title, `$id` and `url` of each.",
    )
    def get(self, request):
        schemas = tuple(
            IndexedSchema(
                name=entry.name,
                title=entry.title,
                schema_id=entry.schema_id,
                url=absolute_url(request, reverse("api:schemas-detail", kwargs={"name": entry.name})),
            )
            for entry in CATALOGUE
        )
        return Response(represent(SchemaIndexSerializer, SchemaIndex(schemas=schemas)))


@extend_schema(tags=["schemas"])
class SchemaDocumentView(PublishedSchemasMixin, APIView):
    """One published JSON Schema."""

    renderer_classes = [SchemaDocumentRenderer]
    content_negotiation_class = SchemaDocumentNegotiation

    @extend_schema(
        operation_id="schemas_retrieve",
        parameters=[SCHEMA_NAME],
        responses={(200, MEDIA_TYPE): SCHEMA_DOCUMENT, **DETAIL_ERRORS},
        description="One JSON Schema (draft 2020-12), standalone: validate an object or a whole "
        "response with it. Served as application/schema+json, also to `Accept: application/json`.",
    )
    def get(self, request, name: str):
        document = current_rendered().get(name)
        if document is None:
            raise Http404
        return Response(document, content_type=MEDIA_TYPE)
