"""A checker of JSON-LD against the schema.org vocabulary: every property is defined for the node's
type (or a supertype), and every value is of a type the property's range allows.

The vocabulary is the schema.org release 12.0 "current" terms (tests/schemas/schemaorg/, trimmed
to the columns used here; see tests/schemas/README.md).
"""

import csv
import re
from functools import cache
from pathlib import Path

VOCABULARY = Path(__file__).parent / "schemas" / "schemaorg"
SCHEMA = "https://schema.org/"

# Data types, and what a JSON value of each looks like.
DATA_TYPES = {
    "Text": lambda value: isinstance(value, str),
    "URL": lambda value: isinstance(value, str) and re.match(r"^(https?|mailto|tel):", value) is not None,
    "Time": lambda value: isinstance(value, str) and re.match(r"^\d\d:\d\d(:\d\d)?$", value) is not None,
    "Date": lambda value: isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d$", value) is not None,
    "DateTime": lambda value: isinstance(value, str) and "T" in value,
    "Boolean": lambda value: isinstance(value, bool),
    "Number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "Integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
}
# Text's subtypes accept any string that passes their own check; Text itself accepts any string.
TEXT_SUBTYPES = {"URL"}


def _short(iri: str) -> str:
    return iri.removeprefix(SCHEMA)


@cache
def vocabulary() -> tuple[dict, dict]:
    """(properties: name → (domains, ranges), types: name → (supertypes, enumeration type))."""
    properties, types = {}, {}
    with (VOCABULARY / "properties.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            split = lambda text: {_short(part.strip()) for part in text.split(",") if part.strip()}  # noqa: E731
            properties[_short(row["id"])] = (split(row["domainIncludes"]), split(row["rangeIncludes"]))
    with (VOCABULARY / "types.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            supertypes = {_short(part.strip()) for part in row["subTypeOf"].split(",") if part.strip()}
            types[_short(row["id"])] = (supertypes, _short(row["enumerationtype"]))
    return properties, types


def ancestors(type_name: str) -> set[str]:
    """The type and all its supertypes."""
    _, types = vocabulary()
    seen, todo = set(), [type_name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(types.get(current, (set(), ""))[0])
    return seen


def problems(node: dict, *, expected: set[str] | None = None, at: str = "$") -> list[str]:
    """What in ``node`` (a JSON-LD object) the schema.org vocabulary does not allow."""
    properties, types = vocabulary()
    found = []
    type_name = node.get("@type")
    if not isinstance(type_name, str) or type_name not in types:
        return [f"{at}: unknown @type {type_name!r}"]
    lineage = ancestors(type_name)
    if expected is not None and not lineage & expected:
        found.append(f"{at}: a {type_name} where the property expects {sorted(expected)}")
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in properties:
            found.append(f"{at}.{name}: no such schema.org property")
            continue
        domains, ranges = properties[name]
        if not domains & lineage:
            found.append(f"{at}.{name}: not a property of {type_name} (only of {sorted(domains)})")
            continue
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            found += _value_problems(item, ranges, f"{at}.{name}[{index}]")
    return found


def _value_problems(value, ranges: set[str], at: str) -> list[str]:
    _, types = vocabulary()
    if isinstance(value, dict):
        return problems(value, expected=ranges, at=at)
    for range_name in ranges:
        check = DATA_TYPES.get(range_name)
        if check is not None and check(value):
            return []
        if range_name == "Text" and isinstance(value, str):
            return []
        # An enumeration member, written as its IRI: https://schema.org/TollFree for ContactPointOption.
        if isinstance(value, str) and value.startswith(SCHEMA):
            member = _short(value)
            if member in types and range_name in ancestors(member) | {types[member][1]}:
                return []
    return [f"{at}: {value!r} is none of {sorted(ranges)}"]
