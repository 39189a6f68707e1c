"""Conditional requests (RFC 9110 §13) and cache headers for public API responses.

The ETag is strong and derived from exactly what is served — the body, its media type and
its language — so it changes when and only when one of those does.

Preconditions are evaluated in the order of RFC 9110 §13.2.2, by :func:`evaluate`, the same
function for an answer built from the database and for one served from the response cache
(api/response_cache.py), so both give the same status:

1. ``If-Match``: strong comparison (a weak tag never matches), ``*`` matches; false → 412.
2. Else ``If-Unmodified-Since``: changed after that date → 412.
3. ``If-None-Match``: weak comparison (``W/"x"`` matches ``"x"`` and vice versa), ``*``
   matches; true → 304.
4. Else ``If-Modified-Since``: not changed since that date → 304.

A 412 is a problem document like every API error. Dates (2 and 4) are only trusted where the
shared response cache keeps them stable between requests; with the response cache off each
answer is dated anew, and both are ignored (ETags still work).

``Last-Modified`` is never later than the moment of the answer (RFC 9110 §8.8.2.1), so never
later than its ``Date``; HTTP dates have whole seconds, so when a representation changes within
the second its predecessor is dated, the new one keeps the same date and only a date *after* it
counts as "not modified since" (``safe_since``): a client holding the older one is never told
that nothing changed.
"""

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

NOT_MODIFIED = 304
PRECONDITION_FAILED = 412


def cache_control_header(transition: dt.datetime | None = None) -> str:
    """``Cache-Control`` of a successful answer, given the next moment its content changes by the
    clock alone (a scheduled go-live or expiry, a help-line opening or closing).

    A shared cache may serve a response fresh for ``max-age``, then stale for up to
    ``stale-while-revalidate`` (while it revalidates) or ``stale-if-error`` (while the origin
    fails) more seconds. All three are cut so that none reaches past the transition; a stale
    window that would be empty is left out.
    """
    max_age = settings.BAKEN_API_CACHE_MAX_AGE
    stale_while_revalidate = settings.BAKEN_API_CACHE_STALE_WHILE_REVALIDATE
    stale_if_error = settings.BAKEN_API_CACHE_STALE_IF_ERROR
    if transition is not None:
        remaining = max(0, int((transition - timezone.now()).total_seconds()))
        max_age = min(max_age, remaining)
        stale_while_revalidate = min(stale_while_revalidate, remaining - max_age)
        stale_if_error = min(stale_if_error, remaining - max_age)
    directives = ["public", f"max-age={max_age}"]
    if stale_while_revalidate > 0:
        directives.append(f"stale-while-revalidate={stale_while_revalidate}")
    if stale_if_error > 0:
        directives.append(f"stale-if-error={stale_if_error}")
    return ", ".join(directives)


def make_cacheable(request, response, *, transition: dt.datetime | None = None):
    """The validators and freshness of a successful answer, then the answer the request's
    preconditions call for (it, a 304 or a 412)."""
    response.render()
    digest = hashlib.sha256()
    digest.update(response.get("Content-Type", "").encode())
    digest.update(b"\0" + response.get("Content-Language", "").encode() + b"\0")
    digest.update(response.content)
    etag = f'"{digest.hexdigest()[:32]}"'
    stamp, safe_since = modification_dates(etag, getattr(request, "baken_previous_validators", None))
    validators = {"etag": etag, "last_modified": http_date(stamp), "stamp": stamp, "safe_since": safe_since}
    response["ETag"] = etag
    response["Last-Modified"] = validators["last_modified"]
    response["Cache-Control"] = cache_control_header(transition)
    # Kept with the response cache's entry (api/response_cache.py: store).
    response.baken_validators = validators
    outcome = evaluate(request, validators)
    if outcome == NOT_MODIFIED:
        return not_modified_response(response.items())
    if outcome == PRECONDITION_FAILED:
        return precondition_failed()
    return response


def modification_dates(etag: str, previous: dict | None, now: int | None = None) -> tuple[int, int]:
    """``(stamp, safe_since)`` of this representation, in whole seconds since the epoch.

    ``stamp`` is its ``Last-Modified``, never later than ``now``. ``safe_since`` is the earliest
    date a client may name for it to count as unchanged (If-Modified-Since → 304,
    If-Unmodified-Since → no 412); it is later than every date an older representation of the
    same URL was given, so neither condition ever hides a change.

    The same representation as the previous one (same ETag) keeps its dates. A new one is dated
    now; one seen with no predecessor one second earlier, which leaves room for a change within
    the same second to be dated later and still not in the future.
    """
    now = int(time.time()) if now is None else now
    if not previous or not previous.get("stamp"):
        return now - 1, now - 1
    stamp, safe_since = previous["stamp"], previous.get("safe_since", previous["stamp"])
    if previous.get("etag") == etag:
        return min(stamp, now), safe_since
    return now, max(now, safe_since, stamp + 1)


def dates_trusted() -> bool:
    return settings.BAKEN_API_RESPONSE_CACHE


def _present(request, header: str) -> str | None:
    value = request.META.get(header)
    return value if value is not None and value.strip() else None  # a blank field is no condition


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def matches(field: str, etag: str, *, weak: bool) -> bool:
    """Whether an If-Match / If-None-Match field matches ``etag`` (RFC 9110 §8.8.3.2)."""
    tags = parse_etags(field)
    if tags == ["*"]:
        return True
    if weak:
        return any(_opaque(tag) == _opaque(etag) for tag in tags)
    return not etag.startswith("W/") and etag in tags


def evaluate(request, validators: dict) -> int | None:
    """What the request's preconditions make of a 200 with these validators: 412, 304 or None
    (serve it). RFC 9110 §13.2.2, for GET and HEAD."""
    etag = validators["etag"]
    safe_since = validators.get("safe_since") or validators.get("stamp") or 0
    if_match = _present(request, "HTTP_IF_MATCH")
    if if_match is not None:
        if not matches(if_match, etag, weak=False):
            return PRECONDITION_FAILED
    elif dates_trusted():
        if_unmodified_since = _present(request, "HTTP_IF_UNMODIFIED_SINCE")
        since = parse_http_date_safe(if_unmodified_since) if if_unmodified_since else None
        if since is not None and since < safe_since:
            return PRECONDITION_FAILED
    if_none_match = _present(request, "HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return NOT_MODIFIED if matches(if_none_match, etag, weak=True) else None
    if dates_trusted():
        if_modified_since = _present(request, "HTTP_IF_MODIFIED_SINCE")
        since = parse_http_date_safe(if_modified_since) if if_modified_since else None
        if since is not None and since >= safe_since:
            return NOT_MODIFIED
    return None


# What a 304 repeats of the response it stands for.
NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Language")


def not_modified_response(headers) -> HttpResponse:
    """A 304 standing for the response with these ``(name, value)`` headers."""
    answer = HttpResponseNotModified()
    for name, value in headers:
        if name in NOT_MODIFIED_HEADERS:
            answer[name] = value
    return answer


PRECONDITION_FAILED_DETAIL = (
    "A precondition of this request (If-Match or If-Unmodified-Since) does not hold for the "
    "current representation."
)


def precondition_failed() -> HttpResponse:
    from api.errors import problem_response

    return problem_response(PRECONDITION_FAILED, PRECONDITION_FAILED_DETAIL)
