"""What the feed's contract represents (api.serializers.ChangeSerializer / ChangesSerializer)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

UPSERT, TOMBSTONE = "upsert", "tombstone"

# Why an item is not public (a tombstone's ``reason``), decided from the current state.
REASONS = (
    "deleted",  # no such object any more
    "not_translated",  # the object exists, but not in this locale (nor its fallbacks)
    "unpublished",  # not live (unpublished, or never published)
    "not_yet_live",  # live, but scheduled to go live later
    "expired",  # its expiry moment has passed
    "restricted",  # it or a page above it has a view restriction (private)
    "hidden_by_ancestor",  # a page above it is not published now (unpublished, expired, …)
)


@dataclass(frozen=True, slots=True)
class Change:
    """One item of an answer: an upsert (``data`` is the detail representation) or a tombstone."""

    op: str
    type: str
    key: uuid.UUID
    locale: str
    slug: str | None = None
    url: str | None = None
    data: dict | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ChangesPage:
    mode: str  # "snapshot" or "delta"
    more: bool
    next: str
    next_token: str
    results: tuple[Change, ...]
