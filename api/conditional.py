"""Conditional requests and cache headers for public API responses.

The ETag is strong and derived from exactly what is served — the body, its media type and
its language — so it changes when and only when one of those does.
"""

import datetime as dt
import hashlib
import math
import time

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe


def cache_control_header(valid_until: dt.datetime | None = None) -> str:
    max_age = settings.BAKEN_API_CACHE_MAX_AGE
    if valid_until is not None:
        # Never let a CDN or browser keep a response past a scheduled change or an opening-hours boundary.
        max_age = max(0, min(max_age, int((valid_until - timezone.now()).total_seconds())))
    return (
        f"public, max-age={max_age}, "
        f"stale-while-revalidate={settings.BAKEN_API_CACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.BAKEN_API_CACHE_STALE_IF_ERROR}"
    )


def make_cacheable(request, response, *, valid_until: dt.datetime | None = None):
    response.render()
    digest = hashlib.sha256()
    digest.update(response.get("Content-Type", "").encode())
    digest.update(b"\0" + response.get("Content-Language", "").encode() + b"\0")
    digest.update(response.content)
    etag = f'"{digest.hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(
        last_modified(etag, getattr(request, "baken_previous_validators", None))
    )
    response["Cache-Control"] = cache_control_header(valid_until)
    return _not_modified_or(request, response)


def last_modified(etag: str, previous: dict | None) -> int:
    """When this representation last changed, in whole seconds since the epoch.

    The same representation as the cached one keeps its date; a new one is dated now (rounded
    up), and always later than the one it replaces, so If-Modified-Since never hides a change.
    """
    now = math.ceil(time.time())
    if not previous or not previous.get("last_modified"):
        return now
    before = parse_http_date_safe(previous["last_modified"]) or 0
    if previous.get("etag") == etag and before:
        return before
    return max(now, before + 1)


# What a 304 repeats of the response it stands for.
NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Language")


def not_modified(request, *, etag: str, last_modified: str | None) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return if_none_match.strip() == "*" or etag in parse_etags(if_none_match)
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since:
        return False
    # Dates are only trusted where the shared cache keeps them stable between requests.
    since = parse_http_date_safe(if_modified_since)
    modified = parse_http_date_safe(last_modified or "")
    return bool(settings.BAKEN_API_RESPONSE_CACHE and since and modified and modified <= since)


def _not_modified_or(request, response):
    if not_modified(request, etag=response["ETag"], last_modified=response.get("Last-Modified")):
        answer = HttpResponseNotModified()
        for header in NOT_MODIFIED_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
    return response
