"""Berlin time and what an event and a series' date have in common: a start and an end,
each a date (all day) or a date-time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def as_datetime(value: date | datetime) -> datetime:
    """A date or datetime as an aware datetime in Berlin (dates at midnight)."""
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=BERLIN)


def berlin_day(value: date | datetime) -> date:
    """The day of a date-time in Berlin; a date as it is."""
    return value.astimezone(BERLIN).date() if isinstance(value, datetime) else value


class TimeSpan:
    """``all_day``, ``starts_at`` and ``ends_at`` of anything with ``start`` and ``end``
    (an :class:`~.models.Event`, a :class:`~.recurrence.Occurrence`)."""

    __slots__ = ()

    if TYPE_CHECKING:
        start: date | datetime
        end: date | datetime | None

    @property
    def all_day(self) -> bool:
        """True when given as dates without times."""
        return not isinstance(self.start, datetime)

    @property
    def starts_at(self) -> datetime:
        """Start as an aware datetime (all-day: midnight in Berlin)."""
        return as_datetime(self.start)

    @property
    def ends_at(self) -> datetime:
        """End as an aware datetime (all-day: midnight after the last day; no end: start)."""
        if self.end is None:
            return self.starts_at + (timedelta(days=1) if self.all_day else timedelta(0))
        if self.all_day:
            return as_datetime(self.end) + timedelta(days=1)
        return as_datetime(self.end)
