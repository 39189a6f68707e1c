"""Which language a request is served in.

``?locale=`` wins, else Accept-Language (RFC 4647 lookup), else the default locale.
"""

import re
from dataclasses import dataclass

from django.conf import settings

_LANGUAGE_RANGE = re.compile(r"^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$")


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    chain: tuple[str, ...]  # the code first, then where it falls back to, in order


def supported_locales() -> list[str]:
    return list(settings.BAKEN_LOCALES)


def fallback_chain(code: str) -> tuple[str, ...]:
    configured = settings.BAKEN_LOCALE_FALLBACKS.get(code)
    fallbacks = configured if configured is not None else [settings.BAKEN_DEFAULT_LOCALE]
    chain = [code]
    for fallback in fallbacks:
        if fallback in settings.BAKEN_LOCALES and fallback not in chain:
            chain.append(fallback)
    return tuple(chain)


def parse_accept_language(header: str) -> list[str]:
    """Language ranges by descending quality; malformed entries are ignored, q=0 excluded."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        language_range = pieces[0]
        if not language_range or not _LANGUAGE_RANGE.match(language_range):
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0 < quality <= 1:
            ranges.append((-quality, position, language_range.lower()))
    return [language_range for _, _, language_range in sorted(ranges)]


def lookup(language_ranges: list[str], available: list[str]) -> str | None:
    """RFC 4647 §3.4 lookup: truncate each range from the end until it names an available tag."""
    available_lower = {code.lower(): code for code in available}
    for language_range in language_ranges:
        if language_range == "*":
            continue
        subtags = language_range.split("-")
        while subtags:
            candidate = "-".join(subtags)
            if candidate in available_lower:
                return available_lower[candidate]
            subtags.pop()
            if subtags and len(subtags[-1]) == 1:
                subtags.pop()
    return None


def choose_language(*, locale_param: str | None, accept_language: str) -> LanguageChoice:
    """``locale_param`` must already be validated as a supported locale."""
    code = locale_param or lookup(parse_accept_language(accept_language), supported_locales())
    code = code or settings.BAKEN_DEFAULT_LOCALE
    return LanguageChoice(code=code, chain=fallback_chain(code))


def content_languages(body, *, requested: str) -> list[str]:
    """The languages of the served objects in a response body, for ``Content-Language``.

    Served objects are the dicts with both ``locale`` and ``is_fallback``. A single object's own
    language comes first; in a list the requested language comes first when the body has any;
    the others follow in the order they appear. An empty list has no language.
    """
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            locale = value.get("locale") if "is_fallback" in value else None
            if isinstance(locale, str) and locale not in found:
                found.append(locale)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body)
    single = isinstance(body, dict) and "is_fallback" in body
    if not single and requested in found:
        found.remove(requested)
        found.insert(0, requested)
    return found
