"""The rate limit in the request cycle (see api.rate_limits for the invariants)."""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.http import JsonResponse

from api.errors import PROBLEM_CONTENT_TYPE, problem
from api.rate_limits import costs
from api.rate_limits.clients import bucket_of
from api.rate_limits.counters import CounterUnavailable, Usage, counter
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
        usage = Usage(bucket if bucket.startswith("channel:") else "anonymous", limit.quota)
        cost = costs.cost_of(request.path)
        prefetch = versions_to_prefetch(request)
        try:
            used, left, values = counter().add(
                bucket, cost, limit.window, time.time(), read=prefetch, usage=usage
            )
        except CounterUnavailable:
            now = time.monotonic()
            if now - self.outage_logged_at >= OUTAGE_LOG_SECONDS:
                self.outage_logged_at = now
                logger.warning("Rate-limit counter unavailable: serving without limits", exc_info=True)
            return self.get_response(request)
        if values is not None:
            request.baken_prefetched_versions = values
        reset = max(1, math.ceil(left))
        if used > limit.quota:
            response = _too_many(limit, cost=cost, reset=reset)
        else:
            response = self.get_response(request)
        response["RateLimit-Policy"] = limit.header
        response["RateLimit"] = f'"{limit.name}";r={max(0, limit.quota - used)};t={reset}'
        return response


def _too_many(limit, *, cost: int, reset: int) -> JsonResponse:
    body = problem(
        429,
        detail=(
            f"Rate limit reached: {limit.quota} units per {limit.window} s for this client "
            f"(this request costs {cost}). Retry after {reset} s."
        ),
        type_name="rate-limited",
    )
    response = JsonResponse(body, status=429, content_type=PROBLEM_CONTENT_TYPE)
    response["Retry-After"] = str(reset)
    response["Cache-Control"] = "private, no-store"
    return response
