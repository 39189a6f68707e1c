"""Which API URLs a batch of change log entries affects (api.cdn.purger sends them).

An entry says "this object may have changed" (cms.change_log); the URLs that may show it are:

* **page** (FAQ, campaign, home): the lists ``campaigns/``, ``faqs/``, ``search/``; the detail
  of every translation of the page (a detail is found by the slug of any translation and served in
  the requested language); the details of the campaign directly above it (a campaign embeds its
  FAQ summaries); unless the entry only changed the page's specific content, the details of every
  page below it, and of their translations (an unpublished, restricted, moved or renamed page
  hides, moves or renames its subtree; an FAQ names its campaign's slug); and the details that
  link to any of those pages in rich text (FAQ intros and answers, citation notes, with
  ``citations/`` when a citation does).
* **helpline**: ``helplines/``, ``campaigns/``, ``faqs/``; its detail in every translation; the FAQ
  details whose questions choose it and the campaign details that list it (any translation).
* **citation**: ``citations/``, ``faqs/``; ``citations/<id>/`` of every translation (and of the
  entry's own id, even deleted); the FAQ details whose questions cite it.
* **locale**, **site**, **document** (languages, the page tree, link URLs in any rich text): every
  list, the index and every detail.

Each path is purged bare and with ``?locale=`` for every locale (``BAKEN_LOCALES``).

A detail path that showed an object is *remembered* (cms.change_log.models.CdnPurgePath, per
object type and translation key) when the purger maps an entry about it, and the remembered ones
are purged with the current ones: so the detail of a deleted object, or the old slug of a renamed
one, or the campaign an FAQ was moved away from, is purged although it can no longer be read.
After a successful purge the memory is set to what shows the object now.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from api.richtext import _ID_ATTR, _INTERNAL_LINK
from cms.change_log import Change, Kind, ObjectType
from cms.change_log.models import CdnPurgePath
from cms.pages.models import CampaignHelpLine, CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation

LISTS = {
    ObjectType.PAGE: ("campaigns/", "faqs/", "search/"),
    ObjectType.HELPLINE: ("helplines/", "campaigns/", "faqs/"),
    ObjectType.CITATION: ("citations/", "faqs/"),
}
# The index and every list: what a locale, site or document entry purges with every detail.
EVERY_LIST = ("", "locales/", "campaigns/", "faqs/", "helplines/", "citations/", "search/")
EVERYTHING = frozenset({ObjectType.LOCALE, ObjectType.SITE, ObjectType.DOCUMENT})
# The page table's own row: its slug, path, visibility and schedule decide the pages below too.
PAGE_TABLE = "wagtailcore_page"

Group = tuple[str, uuid.UUID]  # (object type, translation key)


def base_url() -> str:
    return settings.BAKEN_PUBLIC_API_BASE_URL.rstrip("/") + "/api/v1/"


def urls_for(paths: Iterable[str]) -> list[str]:
    """Every path (below /api/v1/), bare and with ``?locale=`` for every locale, sorted."""
    base = base_url()
    urls = set()
    for path in paths:
        urls.add(base + path)
        urls.update(f"{base}{path}?locale={code}" for code in settings.BAKEN_LOCALES)
    return sorted(urls)


def _linked_pages(fragment: str | None) -> set[int]:
    ids = set()
    for match in _INTERNAL_LINK.finditer(fragment or ""):
        id_match = _ID_ATTR.search(match["attrs"])
        if match["type"].lower() == "page" and id_match:
            ids.add(int(id_match["id"]))
    return ids


def _item_values(items) -> set[int]:
    return {int(item["value"] if isinstance(item, dict) else item) for item in items or []}


@dataclass
class _FAQRefs:
    key: uuid.UUID
    helplines: set[int] = field(default_factory=set)
    citations: set[int] = field(default_factory=set)
    pages: set[int] = field(default_factory=set)


class Content:
    """The rows that decide which details show what, read once per batch (every page, help-line
    and citation, however it is published: a detail that stopped showing something is purged
    too). FAQ bodies and citation notes are only read when an entry needs them."""

    def __init__(self) -> None:
        self.faq_type = ContentType.objects.get_for_model(FAQPage).pk
        self.campaign_type = ContentType.objects.get_for_model(CampaignPage).pk
        self.pages = {
            row["id"]: row
            for row in Page.objects.values(
                "id", "path", "depth", "slug", "content_type_id", "translation_key"
            )
        }
        self.page_by_path = {row["path"]: row for row in self.pages.values()}
        self.pages_by_key: dict[uuid.UUID, list[dict]] = defaultdict(list)
        for row in self.pages.values():
            self.pages_by_key[row["translation_key"]].append(row)
        self.helplines_by_key: dict[uuid.UUID, list[tuple[int, str]]] = defaultdict(list)
        for pk, slug, key in HelpLine.objects.values_list("id", "slug", "translation_key"):
            self.helplines_by_key[key].append((pk, slug))
        self.citations_by_key: dict[uuid.UUID, list[int]] = defaultdict(list)
        for pk, key in SourceCitation.objects.values_list("id", "translation_key"):
            self.citations_by_key[key].append(pk)

    @cached_property
    def faq_refs(self) -> list[_FAQRefs]:
        refs = []
        for page in FAQPage.objects.only("id", "translation_key", "intro", "body"):
            found = _FAQRefs(page.translation_key, pages=_linked_pages(page.intro))
            for section in page.body.raw_data or []:
                for item in (section.get("value") or {}).get("questions") or []:
                    value = item.get("value") or {}
                    found.helplines |= _item_values(value.get("helplines"))
                    found.citations |= _item_values(value.get("citations"))
                    found.pages |= _linked_pages(value.get("answer"))
            refs.append(found)
        return refs

    @cached_property
    def citation_links(self) -> list[tuple[uuid.UUID, set[int]]]:
        return [
            (key, _linked_pages(notes))
            for key, notes in SourceCitation.objects.values_list("translation_key", "notes")
        ]

    @cached_property
    def campaign_helplines(self) -> list[tuple[int, int]]:
        return list(CampaignHelpLine.objects.values_list("page_id", "helpline_id"))

    # details -----------------------------------------------------------------------------

    def page_detail(self, row: dict) -> str | None:
        if row["content_type_id"] == self.faq_type:
            return f"faqs/{row['slug']}/"
        if row["content_type_id"] == self.campaign_type:
            return f"campaigns/{row['slug']}/"
        return None

    def page_details(self, keys: Iterable[uuid.UUID]) -> set[str]:
        details = (self.page_detail(row) for key in set(keys) for row in self.pages_by_key.get(key, ()))
        return {path for path in details if path}

    def helpline_details(self, key: uuid.UUID) -> set[str]:
        return {f"helplines/{slug}/" for _, slug in self.helplines_by_key.get(key, ())}

    def citation_details(self, key: uuid.UUID) -> set[str]:
        return {f"citations/{pk}/" for pk in self.citations_by_key.get(key, ())}

    # what shows an object ----------------------------------------------------------------

    def shown_at(self, group: Group, *, object_id: int | None = None) -> set[str]:
        """The detail paths that show this object now: its own, and those that embed it."""
        object_type, key = group
        if object_type == ObjectType.PAGE:
            rows = self.pages_by_key.get(key, [])
            parents = [self.page_by_path.get(row["path"][: -Page.steplen]) for row in rows]
            campaigns = {
                p["translation_key"] for p in parents if p and p["content_type_id"] == self.campaign_type
            }
            return self.page_details([key]) | self.page_details(campaigns)
        if object_type == ObjectType.HELPLINE:
            pks = {pk for pk, _ in self.helplines_by_key.get(key, ())} | ({object_id} if object_id else set())
            faqs = {ref.key for ref in self.faq_refs if ref.helplines & pks}
            campaign_ids = {page_id for page_id, helpline_id in self.campaign_helplines if helpline_id in pks}
            campaigns = {self.pages[pk]["translation_key"] for pk in campaign_ids if pk in self.pages}
            return self.helpline_details(key) | self.page_details(faqs | campaigns)
        if object_type == ObjectType.CITATION:
            pks = set(self.citations_by_key.get(key, ())) | ({object_id} if object_id else set())
            faqs = {ref.key for ref in self.faq_refs if ref.citations & pks}
            own = {f"citations/{pk}/" for pk in pks}
            return own | self.page_details(faqs)
        return set()

    def every_group(self) -> set[Group]:
        return (
            {(ObjectType.PAGE.value, key) for key in self.pages_by_key}
            | {(ObjectType.HELPLINE.value, key) for key in self.helplines_by_key}
            | {(ObjectType.CITATION.value, key) for key in self.citations_by_key}
        )

    def below(self, keys: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The translation keys of every page below any translation of these pages."""
        tops = [row for key in set(keys) for row in self.pages_by_key.get(key, ())]
        return {
            row["translation_key"]
            for row in self.pages.values()
            for top in tops
            if row["depth"] > top["depth"] and row["path"].startswith(top["path"])
        }

    def linking_to(self, page_ids: set[int]) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
        """The FAQ pages and the citations whose rich text links to any of these pages."""
        faqs = {ref.key for ref in self.faq_refs if ref.pages & page_ids}
        citations = {key for key, pages in self.citation_links if pages & page_ids}
        return faqs, citations


@dataclass
class Plan:
    """What a batch purges: ``paths`` (below /api/v1/); ``shown``, what shows each object it is
    about now (to remember, and to keep as the memory once the purge succeeded)."""

    paths: set[str] = field(default_factory=set)
    shown: dict[Group, set[str]] = field(default_factory=dict)
    everything: bool = False

    @property
    def urls(self) -> list[str]:
        return urls_for(self.paths)


def _group(change: Change, content: Content) -> Group | None:
    if change.object_type not in LISTS:
        return None
    key = change.translation_key
    if key is None:  # not written by the triggers for these types; read the row instead
        if change.object_type == ObjectType.PAGE and change.object_id in content.pages:
            key = content.pages[change.object_id]["translation_key"]
        else:
            return None
    return (change.object_type, key)


def remembered(groups: Iterable[Group]) -> dict[Group, set[str]]:
    groups = set(groups)
    found: dict[Group, set[str]] = defaultdict(set)
    if not groups:
        return found
    rows = CdnPurgePath.objects.filter(translation_key__in={key for _, key in groups})
    for object_type, key, path in rows.values_list("object_type", "translation_key", "path"):
        if (object_type, key) in groups:
            found[(object_type, key)].add(path)
    return found


def plan(changes: Iterable[Change], content: Content | None = None, *, everything: bool = False) -> Plan:
    """The paths these entries affect (``everything``: all of them, as for a locale entry)."""
    content = content or Content()
    changes = list(changes)
    result = Plan(everything=everything or any(c.object_type in EVERYTHING for c in changes))
    if result.everything:
        # Every list, every detail that shows something now, and every detail remembered.
        result.paths.update(EVERY_LIST)
        result.paths.update(CdnPurgePath.objects.values_list("path", flat=True).distinct())
        for every in content.every_group():
            result.shown[every] = content.shown_at(every)
            result.paths |= result.shown[every]
        # Entries about objects gone since (a deleted citation's own detail).
        for change in changes:
            gone = _group(change, content)
            if gone is not None:
                result.shown.setdefault(gone, content.shown_at(gone))
                result.paths |= content.shown_at(gone, object_id=change.object_id)
        return result

    groups = {g for g in (_group(c, content) for c in changes) if g is not None}
    memory = remembered(groups)
    for change in changes:
        group = _group(change, content)
        if group is None:
            continue
        object_type, key = group
        shown = content.shown_at(group)
        result.shown[group] = shown
        result.paths.update(LISTS[ObjectType(object_type)])
        result.paths |= shown | memory.get(group, set()) | content.shown_at(group, object_id=change.object_id)
        if object_type != ObjectType.PAGE:
            continue
        page_ids = {row["id"] for row in content.pages_by_key.get(key, ())} | {change.object_id}
        if change.kind != Kind.CHANGED or change.source_table == PAGE_TABLE:
            below = content.below([key])
            result.paths |= content.page_details(below)
            page_ids |= {row["id"] for k in below for row in content.pages_by_key.get(k, ())}
        faqs, citations = content.linking_to(page_ids)
        result.paths |= content.page_details(faqs)
        for citation in citations:
            result.paths |= content.citation_details(citation)
        if citations:
            result.paths.add("citations/")
    return result


def remember(shown: dict[Group, set[str]]) -> None:
    """Add these paths to the memory of what showed each object."""
    CdnPurgePath.objects.bulk_create(
        [
            CdnPurgePath(object_type=object_type, translation_key=key, path=path)
            for (object_type, key), paths in shown.items()
            for path in paths
        ],
        ignore_conflicts=True,
    )


def replace_memory(shown: dict[Group, set[str]], *, everything: bool = False) -> None:
    """After a successful purge: the memory of these objects is what shows them now (an object
    gone is forgotten; ``everything``: so is every object not listed)."""
    if everything:
        listed = {key for _, key in shown}
        CdnPurgePath.objects.exclude(translation_key__in=listed).delete()
    for (object_type, key), paths in shown.items():
        CdnPurgePath.objects.filter(object_type=object_type, translation_key=key).exclude(
            path__in=paths
        ).delete()
    remember(shown)
