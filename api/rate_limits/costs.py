"""What a request costs, in units of a policy's quota: by endpoint, from the path alone."""

from __future__ import annotations

SEARCH, FEED, LIST, OTHER = 5, 3, 2, 1
LISTS = frozenset(
    [
        *(f"/api/v1/{name}/" for name in ("faqs", "campaigns", "helplines", "citations")),
        # HSDS's lists (api/hsds/), with or without the trailing slash they accept.
        *(f"/api/hsds/v3/{name}{slash}" for name in ("services", "organizations") for slash in ("", "/")),
    ]
)


def cost_of(path: str) -> int:
    """A search ranks every question (5), the feed reads the log (3), a list a page of objects (2),
    anything else — a detail, the index, an error — one object's worth (1)."""
    if path.startswith("/api/v1/search/"):
        return SEARCH
    if path.startswith("/api/v1/changes/"):
        return FEED
    if path in LISTS:
        return LIST
    return OTHER
