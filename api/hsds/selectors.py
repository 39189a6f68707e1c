"""What the HSDS mapping needs besides a presented help-line, read in bulk (one query each).

* ``contact_point_keys``: the translation keys of a help-line's contact points (HSDS contact ids),
  in the order of its published contact points (``published_details``), which do not hold them.
* ``source_organisations``: the organisation of each help-line's default-locale translation, from
  which HSDS organisation ids are made, so that an organisation has one id in every language.

Neither decides what is visible: they are asked only about help-lines the visibility rule already
chose (api.selectors.resolved_snippets), and return no text that is served.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.conf import settings

from api import values
from api.hsds.mapping import derived_id
from cms.snippets.models import ContactPoint, HelpLine


class ServedHelpLine(Protocol):
    """A help-line row and how it is served: a selected ``Chosen`` or a presented ``values.HelpLine``."""

    @property
    def obj(self) -> Any: ...

    @property
    def served(self) -> values.Served: ...


def contact_point_keys(*, helplines: Sequence[values.HelpLine]) -> dict[int, tuple[uuid.UUID, ...]]:
    """Help-line row id → the translation keys of its published contact points, in their order.

    Each published contact point (type, value, label) is matched to the first unmatched stored
    one with the same content, then with the same type and value; one that matches none (the
    stored rows changed without the help-line being saved) gets a key derived from the
    help-line's and its position, so the result always lines up with ``contact_points``.
    """
    stored: dict[int, list[tuple[str, str, str, uuid.UUID]]] = {}
    rows = (
        ContactPoint.objects.filter(helpline_id__in=[helpline.obj.pk for helpline in helplines])
        .order_by("helpline_id", "sort_order", "pk")
        .values_list("helpline_id", "contact_type", "value", "label", "translation_key")
    )
    for helpline_id, contact_type, value, label, key in rows:
        stored.setdefault(helpline_id, []).append((contact_type, value, label, key))
    result = {}
    for helpline in helplines:
        unmatched = list(stored.get(helpline.obj.pk, []))
        keys = []
        for position, point in enumerate(helpline.contact_points):
            found = next(
                (row for row in unmatched if row[:3] == (point.type, point.value, point.label)),
                None,
            ) or next((row for row in unmatched if row[:2] == (point.type, point.value)), None)
            if found is None:
                keys.append(uuid.UUID(derived_id(helpline.obj.translation_key, f"contact:{position}")))
            else:
                unmatched.remove(found)
                keys.append(found[3])
        result[helpline.obj.pk] = tuple(keys)
    return result


def source_organisations(*, helplines: Iterable[ServedHelpLine]) -> dict[uuid.UUID, str]:
    """Translation key → the organisation of its default-locale translation, as stored; a help-line
    without one (never translated from the default locale) keeps its own served organisation."""
    served = {helpline.obj.translation_key: helpline for helpline in helplines}
    found = dict(
        HelpLine.objects.filter(
            translation_key__in=[key for key, helpline in served.items() if not _in_default_locale(helpline)],
            locale__language_code=settings.BAKEN_DEFAULT_LOCALE,
        ).values_list("translation_key", "organisation")
    )
    return {key: found.get(key, helpline.obj.organisation) for key, helpline in served.items()}


def _in_default_locale(helpline: ServedHelpLine) -> bool:
    return helpline.served.locale == settings.BAKEN_DEFAULT_LOCALE
