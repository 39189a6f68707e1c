"""Which items a feed answer concerns: every public one (initial sync), or every one a stretch of
the change log and of the clock may have changed (delta).

An *item* is one object as a channel keys it: its type (``campaign``, ``faq``, ``helpline``,
``citation``), its ``translation_key`` (stable across edits, slug changes and moves) and a locale
— the requested one (its data then follows the detail endpoints' fallback rules), or with
``?locale=all`` the locale of each translation. Items are ordered by (type rank, key, locale id):
the feed pages through a set of items by that order (a keyset, see api.feed.tokens.Cursor).

What a stretch of the log and of the clock may have changed (:func:`affected_items`) is a superset
of what did change; invariants, each a dependency of a representation or of the visibility rule:

* a page entry re-judges the page and its whole current subtree (an unpublished, expired,
  restricted or moved page hides or shows its descendants), every campaign (a campaign embeds the
  summaries of the FAQ pages below any of its translations, and an FAQ page may have moved away
  from it), and every FAQ page and citation whose rich text links to a page of those subtrees (a
  link keeps its ``href`` only while its page is public, and the ``href`` is the page's URL);
* a help-line or citation entry re-judges that object (all its translations) and every FAQ page
  whose questions embed any of its rows; a help-line also every campaign (campaigns embed them);
  a citation re-judged because its notes link to a page re-judges its embedding FAQ pages too;
* a locale, site or document entry may change anything (languages and fallbacks, the page tree
  served and its URLs, document links' URLs): everything is re-judged;
* the clock: every page and snippet whose own ``go_live_at`` or ``expire_at`` falls in the window
  counts as if it had an entry (with the same implications). A revision's ``approved_go_live_at``
  needs nothing here: the feed publishes due revisions before reading the log
  (api.scheduling.publish_if_due), and that publication writes its entries;
* a deleted object is named by its entries (its translation key and locale), so it gets a
  tombstone although no row is left.

Not re-emitted by the clock alone: ``open_now`` of a help-line (opening hours) and
``next_occurrence`` of a campaign's key dates are computed at the moment of the answer, like every
endpoint computes them; a channel that shows them derives them from ``availability`` and
``key_dates``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from wagtail.models import Page

from api.languages import fallback_chain
from api.selectors import visible_pages, visible_snippets
from api.visibility import Visibility
from cms.change_log import Change, ObjectType
from cms.pages.models import CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation

TYPES = ("campaign", "faq", "helpline", "citation")
RANK = {name: rank for rank, name in enumerate(TYPES)}
# Any: the models differ (pages, snippets); each is used only through what they share.
MODELS: dict[str, Any] = {
    "campaign": CampaignPage,
    "faq": FAQPage,
    "helpline": HelpLine,
    "citation": SourceCitation,
}
PAGE_TYPES = ("campaign", "faq")
# The specific table of a page type, as the change log names it (a deleted page's type).
PAGE_TABLES = {CampaignPage._meta.db_table: "campaign", FAQPage._meta.db_table: "faq"}
# Beyond this many rows to look for, the FAQ bodies are read without the coarse text filter.
MAX_TEXT_PROBES = 100

_LINK = re.compile(r"<a\s+(?P<attrs>[^>]*\blinktype=\\?\"page\\?\"[^>]*)>", re.IGNORECASE)
_LINK_ID = re.compile(r"\bid=\\?\"(?P<id>\d+)\\?\"")


@dataclass(frozen=True, order=True)
class Item:
    """One item, in the feed's identity order."""

    rank: int
    key: str  # the translation key, as text
    locale_id: int

    @property
    def type(self) -> str:
        return TYPES[self.rank]


@dataclass(frozen=True)
class Scope:
    """What a client syncs: one language (fallbacks as the detail endpoints apply them) or all."""

    locale: str | None  # None: every locale's own translations

    def chain(self) -> tuple[str, ...]:
        return fallback_chain(self.locale) if self.locale else ()


def _visible(type_: str, visibility: Visibility) -> QuerySet:
    model = MODELS[type_]
    if type_ in PAGE_TYPES:
        return visible_pages(model=model, visibility=visibility)
    return visible_snippets(model=model, visibility=visibility)


# --- initial sync: every public item ---------------------------------------------------------


def public_items(*, visibility: Visibility, scope: Scope, after: Item | None, limit: int) -> list[Item]:
    """Up to ``limit`` public items after ``after``, in identity order (an initial sync's page)."""
    items: list[Item] = []
    for rank, type_ in enumerate(TYPES):
        if after is not None and rank < after.rank:
            continue
        wanted = limit - len(items)
        if wanted <= 0:
            break
        visible = _visible(type_, visibility)
        same_type = after is not None and after.rank == rank
        if scope.locale is not None:
            locale_id = visibility.locale_ids[scope.locale]
            keys = visible.filter(locale_id__in=visibility.chain_locale_ids(scope.chain()))
            if same_type:
                keys = keys.filter(translation_key__gt=uuid.UUID(after.key))  # type: ignore[union-attr]
            found = keys.order_by("translation_key").values_list("translation_key", flat=True).distinct()
            items += [Item(rank, str(key), locale_id) for key in found[:wanted]]
        else:
            rows = visible
            if same_type:
                key = uuid.UUID(after.key)  # type: ignore[union-attr]
                rows = rows.filter(
                    Q(translation_key__gt=key) | Q(translation_key=key, locale_id__gt=after.locale_id)  # type: ignore[union-attr]
                )
            found_rows = rows.order_by("translation_key", "locale_id").values_list(
                "translation_key", "locale_id"
            )
            items += [Item(rank, str(key), locale_id) for key, locale_id in found_rows[:wanted]]
    return items


# --- delta: every item a stretch of the log and the clock may have changed ---------------------


class _Affected:
    """Keys by type, each with the locales its entries named (deleted translations)."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, set[int]]] = {type_: defaultdict(set) for type_ in TYPES}

    def add(self, type_: str, key, locale_id: int | None = None) -> None:
        locales = self.keys[type_][str(key)]
        if locale_id is not None:
            locales.add(locale_id)

    def add_all(self, type_: str, keys: Iterable) -> None:
        for key in keys:
            self.add(type_, key)


def affected_items(
    *,
    entries: Sequence[Change],
    since: dt.datetime,
    until: dt.datetime,
    visibility: Visibility,
    scope: Scope,
) -> list[Item]:
    """Every item the log ``entries`` and the clock moments in (``since``, ``until``] may have
    changed (see the module docstring), in identity order."""
    affected = _Affected()
    page_ids: set[int] = set()
    snippet_rows: dict[str, set[int]] = {"helpline": set(), "citation": set()}
    page_entry_tables: dict[str, set[str]] = defaultdict(set)
    everything = False
    for entry in entries:
        if entry.object_type in (ObjectType.LOCALE, ObjectType.SITE, ObjectType.DOCUMENT):
            everything = True
        elif entry.object_type == ObjectType.PAGE:
            page_ids.add(entry.object_id)
            if entry.translation_key is not None:
                page_entry_tables[str(entry.translation_key)].add(entry.source_table)
        elif entry.object_type in (ObjectType.HELPLINE, ObjectType.CITATION):
            type_ = str(entry.object_type)
            snippet_rows[type_].add(entry.object_id)
            if entry.translation_key is not None:
                affected.add(type_, entry.translation_key, entry.locale_id)

    # The clock: own go-live and expiry moments in the window.
    window = Q(go_live_at__gt=since, go_live_at__lte=until) | Q(expire_at__gt=since, expire_at__lte=until)
    page_ids |= set(Page.objects.filter(window).values_list("pk", flat=True))
    for type_ in ("helpline", "citation"):
        for pk, key, locale_id in (
            MODELS[type_].objects.filter(window).values_list("pk", "translation_key", "locale_id")
        ):
            snippet_rows[type_].add(pk)
            affected.add(type_, key, locale_id)

    if everything:
        for type_ in TYPES:
            affected.add_all(
                type_, MODELS[type_]._default_manager.values_list("translation_key", flat=True).distinct()
            )
    else:
        _pages_and_below(affected, page_ids, page_entry_tables, entries)
        if page_ids:
            _linking_to(affected, page_ids, snippet_rows)
        _embedding(affected, snippet_rows)
        if page_ids or affected.keys["helpline"]:
            affected.add_all(
                "campaign", CampaignPage.objects.values_list("translation_key", flat=True).distinct()
            )
    return _items(affected, visibility=visibility, scope=scope)


def _tops(paths: Iterable[str]) -> list[str]:
    tops: list[str] = []
    for path in sorted(paths):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tops


def _pages_and_below(
    affected: _Affected, page_ids: set[int], page_entry_tables: dict[str, set[str]], entries: Sequence[Change]
) -> None:
    """The pages of the entries and the clock, and their current subtrees; ``page_ids`` grows to
    every page in them. A page key with no FAQ or campaign row left gets the types its entries
    name (both when they name none)."""
    content_types = {
        ContentType.objects.get_for_model(model).pk: type_
        for type_, model in MODELS.items()
        if type_ in PAGE_TYPES
    }
    if page_ids:
        tops = _tops(Page.objects.filter(pk__in=list(page_ids)).values_list("path", flat=True))
        if tops:
            below = Page.objects.filter(reduce(or_, (Q(path__startswith=top) for top in tops)))
            for pk, key, content_type_id in below.values_list("pk", "translation_key", "content_type_id"):
                page_ids.add(pk)
                type_ = content_types.get(content_type_id)
                if type_ is not None:
                    affected.add(type_, key)
    if not page_entry_tables:
        return
    existing: dict[str, set[str]] = defaultdict(set)
    for key, content_type_id in Page.objects.filter(translation_key__in=list(page_entry_tables)).values_list(
        "translation_key", "content_type_id"
    ):
        existing[str(key)].add(content_types.get(content_type_id, "other"))
    locales: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.object_type == ObjectType.PAGE and entry.translation_key is not None and entry.locale_id:
            locales[str(entry.translation_key)].add(entry.locale_id)
    for key, tables in page_entry_tables.items():
        types = existing.get(key) or {PAGE_TABLES[table] for table in tables if table in PAGE_TABLES}
        for type_ in types or PAGE_TYPES:
            if type_ in PAGE_TYPES:
                affected.add(type_, key)
                for locale_id in locales[key]:
                    affected.add(type_, key, locale_id)


def linked_page_ids(fragments: Iterable[str]) -> set[int]:
    """The ids of the pages these rich-text fragments (or their JSON) link to."""
    ids: set[int] = set()
    for fragment in fragments:
        for match in _LINK.finditer(fragment or ""):
            found = _LINK_ID.search(match["attrs"])
            if found:
                ids.add(int(found["id"]))
    return ids


def _answers(page: FAQPage) -> list[str]:
    return [
        str(item["value"].get("answer", ""))
        for section in page.body.raw_data
        for item in section["value"]["questions"]
    ]


def _linking_to(affected: _Affected, page_ids: set[int], snippet_rows: dict[str, set[int]]) -> None:
    """FAQ pages and citations whose rich text links to one of ``page_ids``."""
    faqs = FAQPage.objects.annotate(body_text=Cast("body", TextField())).filter(
        Q(intro__contains="linktype") | Q(body_text__contains="linktype")
    )
    for page in faqs.only("translation_key", "intro", "body"):
        if linked_page_ids([page.intro, *_answers(page)]) & page_ids:
            affected.add("faq", page.translation_key)
    citations = SourceCitation.objects.filter(notes__contains="linktype")
    for pk, key, notes in citations.values_list("pk", "translation_key", "notes"):
        if linked_page_ids([notes]) & page_ids:
            affected.add("citation", key)
            snippet_rows["citation"].add(pk)


def _item_ids(items) -> set[int]:
    ids = set()
    for item in items or []:
        value = item["value"] if isinstance(item, dict) else item
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    return ids


def _embedding(affected: _Affected, snippet_rows: dict[str, set[int]]) -> None:
    """FAQ pages whose questions embed a row of an affected help-line or citation (any locale)."""
    rows: dict[str, set[int]] = {}
    for type_ in ("helpline", "citation"):
        keys = list(affected.keys[type_])
        rows[type_] = set(snippet_rows[type_])
        if keys:
            model = MODELS[type_]
            rows[type_] |= set(
                model._default_manager.filter(translation_key__in=keys).values_list("pk", flat=True)
            )
    probes = rows["helpline"] | rows["citation"]
    if not probes:
        return
    pages = FAQPage.objects.all()
    if len(probes) <= MAX_TEXT_PROBES:
        # A coarse filter on the body's text (the ids appear in it); the body decides below.
        pages = pages.annotate(body_text=Cast("body", TextField())).filter(
            reduce(or_, (Q(body_text__contains=str(pk)) for pk in probes))
        )
    for page in pages.only("translation_key", "body"):
        for section in page.body.raw_data:
            for item in section["value"]["questions"]:
                value = item["value"]
                if _item_ids(value.get("helplines")) & rows["helpline"] or (
                    _item_ids(value.get("citations")) & rows["citation"]
                ):
                    affected.add("faq", page.translation_key)


def _items(affected: _Affected, *, visibility: Visibility, scope: Scope) -> list[Item]:
    items: set[Item] = set()
    for type_, keys in affected.keys.items():
        if not keys:
            continue
        rank = RANK[type_]
        if scope.locale is not None:
            locale_id = visibility.locale_ids[scope.locale]
            items |= {Item(rank, key, locale_id) for key in keys}
            continue
        # Every locale: each translation there is, and each one an entry named (deleted ones).
        locales = {key: set(extra) for key, extra in keys.items()}
        rows = (
            MODELS[type_]
            .objects.filter(translation_key__in=list(keys))
            .values_list("translation_key", "locale_id")
        )
        for key, locale_id in rows:
            locales[str(key)].add(locale_id)
        known = set(visibility.locale_codes)
        items |= {
            Item(rank, key, locale_id)
            for key, ids in locales.items()
            for locale_id in ids
            if locale_id in known
        }
    return sorted(items)
