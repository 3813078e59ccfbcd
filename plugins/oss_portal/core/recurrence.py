"""Recurring events: the ``repeat`` rule contributors write, in RFC 5545 and in German.

A series is written in words (``every: month``, ``on: first tuesday``, ``until:
2027-12-31``) and becomes one RFC 5545 RRULE (:func:`rrule_value`). That RRULE is the one
source of the dates: the site expands it with python-dateutil (:func:`occurrences`), the
calendars publish it as it is, so a calendar client and the site see the same dates.

Times of a series are wall-clock times in Europe/Berlin: a meeting at 14:00 stays at 14:00
across the changes to and from summer time (dateutil keeps the time of the first date and
attaches the zone to each occurrence).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Literal

from dateutil.rrule import rrule, rrulestr

from .timespan import BERLIN, TimeSpan, berlin_day

if TYPE_CHECKING:
    from .models import Event, MovedDate, Repeat

FREQUENCIES = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_EVERY = re.compile(r"(?:(\d{1,2})\s+)?(day|week|month|year)s?")
#: The same in German: ``alle 2 Wochen``, and the adverbs people write.
_EVERY_GERMAN = re.compile(r"alle\s+(\d{1,2})\s+(tage|wochen|monate|jahre)")
_GERMAN_UNIT = {"tage": "day", "wochen": "week", "monate": "month", "jahre": "year"}
_GERMAN_EVERY = {
    "täglich": ("day", 1),
    "wöchentlich": ("week", 1),
    "zweiwöchentlich": ("week", 2),
    "14-tägig": ("week", 2),
    "vierzehntägig": ("week", 2),
    "monatlich": ("month", 1),
    "jährlich": ("year", 1),
}
#: What ``every`` accepts, for the JSON Schema (editors and the form check it as typed;
#: ECMAScript syntax without flags, so the first letters are given in both cases).
EVERY_PATTERN = (
    r"^\s*((\d{1,2}\s+)?(day|week|month|year)s?"
    r"|[Aa]lle\s+\d{1,2}\s+([Tt]age|[Ww]ochen|[Mm]onate|[Jj]ahre)"
    r"|[Tt]äglich|[Ww]öchentlich|[Zz]weiwöchentlich|14-tägig|[Vv]ierzehntägig"
    r"|[Mm]onatlich|[Jj]ährlich)\s*$"
)

#: Weekday names in English and German, to the RFC 5545 codes (in week order).
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: English names first (they are what the messages suggest), then the German ones.
_WEEKDAY_NAMES = (
    ("monday", "montag", "montags"),
    ("tuesday", "dienstag", "dienstags"),
    ("wednesday", "mittwoch", "mittwochs"),
    ("thursday", "donnerstag", "donnerstags"),
    ("friday", "freitag", "freitags"),
    ("saturday", "samstag", "samstags", "sonnabend"),
    ("sunday", "sonntag", "sonntags"),
)
ENGLISH_WEEKDAYS = tuple(names[0] for names in _WEEKDAY_NAMES)
_WEEKDAYS = {name: i for i, names in enumerate(_WEEKDAY_NAMES) for name in names}
_ORDINALS: dict[str, int] = {}
for _n, _names in (
    (1, ("first", "1st", "1.", "erster", "erste", "ersten")),
    (2, ("second", "2nd", "2.", "zweiter", "zweite", "zweiten")),
    (3, ("third", "3rd", "3.", "dritter", "dritte", "dritten")),
    (4, ("fourth", "4th", "4.", "vierter", "vierte", "vierten")),
    (-1, ("last", "letzter", "letzte", "letzten")),
):
    for _name in _names:
        _ORDINALS[_name] = _n

GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

#: How many dates of a series the site lists ahead, and how many past ones.
UPCOMING_SHOWN = 6
PAST_SHOWN = 24
#: Expansion stops after this many dates (a daily series over decades stays cheap).
MAX_DATES = 20_000


class RuleError(ValueError):
    """A ``repeat`` value that cannot be understood; the message is German."""


@dataclass(frozen=True, slots=True)
class Every:
    """``every``: the unit and how many of them lie between two dates."""

    unit: Literal["day", "week", "month", "year"]
    interval: int = 1


@dataclass(frozen=True, slots=True)
class On:
    """``on``: weekdays (0 = Monday), each with its position in the month (1–4, -1 for
    the last one, ``None`` for every such weekday), or a day of the month."""

    weekdays: tuple[tuple[int | None, int], ...] = ()
    month_day: int | None = None


def parse_every(text: str) -> Every:
    """``month`` → ``Every("month")``; ``2 weeks`` → ``Every("week", 2)``."""
    words = " ".join(text.lower().split())
    if words in _GERMAN_EVERY:
        unit, interval = _GERMAN_EVERY[words]
        return Every(unit, interval)  # type: ignore[arg-type]
    match = _EVERY.fullmatch(words)
    german = _EVERY_GERMAN.fullmatch(words)
    if german:
        unit, count = _GERMAN_UNIT[german.group(2)], german.group(1)
    elif match:
        unit, count = match.group(2), match.group(1) or "1"
    if not (match or german) or int(count) == 0:
        raise RuleError(
            "erlaubt sind week (wöchentlich), month (monatlich), year, day, auch mit "
            "Abstand wie '2 weeks' oder 'alle 2 Wochen'"
        )
    return Every(unit, int(count))  # type: ignore[arg-type]


def parse_on(text: str, every: Every) -> On:
    """The days of ``on`` for the unit of ``every``: weekdays for ``week``; for ``month``
    weekdays with their position (``first tuesday``, ``last friday``) or a day (``15``).
    English and German names are understood."""
    if every.unit in ("day", "year"):
        raise RuleError(
            f"bei every: {every.unit} bitte kein on angeben – "
            + ("die Reihe ist täglich" if every.unit == "day" else "es gilt der Tag von start")
        )
    parts = [p for p in re.split(r"\s*(?:,|\band\b|\bund\b)\s*", text.strip().lower()) if p]
    if not parts:
        raise RuleError("ist leer – z. B. 'tuesday' oder 'first tuesday'")
    if every.unit == "month" and len(parts) == 1 and re.fullmatch(r"\d{1,2}\.?", parts[0]):
        day = int(parts[0].rstrip("."))
        if not 1 <= day <= 31:
            raise RuleError(f"'{parts[0]}' ist kein Tag im Monat (1 bis 31)")
        return On(month_day=day)
    days: list[tuple[int | None, int]] = []
    for part in parts:
        words = part.split()
        position = _ORDINALS.get(words[0]) if len(words) == 2 else None
        name = words[-1]
        if name not in _WEEKDAYS or (len(words) == 2 and position is None) or len(words) > 2:
            raise RuleError(
                f"'{part}' ist kein Wochentag"
                + (
                    " – z. B. 'tuesday' oder 'monday, thursday'"
                    if every.unit == "week"
                    else " – z. B. 'first tuesday', 'last friday' oder ein Tag wie '15'"
                )
            )
        english = ENGLISH_WEEKDAYS[_WEEKDAYS[name]]
        if every.unit == "week" and position is not None:
            raise RuleError(
                f"bei every: week nur Wochentage ohne Zählung, z. B. '{english}' – für "
                "'jeden ersten Dienstag' every: month angeben"
            )
        if every.unit == "month" and position is None:
            raise RuleError(
                f"bei every: month mit Zählung, z. B. 'first {english}' oder 'last {english}' "
                "– für jede Woche every: week angeben"
            )
        days.append((position, _WEEKDAYS[name]))
    if len(set(days)) != len(days):
        raise RuleError("nennt einen Tag doppelt")
    return On(weekdays=tuple(sorted(days, key=lambda d: (d[1], d[0] or 0))))


def _default_on(every: Every, start: date) -> On:
    """What a rule without ``on`` means: weekly on the start's weekday, monthly on its day."""
    if every.unit == "week":
        return On(weekdays=((None, start.weekday()),))
    if every.unit == "month":
        return On(month_day=start.day)
    return On()


def rule_parts(repeat: Repeat, start: date | datetime) -> tuple[Every, On]:
    every = parse_every(repeat.every)
    on = (
        parse_on(repeat.on, every)
        if repeat.on is not None
        else _default_on(every, berlin_day(start))
    )
    return every, on


def _berlin(moment: date | datetime) -> date | datetime:
    return moment.astimezone(BERLIN) if isinstance(moment, datetime) else moment


def _local_start(start: date | datetime) -> datetime:
    """The first date as dateutil expands it: Berlin wall-clock time, or midnight (naive)
    for all-day series."""
    if isinstance(start, datetime):
        return start.astimezone(BERLIN)
    return datetime.combine(start, time())


def _until(until: date, timed: bool) -> str:
    """UNTIL: a DATE for all-day series, else the end of that day in Berlin, in UTC (RFC
    5545 asks for UTC when DTSTART carries a TZID)."""
    if not timed:
        return until.strftime("%Y%m%d")
    last = datetime.combine(until, time(23, 59, 59), BERLIN).astimezone(UTC)
    return last.strftime("%Y%m%dT%H%M%SZ")


def rule_value(repeat: Repeat, start: date | datetime) -> str:
    """The RFC 5545 RRULE value, its parts in the order ``icalendar`` writes them."""
    every, on = rule_parts(repeat, start)
    parts = [f"FREQ={FREQUENCIES[every.unit]}"]
    if repeat.until is not None:
        parts.append(f"UNTIL={_until(repeat.until, isinstance(start, datetime))}")
    if every.interval > 1:
        parts.append(f"INTERVAL={every.interval}")
    if on.weekdays:
        days = ",".join(f"{n if n else ''}{WEEKDAY_CODES[d]}" for n, d in on.weekdays)
        parts.append(f"BYDAY={days}")
    if on.month_day is not None:
        parts.append(f"BYMONTHDAY={on.month_day}")
    return ";".join(parts)


def rrule_value(event: Event) -> str:
    """The RRULE of a series (``event.repeat`` set)."""
    assert event.repeat is not None
    return rule_value(event.repeat, event.start)


def _rule(repeat: Repeat, start: date | datetime) -> rrule:
    return rrulestr(rule_value(repeat, start), dtstart=_local_start(start))  # type: ignore[return-value]


def rule_dates(repeat: Repeat, start: date | datetime) -> Iterator[datetime]:
    """The dates the rule makes, first to last (at most :data:`MAX_DATES`)."""
    return islice(iter(_rule(repeat, start)), MAX_DATES)


def first_date_from(repeat: Repeat, start: date | datetime) -> date | None:
    """The first date on or after ``start``'s day that the rule makes when it is read from
    the beginning of that day – what ``start`` should be when it is not on the rule."""
    day = berlin_day(start)
    begin = datetime.combine(day, time())
    rule = _rule(repeat, begin.date())
    found = rule.after(begin, inc=True)
    return found.date() if found else None


def starts_on_rule(repeat: Repeat, start: date | datetime) -> bool:
    """Whether ``start`` is itself a date of its rule (RFC 5545: DTSTART should be the
    first instance)."""
    return first_date_from(repeat, start) == berlin_day(start)


@dataclass(frozen=True, slots=True)
class Occurrence(TimeSpan):
    """One date of a series, as readers see it: when, and whether it takes place as the
    rule says (``scheduled``), at another time (``moved``) or not (``cancelled``).
    ``original`` is the date the rule gives (RECURRENCE-ID of a change)."""

    start: date | datetime
    end: date | datetime | None
    original: date | datetime
    status: Literal["scheduled", "moved", "cancelled"] = "scheduled"


def occurrences(event: Event) -> Iterator[Occurrence]:
    """Every date of a series in the rule's order, with its changes applied: excepted
    dates left out, cancelled ones marked, moved ones at their new time."""
    repeat = event.repeat
    assert repeat is not None
    timed = isinstance(event.start, datetime)
    length = _length(event)
    excepted = set(repeat.except_)
    cancelled = set(repeat.cancelled)
    moved = {m.date: m for m in repeat.moved}
    for found in rule_dates(repeat, _berlin(event.start)):
        day = found.date()
        if day in excepted:
            continue
        original: date | datetime = found if timed else day
        change = moved.get(day)
        if change is not None:
            yield _moved(change, original, length)
        else:
            end = original + length if length is not None else None
            yield Occurrence(
                original, end, original, "cancelled" if day in cancelled else "scheduled"
            )


def changed_dates(event: Event) -> list[Occurrence]:
    """Only the cancelled and moved dates of a series, in date order – without expanding
    the rule (a series without end has no last date)."""
    repeat = event.repeat
    assert repeat is not None
    length = _length(event)
    found: list[Occurrence] = []
    for day in repeat.cancelled:
        original = original_of(event, day)
        end = original + length if length is not None else None
        found.append(Occurrence(original, end, original, "cancelled"))
    found += [_moved(m, original_of(event, m.date), length) for m in repeat.moved]
    return sorted(found, key=lambda o: berlin_day(o.original))


def original_of(event: Event, day: date) -> date | datetime:
    """The date-time the rule gives on ``day``: the first date's wall-clock time there."""
    if not isinstance(event.start, datetime):
        return day
    return datetime.combine(day, event.start.astimezone(BERLIN).time(), BERLIN)


def _length(event: Event) -> timedelta | None:
    return event.end - event.start if event.end is not None else None


def _moved(change: MovedDate, original: date | datetime, length: timedelta | None) -> Occurrence:
    start = _berlin(change.start)
    end = _berlin(change.end) if change.end is not None else None
    if end is None and length is not None:
        end = start + length
    return Occurrence(start, end, original, "moved")


@dataclass(frozen=True, slots=True)
class SeriesDates:
    """What the site shows of a series at build time ``now``."""

    upcoming: tuple[Occurrence, ...]  # the next dates, soonest first, cancelled ones marked
    past: tuple[Occurrence, ...]  # the most recent past dates, latest first
    past_count: int  # all past dates (without cancelled ones)
    first: Occurrence | None
    last: Occurrence | None  # None while the series has no end

    @property
    def next(self) -> Occurrence | None:
        """The next date that takes place, if any."""
        return next((o for o in self.upcoming if o.status != "cancelled"), None)

    @property
    def shown(self) -> Occurrence | None:
        """The date a card shows: the next one; once the series is over, its first one
        (where the archive files it, by the year of its start)."""
        return self.next or self.first


def series_dates(
    event: Event, now: datetime, upcoming: int = UPCOMING_SHOWN, past: int = PAST_SHOWN
) -> SeriesDates:
    """The past and next dates of a series as seen at ``now``."""
    assert event.repeat is not None
    # A moved date may pass its neighbours: look as many dates further as there are moves.
    wanted = upcoming + len(event.repeat.moved)
    ahead: list[Occurrence] = []
    recent: deque[Occurrence] = deque(maxlen=past + len(event.repeat.moved))
    count = 0
    first: Occurrence | None = None
    last: Occurrence | None = None
    exhausted = True
    for occurrence in occurrences(event):
        first = first or occurrence
        last = occurrence
        if occurrence.ends_at > now:
            ahead.append(occurrence)
            if len(ahead) >= wanted:
                exhausted = False
                break
        elif occurrence.status != "cancelled":
            recent.append(occurrence)
            count += 1
    if event.repeat.until is None:
        last = None
    elif not exhausted:
        last = _last_of(event)
    return SeriesDates(
        upcoming=tuple(sorted(ahead, key=_start_key)[:upcoming]),
        past=tuple(sorted(recent, key=_start_key, reverse=True)[:past]),
        past_count=count,
        first=first,
        last=last,
    )


def _start_key(occurrence: Occurrence) -> datetime:
    return occurrence.starts_at


def _last_of(event: Event) -> Occurrence | None:
    """The last date of a series with an end (``None`` without one)."""
    assert event.repeat is not None
    if event.repeat.until is None:
        return None
    found = None
    for found in occurrences(event):  # noqa: B007 – the loop keeps the last one
        pass
    return found


def iso_duration(every: Every) -> str:
    """schema.org ``repeatFrequency``: ``P1W``, ``P2M``…"""
    return f"P{every.interval}{every.unit[0].upper()}"
