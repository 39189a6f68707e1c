"""Compaction: forget old entries, remember up to where (``manage.py compact_change_log``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from cms.change_log.models import ChangeLogEntry, ChangeLogHorizon
from cms.change_log.selectors import stable_sequence

DEFAULT_KEEP_DAYS = 30


@dataclass(frozen=True)
class Compaction:
    deleted: int
    horizon: int  # every entry after it is kept
    newest: int | None  # the newest entry, always kept (None: the log is empty)


def compact(*, keep_days: int = DEFAULT_KEEP_DAYS, now: dt.datetime | None = None) -> Compaction:
    """Delete the entries older than ``keep_days`` days, in one transaction, and raise the horizon
    to the highest sequence deleted.

    Always kept, however old: the newest entry, and the newest entry of each family, so neither
    ``latest_sequence()`` nor ``latest_sequence(family=…)`` ever goes back or changes because of a
    compaction; and, on PostgreSQL, every entry above ``stable_sequence()``, so the horizon never
    passes an entry that is still being written.
    """
    if isinstance(keep_days, bool) or not isinstance(keep_days, int) or keep_days < 0:
        raise ValueError(f"keep_days must be a whole number of days, 0 or more (got {keep_days!r}).")
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    with transaction.atomic():
        # One compaction at a time: the horizon row is locked until this one commits.
        horizon_row, _ = ChangeLogHorizon.objects.select_for_update().get_or_create(
            pk=1, defaults={"sequence": 0, "compacted_at": timezone.now()}
        )
        bound = stable_sequence()
        newest_by_family = ChangeLogEntry.objects.order_by().values("family").annotate(newest=Max("sequence"))
        kept = {row["newest"] for row in newest_by_family}
        newest = max(kept, default=None)
        doomed = ChangeLogEntry.objects.filter(changed_at__lt=cutoff, sequence__lte=bound).exclude(
            sequence__in=kept
        )
        highest = doomed.aggregate(highest=Max("sequence"))["highest"]
        if highest is None:
            return Compaction(deleted=0, horizon=horizon_row.sequence, newest=newest)
        deleted = _delete(cutoff=cutoff, up_to=highest, kept=kept)
        horizon_row.sequence = max(horizon_row.sequence, highest)
        horizon_row.compacted_at = timezone.now()
        horizon_row.save(update_fields=["sequence", "compacted_at"])
    return Compaction(deleted=deleted, horizon=horizon_row.sequence, newest=newest)


def _delete(*, cutoff: dt.datetime, up_to: int, kept: set[int]) -> int:
    """One DELETE statement (a queryset delete would load every row to send signals)."""
    placeholders = ", ".join(["%s"] * len(kept))
    not_kept = f" AND seq NOT IN ({placeholders})" if kept else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ChangeLogEntry._meta.db_table} WHERE seq <= %s AND changed_at < %s{not_kept}",  # noqa: S608
            [up_to, connection.ops.adapt_datetimefield_value(cutoff), *sorted(kept)],
        )
        return cursor.rowcount
