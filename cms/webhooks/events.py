"""Which webhook events a change of one object's public state makes (pure logic, no database).

The dispatcher (cms.webhooks.dispatch) reads the delta-sync feed (api.feed, scope ``all``) and
remembers, per object and locale, a digest of what was public. From that memory and the feed's
item it decides the events here:

=====================================  ================================================
before → now                           events
=====================================  ================================================
not public → public (upsert)           ``<type>.published``
public → public, representation equal  none (the feed may repeat an item that did not change)
public → public, representation differs  ``<type>.changed``; for a help-line whose contact
                                       values (type and value of each contact point) differ
                                       also ``helpline.contact_changed`` (priority)
public → not public (tombstone)        ``<type>.removed``
not public → not public                none
=====================================  ================================================

``open_now`` is left out of the digest: it follows the clock, not an editor's change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

OBJECT_TYPES = ("faq", "campaign", "helpline", "citation")
ACTIONS = ("published", "changed", "removed")
CONTACT_CHANGED = "helpline.contact_changed"
EVENT_TYPES = (*(f"{type_}.{action}" for type_ in OBJECT_TYPES for action in ACTIONS), CONTACT_CHANGED)

_LABELS = {
    "faq": _("FAQ page"),
    "campaign": _("Campaign"),
    "helpline": _("Help-line"),
    "citation": _("Source citation"),
}
_ACTIONS = {"published": _("published"), "changed": _("changed"), "removed": _("removed")}


def _label(event: str):
    if event == CONTACT_CHANGED:
        return _("Help-line contact numbers or addresses changed (priority)")
    type_, action = event.split(".")
    return format_lazy("{}: {}", _LABELS[type_], _ACTIONS[action])  # in each reader's language


EVENT_CHOICES = [(event, _label(event)) for event in EVENT_TYPES]
VOLATILE = frozenset({"open_now"})


@dataclass(frozen=True)
class Seen:
    """What was public of one object in one locale when the dispatcher last looked."""

    digest: str
    contact_digest: str


def _stable(value):
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    return value


def _hash(value) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def seen(type_: str, data: dict) -> Seen:
    """The digests of a public representation (an upsert's ``data``)."""
    contacts = ""
    if type_ == "helpline":
        contacts = _hash(
            [[point.get("type"), point.get("value")] for point in data.get("contact_points", [])]
        )
    return Seen(digest=_hash(_stable(data)), contact_digest=contacts)


def events_for(type_: str, *, before: Seen | None, now: Seen | None) -> list[str]:
    """The events for one object in one locale (``None``: not public)."""
    if now is None:
        return [] if before is None else [f"{type_}.removed"]
    if before is None:
        return [f"{type_}.published"]
    if before.digest == now.digest:
        return []
    events = [f"{type_}.changed"]
    if type_ == "helpline" and before.contact_digest != now.contact_digest:
        events.append(CONTACT_CHANGED)
    return events
