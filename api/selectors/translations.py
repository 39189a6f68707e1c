"""Translations: which one is served, and whether it is behind its source.

This module is the home of the one ``translation_outdated`` rule, used by the selectors
(``serve``), search and the admin report "Translations behind their source"
(cms.translation_status, through ``behind_source``).

Resolution: for each ``translation_key`` the object in the first locale of the request's
fallback chain that has a visible one is served (``best_translations``); ``is_fallback`` marks
objects served in another language than the one asked for.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from django.conf import settings

from api.values import Served
from api.visibility import Visibility


class Translation(Protocol):
    """What resolution reads of a translatable, publishable row (a page or a snippet)."""

    @property
    def pk(self) -> Any: ...
    @property
    def translation_key(self) -> uuid.UUID: ...
    @property
    def locale_id(self) -> int: ...
    @property
    def last_published_at(self) -> dt.datetime | None: ...


T = TypeVar("T", bound=Translation)


def translation_outdated(
    *, locale: str, published_at: dt.datetime | None, source_published_at: dt.datetime | None
) -> bool:
    """Whether a translation is behind its source: the rule of the API's ``translation_outdated``.

    ``locale`` is the object's language code, ``published_at`` its last publication and
    ``source_published_at`` the last publication of its *visible* default-locale version (see
    api.visibility; None when there is none). Outdated when the object is not in the default
    locale and its visible source was published after it: the source changed and the translation
    has not caught up. An object in the default locale is a source, never outdated; without a
    visible source, or without a publication of its own, there is nothing to compare.
    """
    return bool(
        locale != settings.BAKEN_DEFAULT_LOCALE
        and source_published_at
        and published_at
        and source_published_at > published_at
    )


def behind_source(
    *, locale: str, published_at: dt.datetime | None, source_published_at: dt.datetime | None
) -> bool:
    """What the admin report lists: translations ``translation_outdated`` says are behind, and
    those never published (``published_at`` None) although their source is visible."""
    never_published = (
        locale != settings.BAKEN_DEFAULT_LOCALE and source_published_at is not None and published_at is None
    )
    return never_published or translation_outdated(
        locale=locale, published_at=published_at, source_published_at=source_published_at
    )


def resolve_translations(
    candidates: Iterable[dict], *, chain: Sequence[str], locale_ids: dict[str, int]
) -> list[dict]:
    """From rows with ``pk``, ``translation_key`` and ``locale_id``, keep one per key: the best locale."""
    rank = {locale_ids[code]: position for position, code in enumerate(chain) if code in locale_ids}
    best: dict = {}
    for row in candidates:
        position = rank.get(row["locale_id"])
        if position is None:
            continue
        current = best.get(row["translation_key"])
        if current is None or position < rank[current["locale_id"]]:
            best[row["translation_key"]] = row
    return list(best.values())


def best_translations(objects: Iterable[T], *, chain: Sequence[str], visibility: Visibility) -> list[T]:
    """Of these (visible) objects, the ones to serve: one per ``translation_key``, in the best locale
    of ``chain`` (``resolve_translations``), in the order they came in."""
    objects = list(objects)
    rows = [
        {"pk": obj.pk, "translation_key": obj.translation_key, "locale_id": obj.locale_id} for obj in objects
    ]
    keep = {row["pk"] for row in resolve_translations(rows, chain=chain, locale_ids=visibility.locale_ids)}
    return [obj for obj in objects if obj.pk in keep]


def fetched_locale_ids(visibility: Visibility, chain: Sequence[str]) -> list[int]:
    """The chain's locales plus the default one, whose versions tell whether a translation is outdated."""
    ids = visibility.chain_locale_ids(chain)
    default_id = visibility.default_locale_id
    return ids if default_id in ids or default_id is None else [*ids, default_id]


class Chosen(NamedTuple, Generic[T]):
    """An object the API serves, and how (``api.values.Served``)."""

    obj: T
    served: Served


def serve(
    objects: Iterable[T],
    *,
    requested: str,
    locale_codes: dict[int, str],
    source_published_at: dict | None = None,
) -> list[Chosen[T]]:
    """Each object with how it is served: its locale, ``is_fallback`` and ``translation_outdated``.

    ``source_published_at`` maps translation keys to the last publication of their visible
    default-locale version (``source_times``); ``translation_outdated`` is the rule above.
    """
    source_published_at = source_published_at or {}
    chosen = []
    for obj in objects:
        locale = locale_codes[obj.locale_id]
        outdated = translation_outdated(
            locale=locale,
            published_at=obj.last_published_at,
            source_published_at=source_published_at.get(obj.translation_key),
        )
        chosen.append(
            Chosen(obj, Served(locale=locale, is_fallback=locale != requested, translation_outdated=outdated))
        )
    return chosen


def source_times(items, *, visibility: Visibility) -> dict:
    """translation_key → last_published_at of the default-locale version, from rows or objects
    (visible ones: the caller passes only those)."""
    default_id = visibility.default_locale_id
    times = {}
    for item in items:
        row = item if isinstance(item, dict) else vars(item)
        if row["locale_id"] == default_id:
            times[row["translation_key"]] = row.get("last_published_at")
    return times
