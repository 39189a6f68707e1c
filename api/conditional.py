"""Conditional requests and cache headers for public API responses.

The ETag is strong and derived from exactly what is served — the body, its media type and
its language — so it changes when and only when one of those does.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags


def cache_control(valid_until: dt.datetime | None = None) -> dict:
    max_age = settings.BAKEN_API_CACHE_MAX_AGE
    if valid_until is not None:
        # Never let a CDN or browser keep a response past a scheduled change or an opening-hours boundary.
        max_age = max(0, min(max_age, int((valid_until - timezone.now()).total_seconds())))
    return {
        "public": True,
        "max_age": max_age,
        "stale_while_revalidate": settings.BAKEN_API_CACHE_STALE_WHILE_REVALIDATE,
        "stale_if_error": settings.BAKEN_API_CACHE_STALE_IF_ERROR,
    }


def make_cacheable(request, response, *, valid_until: dt.datetime | None = None):
    response.render()
    digest = hashlib.sha256()
    digest.update(response.get("Content-Type", "").encode())
    digest.update(b"\0" + response.get("Content-Language", "").encode() + b"\0")
    digest.update(response.content)
    etag = f'"{digest.hexdigest()[:32]}"'
    response["ETag"] = etag
    patch_cache_control(response, **cache_control(valid_until))
    return _not_modified_or(request, response)


def answer_cached(request, response, *, valid_until: dt.datetime):
    patch_cache_control(response, **cache_control(valid_until))
    return _not_modified_or(request, response)


def _not_modified_or(request, response):
    etag = response["ETag"]
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response
