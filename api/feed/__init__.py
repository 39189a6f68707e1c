"""The delta-sync feed ``GET /api/v1/changes/``: a channel's copy of everything public, kept exact.

A channel reads an initial sync (no ``since``), then polls with the ``next`` token it was given.
Each answer holds *items*: ``upsert`` (the object's public representation, exactly what its detail
endpoint serves for the item's locale) or ``tombstone`` (the object is not public in that locale,
with a ``reason``). Applying them in order to a dict keyed by ``(type, key, locale)`` reproduces
exactly the set of public objects.

Modules, one job each:

* ``tokens``: the opaque, signed, versioned ``since`` token (what a position in the feed is);
* ``params``: the endpoint's query parameters;
* ``selectors``: *which* items an answer concerns: every public item (initial sync) or every item a
  stretch of the change log and of the clock may have changed (delta), in identity order;
* ``judge``: what each such item is *now*: its public representation, or the reason it is not;
* ``paging``: the feed's positions: snapshot pages, then delta windows of the log;
* ``values``: the frozen values the contract (api.serializers) represents;
* ``views``: the HTTP endpoint (never through the shared response cache; ``private, no-store``).

Invariants:

* An item is judged on the database's current state at the moment of the answer, with the one
  visibility rule (api.visibility) and the detail endpoints' selectors and presenters, never from
  the log entries themselves: a log entry only says "may have changed".
* Nothing that can change what is public is missed: a token's log position is never past
  ``cms.change_log.stable_sequence()``, and an answer re-judges every item a log entry or a clock
  moment in its window can have changed, directly or implied (subtrees, embedding objects, links);
  see ``selectors``. Emitting an item that did not change is allowed; missing one is not.
* A token older than the compacted log (or issued under another locale configuration) is answered
  410 Gone: the client discards its copy and starts again without ``since``.
"""
