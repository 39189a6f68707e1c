"""The feed's ``since`` tokens: opaque, URL-safe, tamper-evident and versioned.

A token is a position in the feed, signed with ``django.core.signing`` (the project's secret key
and :data:`SALT`), so a client can neither forge nor edit one; it holds no secret and no content.
Two kinds:

* **snapshot** (an initial sync in progress): the stable log sequence ``sequence`` and the moment
  ``moment`` taken when the sync began, and the last item served (``after``);
* **delta**: every change after log sequence ``sequence`` and after the moment ``as_of`` is still
  to be served. A delta token may be *inside a window*: then ``until`` (the window's last log
  sequence), ``moment`` (the window's end on the clock) and ``after`` (the last item served) say
  how far the window was served.

Every token names the scope it was issued for (``locale``: a language code, or ``all``) and a
fingerprint of the locale configuration (:func:`configuration`); a token is only valid for the
same scope, and a changed configuration makes every token stale (410).

Invariants: :func:`read` accepts exactly what :func:`issue` wrote (same version); anything else
raises :class:`InvalidToken`. ``until``, when present, is at least ``sequence``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "baken.api.changes"
VERSION = 1
SNAPSHOT, DELTA = "snapshot", "delta"
MAX_TOKEN_LENGTH = 2000


class InvalidToken(ValueError):
    """Not a token this API issued (malformed, edited, forged or of another version)."""


@dataclass(frozen=True)
class Cursor:
    """The last item served, in the feed's identity order (api.feed.selectors.Item)."""

    rank: int
    key: str
    locale_id: int


@dataclass(frozen=True)
class Token:
    kind: str  # SNAPSHOT or DELTA
    scope: str  # a language code, or "all"
    configuration: str
    sequence: int
    # snapshot: when the sync began; delta window: the window's end on the clock.
    moment: dt.datetime | None = None
    as_of: dt.datetime | None = None  # delta: the clock's position
    until: int | None = None  # delta window: its last log sequence
    after: Cursor | None = None

    @property
    def in_window(self) -> bool:
        return self.kind == DELTA and self.until is not None


def configuration() -> str:
    """A fingerprint of what decides languages and fallbacks (the settings, not the database)."""
    text = repr(
        (settings.BAKEN_DEFAULT_LOCALE, tuple(settings.BAKEN_LOCALES), settings.BAKEN_LOCALE_FALLBACKS)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def issue(token: Token) -> str:
    payload = {
        "v": VERSION,
        "k": token.kind,
        "l": token.scope,
        "c": token.configuration,
        "s": token.sequence,
        "m": _moment(token.moment),
        "a": _moment(token.as_of),
        "u": token.until,
        "x": None if token.after is None else [token.after.rank, token.after.key, token.after.locale_id],
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _int(value, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidToken("bad number")
    return value


def _read_moment(value, *, optional: bool = True) -> dt.datetime | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidToken("bad moment")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidToken("bad moment") from error
    if moment.tzinfo is None:
        raise InvalidToken("bad moment")
    return moment


def read(text: str) -> Token:
    """The token ``text`` stands for; :class:`InvalidToken` unless this API issued it."""
    if len(text) > MAX_TOKEN_LENGTH:
        raise InvalidToken("too long")
    try:
        payload = signing.loads(text, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise InvalidToken("bad signature") from error
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise InvalidToken("unknown version")
    kind, scope, fingerprint = payload.get("k"), payload.get("l"), payload.get("c")
    if kind not in (SNAPSHOT, DELTA) or not isinstance(scope, str) or not isinstance(fingerprint, str):
        raise InvalidToken("bad kind or scope")
    after = payload.get("x")
    cursor = None
    if after is not None:
        if not (isinstance(after, list) and len(after) == 3 and isinstance(after[1], str)):
            raise InvalidToken("bad cursor")
        cursor = Cursor(rank=_int(after[0]), key=after[1], locale_id=_int(after[2]))  # type: ignore[arg-type]
    token = Token(
        kind=kind,
        scope=scope,
        configuration=fingerprint,
        sequence=_int(payload.get("s")),  # type: ignore[arg-type]
        moment=_read_moment(payload.get("m")),
        as_of=_read_moment(payload.get("a")),
        until=_int(payload.get("u"), optional=True),
        after=cursor,
    )
    if kind == SNAPSHOT and token.moment is None:
        raise InvalidToken("snapshot without its moment")
    if kind == DELTA and (
        token.as_of is None
        or (token.until is not None and (token.until < token.sequence or token.moment is None))
    ):
        raise InvalidToken("bad delta position")
    return token
