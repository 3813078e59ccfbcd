"""German display of dates, times and content labels (babel), always in Europe/Berlin."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_time

from . import recurrence, regions
from .models import BERLIN, Community, Event, Repeat
from .timespan import berlin_day

LOCALE = "de_DE"

KIND_LABELS = {
    "community": "Community",
    "board": "Gremium",
    "network": "Netzwerk",
    "initiative": "Initiative",
    "working-group": "Arbeitskreis",
    "office": "Koordinierungsstelle",
}
LEVEL_LABELS = {
    "bund": "Bund",
    "land": "Land",
    "kommune": "Kommune",
    "mixed": "Ebenenübergreifend",
}
FORMAT_LABELS = {"online": "Online", "onsite": "Vor Ort", "hybrid": "Hybrid"}
STATUS_LABELS = {"scheduled": "", "cancelled": "Abgesagt", "postponed": "Verschoben"}
MEMBERSHIP_LABELS = {
    "open": "Offen für alle",
    "application": "Mitarbeit auf Bewerbung",
    "invitation": "Mitarbeit auf Einladung",
}
#: German words for the values of each choice field, by content kind and (dotted) field.
#: Region codes (``DE-NW``) and the names readers see.
REGION_LABELS: dict[str, str] = {region.code: region.name for region in regions.REGIONS}
CHOICE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("community", "kind"): KIND_LABELS,
    ("community", "level"): LEVEL_LABELS,
    ("community", "membership.mode"): MEMBERSHIP_LABELS,
    ("event", "format"): FORMAT_LABELS,
    ("community", "regions"): REGION_LABELS,
    ("event", "regions"): REGION_LABELS,
}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


@lru_cache(maxsize=65536)
def long_date(value: date | datetime) -> str:
    """``Mittwoch, 11. Januar 2023``."""
    day = _local(value).date() if isinstance(value, datetime) else value
    return format_date(day, format="full", locale=LOCALE)


@lru_cache(maxsize=65536)
def medium_date(value: date | datetime) -> str:
    """``11. Januar 2023``: the one date style of the site – pages, cards, chips and
    deadlines (event dates add the weekday in front, :func:`long_date`)."""
    day = _local(value).date() if isinstance(value, datetime) else value
    return format_date(day, format="d. MMMM y", locale=LOCALE)


@lru_cache(maxsize=65536)
def clock(moment: datetime) -> str:
    """``16:00``."""
    return format_time(_local(moment), format="HH:mm", locale=LOCALE)


def moment(value: date | datetime) -> str:
    """``11. Januar 2023`` or, with a time, ``11. Januar 2023, 16:00 Uhr``."""
    if isinstance(value, datetime):
        return f"{medium_date(value)}, {clock(value)} Uhr"
    return medium_date(value)


def event_when(event: Event | recurrence.Occurrence) -> str:
    """``Mittwoch, 11. Januar 2023, 16:00–17:00 Uhr`` (and the all-day and multi-day forms)."""
    start, end = event.start, event.end
    if not isinstance(start, datetime):
        if end is None or end == start:
            return long_date(start)
        return f"{long_date(start)} bis {long_date(end)}"
    if end is None or not isinstance(end, datetime):
        return f"{long_date(start)}, {clock(start)} Uhr"
    if _local(start).date() == _local(end).date():
        return f"{long_date(start)}, {clock(start)}–{clock(end)} Uhr"
    return f"{long_date(start)}, {clock(start)} Uhr bis {long_date(end)}, {clock(end)} Uhr"


_ORDINALS = {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", -1: "letzten"}


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def describe_rule(repeat: Repeat, start: date | datetime) -> str:
    """A series' rule in words, without times: ``jeden ersten Dienstag im Monat``."""
    every, on = recurrence.rule_parts(repeat, start)
    n = every.interval
    if every.unit == "day":
        return "täglich" if n == 1 else f"alle {n} Tage"
    if every.unit == "year":
        when = "am " + format_date(berlin_day(start), format="d. MMMM", locale=LOCALE)
        return f"jedes Jahr {when}" if n == 1 else f"alle {n} Jahre {when}"
    if on.month_day is not None:
        return (
            f"jeden Monat am {on.month_day}." if n == 1 else f"alle {n} Monate am {on.month_day}."
        )
    weekdays = recurrence.GERMAN_WEEKDAYS
    if every.unit == "week":
        names = [weekdays[d] for _, d in on.weekdays]
        return f"jeden {_and(names)}" if n == 1 else f"alle {n} Wochen am {_and(names)}"
    names = [f"{_ORDINALS[p or 1]} {weekdays[d]}" for p, d in on.weekdays]
    return f"jeden {_and(names)} im Monat" if n == 1 else f"alle {n} Monate am {_and(names)}"


def series_text(event: Event) -> str:
    """A series in words, with its time and end: ``jeden ersten Dienstag im Monat,
    14:00–15:00 Uhr, bis 31. Dezember 2027``."""
    assert event.repeat is not None
    text = describe_rule(event.repeat, event.start)
    start, end = event.start, event.end
    if isinstance(start, datetime):
        if isinstance(end, datetime) and _local(end).date() == _local(start).date():
            text += f", {clock(start)}–{clock(end)} Uhr"
        else:
            text += f", {clock(start)} Uhr"
    if event.repeat.until is not None:
        text += f", bis {medium_date(event.repeat.until)}"
    return text


def date_badge(event: Event | recurrence.Occurrence) -> dict[str, str]:
    """Parts of the calendar-leaf badge on event cards: day, month, year, weekday."""
    start = event.start
    return _badge(_local(start).date() if isinstance(start, datetime) else start)


@lru_cache(maxsize=65536)
def _badge(day: date) -> dict[str, str]:
    return {
        "day": format_date(day, format="d", locale=LOCALE),
        "month": format_date(day, format="MMM", locale=LOCALE).rstrip("."),
        "year": format_date(day, format="y", locale=LOCALE),
        "weekday": format_date(day, format="EEE", locale=LOCALE).rstrip("."),
        "iso": day.isoformat(),
    }


@lru_cache(maxsize=65536)
def partial_date(value: str) -> str:
    """``2023-10`` → ``Oktober 2023``; ``2020`` → ``2020``; full dates as medium dates."""
    parts = value.split("-")
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return format_date(date(int(parts[0]), int(parts[1]), 1), format="MMMM y", locale=LOCALE)
    return medium_date(date.fromisoformat(value))


def membership_label(community: Community) -> str:
    """The membership state as shown on cards."""
    return MEMBERSHIP_LABELS[community.membership.mode]
