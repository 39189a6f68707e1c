"""The rate limit in the request cycle (see api.rate_limits for the invariants)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import JsonResponse

from api.errors import PROBLEM_CONTENT_TYPE, problem
from api.rate_limits import costs, gcra
from api.rate_limits.clients import bucket_of
from api.rate_limits.counters import CounterUnavailable, counter
from api.rate_limits.policies import policy
from api.response_cache.middleware import versions_to_prefetch

logger = logging.getLogger(__name__)
# An outage is logged at most this often per process (every request would flood the log).
OUTAGE_LOG_SECONDS = 60.0


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.outage_logged_at = float("-inf")

    def __call__(self, request):
        if not settings.BAKEN_RATE_LIMITS_ENABLED or not request.path.startswith("/api/"):
            return self.get_response(request)
        name, bucket = bucket_of(request)
        limit = policy(name)
        cost = costs.cost_of(request.path)
        prefetch = versions_to_prefetch(request)
        now_us = gcra.microseconds(time.time())
        try:
            taken = counter().take(
                bucket,
                cost,
                limit.quota,
                limit.window,
                now_us,
                read=prefetch,
                usage=bucket if bucket.startswith("channel:") else "anonymous",
            )
        except CounterUnavailable:
            moment = time.monotonic()
            if moment - self.outage_logged_at >= OUTAGE_LOG_SECONDS:
                self.outage_logged_at = moment
                logger.warning("Rate-limit counter unavailable: serving without limits", exc_info=True)
            return self.get_response(request)
        if taken.values is not None:
            request.baken_prefetched_versions = taken.values
        if taken.allowed:
            response = self.get_response(request)
        else:
            retry = gcra.retry_in(
                tat=taken.tat, now_us=now_us, cost=cost, quota=limit.quota, window=limit.window
            )
            response = _too_many(limit, cost=cost, retry=retry)
        left = gcra.remaining(tat=taken.tat, now_us=now_us, quota=limit.quota, window=limit.window)
        response["RateLimit-Policy"] = limit.header
        response["RateLimit"] = f'"{limit.name}";r={left};t={gcra.full_in(tat=taken.tat, now_us=now_us)}'
        return response


def _too_many(limit, *, cost: int, retry: int) -> JsonResponse:
    body = problem(
        429,
        detail=(
            f"Rate limit reached: this client may spend {limit.quota} units at once, refilled at "
            f"{limit.quota} units per {limit.window} s (this request costs {cost}). Retry after {retry} s."
        ),
        type_name="rate-limited",
    )
    response = JsonResponse(body, status=429, content_type=PROBLEM_CONTENT_TYPE)
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "private, no-store"
    return response
