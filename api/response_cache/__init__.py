"""Shared cache of rendered API responses, with exact invalidation in every process.

One job per module:

- ``store``: where bytes are kept (Redis, shared by every process, or local memory, private to
  each) and the memos of derived values;
- ``versions``: the content versions every entry and memo is keyed on, derived from the change
  log in the database (cms.change_log), so a change made by any process or tool is seen by every
  process: at once, or within ``versions.POLL_SECONDS`` when its writer could not reach Redis;
- ``entries``: entry keys, per-process copies and answering from an entry (200, 304 or 412);
- ``transitions``: the next change by the clock alone, which no entry or ``Cache-Control`` outlives;
- ``middleware``: the request cycle (a hit answers only what the full stack would);
- ``invalidation``: the fast path that tells other processes after a commit.

Invariants: an entry is served only while every version it was built under is current and its
next transition has not come; nothing in the store is the only record of anything (losing it costs
recomputation); if the store is unreachable the API answers from the database, uncached.
"""

from api.response_cache.entries import mark_for_storage, request_entry_key
from api.response_cache.store import enabled, memoised, shared_get, shared_set
from api.response_cache.transitions import next_transition, upcoming_transition
from api.response_cache.versions import FAMILIES, current_versions, version_tag

__all__ = [
    "FAMILIES",
    "current_versions",
    "enabled",
    "mark_for_storage",
    "memoised",
    "next_transition",
    "request_entry_key",
    "shared_get",
    "shared_set",
    "upcoming_transition",
    "version_tag",
]
