"""iCalendar files (oss_portal.outputs.calendar), parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oss_portal.core import urls
from oss_portal.core.catalog import Catalog
from oss_portal.outputs.calendar import build_calendars
from writers_fixtures import HOST, NOW, SITE_NAME, SITE_URL, hostile


@pytest.fixture(scope="module")
def calendars(catalog: Catalog) -> dict[str, bytes]:
    return build_calendars(catalog, SITE_URL, SITE_NAME)


def _events(data: bytes) -> dict[str, Any]:
    """VEVENTs by UID."""
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _uid(event_id: str) -> str:
    return f"{event_id}@{HOST}"


def test_expected_files(catalog: Catalog, calendars: dict[str, bytes]) -> None:
    assert set(calendars) == (
        {urls.EVENTS_ICS, urls.community_ics("alpha"), urls.community_ics("beta")}
        | {urls.event_ics(e.id) for e in catalog.events}
        | {urls.tag_ics(tag) for tag, entry in catalog.tags.items() if entry.events}
        | {urls.region_ics(r.region.slug) for r in catalog.regions.values()}
    ), "gamma has no events and gets no calendar, nor do tags without; every region has one"


def test_every_vevent_has_the_required_properties(calendars: dict[str, bytes]) -> None:
    for path, data in calendars.items():
        cal = icalendar.Calendar.from_ical(data)
        assert cal["VERSION"] == "2.0" and cal["PRODID"], path
        events = cal.walk("VEVENT")
        # A calendar without events (a region's, to subscribe to ahead) holds the time zone:
        # RFC 5545 wants one component at least.
        assert events or cal.walk("VTIMEZONE"), path
        for event in events:
            for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "STATUS", "DESCRIPTION"):
                assert prop in event, (path, prop)


def test_lines_end_with_crlf_and_are_folded(calendars: dict[str, bytes]) -> None:
    for path, data in calendars.items():
        assert data.endswith(b"\r\n"), path
        lines = data.split(b"\r\n")[:-1]
        for line in lines:
            assert b"\n" not in line and b"\r" not in line, (path, line)
            assert len(line) <= 75, (path, line)
        if b"DESCRIPTION:" in data:
            assert any(line.startswith(b" ") for line in lines), "long descriptions are folded"


@pytest.mark.parametrize("evil", [False, True])
def test_output_is_exactly_what_the_library_writes(catalog: Catalog, evil: bool) -> None:
    """The writer splices VEVENTs serialised once into several calendars; parsing and
    re-serialising with icalendar must give the very same bytes."""
    calendars = build_calendars(hostile(catalog) if evil else catalog, SITE_URL, SITE_NAME)
    for path, data in calendars.items():
        assert icalendar.Calendar.from_ical(data).to_ical() == data, path


def test_uids_are_stable_and_unique(catalog: Catalog, calendars: dict[str, bytes]) -> None:
    events = _events(calendars[urls.EVENTS_ICS])
    assert list(events) == [_uid(e.id) for e in catalog.events]
    assert build_calendars(catalog, SITE_URL, SITE_NAME) == calendars


def test_dtstamp_is_the_build_day_not_the_clock(calendars: dict[str, bytes]) -> None:
    build_day = NOW.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    for event in _events(calendars[urls.EVENTS_ICS]).values():
        assert event.decoded("DTSTAMP") == build_day


@pytest.mark.parametrize(
    ("event_id", "start", "end"),
    [
        (
            "winter-meeting",
            datetime(2023, 1, 11, 15, 0, tzinfo=UTC),
            datetime(2023, 1, 11, 16, 0, tzinfo=UTC),
        ),
        (
            "summer-meeting",
            datetime(2023, 7, 11, 14, 0, tzinfo=UTC),
            datetime(2023, 7, 11, 16, 30, tzinfo=UTC),
        ),
        ("open-end", datetime(2024, 5, 2, 8, 0, tzinfo=UTC), None),
    ],
)
def test_times_are_exact_across_daylight_saving(
    calendars: dict[str, bytes], event_id: str, start: datetime, end: datetime | None
) -> None:
    event = _events(calendars[urls.event_ics(event_id)])[_uid(event_id)]
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 0
    if end is None:
        assert "DTEND" not in event
    else:
        assert event.decoded("DTEND") == end


@pytest.mark.parametrize(
    ("event_id", "start", "end"),
    [
        ("conference-cancelled", date(2023, 9, 5), date(2023, 9, 7)),
        ("postponed-day", date(2024, 3, 1), date(2024, 3, 2)),
    ],
)
def test_all_day_events_are_dates_with_exclusive_end(
    calendars: dict[str, bytes], event_id: str, start: date, end: date
) -> None:
    data = calendars[urls.event_ics(event_id)]
    event = _events(data)[_uid(event_id)]
    assert event.decoded("DTSTART") == start
    assert not isinstance(event.decoded("DTSTART"), datetime)
    assert event.decoded("DTEND") == end
    assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}".encode() in data


@pytest.mark.parametrize(
    ("event_id", "status", "prefix"),
    [
        ("winter-meeting", "CONFIRMED", ""),
        ("conference-cancelled", "CANCELLED", "Abgesagt: "),
        ("postponed-day", "TENTATIVE", "Verschoben: "),
    ],
)
def test_status(calendars: dict[str, bytes], event_id: str, status: str, prefix: str) -> None:
    event = _events(calendars[urls.EVENTS_ICS])[_uid(event_id)]
    assert event["STATUS"] == status
    assert str(event["SUMMARY"]).startswith(prefix)
    if status == "CANCELLED":
        assert b"STATUS:CANCELLED" in calendars[urls.event_ics(event_id)]


def test_location_url_description_and_categories(calendars: dict[str, bytes]) -> None:
    events = _events(calendars[urls.EVENTS_ICS])
    summer = events[_uid("summer-meeting")]
    assert summer["LOCATION"] == "Rathaus, Friedensplatz 1, 44135 Dortmund"
    assert summer["URL"] == urls.absolute(SITE_URL, urls.event("summer-meeting"))
    assert [str(c) for c in summer["CATEGORIES"].cats] == ["Steuerung"]  # the tag's name
    assert "Aufzeichnung: https://video.example/sommer" in str(summer["DESCRIPTION"])
    winter = events[_uid("winter-meeting")]
    assert winter["LOCATION"] == "Online"
    description = str(winter["DESCRIPTION"])
    assert description.startswith("Eine Stunde online, in der Winterzeit.\n\nAblauf:")
    assert "1. Begrüßung\n2. Vorträge mit Folien (https://slides.example/winter)" in description
    assert "Anmeldung: https://reg.example/winter" in description
    assert urls.absolute(SITE_URL, urls.event("winter-meeting")) in description
    assert "<" not in description


def test_calendar_names(catalog: Catalog, calendars: dict[str, bytes]) -> None:
    main = icalendar.Calendar.from_ical(calendars[urls.EVENTS_ICS])
    assert main["X-WR-CALNAME"] == f"{SITE_NAME}: Veranstaltungen"
    alpha = icalendar.Calendar.from_ical(calendars[urls.community_ics("alpha")])
    assert alpha["X-WR-CALNAME"] == "Alpha-Netzwerk: Veranstaltungen"
    single = icalendar.Calendar.from_ical(calendars[urls.event_ics("winter-meeting")])
    assert single["X-WR-CALNAME"] == f"{SITE_NAME}: Veranstaltung"  # shared header


def test_community_calendars_hold_exactly_their_events(
    catalog: Catalog, calendars: dict[str, bytes]
) -> None:
    for cid in ("alpha", "beta"):
        events = _events(calendars[urls.community_ics(cid)])
        assert list(events) == [_uid(e.id) for e in catalog.events_by_community[cid]]


def test_hostile_text_stays_parseable(catalog: Catalog) -> None:
    calendars = build_calendars(hostile(catalog), SITE_URL, SITE_NAME)
    for path, data in calendars.items():
        assert b"\x0b" not in data and b"\x01" not in data, path
        for event in _events(data).values():
            assert str(event["SUMMARY"]).endswith("<script>alert(1)</script> &")
            description = str(event["DESCRIPTION"])
            assert "javascript:" not in description.lower()
            assert "alert(3)" not in description


def test_missing_site_url_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="site_url fehlt"):
        build_calendars(catalog, "", SITE_NAME)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,;:\\^äöü€😀\u200f\t")), max_size=300))
def test_folding_is_the_librarys(line: str) -> None:
    """Lines are folded as icalendar folds them: at 74 octets, never inside a UTF-8
    sequence, never right after a backslash or caret."""
    from icalendar.parser import Contentline
    from oss_portal.outputs.calendar import fold

    assert fold(line) == Contentline(line).to_ical()


@pytest.mark.parametrize("evil", [False, True], ids=["plain", "hostile"])
def test_a_strict_rfc_5545_parser_reads_every_calendar_alike(catalog: Catalog, evil: bool) -> None:
    """PyPI ``ical`` (a parser independent of the writer's icalendar, strict about RFC
    5545) reads every calendar, hostile text included, with the same events: UID,
    summary, start and end."""
    from ical.calendar_stream import IcsCalendarStream

    calendars = build_calendars(hostile(catalog) if evil else catalog, SITE_URL, SITE_NAME)
    for path, data in calendars.items():
        strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        loose = _events(data)
        assert {e.uid for e in strict.events} == set(loose), path
        for event in strict.events:
            other = loose[event.uid]
            assert event.summary == str(other["SUMMARY"]), path
            assert event.dtstart == other.decoded("DTSTART"), path
            if "DTEND" in other:
                assert event.dtend == other.decoded("DTEND"), path
