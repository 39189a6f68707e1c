"""From the change log to webhook events: the dispatcher is a client of the delta-sync feed.

It reads ``api.feed`` with scope ``all`` from the position it stored (WebhookDispatchState), so
an event is decided exactly as the feed decides what is public (the one visibility rule, scheduled
go-lives and expiries at their moment, everything a change implies for other objects). For each
item it compares the item's public representation with what it saw last (WebhookObjectState) and
makes the events of cms.webhooks.events, one WebhookMessage per subscribed endpoint.

Invariants:

* One feed page per transaction: the messages, the object states and the new position are
  committed together, so a dispatcher killed at any moment neither loses nor repeats an event
  (another dispatcher waits for the row lock on PostgreSQL, for the write lock on SQLite).
* The first run only *learns* what is public (no events): a new installation does not announce
  all its content. A position the compacted log can no longer answer (410) is recovered by a full
  read compared with what was seen: nothing public is missed, only the intermediate steps.
* Events carry the change-log position that decided them (``sequence``), which only grows.
* Disabled endpoints get nothing; failing ones keep receiving (their retries continue).
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api import scheduling
from api.feed import paging, tokens
from api.feed.selectors import Scope
from api.feed.values import UPSERT, Change
from api.visibility import current_visibility
from cms.change_log import ChangesCompacted
from cms.webhooks import backoff
from cms.webhooks.events import Seen, events_for, seen
from cms.webhooks.models import (
    EndpointState,
    WebhookDispatchState,
    WebhookEndpoint,
    WebhookMessage,
    WebhookObjectState,
)

SCOPE = Scope(locale=None)
SCOPE_NAME = "all"
PAGE = 200


def _absolute(path: str) -> str:
    base = settings.BAKEN_PUBLIC_API_BASE_URL or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def dispatch(*, now: dt.datetime | None = None) -> int:
    """Turn every change since the stored position into messages; the number of messages made."""
    made = 0
    while True:
        count, more = _one_page(now=now or timezone.now())
        made += count
        if not more:
            return made


def _one_page(*, now: dt.datetime) -> tuple[int, bool]:
    scheduling.publish_if_due(now=now, versions=None)
    with transaction.atomic():
        state = WebhookDispatchState.objects.select_for_update().filter(pk=1).first()
        visibility = current_visibility(now=now)
        if state is None:
            _learn_everything(visibility=visibility, now=now, announce=False)
            return 0, False
        try:
            token = tokens.read(state.token)
            if token.configuration != tokens.configuration():
                raise ChangesCompacted(token.sequence, token.sequence)
            answer = paging.answer(
                token=token, scope=SCOPE, visibility=visibility, limit=PAGE, absolute=_absolute
            )
        except (tokens.InvalidToken, ChangesCompacted):
            return _learn_everything(visibility=visibility, now=now, announce=True), False
        made = _apply(answer.results, sequence=answer.next.sequence, now=now)
        state.token = tokens.issue(answer.next)
        state.save()
        return made, answer.more


def _learn_everything(*, visibility, now: dt.datetime, announce: bool) -> int:
    """Read everything public (a full sync) and compare it with what was seen."""
    token = paging.start(scope_name=SCOPE_NAME, visibility=visibility)
    public: list[Change] = []
    while True:
        answer = paging.answer(
            token=token, scope=SCOPE, visibility=visibility, limit=PAGE, absolute=_absolute
        )
        public.extend(answer.results)
        token = answer.next
        if not answer.more:
            break
    listed = {(change.type, change.key, change.locale) for change in public}
    gone = [
        Change(op="tombstone", type=row.object_type, key=row.object_key, locale=row.locale)
        for row in WebhookObjectState.objects.all()
        if (row.object_type, row.object_key, row.locale) not in listed
    ]
    made = _apply([*public, *gone], sequence=token.sequence, now=now, announce=announce)
    WebhookDispatchState.objects.update_or_create(pk=1, defaults={"token": tokens.issue(token)})
    return made


def _apply(changes, *, sequence: int, now: dt.datetime, announce: bool = True) -> int:
    if not changes:
        return 0
    states = {
        (row.object_type, row.object_key, row.locale): row
        for row in WebhookObjectState.objects.filter(object_key__in={change.key for change in changes})
    }
    endpoints = list(WebhookEndpoint.objects.exclude(state=EndpointState.DISABLED))
    messages: list[WebhookMessage] = []
    for change in changes:
        identity = (change.type, change.key, change.locale)
        row = states.get(identity)
        before = None if row is None else Seen(digest=row.digest, contact_digest=row.contact_digest)
        after = seen(change.type, change.data or {}) if change.op == UPSERT else None
        events = events_for(change.type, before=before, now=after)
        if after is None and row is not None:
            row.delete()
        elif after is not None and after != before:
            if row is None:
                row = WebhookObjectState(object_type=change.type, object_key=change.key, locale=change.locale)
            row.digest, row.contact_digest, row.sequence = after.digest, after.contact_digest, sequence
            row.save()
        if not announce:
            continue
        for event in events:
            body = _body(event, change, sequence=sequence, now=now)
            messages.extend(
                WebhookMessage(
                    endpoint=endpoint,
                    event_type=event,
                    object_type=change.type,
                    object_key=change.key,
                    locale=change.locale,
                    sequence=sequence,
                    priority=event.endswith("contact_changed"),
                    body=body,
                    created_at=now,
                    next_attempt_at=now,
                    retry_until=now + backoff.RETRY_PERIOD,
                )
                for endpoint in endpoints
                if event in endpoint.events
            )
    WebhookMessage.objects.bulk_create(messages)
    return len(messages)


def _body(event: str, change: Change, *, sequence: int, now: dt.datetime) -> str:
    data = {
        "object": change.type,
        "translation_key": str(change.key),
        "locale": change.locale,
        "sequence": sequence,
    }
    if change.op == UPSERT:
        data |= {"slug": change.slug, "url": change.url}
    else:
        data["reason"] = change.reason
    payload = {"type": event, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
