"""The feed's positions: an initial sync in pages, then delta windows of the change log.

* **Initial sync** (no token): the stable sequence S and the moment T are taken at its first page;
  every page lists the next public items in identity order (api.feed.selectors.public_items),
  judged when that page is served. After the last page the token becomes the delta position
  (S, T): everything that changed during the sync is served again afterwards.
* **Delta** from (S, as_of): a *window* is the log entries in (S, U] — at most
  :data:`WINDOW_ENTRIES`, and U never past ``stable_sequence()`` (read after due revisions were
  published) — and the clock's (as_of, T] with T the moment the window was opened. The items the
  window may have changed (api.feed.selectors.affected_items) are served in identity order,
  ``limit`` at a time; a token inside a window carries (S, U, as_of, T) and the last item served,
  so each page recomputes the same window and continues after that item. After its last page the
  position is (U, T). An item that a page recomputed does not list any more (it moved out of a
  subtree meanwhile) has log entries after U, so a later window serves it.

Invariants: positions only advance (U ≥ S; a new window starts where the last one ended, on the
log and on the clock); ``next`` is always a token; a token whose entries compaction removed raises
``ChangesCompacted`` (410).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from api.feed.judge import judge
from api.feed.selectors import Item, Scope, affected_items, public_items
from api.feed.tokens import DELTA, SNAPSHOT, Cursor, Token, configuration
from api.feed.values import UPSERT, Change
from api.visibility import Visibility
from cms.change_log import ChangesCompacted, changes_after, compaction_horizon, stable_sequence

# Log entries per delta window (their items are then served ``limit`` at a time).
WINDOW_ENTRIES = 500


@dataclass(frozen=True)
class Answer:
    mode: str  # "snapshot" or "delta"
    results: list[Change]
    next: Token
    more: bool  # the next page is available now (else: caught up, poll ``next`` later)


def _cursor(item: Item) -> Cursor:
    return Cursor(rank=item.rank, key=item.key, locale_id=item.locale_id)


def _after(cursor: Cursor | None) -> Item | None:
    return None if cursor is None else Item(cursor.rank, cursor.key, cursor.locale_id)


def start(*, scope_name: str, visibility: Visibility) -> Token:
    """The position of a new initial sync."""
    return Token(
        kind=SNAPSHOT,
        scope=scope_name,
        configuration=configuration(),
        sequence=stable_sequence(),
        moment=visibility.now,
    )


def answer(*, token: Token, scope: Scope, visibility: Visibility, limit: int, absolute) -> Answer:
    if token.kind == SNAPSHOT:
        return _snapshot(token=token, scope=scope, visibility=visibility, limit=limit, absolute=absolute)
    return _delta(token=token, scope=scope, visibility=visibility, limit=limit, absolute=absolute)


def _snapshot(*, token: Token, scope: Scope, visibility: Visibility, limit: int, absolute) -> Answer:
    horizon = compaction_horizon()
    if token.sequence < horizon:
        raise ChangesCompacted(token.sequence, horizon)  # its delta could not be answered
    items = public_items(visibility=visibility, scope=scope, after=_after(token.after), limit=limit + 1)
    page, more = items[:limit], len(items) > limit
    # A snapshot lists what is public; an item hidden since it was listed is simply left out.
    results = [
        change
        for change in judge(page, visibility=visibility, scope=scope, absolute=absolute)
        if change.op == UPSERT
    ]
    if more:
        following = replace(token, after=_cursor(page[-1]))
    else:
        following = Token(
            kind=DELTA,
            scope=token.scope,
            configuration=token.configuration,
            sequence=token.sequence,
            as_of=token.moment,
        )
    return Answer(mode="snapshot", results=results, next=following, more=more)


def _delta(*, token: Token, scope: Scope, visibility: Visibility, limit: int, absolute) -> Answer:
    assert token.as_of is not None  # tokens.read guarantees it
    if token.in_window:
        assert token.until is not None and token.moment is not None
        until, moment = token.until, token.moment
        entries = changes_after(token.sequence, limit=WINDOW_ENTRIES, until=until)
    else:
        bound = max(token.sequence, stable_sequence())  # never hand out a lower position
        entries = changes_after(token.sequence, limit=WINDOW_ENTRIES, until=bound)
        until = entries[-1].sequence if len(entries) == WINDOW_ENTRIES else bound
        moment = visibility.now
    full_window = len(entries) == WINDOW_ENTRIES
    items = affected_items(
        entries=entries, since=token.as_of, until=moment, visibility=visibility, scope=scope
    )
    after = _after(token.after)
    if after is not None:
        items = [item for item in items if item > after]
    page = items[:limit]
    results = judge(page, visibility=visibility, scope=scope, absolute=absolute)
    if len(items) > limit:
        following = Token(
            kind=DELTA,
            scope=token.scope,
            configuration=token.configuration,
            sequence=token.sequence,
            as_of=token.as_of,
            until=until,
            moment=moment,
            after=_cursor(page[-1]),
        )
        return Answer(mode="delta", results=results, next=following, more=True)
    following = Token(
        kind=DELTA, scope=token.scope, configuration=token.configuration, sequence=until, as_of=moment
    )
    return Answer(mode="delta", results=results, next=following, more=full_window)
