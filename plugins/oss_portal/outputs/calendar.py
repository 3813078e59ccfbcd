"""iCalendar files (RFC 5545) in the form the ``icalendar`` library writes.

``events.ics`` holds every event, each community with events gets its own calendar, and
each event a single-event file for "In meinen Kalender eintragen", each tag and each
region one to subscribe to. Single events are written in UTC: RFC 5545 allows TZID with a
VTIMEZONE or UTC, UTC has no failure mode and every client shows it in the reader's local
time. A series (``repeat``) cannot be: a weekly 14:00 in UTC moves by an hour at every
change of summer time. It is one VEVENT with RRULE and EXDATE in ``TZID=Europe/Berlin``
plus one VEVENT per cancelled or moved date (same UID, RECURRENCE-ID), and its calendars
carry :data:`VTIMEZONE` – written with one yearly rule each way, because Outlook reduces a
time zone to exactly that and shifts series by an hour with the RDATE lists that
``icalendar`` generates from the tz database (MS-STANOICAL; iCalcreator issue 86). What
clients need, from their documentation and trackers: a VTIMEZONE for every TZID (Outlook,
MS-OXCICAL), UNTIL in UTC when DTSTART has a TZID (RFC 5545; Outlook and Google misread a
local UNTIL), EXDATE and RECURRENCE-ID in DTSTART's type and zone (Outlook ignores others,
KB 2295902; Google ignores a DATE EXDATE on a DATE-TIME series), and no moved date on or
past a neighbouring one (Outlook; the model forbids it). A cancelled date stays visible
(STATUS:CANCELLED, and "Abgesagt:" in the title for clients that ignore the status, such
as some versions of Google Calendar), as on the site. All-day events are DATE values with
the exclusive end RFC 5545 asks for. DTSTAMP is the build day, so the
output depends only on the catalog (and a rebuild within a day is byte-identical).

Serialisation: building the library's component objects for each event (property
lookups, parameter objects, its character-by-character line folder) costs more than
everything else, and a large catalog makes thousands of files. So the content
lines are written here, in the library's property order, with its TEXT escaping and date
formats, and folded by :func:`fold` by its rules; each VEVENT once, then placed into
every calendar it belongs to. The tests parse every file with ``icalendar`` and require
that the library writes the parsed calendar back to the very same bytes, and check the
folding against the library's own folder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from icalendar.prop import vDuration

from ..core import formatting, recurrence, urls
from ..core.catalog import Catalog
from ..core.models import BERLIN, Event
from ..core.runtime import paused_gc, same_objects
from .markdown import one_line, plain_text, strip_control_chars

PRODUCT = "oss-portal"
#: How often subscribed calendars should be refreshed (RFC 7986 and its Microsoft twin).
REFRESH = timedelta(days=1)

_STATUS = {"scheduled": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}
#: Many clients ignore STATUS in subscribed calendars; the title says it as well.
_TITLE_PREFIX = {"scheduled": "", "postponed": "Verschoben: ", "cancelled": "Abgesagt: "}
_STATUS_LINES = {status: f"STATUS:{value}\r\n".encode("ascii") for status, value in _STATUS.items()}


def _description(event: Event, page_url: str, rule: str | None = None) -> str:
    parts = [one_line(event.summary)]
    if rule is not None:
        parts.append(rule)
    if event.status == "cancelled":
        parts.append("Diese Veranstaltung ist abgesagt.")
    elif event.status == "postponed":
        parts.append("Diese Veranstaltung ist verschoben; der neue Termin steht noch nicht fest.")
    if event.description.strip():
        parts.append(plain_text(event.description, base_url=page_url))
    if event.organizers:
        parts.append("Veranstaltet von: " + ", ".join(one_line(o.name) for o in event.organizers))
    for label, url in (
        ("Anmeldung", event.registration),
        ("Aufzeichnung", event.recording),
        ("Dokumentation", event.documentation),
    ):
        # Validation rejects control characters in addresses; the strip guards models
        # made without it.
        if url:
            parts.append(f"{label}: {strip_control_chars(url)}")
    parts.append(f"Mehr zur Veranstaltung: {page_url}")
    # Every part is free of control characters by now (the plain text, too: the
    # rendering removes them), so the whole is not searched again.
    return "\n\n".join(parts)


def _location(event: Event) -> str | None:
    if event.location:
        return one_line(event.location)
    if event.format == "online":
        return "Online"
    return None


_TEXT_SPECIAL = re.compile(r"[\\;,\r\n]")


def _text(value: str) -> str:
    """A TEXT value escaped by RFC 5545's rules, in the order ``vText`` applies them."""
    if not _TEXT_SPECIAL.search(value):
        return value
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _utc(moment: datetime) -> bytes:
    """A UTC DATE-TIME value, formatted as ``vDatetime`` does (without ``strftime``, which
    is slower)."""
    u = moment.astimezone(UTC)
    return b"%04d%02d%02dT%02d%02d%02dZ" % (u.year, u.month, u.day, u.hour, u.minute, u.second)


def _day(day: date) -> bytes:
    """A DATE value, formatted as ``vDate`` does."""
    return b"%04d%02d%02d" % (day.year, day.month, day.day)


#: REFRESH-INTERVAL and X-PUBLISHED-TTL, as the library writes the duration.
_REFRESH: str = vDuration(REFRESH).to_ical().decode("ascii")  # type: ignore[no-untyped-call]


def _vevent(
    event: Event, base: str, host: str, stamp: bytes, tag_name: Callable[[str], str] = str
) -> bytes:
    """One VEVENT (a series: several, see :func:`_series`), serialised as ``icalendar``
    writes it. ``stamp`` is the DTSTAMP line."""
    page_url = urls.absolute(base, urls.event(event.id))
    common = _Common(
        uid=_content("UID:" + _text(f"{event.id}@{host}")),
        stamp=stamp,
        categories=(
            [_content("CATEGORIES:" + ",".join(_categories(event, tag_name)))] if event.tags else []
        ),
        where=[_content("LOCATION:" + _text(location))] if (location := _location(event)) else [],
        url=_content("URL:" + page_url),
    )
    if event.repeat is not None:
        return _series(event, page_url, common)
    if event.all_day:
        dates = _span(event.start, event.end)
    else:
        dates = [b"DTSTART:%b\r\n" % _utc(event.starts_at)]
        if event.end is not None:
            dates.append(b"DTEND:%b\r\n" % _utc(event.ends_at))
    title = _TITLE_PREFIX[event.status] + one_line(event.title)
    return common.vevent(title, dates, [], _description(event, page_url), event.status)


def _categories(event: Event, tag_name: Callable[[str], str]) -> list[str]:
    return [_text(strip_control_chars(tag_name(t))) for t in event.tags]


@dataclass(frozen=True)
class _Common:
    """The lines every VEVENT of one event shares (a series' changed dates, too)."""

    uid: bytes
    stamp: bytes
    categories: list[bytes]
    where: list[bytes]
    url: bytes

    def vevent(
        self, title: str, dates: list[bytes], recur: list[bytes], description: str, status: str
    ) -> bytes:
        """One VEVENT with the properties in ``icalendar``'s order: its canonical ones
        (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, RECURRENCE-ID, RRULE, EXDATE) first, then
        alphabetically. Only lines that carry content can exceed the folding limit; the
        date lines, STATUS and the delimiters are short ASCII and are not folded."""
        return b"".join(
            (
                b"BEGIN:VEVENT\r\n",
                _content("SUMMARY:" + _text(title)),
                *dates,
                self.stamp,
                self.uid,
                *recur,
                *self.categories,
                _content("DESCRIPTION:" + _text(description)),
                *self.where,
                _STATUS_LINES[status],
                self.url,
                b"END:VEVENT\r\n",
            )
        )


def _series(event: Event, page_url: str, common: _Common) -> bytes:
    """A series: one VEVENT with RRULE and EXDATE in Berlin time, then one VEVENT per
    cancelled or moved date (same UID, RECURRENCE-ID: the date the rule gives).

    Times carry ``TZID=Europe/Berlin`` (the calendar holds its VTIMEZONE): a weekly 14:00
    written in UTC would move by an hour at every change of summer time.
    """
    repeat = event.repeat
    assert repeat is not None
    timed = not event.all_day
    recur = [b"RRULE:%b\r\n" % recurrence.rrule_value(event).encode("ascii")]
    if repeat.except_:
        excepted = [recurrence.original_of(event, day) for day in sorted(repeat.except_)]
        recur.append(_content(_date_property("EXDATE", excepted, timed)))
    rule = "Regelmäßig: " + formatting.series_text(event) + "."
    text = _description(event, page_url, rule)
    title = one_line(event.title)
    parts = [
        common.vevent(
            _TITLE_PREFIX[event.status] + title,
            _span(event.start, event.end),
            recur,
            text,
            event.status,
        )
    ]
    for occurrence in recurrence.changed_dates(event):
        original = [_content(_date_property("RECURRENCE-ID", [occurrence.original], timed))]
        if occurrence.status == "cancelled" or event.status == "cancelled":
            status, note = "cancelled", "Dieser Termin der Reihe ist abgesagt."
        else:
            status = event.status
            was = formatting.moment(occurrence.original)
            note = f"Dieser Termin der Reihe ist verlegt (statt {was})."
        dates = _span(occurrence.start, occurrence.end)
        changed = f"{note}\n\n{text}"
        parts.append(common.vevent(_TITLE_PREFIX[status] + title, dates, original, changed, status))
    return b"".join(parts)


def _local(moment: date | datetime) -> bytes:
    """A DATE-TIME in Berlin wall-clock time (with TZID), or a DATE."""
    if not isinstance(moment, datetime):
        return _day(moment)
    m = moment.astimezone(BERLIN)
    return b"%04d%02d%02dT%02d%02d%02d" % (m.year, m.month, m.day, m.hour, m.minute, m.second)


def _date_property(name: str, values: list[date | datetime], timed: bool) -> str:
    kind = ";TZID=Europe/Berlin:" if timed else ";VALUE=DATE:"
    return name + kind + ",".join(_local(v).decode("ascii") for v in values)


def _span(start: date | datetime, end: date | datetime | None) -> list[bytes]:
    """DTSTART and DTEND: DATE values (with the exclusive end), or in Berlin time."""
    if not isinstance(start, datetime):
        last = end if end is not None else start
        return [
            b"DTSTART;VALUE=DATE:%b\r\n" % _day(start),
            b"DTEND;VALUE=DATE:%b\r\n" % _day(last + timedelta(days=1)),
        ]
    out = [b"DTSTART;TZID=Europe/Berlin:%b\r\n" % _local(start)]
    if end is not None:
        out.append(b"DTEND;TZID=Europe/Berlin:%b\r\n" % _local(end))
    return out


def _content(line: str) -> bytes:
    """A content line, folded and ended by CRLF."""
    return fold(line) + b"\r\n"


def _lines(lines: Iterable[str]) -> bytes:
    """Content lines, folded, each ended by CRLF."""
    return b"".join(map(_content, lines))


#: Serialised VEVENTs of earlier calls by event id: (event, site, DTSTAMP, bytes). Events
#: are compared by identity: the content loader returns the same objects for files that
#: did not change (and the memo keeps them alive), so a ``mkdocs serve`` rebuild
#: serialises only the events that changed.
_VEVENT_MEMO: dict[str, tuple[Event, str, bytes, bytes]] = {}
#: The tag list the memo was made with (:attr:`Catalog.tag_names_key`).
_TAG_NAMES: list[str] = [""]


def _vevent_bytes(
    event: Event, base: str, host: str, stamp: bytes, tag_name: Callable[[str], str] = str
) -> bytes:
    cached = _VEVENT_MEMO.get(event.id)
    if cached is not None and cached[0] is event and cached[1] == base and cached[2] == stamp:
        return cached[3]
    data = _vevent(event, base, host, stamp, tag_name)
    _VEVENT_MEMO[event.id] = (event, base, stamp, data)
    return data


#: Folding limit of ``icalendar``: a physical line holds at most 74 octets (plus the
#: leading space of a continuation), comfortably inside RFC 5545's 75.
_FOLD_AT = 74


def fold(line: str) -> bytes:
    """An unfolded content line folded as ``icalendar`` does (RFC 5545, section 3.1).

    A line is cut before the character that would make it longer than 74 octets, never
    inside a UTF-8 sequence, and not right after a backslash or caret, so that an escape
    sequence (``\\,``, ``^n``) stays on one line as some clients expect.
    """
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return data
    pieces: list[bytes] = []
    start = 0
    while len(data) - start > _FOLD_AT:
        cut = start + _FOLD_AT
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character
            cut -= 1
        if data[cut - 1] in b"\\^":  # (a piece near 74 octets always has several characters)
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


_END = b"END:VCALENDAR\r\n"


#: Europe/Berlin as Thunderbird, Google and Outlook write it themselves: one STANDARD and
#: one DAYLIGHT rule (last Sunday of October and of March), not the list of every
#: transition that ``icalendar`` generates from the tz database, which Outlook misreads.
#: Properties in the order ``icalendar`` writes them.
VTIMEZONE = _lines(
    (
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "X-LIC-LOCATION:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
    )
)


def _calendar(
    path: str, name: str, vevents: list[bytes], site_name: str, remember: bool, zone: bool
) -> bytes:
    """A VCALENDAR holding the already serialised ``vevents``.

    Every event appears in up to three calendars (all, its communities', its own), so
    each VEVENT is serialised once and placed where the library puts subcomponents:
    after the calendar's properties, before ``END:VCALENDAR``. A calendar whose VEVENTs
    are the very objects of the previous call is returned as it was, so that
    ``mkdocs serve`` rewrites only calendars whose events changed.
    """
    cached = _CALENDAR_MEMO.get(path)
    if cached is not None and cached[0] == (name, site_name) and same_objects(cached[1], vevents):
        return cached[2]
    # Series (and a calendar without events, which RFC 5545 lets hold a VTIMEZONE as its
    # one component) need the time zone; other calendars stay in UTC without it.
    timezone = VTIMEZONE if zone or not vevents else b""
    data = _calendar_head(name, site_name) + timezone + b"".join(vevents) + _END
    if remember:
        _CALENDAR_MEMO[path] = ((name, site_name), vevents, data)
    return data


#: Calendars of the previous call by path: (name and site name, VEVENTs, bytes).
_CALENDAR_MEMO: dict[str, tuple[tuple[str, str], list[bytes], bytes]] = {}


@functools.lru_cache(maxsize=16_384)
def _calendar_head(name: str, site_name: str) -> bytes:
    """The serialised calendar properties, up to (not including) ``END:VCALENDAR``."""
    return _lines(
        (
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:" + _text(f"-//{one_line(site_name)}//{PRODUCT}//DE"),
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "NAME:" + _text(one_line(name)),
            "X-WR-CALNAME:" + _text(one_line(name)),
            "REFRESH-INTERVAL;VALUE=DURATION:" + _REFRESH,
            "X-PUBLISHED-TTL:" + _REFRESH,
            "X-WR-TIMEZONE:Europe/Berlin",
        )
    )


def build_calendars(catalog: Catalog, site_url: str, site_name: str) -> dict[str, bytes]:
    """All calendars as ``{path relative to the site root: ICS bytes}``.

    ``events.ics`` (every event, also past ones, so a subscriber's history stays intact),
    one per community that has events, one per event. Raises ``ValueError`` (German
    message) for a missing ``site_url``.
    """
    return dict(iter_calendars(catalog, site_url, site_name))


def iter_calendars(
    catalog: Catalog, site_url: str, site_name: str, *, remember: bool = True
) -> Iterator[tuple[str, bytes]]:
    """The calendars of :func:`build_calendars` one by one, as ``(path, bytes)``.

    ``remember`` keeps each calendar for the next call, so that ``mkdocs serve`` returns
    an unchanged one as the same object; a one-shot build passes ``False``.
    """
    base = urls.require_site_url(site_url)
    with paused_gc():
        # DTSTAMP is the build day: stable output within a day, and a rebuild during
        # `mkdocs serve` re-serialises only the events that changed.
        day = catalog.now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        stamp = b"DTSTAMP:%b\r\n" % _utc(day)
        host = urlsplit(base).hostname or ""
        if _TAG_NAMES[0] != catalog.tag_names_key:  # CATEGORIES carry the tags' names
            _VEVENT_MEMO.clear()
            _TAG_NAMES[0] = catalog.tag_names_key
        names = catalog.tag_name
        vevents = {e.id: _vevent_bytes(e, base, host, stamp, names) for e in catalog.events}
        for stale in _VEVENT_MEMO.keys() - vevents.keys():
            del _VEVENT_MEMO[stale]
        written: set[str] = set()

        def calendar(path: str, name: str, events: list[Event]) -> tuple[str, bytes]:
            written.add(path)
            parts = [vevents[e.id] for e in events]
            zone = any(e.repeat is not None for e in events)
            return path, _calendar(path, name, parts, site_name, remember, zone)

        yield calendar(urls.EVENTS_ICS, f"{site_name}: Veranstaltungen", catalog.events)
        for community in catalog.communities:
            events = catalog.events_by_community.get(community.id)
            if events:
                name = f"{community.name}: Veranstaltungen"
                yield calendar(urls.community_ics(community.id), name, events)
        for tag, entry in catalog.tags.items():
            if entry.events:
                name = f"{site_name}: {catalog.tag_name(tag)}"
                yield calendar(urls.tag_ics(tag), name, entry.events)
        for region in catalog.regions.values():
            # Every region has its calendar, so that readers can subscribe before the
            # first event is announced (without events it holds the VTIMEZONE).
            name = f"{site_name}: Veranstaltungen – {region.region.name}"
            yield calendar(urls.region_ics(region.region.slug), name, region.events)
        # Single-event files are for importing one event ("In meinen Kalender eintragen"),
        # where clients ignore the calendar's name: they share one header.
        single = f"{site_name}: Veranstaltung"
        for event in catalog.events:
            yield calendar(urls.event_ics(event.id), single, [event])
        for stale in _CALENDAR_MEMO.keys() - written if remember else list(_CALENDAR_MEMO):
            del _CALENDAR_MEMO[stale]


def clear_memo() -> None:
    """Forget serialised events, calendars and calendar headers of earlier calls."""
    _VEVENT_MEMO.clear()
    _CALENDAR_MEMO.clear()
    _calendar_head.cache_clear()
