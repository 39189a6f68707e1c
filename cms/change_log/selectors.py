"""Reading the change log (see the invariants in cms.change_log)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, Min

from cms.change_log.models import ChangeLogEntry, ChangeLogHorizon, Family
from cms.change_log.triggers import ADVISORY_NAMESPACE, LOG_TABLE


@dataclass(frozen=True)
class Change:
    """One entry of the change log, as read."""

    sequence: int
    changed_at: dt.datetime
    object_type: str
    object_id: int
    translation_key: uuid.UUID | None
    locale_id: int | None
    family: str
    kind: str
    source_table: str


class ChangesCompacted(LookupError):
    """Changes after this sequence were partly removed by compaction: start again from scratch
    (a delta feed answers 410 Gone)."""

    def __init__(self, sequence: int, horizon: int):
        self.sequence, self.horizon = sequence, horizon
        super().__init__(
            f"Changes after {sequence} were compacted; the log is complete only after {horizon}."
        )


# The model's fields a Change holds, in its order.
FIELDS = tuple(field.name for field in dataclasses.fields(Change))


def _families(family: str | None) -> tuple[str, ...] | None:
    if family is None:
        return None
    if family not in Family.values or family == Family.ALL:
        raise ValueError(f"Unknown family {family!r}: one of pages, helplines, citations (or None for all).")
    return (family, Family.ALL)


def compaction_horizon() -> int:
    """The highest sequence compaction has removed (0 if it never ran): every entry after it is
    kept, so ``changes_after(sequence)`` is complete exactly when ``sequence >= compaction_horizon()``."""
    horizon = ChangeLogHorizon.objects.filter(pk=1).values_list("sequence", flat=True).first()
    return horizon or 0


def latest_sequence(*, family: str | None = None, until: int | None = None) -> int:
    """The sequence of the newest visible entry (of ``family``, or of a change that concerns all
    families), at most ``until``; the compaction horizon when there is none, 0 for an empty log.

    It changes whenever a change of the family commits, except on PostgreSQL for an entry whose
    sequence is lower than one already visible (see the module docstring): as a version or a
    token use ``latest_sequence(family=…, until=stable_sequence())``.
    """
    entries = ChangeLogEntry.objects.all()
    families = _families(family)
    if families is not None:
        entries = entries.filter(family__in=families)
    if until is not None:
        entries = entries.filter(sequence__lte=until)
    newest = entries.aggregate(newest=Max("sequence"))["newest"]
    if newest is not None:
        return newest
    horizon = compaction_horizon()
    return horizon if until is None else min(horizon, until)


def latest_sequences(*, families: tuple[str, ...], until: int | None = None) -> dict[str, int]:
    """``latest_sequence(family=f, until=until)`` for each of ``families``, in one query of one
    index probe per family (the ``family, seq`` index), however long the log.

    The content versions of the API's caches (api.cache.versions): read with
    ``until=stable_sequence()`` on PostgreSQL, each changes whenever a change of its family (or of
    all families) commits, and a query made after reading it sees every change it counts.
    """
    for family in families:
        _families(family)
    qn = connection.ops.quote_name
    bound = f" AND {qn('seq')} <= %s" if until is not None else ""
    probe = f"(SELECT max({qn('seq')}) FROM {qn(LOG_TABLE)} WHERE {qn('family')} = %s{bound})"  # noqa: S608
    wanted = [*families, Family.ALL]
    parameters: list = []
    for family in wanted:
        parameters += [family] if until is None else [family, until]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join([probe] * len(wanted))}", parameters)
        *newest, newest_all = (value or 0 for value in cursor.fetchone())
    found = {family: max(value, newest_all) for family, value in zip(families, newest, strict=True)}
    if all(found.values()):
        return found
    horizon = compaction_horizon()  # as latest_sequence: a family with no entry left
    floor = horizon if until is None else min(horizon, until)
    return {family: value or floor for family, value in found.items()}


def oldest_retained_sequence() -> int | None:
    """The sequence of the oldest entry still in the log (None when it is empty)."""
    return ChangeLogEntry.objects.aggregate(oldest=Min("sequence"))["oldest"]


def stable_sequence() -> int:
    """The highest sequence up to which the log is final: every entry at or below it that will
    ever commit is already visible to a query made after this call.

    SQLite: the newest entry (one writer at a time, so sequences follow commit order).
    PostgreSQL: the sequence's last value, lowered to the floor of every transaction that is
    writing entries right now (each holds a shared advisory lock whose key is the sequence's value
    before its first entry; see cms.change_log.triggers). Read in this order: last value, then the
    locks — an entry with a sequence at or below the last value was numbered after its
    transaction took its lock, so that transaction is either finished (and visible) or listed.

    A safe lower bound, not a counter: it may come out lower than a value returned a moment
    earlier (a writer that read its floor just before that call); the higher of two values is
    just as safe, so never hand out a token lower than one already handed out.
    """
    if connection.vendor != "postgresql":
        return latest_sequence()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_PG_LAST_VALUE}", [LOG_TABLE])
        (last,) = cursor.fetchone()
        cursor.execute(_PG_WRITERS_FLOOR, _PG_WRITERS_FLOOR_PARAMETERS)
        (floor,) = cursor.fetchone()
    return last if floor is None else min(last, floor)


# stable_sequence() in SQL (PostgreSQL): the sequence's last value, then the lowest floor of the
# transactions writing entries now (their shared advisory locks).
_PG_LAST_VALUE = "coalesce(pg_sequence_last_value(pg_get_serial_sequence(%s, 'seq')::regclass), 0)"
_PG_WRITERS_FLOOR = (
    "SELECT min(((classid::bigint << 32) | objid::bigint) - %s) FROM pg_locks "
    "WHERE locktype = 'advisory' AND objsubid = 1 AND pid <> pg_backend_pid() "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND (classid::bigint >> 16) = %s"
)
_PG_WRITERS_FLOOR_PARAMETERS = [ADVISORY_NAMESPACE, ADVISORY_NAMESPACE >> 48]


def stable_latest_sequences(*, families: tuple[str, ...]) -> dict[str, int]:
    """``latest_sequences(families=…, until=stable_sequence())`` in one round trip.

    On PostgreSQL one statement reads the last value, then the writers' floor, then each family's
    newest entry at or below the stable bound: the order is forced by data dependence (each step a
    subquery correlated to the previous one's result; ``OFFSET 0`` keeps the planner from merging
    them), the same order :func:`stable_sequence` keeps with two statements. The newest entries
    are read in the statement's snapshot, taken before the bound: an entry at or below the bound
    that the snapshot misses committed before the bound was read, so every later query sees it
    (the value is then lower than it could be, never higher). Elsewhere: ``latest_sequences``.
    """
    if connection.vendor != "postgresql":
        return latest_sequences(families=families)
    for family in families:
        _families(family)
    qn = connection.ops.quote_name
    wanted = [*families, Family.ALL]
    probe = (
        f"(SELECT max({qn('seq')}) FROM {qn(LOG_TABLE)} "  # noqa: S608
        f"WHERE {qn('family')} = %s AND {qn('seq')} <= st.stable)"
    )
    floor = _PG_WRITERS_FLOOR + " AND s.last IS NOT NULL"
    sql = (
        f"SELECT st.stable, {', '.join([probe] * len(wanted))} FROM ("  # noqa: S608
        "SELECT CASE WHEN f.floor IS NULL THEN f.last ELSE least(f.last, f.floor) END AS stable FROM ("
        f"SELECT s.last, ({floor}) AS floor FROM (SELECT {_PG_LAST_VALUE} AS last OFFSET 0) AS s OFFSET 0"
        ") AS f OFFSET 0) AS st"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*wanted, *_PG_WRITERS_FLOOR_PARAMETERS, LOG_TABLE])
        stable, *newest, newest_all = (value or 0 for value in cursor.fetchone())
    found = {family: max(value, newest_all) for family, value in zip(families, newest, strict=True)}
    if all(found.values()):
        return found
    floor_value = min(compaction_horizon(), stable)  # as latest_sequences: a family with no entry left
    return {family: value or floor_value for family, value in found.items()}


def changes_after(
    sequence: int, *, limit: int, family: str | None = None, until: int | None = None
) -> list[Change]:
    """Up to ``limit`` entries with a sequence above ``sequence`` (and at most ``until``), oldest first.

    Raises :class:`ChangesCompacted` when compaction removed entries after ``sequence`` (the
    horizon is read after the entries, so a compaction that commits in between is noticed).

    On PostgreSQL a transaction that numbered its entries earlier can commit after one that
    numbered them later, so the entries after ``sequence`` may still grow *below* the newest one
    read. To page through the log without missing any, bound every read by a stable sequence::

        bound = stable_sequence()
        page = changes_after(token, limit=100, until=bound)
        token = page[-1].sequence if len(page) == 100 else bound

    On SQLite ``stable_sequence()`` is the newest entry and the bound changes nothing.
    """
    if sequence < 0:
        raise ValueError("sequence must be 0 or more")
    if limit < 1:
        raise ValueError("limit must be 1 or more")
    entries = ChangeLogEntry.objects.filter(sequence__gt=sequence)
    families = _families(family)
    if families is not None:
        entries = entries.filter(family__in=families)
    if until is not None:
        entries = entries.filter(sequence__lte=until)
    rows = list(entries.order_by("sequence").values_list(*FIELDS)[:limit])
    horizon = compaction_horizon()
    if sequence < horizon:
        raise ChangesCompacted(sequence, horizon)
    return [Change(*row) for row in rows]
