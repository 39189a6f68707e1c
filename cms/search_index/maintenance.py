"""Keeping the search index in step with the change log (see the invariants in cms.search_index)."""

import logging

from django.db import connection, transaction
from django.utils import timezone

from cms import change_log
from cms.change_log import ChangesCompacted, Family, ObjectType
from cms.pages.models import FAQPage
from cms.search_index.documents import entries_for
from cms.search_index.models import SearchEntry, SearchIndexState

logger = logging.getLogger(__name__)

# Change-log entries read per query while catching up, and pages re-read per query.
READ_BATCH = 2000
PAGE_BATCH = 200


def indexed_sequence() -> int:
    """The change-log sequence the index holds every change up to (0: never built)."""
    return SearchIndexState.objects.filter(pk=1).values_list("sequence", flat=True).first() or 0


def ensure_current(*, at_least: int | None = None) -> None:
    """Catch up if the index is behind ``at_least`` (the pages' content version a search answers
    for; read from the change log when None). One indexed query when it is not."""
    if at_least is None:
        at_least = change_log.stable_latest_sequences(families=(Family.PAGES,))[Family.PAGES]
    if indexed_sequence() < at_least:
        catch_up(at_least=at_least)


def catch_up(*, at_least: int = 0) -> int:
    """Index every page changed after the state's sequence; returns the number of pages read.

    A log compacted past the state (or a state never written) rebuilds every page."""
    with transaction.atomic():
        state = _locked_state()
        # Every entry up to the bound has committed; the caller's version was stable when read.
        bound = max(change_log.stable_sequence(), at_least)
        if state.sequence >= bound:
            return 0
        try:
            page_ids = _changed_pages(after=state.sequence, until=bound)
        except ChangesCompacted:
            page_ids = None
        count = _rebuild() if page_ids is None or state.sequence == 0 else _reindex(page_ids)
        state.sequence, state.built_at = bound, timezone.now()
        state.save(update_fields=["sequence", "built_at"])
    logger.info("Search index: %d pages read, up to change #%d", count, bound)
    return count


def rebuild() -> int:
    """Index every page again from scratch, up to the log's stable sequence."""
    with transaction.atomic():
        state = _locked_state()
        bound = change_log.stable_sequence()
        count = _rebuild()
        state.sequence, state.built_at = bound, timezone.now()
        state.save(update_fields=["sequence", "built_at"])
    return count


def _locked_state() -> SearchIndexState:
    # The row may be missing (a flushed database): create it, then lock it, without a race.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cms_search_index_state (id, sequence, built_at) VALUES (1, 0, now()) "
                "ON CONFLICT (id) DO NOTHING"
            )
    else:  # SQLite: the transaction already holds the write lock (transaction_mode IMMEDIATE)
        SearchIndexState.objects.get_or_create(pk=1, defaults={"sequence": 0, "built_at": timezone.now()})
    return SearchIndexState.objects.select_for_update().get(pk=1)


def _changed_pages(*, after: int, until: int) -> set[int]:
    page_ids: set[int] = set()
    while True:
        changes = change_log.changes_after(after, limit=READ_BATCH, family=Family.PAGES, until=until)
        page_ids.update(change.object_id for change in changes if change.object_type == ObjectType.PAGE)
        if len(changes) < READ_BATCH:
            return page_ids
        after = changes[-1].sequence


def _reindex(page_ids: set[int]) -> int:
    ordered = sorted(page_ids)
    for start in range(0, len(ordered), PAGE_BATCH):
        batch = ordered[start : start + PAGE_BATCH]
        SearchEntry.objects.filter(page_id__in=batch).delete()
        _index(FAQPage.objects.filter(pk__in=batch, live=True))
    return len(ordered)


def _rebuild() -> int:
    SearchEntry.objects.all().delete()
    count = 0
    pks = list(FAQPage.objects.filter(live=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), PAGE_BATCH):
        count += _index(FAQPage.objects.filter(pk__in=pks[start : start + PAGE_BATCH]))
    return count


def _index(pages) -> int:
    entries, count = [], 0
    for page in pages.only("pk", "locale_id", "body").order_by("pk"):
        entries += entries_for(page)
        count += 1
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    return count
