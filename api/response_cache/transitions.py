"""When content changes by the clock alone: the next scheduled go-live or expiry, or help-line
opening-hours boundary. No answer may be kept (by this cache or, through ``Cache-Control``, by any
other) past it. Nothing is written to the database at such a moment, so the content versions do
not change then: entries and memos carry the moment themselves.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db.models import Min, Q

from api.response_cache.store import FORMAT, PREFIX, shared_get, shared_set
from api.response_cache.versions import version_tag


def next_transition(*, versions: dict | None, now: dt.datetime) -> dt.datetime:
    """The next scheduled go-live/expiry or opening-hours boundary, memoised per content version,
    but at most ``BAKEN_API_RESPONSE_CACHE_TIMEOUT`` away: how long a value derived now may be kept."""
    horizon = now + dt.timedelta(seconds=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return min(upcoming_transition(versions=versions, now=now), horizon)


def upcoming_transition(*, versions: dict | None, now: dt.datetime) -> dt.datetime:
    """The next scheduled go-live/expiry or opening-hours boundary itself (at most a year away),
    which ``Cache-Control`` must not reach past. Memoised per content version whether or not
    responses or other lookups are cached (``BAKEN_API_MEMOS``): it is read for every answer."""
    if not versions:  # the cache is unreachable: nothing to key a memo on
        return _compute_next_transition(now)
    key = f"{PREFIX}:next-transition:{FORMAT}:{version_tag(versions, *sorted(versions))}"
    memo = shared_get(key)
    # Only a moment computed at or before ``now`` tells what happens next from ``now``: one computed
    # later (by a request that started later, or on a server whose clock runs ahead) may have
    # stepped over a transition this request must still honour.
    if memo is not None and memo[0] <= now < memo[1]:
        return memo[1]
    moment = _compute_next_transition(now)
    shared_set(key, (now, moment), timeout=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return moment


def _compute_next_transition(now: dt.datetime) -> dt.datetime:
    from wagtail.models import Page

    from cms.snippets.models import HelpLine, OpeningHours, SourceCitation

    candidates = [now + dt.timedelta(days=365)]
    for model in (Page, HelpLine, SourceCitation):
        found = model.objects.aggregate(
            go_live=Min("go_live_at", filter=_after("go_live_at", now)),
            expire=Min("expire_at", filter=_after("expire_at", now)),
        )
        candidates.extend(value for value in found.values() if value is not None)
    from wagtail.models import Revision

    scheduled = Revision.objects.filter(approved_go_live_at__gt=now).aggregate(
        next=Min("approved_go_live_at")
    )
    if scheduled["next"] is not None:
        candidates.append(scheduled["next"])
    hours = OpeningHours.objects.filter(helpline__live=True, helpline__available_24_7=False).values_list(
        "weekday", "opens", "closes", "helpline__time_zone"
    )
    for weekday, opens, closes, time_zone in hours:
        local_now = now.astimezone(zoneinfo.ZoneInfo(time_zone))
        for boundary in (opens, closes):
            days_ahead = (weekday - local_now.weekday()) % 7
            for extra in (0, 7):
                day = local_now.date() + dt.timedelta(days=days_ahead + extra)
                moment = dt.datetime.combine(day, boundary, tzinfo=local_now.tzinfo)
                if moment > now:
                    candidates.append(moment)
                    break
    return min(candidates)


def _after(field: str, now: dt.datetime) -> Q:
    return Q(**{f"{field}__gt": now})
