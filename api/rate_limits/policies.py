"""The rate-limit policies: a name, a quota of cost units and a window (from settings)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Policy:
    name: str
    quota: int  # cost units: the bucket, refilled at quota per window (api.rate_limits.gcra)
    window: int  # seconds

    @property
    def header(self) -> str:
        """The ``RateLimit-Policy`` field (a structured-field list item)."""
        return f'"{self.name}";q={self.quota};w={self.window}'


def policy(name: str) -> Policy:
    """The configured policy ``name`` (``BAKEN_RATE_LIMITS``: name → (quota, window))."""
    return _policy(name, tuple(sorted(settings.BAKEN_RATE_LIMITS.items())))


@functools.lru_cache(maxsize=64)
def _policy(name: str, configured: tuple) -> Policy:
    limits = dict(configured)
    if name not in limits:  # a channel's policy a deployment no longer defines
        name = "standard" if "standard" in limits else ANONYMOUS
    quota, window = limits[name]
    return Policy(name=name, quota=quota, window=window)


def channel_policy_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in settings.BAKEN_RATE_LIMITS if name != ANONYMOUS]
