"""Weekly opening hours: validation and the ``open_now`` computation.

Intervals are local wall-clock times in the help-line's own time zone. An interval
closes strictly after it opens; ``closes`` of 24:00 is written as 00:00 is not allowed,
use 23:59:59 for "until midnight"; an interval that spans midnight is two intervals.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# English day names, for the API ("monday") and schema.org; the admin shows WEEKDAY_CHOICES.
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
WEEKDAY_NAMES = dict(WEEKDAYS)
# The same days in the admin's language, translated by Django ("maandag", "lundi"): the opening
# hours' choices and validation messages.
WEEKDAY_CHOICES = sorted(DJANGO_WEEKDAYS.items())
WEEKDAY_LABELS = dict(WEEKDAY_CHOICES)
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# schema.org DayOfWeek names, for OpeningHoursSpecification.
SCHEMA_ORG_DAYS = {day: f"https://schema.org/{name}" for day, name in WEEKDAYS}


@dataclass(frozen=True, order=True)
class OpeningInterval:
    """One weekly interval, the one shape of opening hours from the model to the API response."""

    weekday: int
    opens: dt.time
    closes: dt.time

    @property
    def day_name(self) -> str:
        """``monday`` … ``sunday``, as the API names days."""
        return DAY_NAMES[self.weekday]

    def as_document(self) -> dict:
        """As stored in a help-line's published details (JSON)."""
        return {"weekday": self.weekday, "opens": self.opens.isoformat(), "closes": self.closes.isoformat()}

    @classmethod
    def from_document(cls, document: dict) -> "OpeningInterval":
        return cls(
            weekday=document["weekday"],
            opens=dt.time.fromisoformat(document["opens"]),
            closes=dt.time.fromisoformat(document["closes"]),
        )


def validate_intervals(intervals: Iterable[OpeningInterval]) -> None:
    """Raise ValidationError listing every interval that ends too soon or overlaps another."""
    errors = []
    by_day: dict[int, list[OpeningInterval]] = {}
    for interval in intervals:
        if interval.weekday not in WEEKDAY_NAMES:
            errors.append(
                _("%(weekday)s is not a weekday (0 = Monday … 6 = Sunday).") % {"weekday": interval.weekday}
            )
            continue
        if interval.closes <= interval.opens:
            errors.append(
                _("%(day)s: closing time %(closes)s must be after opening time %(opens)s.")
                % {
                    "day": capfirst(WEEKDAY_LABELS[interval.weekday]),
                    "closes": f"{interval.closes:%H:%M}",
                    "opens": f"{interval.opens:%H:%M}",
                }
            )
            continue
        by_day.setdefault(interval.weekday, []).append(interval)
    for weekday, day_intervals in sorted(by_day.items()):
        day_intervals.sort()
        latest = day_intervals[0]  # the interval reaching furthest into the day so far
        for current in day_intervals[1:]:
            if current.opens < latest.closes:
                errors.append(
                    _("%(day)s: %(first)s and %(second)s overlap.")
                    % {
                        "day": capfirst(WEEKDAY_LABELS[weekday]),
                        "first": f"{latest.opens:%H:%M}–{latest.closes:%H:%M}",
                        "second": f"{current.opens:%H:%M}–{current.closes:%H:%M}",
                    }
                )
            if current.closes > latest.closes:
                latest = current
    if errors:
        raise ValidationError([ValidationError(message, code="invalid_opening_hours") for message in errors])


def is_open_at(*, intervals: Iterable[OpeningInterval], time_zone: str, moment: dt.datetime) -> bool:
    """Whether ``moment`` (timezone-aware) falls inside one of the weekly intervals."""
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    wall_clock = local.time().replace(tzinfo=None)
    return any(
        interval.weekday == local.weekday() and interval.opens <= wall_clock < interval.closes
        for interval in intervals
    )
