"""Scheduled publishing at the exact moment, without waiting for a periodic job.

Wagtail publishes scheduled revisions when ``manage.py publish_scheduled`` runs (production
runs it every minute, see the README). The API does not wait for it: before answering, it
publishes any revision whose go-live moment has passed. The moment of the next scheduled
publication is memoised in the shared cache per content version, so this costs no query
on ordinary requests.
"""

import datetime as dt
import hashlib
import logging

from django.db import connection, transaction
from django.db.models import Min
from wagtail.models import Revision

from api import response_cache

logger = logging.getLogger(__name__)

NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _memo_key(versions: dict) -> str:
    digest = hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()
    return f"baken:api:v1:next-scheduled-publication:{digest}"


def next_scheduled_publication(*, versions: dict | None) -> dt.datetime:
    key = _memo_key(versions) if versions is not None else None
    if key is not None:
        memo = response_cache.shared_get(key)  # a cache outage only costs a query
        if memo is not None:
            return memo
    moment = Revision.objects.aggregate(next=Min("approved_go_live_at"))["next"] or NEVER
    if key is not None:
        response_cache.shared_set(key, moment, timeout=3600)
    return moment


def publish_due_revisions(*, now: dt.datetime) -> int:
    """Publish every revision scheduled at or before ``now``; returns how many were published."""
    published = 0
    with transaction.atomic():
        due = Revision.objects.filter(approved_go_live_at__lte=now).order_by("approved_go_live_at")
        if connection.features.has_select_for_update:
            # Two servers reaching the moment together must not publish the same revision twice.
            due = due.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
        for revision in due:
            revision.publish(log_action="wagtail.publish.scheduled")
            published += 1
    return published


def publish_if_due(*, now: dt.datetime, versions: dict | None) -> None:
    if next_scheduled_publication(versions=versions) <= now:
        published = publish_due_revisions(now=now)
        logger.info("Published %d scheduled revision(s) at request time", published)
