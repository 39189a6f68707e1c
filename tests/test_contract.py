"""api.contract: a serializer compiled into a plain function gives exactly what DRF gives."""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from api.contract import representation


@dataclass(frozen=True)
class Inner:
    html: str
    text: str


@dataclass(frozen=True)
class Row:
    name: str
    when: dt.datetime | None
    day: dt.date | None
    opens: dt.time
    key: uuid.UUID
    count: int
    score: float
    flag: bool
    tags: tuple[str, ...]
    inner: Inner
    inners: tuple[Inner, ...]
    maybe: Inner | None
    data: dict


@dataclass(frozen=True)
class Wrapper:
    obj: Row
    locale: str


class InnerSerializer(serializers.Serializer):
    html = serializers.CharField()
    text = serializers.CharField()


class RowSerializer(serializers.Serializer):
    name = serializers.CharField(source="obj.name")
    when = serializers.DateTimeField(source="obj.when", allow_null=True)
    day = serializers.DateField(source="obj.day", allow_null=True)
    opens = serializers.TimeField(source="obj.opens", format="%H:%M")
    key = serializers.UUIDField(source="obj.key")
    count = serializers.IntegerField(source="obj.count")
    score = serializers.FloatField(source="obj.score")
    flag = serializers.BooleanField(source="obj.flag")
    tags = serializers.ListField(child=serializers.CharField(), source="obj.tags")
    inner = InnerSerializer(source="obj.inner")
    inners = InnerSerializer(many=True, source="obj.inners")
    maybe = InnerSerializer(source="obj.maybe", allow_null=True)
    data = serializers.JSONField(source="obj.data")
    locale = serializers.CharField()


texts = st.text(max_size=20)
inners = st.builds(Inner, html=texts, text=texts)
moments = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)
)
rows = st.builds(
    Row,
    name=texts,
    when=st.none() | moments,
    day=st.none() | st.dates(),
    opens=st.times(),
    key=st.uuids(),
    count=st.integers(),
    score=st.floats(allow_nan=False),
    flag=st.booleans(),
    tags=st.lists(texts, max_size=3).map(tuple),
    inner=inners,
    inners=st.lists(inners, max_size=3).map(tuple),
    maybe=st.none() | inners,
    data=st.dictionaries(texts, st.integers() | texts, max_size=3),
)


@given(row=rows, locale=st.sampled_from(["nl", "fr"]))
def test_the_compiled_function_equals_drf(row, locale):
    value = Wrapper(obj=row, locale=locale)
    assert representation(RowSerializer)(value) == RowSerializer(value).data


def test_it_is_compiled_once_and_reads_attributes_directly():
    assert representation(RowSerializer) is representation(RowSerializer)
    source = representation(RowSerializer).__doc__
    assert "'name': v.obj.name" in source
    assert "'locale': v.locale" in source


def test_unknown_field_types_are_refused_at_compile_time():
    class Odd(serializers.Serializer):
        method = serializers.SerializerMethodField()

        def get_method(self, obj):
            return 1

    with pytest.raises(TypeError, match="SerializerMethodField"):
        representation(Odd)


def test_sources_are_attribute_names_only():
    class Bad(serializers.Serializer):
        name = serializers.CharField(source="obj.a-b")

    with pytest.raises(TypeError, match="attribute names only"):
        representation(Bad)


def test_a_time_field_needs_an_explicit_format():
    class NoFormat(serializers.Serializer):
        opens = serializers.TimeField()

    with pytest.raises(TypeError, match="explicit format"):
        representation(NoFormat)
