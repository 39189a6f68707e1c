"""The compiled HSDS 3.0.1 service schema, vendored in ``schemas/compiled/service.json``, and the
errors of a document against it, for ``manage.py import_hsds``.

The schema declares no ``$schema``; it is read as JSON Schema Draft 2020-12 (the HSDS API's
OpenAPI 3.1 dialect), with the format checker: ``uuid`` and ``email`` are always checked,
``uri`` and ``date-time`` when jsonschema's optional format packages are installed (they are for
the tests). The product reads nothing outside its own tree.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
COMPILED_SERVICE_SCHEMA = SCHEMA_DIR / "compiled" / "service.json"


@dataclass(frozen=True)
class SchemaError:
    """One way a document breaks the schema: where (a JSONPath from the document's root, ``$``)
    and why (jsonschema's message)."""

    path: str
    message: str


def _document_order(error) -> list[str]:
    return [f"{part:012d}" if isinstance(part, int) else part for part in error.absolute_path]


@functools.cache
def service_validator() -> Draft202012Validator:
    schema = json.loads(COMPILED_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def service_errors(document: object) -> list[SchemaError]:
    """Every error of ``document`` against the compiled service schema, in document order."""
    errors = sorted(service_validator().iter_errors(document), key=_document_order)
    return [SchemaError(path=error.json_path, message=error.message) for error in errors]
