"""The public contract, declared once: DRF serializers compiled into plain functions.

Each public shape is one serializer class in ``api.serializers``. That class is what
drf-spectacular reads for the OpenAPI document (and what the published JSON Schemas come from),
and :func:`representation` compiles it, once per process, into a function that builds the same
JSON from a value object: the field list is walked at import, each ``source`` becomes attribute
access written into the generated code, and each field type its converter (dates, nested shapes,
lists). No DRF field machinery runs per request.

Invariants:
- The compiled function gives exactly what ``Serializer(value).data`` gives for the same value
  (tests/test_contract.py checks it on every shape, with real responses).
- Values are objects (the frozen dataclasses of ``api.values``), read by attribute only.
- A field type the compiler does not know is an error at import, never a silently different
  representation.
"""

from __future__ import annotations

import datetime as dt
import keyword
from collections.abc import Callable
from functools import cache
from types import FunctionType
from typing import cast

from django.utils import timezone
from rest_framework import serializers

Representation = Callable[[object], dict]

# Fields whose representation is the value itself (the value objects hold the right types).
_AS_IS = (
    serializers.BooleanField,
    serializers.CharField,  # includes SlugField, URLField, EmailField, RegexField
    serializers.ChoiceField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.JSONField,
    serializers.DictField,
)


def as_datetime(value: dt.datetime | None) -> str | None:
    """As DRF's DateTimeField renders it: ISO 8601 in the current time zone, UTC as ``Z``."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def as_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def as_uuid(value) -> str | None:
    return None if value is None else str(value)


def _as_time(time_format: str) -> Callable:
    def as_time(value: dt.time | None) -> str | None:
        return None if value is None else value.strftime(time_format)

    return as_time


def _access(source: str) -> str:
    """``"obj.slug"`` → ``"v.obj.slug"``, refusing anything but attribute names."""
    if source == "*":
        return "v"
    parts = source.split(".")
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        raise TypeError(f"Unsupported serializer source {source!r}: attribute names only")
    return "v." + ".".join(parts)


class _Compiler:
    def __init__(self) -> None:
        self.namespace: dict[str, object] = {}

    def constant(self, value) -> str:
        name = f"_c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def expression(self, field: serializers.Field, value: str) -> str:
        """Python source that turns ``value`` (source code of the field's value) into JSON data."""
        if isinstance(field, serializers.ListSerializer):
            if not isinstance(field.child, serializers.Serializer):
                raise TypeError(f"{field!r}: a list of shapes needs a Serializer child")
            child = self.constant(representation(type(field.child)))
            return f"[{child}(item) for item in {value}]"
        if isinstance(field, serializers.Serializer):
            nested = self.constant(representation(type(field)))
            if field.allow_null:
                return f"(None if {value} is None else {nested}({value}))"
            return f"{nested}({value})"
        if isinstance(field, serializers.ListField):
            item = self.expression(field.child, "item")
            return f"list({value})" if item == "item" else f"[{item} for item in {value}]"
        if isinstance(field, serializers.DateTimeField):
            return f"{self.constant(as_datetime)}({value})"
        if isinstance(field, serializers.DateField):
            return f"{self.constant(as_date)}({value})"
        if isinstance(field, serializers.TimeField):
            time_format = getattr(field, "format", None)
            if not isinstance(time_format, str):
                raise TypeError(f"{field!r}: a TimeField in the contract needs an explicit format")
            return f"{self.constant(_as_time(time_format))}({value})"
        if isinstance(field, serializers.UUIDField):
            return f"{self.constant(as_uuid)}({value})"
        if isinstance(field, serializers.SerializerMethodField):
            raise TypeError(f"{field!r}: declare a typed field instead of a SerializerMethodField")
        if isinstance(field, _AS_IS):
            return value
        raise TypeError(f"The contract compiler does not know {type(field).__name__} ({field!r})")


@cache
def representation(serializer_class: type[serializers.Serializer]) -> Representation:
    """The plain function that represents a value as ``serializer_class`` declares it."""
    compiler = _Compiler()
    items = []
    for name, field in serializer_class().fields.items():
        if field.write_only:
            continue
        if field.source is None:  # never, once bound: bind() defaults the source to the field name
            raise TypeError(f"{field!r}: an unbound field has no source")
        items.append(f"{name!r}: {compiler.expression(field, _access(field.source))}")
    source = "def represent(v):\n    return {" + ", ".join(items) + "}\n"
    code = compile(source, f"<contract {serializer_class.__qualname__}>", "exec")
    exec(code, compiler.namespace)  # noqa: S102 - source built above from our own field declarations
    represent = cast(FunctionType, compiler.namespace["represent"])  # defined by the code just run
    represent.__doc__ = f"``{serializer_class.__name__}`` as plain data (api.contract).\n\n{source}"
    represent.__qualname__ = represent.__name__ = f"represent_{serializer_class.__name__}"
    return represent


def represent(serializer_class: type[serializers.Serializer], value) -> dict:
    return representation(serializer_class)(value)


def represent_many(serializer_class: type[serializers.Serializer], values) -> list[dict]:
    build = representation(serializer_class)
    return [build(value) for value in values]
