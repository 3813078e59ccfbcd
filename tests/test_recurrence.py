"""Recurring events (issue 21, part 1): the ``repeat`` rule, its errors, its German words,
and the dates it makes – on the pages, in the exports, and in the calendars as a strict
RFC 5545 parser (PyPI ``ical``, not the writer's ``icalendar``) expands them."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import lxml.html
import pytest
from conftest import SAMPLE, SAMPLE_BUILD_DATE
from ical.calendar_stream import IcsCalendarStream
from oss_portal.core import formatting, recurrence, urls
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import Event
from oss_portal.outputs.calendar import build_calendars
from test_content_rules import event, load, load_valid, located, write_project

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
SITE = "https://portal.example.org/"


def series(
    start: str = "2026-03-17T14:00", end: str = "2026-03-17T15:00", **repeat: object
) -> Event:
    return Event(
        id="reihe",
        title="Reihe",
        start=start,
        end=end,
        format="online",
        summary="Eine Reihe.",
        repeat=repeat,
    )


# --- the rule, in RFC 5545 and in German -------------------------------------------


@pytest.mark.parametrize(
    ("repeat", "start", "rule", "words"),
    [
        ({"every": "week"}, "2026-03-17T14:00", "FREQ=WEEKLY;BYDAY=TU", "jeden Dienstag"),
        (
            {"every": "2 weeks", "on": "monday, thursday"},
            "2026-03-16T14:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
            "alle 2 Wochen am Montag und Donnerstag",
        ),
        (
            {"every": "month", "on": "first tuesday", "until": "2027-12-31"},
            "2027-01-05T14:00",
            "FREQ=MONTHLY;UNTIL=20271231T225959Z;BYDAY=1TU",
            "jeden ersten Dienstag im Monat",
        ),
        (
            {"every": "month", "on": "letzter Freitag"},
            "2026-01-30T09:00",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "jeden letzten Freitag im Monat",
        ),
        (
            {"every": "month", "on": "15"},
            "2026-01-15T09:00",
            "FREQ=MONTHLY;BYMONTHDAY=15",
            "jeden Monat am 15.",
        ),
        (
            {"every": "year", "until": "2030-01-01"},
            "2026-03-05",
            "FREQ=YEARLY;UNTIL=20300101",
            "jedes Jahr am 5. März",
        ),
        ({"every": "day"}, "2026-03-05T08:00", "FREQ=DAILY", "täglich"),
        # In German, as contributors write it:
        (
            {"every": "Monatlich", "on": "erster Dienstag"},
            "2026-01-06T14:00",
            "FREQ=MONTHLY;BYDAY=1TU",
            "jeden ersten Dienstag im Monat",
        ),
        (
            {"every": "alle 2 Wochen", "on": "mittwochs"},
            "2026-01-07T14:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
            "alle 2 Wochen am Mittwoch",
        ),
        (
            {"every": "14-tägig"},
            "2026-01-07T14:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
            "alle 2 Wochen am Mittwoch",
        ),
    ],
)
def test_the_rule_in_rfc_5545_and_in_german(
    repeat: dict[str, str], start: str, rule: str, words: str
) -> None:
    e = series(start=start, end=None, **repeat)  # type: ignore[arg-type]
    assert recurrence.rrule_value(e) == rule
    assert formatting.describe_rule(e.repeat, e.start) == words  # type: ignore[arg-type]


def test_the_series_text_names_times_and_end() -> None:
    e = series(
        start="2027-01-05T14:00",
        end="2027-01-05T15:00",
        every="month",
        on="first tuesday",
        until="2027-12-31",
    )
    assert formatting.series_text(e) == (
        "jeden ersten Dienstag im Monat, 14:00–15:00 Uhr, bis 31. Dezember 2027"
    )


def test_a_weekly_series_keeps_its_time_across_both_changes_of_summer_time() -> None:
    # 2026: summer time from 29 March, winter time from 25 October.
    e = series(every="week", until="2026-11-03")
    dates = list(recurrence.occurrences(e))
    assert len(dates) == 34
    assert {o.starts_at.astimezone(BERLIN).strftime("%H:%M") for o in dates} == {"14:00"}
    utc_hours = [o.starts_at.astimezone(UTC).hour for o in dates]
    assert utc_hours[:2] == [13, 13] and utc_hours[2] == 12 and utc_hours[-1] == 13
    assert {o.ends_at - o.starts_at for o in dates} == {timedelta(hours=1)}


def test_excepted_cancelled_and_moved_dates() -> None:
    e = series(
        every="week",
        until="2026-05-05",
        **{"except": ["2026-03-24"]},
        cancelled=["2026-03-31"],
        moved=[{"date": "2026-04-07", "start": "2026-04-08T15:00"}],
    )
    got = [(o.start.isoformat(), o.end.isoformat(), o.status) for o in recurrence.occurrences(e)]  # type: ignore[union-attr]
    assert got == [
        ("2026-03-17T14:00:00+01:00", "2026-03-17T15:00:00+01:00", "scheduled"),
        ("2026-03-31T14:00:00+02:00", "2026-03-31T15:00:00+02:00", "cancelled"),
        ("2026-04-08T15:00:00+02:00", "2026-04-08T16:00:00+02:00", "moved"),  # as long as ever
        ("2026-04-14T14:00:00+02:00", "2026-04-14T15:00:00+02:00", "scheduled"),
        ("2026-04-21T14:00:00+02:00", "2026-04-21T15:00:00+02:00", "scheduled"),
        ("2026-04-28T14:00:00+02:00", "2026-04-28T15:00:00+02:00", "scheduled"),
        ("2026-05-05T14:00:00+02:00", "2026-05-05T15:00:00+02:00", "scheduled"),
    ]
    now = datetime(2026, 4, 1, tzinfo=BERLIN)
    shown = recurrence.series_dates(e, now)
    assert shown.next is not None and shown.next.status == "moved"
    assert [o.status for o in shown.past] == ["scheduled"]  # cancelled dates are not past
    assert shown.last is not None and shown.last.start.isoformat().startswith("2026-05-05")


def test_a_series_without_end_runs_on_and_has_no_last_date() -> None:
    e = series(start="2020-01-07T14:00", end=None, every="month", on="first tuesday")
    shown = recurrence.series_dates(e, datetime(2026, 6, 1, tzinfo=BERLIN))
    assert shown.last is None and shown.past_count == 77
    assert [o.start.isoformat()[:10] for o in shown.upcoming[:2]] == ["2026-06-02", "2026-07-07"]
    assert len(shown.past) == recurrence.PAST_SHOWN


# --- errors, with file and line, and nothing lost ----------------------------------


@pytest.mark.parametrize(
    ("extra", "start", "where", "field", "words"),
    [
        (
            "repeat:\n  every: month\n  on: first tuesday\n",
            "2024-05-06T10:00",
            ":9",
            "events[0].repeat.on",
            "start (2024-05-06, ein Montag) ist kein Termin dieser Regel; der erste wäre "
            "2024-05-07",
        ),
        (
            "repeat:\n  every: fortnight\n",
            "2024-05-02T10:00",
            ":8",
            "events[0].repeat.every",
            "'2 weeks'",
        ),
        (
            "repeat:\n  every: week\n  on: first thursday\n",
            "2024-05-02T10:00",
            ":9",
            "events[0].repeat.on",
            "every: month angeben",
        ),
        (
            "repeat:\n  every: week\n  except: [2024-05-10]\n",
            "2024-05-02T10:00",
            ":9",
            "events[0].repeat.except[0]",
            "'2024-05-10' ist kein Termin der Reihe (der nächste ist 2024-05-16)",
        ),
        (
            "repeat:\n  every: week\n  until: 2024-01-01\n",
            "2024-05-02T10:00",
            ":9",
            "events[0].repeat.until",
            "liegt vor dem ersten Termin",
        ),
        (
            "repeat:\n  every: week\n  moved:\n    - date: 2024-05-09\n      start: 2024-05-10\n",
            "2024-05-02T10:00",
            ":11",
            "events[0].repeat.moved[0].start",
            "braucht eine Uhrzeit",
        ),
        (
            "repeat:\n  every: week\n  moved:\n    - date: 2024-05-09\n"
            "      start: 2024-05-17T10:00\n",
            "2024-05-02T10:00",
            ":11",
            "events[0].repeat.moved[0].start",
            "muss nach 2024-05-02 und vor 2024-05-16 liegen",
        ),
        (
            "repeat:\n  every: week\n  cancelled: [2024-05-09]\n  except: [2024-05-09]\n",
            "2024-05-02T10:00",
            ":9",
            "events[0].repeat.cancelled[0]",
            "steht schon unter except",
        ),
        (
            "repeat:\n  every: week\n  exept: [2024-05-09]\n",
            "2024-05-02T10:00",
            ":9",
            "events[0].repeat.exept",
            "meinten Sie 'except'?",
        ),
    ],
)
def test_a_wrong_series_is_one_clear_line_and_the_other_events_stay(
    tmp_path: Path, extra: str, start: str, where: str, field: str, words: str
) -> None:
    good = event(id="anderes", start="2024-06-01T10:00", end="2024-06-01T11:00")
    entry = event(extra=extra, start=start, end=start[:11] + "23:00")
    write_project(tmp_path, events=entry + good, news={})
    catalog, errors = load(tmp_path)
    assert located(errors)[:1] == [(f"data/events.yaml{where}", field)], [str(e) for e in errors]
    assert words in errors[0].message, errors[0].message
    assert [e.id for e in catalog.events] == ["anderes"]


def test_a_valid_series_loads(tmp_path: Path) -> None:
    extra = (
        "repeat:\n  every: 2 weeks\n  on: donnerstag\n  until: 2024-12-31\n"
        "  except: [2024-05-16]\n  cancelled: [2024-05-30]\n"
        "  moved:\n    - date: 2024-06-13\n      start: 2024-06-14T10:00\n"
    )
    write_project(tmp_path, events=event(extra=extra), news={})
    catalog = load_valid(tmp_path)
    assert catalog.events[0].repeat is not None
    assert recurrence.rrule_value(catalog.events[0]) == (
        "FREQ=WEEKLY;UNTIL=20241231T225959Z;INTERVAL=2;BYDAY=TH"
    )


# --- the calendars: what a strict parser expands is what the site shows --------------


def _expanded(ics: bytes, uid: str, limit: int = 500) -> list[tuple[datetime, datetime, str]]:
    """The dates of one series as the ``ical`` library expands the calendar (the first
    ``limit``: a series without end has no last one)."""
    calendar = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    mine = (e for e in calendar.timeline_tz(BERLIN) if e.uid == uid)
    return [
        (e.dtstart, e.dtend, str(e.status.value if e.status else "CONFIRMED"))
        for e in itertools.islice(mine, limit)
    ]


def _site_dates(e: Event, limit: int = 500) -> list[tuple[datetime, datetime, str]]:
    status = {"scheduled": "CONFIRMED", "moved": "CONFIRMED", "cancelled": "CANCELLED"}
    dates = itertools.islice(recurrence.occurrences(e), limit)
    return [(o.starts_at, o.ends_at, status[o.status]) for o in dates]


@pytest.mark.parametrize(
    "e",
    [
        series(
            every="week",
            until="2026-11-03",
            **{"except": ["2026-08-04"]},
            cancelled=["2026-06-09"],
            moved=[{"date": "2026-06-16", "start": "2026-06-17T15:00", "end": "2026-06-17T16:00"}],
        ),
        series(
            start="2026-01-30T09:00",
            end="2026-01-30T10:30",
            every="month",
            on="last friday",
            until="2027-01-31",
        ),
        series(
            start="2026-03-05",
            end="2026-03-06",
            every="year",
            until="2031-01-01",
            cancelled=["2028-03-05"],
        ),
    ],
    ids=["weekly-over-both-dst-changes", "last-friday", "all-day-yearly"],
)
def test_a_strict_parser_expands_the_calendar_to_the_sites_dates(e: Event, tmp_path: Path) -> None:
    write_project(tmp_path, events="[]\n", news={})
    catalog = load_valid(tmp_path)
    catalog.events.append(e)
    ics = build_calendars(catalog, SITE, "Portal")[urls.event_ics(e.id)]
    assert icalendar.Calendar.from_ical(ics).to_ical() == ics
    expanded = _expanded(ics, "reihe@portal.example.org")
    site = _site_dates(e)
    if e.all_day:  # (``ical`` gives dates for DATE values)
        site = [(s.date(), en.date(), st) for s, en, st in site]  # type: ignore[misc]
    assert expanded == site
    # Berlin time with a VTIMEZONE, not UTC: a 14:00 meeting stays at 14:00.
    if not e.all_day:
        assert b"DTSTART;TZID=Europe/Berlin:" in ics and b"BEGIN:VTIMEZONE" in ics


def test_every_calendar_of_the_site_parses_and_expands_to_the_sites_dates(
    sample_site: Path,
) -> None:
    """All calendars of the sample site (every event, per community, tag, region and
    event): icalendar writes each back unchanged, the strict parser reads the same events,
    and wherever a series appears its expanded dates are the site's."""
    catalog = _sample_catalog()
    series = {f"{e.id}@oss-verwaltung.example.org": e for e in catalog.events if e.repeat}
    seen = set()
    files = sorted(sample_site.rglob("*.ics"))
    assert len(files) > 30
    for path in files:
        data = path.read_bytes()
        assert icalendar.Calendar.from_ical(data).to_ical() == data, path
        strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        loose = {str(v["UID"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}
        assert {e.uid for e in strict.events} == loose, path
        for uid in loose & series.keys():
            seen.add(uid)
            assert _expanded(data, uid, 60) == _site_dates(series[uid], 60), (path, uid)
    assert seen == set(series)


def test_the_vtimezone_is_berlins(tmp_path: Path) -> None:
    """The hand-written STANDARD/DAYLIGHT rules give the tz database's offsets."""
    write_project(tmp_path, events="[]\n", news={})
    catalog = load_valid(tmp_path)
    catalog.events.append(series(every="week", until="2030-12-31"))
    ics = build_calendars(catalog, SITE, "Portal")[urls.EVENTS_ICS]
    tz = icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")[0].to_tz()
    day = datetime(2026, 1, 1, 12)
    while day.year < 2031:
        assert day.replace(tzinfo=tz).utcoffset() == day.replace(tzinfo=BERLIN).utcoffset(), day
        day += timedelta(days=5)


# --- the site: series page, lists, exports, structured data --------------------------


def _sample_catalog():  # type: ignore[no-untyped-def]
    now = datetime.fromisoformat(SAMPLE_BUILD_DATE).replace(tzinfo=BERLIN)
    catalog, errors = ContentLoader(ContentPaths(SAMPLE)).load(now)
    assert errors == []
    return catalog


def test_the_series_page_lists_the_next_and_past_dates_with_changes_marked(
    sample_site: Path,
) -> None:
    page = lxml.html.fromstring((sample_site / "events/sprechstunde/index.html").read_bytes())
    facts = page.xpath("string(//dl[contains(@class, 'portal-facts')])")
    assert "Jeden Dienstag, 14:00–15:00 Uhr, bis 3. November 2026" in facts
    assert "Dienstag, 2. Juni 2026" in facts  # Nächster Termin
    upcoming = page.xpath("//section[@aria-labelledby='termine']//li")
    texts = [" ".join(li.text_content().split()) for li in upcoming]
    assert texts[:3] == [
        "Dienstag, 2. Juni 2026, 14:00–15:00 Uhr",
        "Dienstag, 9. Juni 2026, 14:00–15:00 Uhr Abgesagt",
        "Mittwoch, 17. Juni 2026, 15:00–16:00 Uhr Verlegt statt 16. Juni 2026, 14:00 Uhr",
    ]
    past = page.xpath("//section[@aria-labelledby='vergangene-termine']//li//time/@datetime")
    assert past[0] == "2026-05-26T14:00:00+02:00" and past[-1] == "2026-03-17T14:00:00+01:00"
    assert len(past) == 11
    subscribe = page.xpath("//a[contains(., 'Serie abonnieren')]/@href")
    assert subscribe == ["webcal://oss-verwaltung.example.org/events/sprechstunde.ics"]
    assert not list((sample_site / "events/sprechstunde").glob("*/index.html")), "no page per date"
    # Every date the page shows is one the strict parser expands from the series' calendar.
    ics = (sample_site / urls.event_ics("sprechstunde")).read_bytes()
    expanded = {
        s.isoformat(): st for s, _e, st in _expanded(ics, "sprechstunde@oss-verwaltung.example.org")
    }
    for li in upcoming:
        when = li.xpath("string(.//time/@datetime)")
        assert when in expanded, when
        assert (expanded[when] == "CANCELLED") == ("Abgesagt" in li.text_content()), when
    assert set(past) <= set(expanded)


def test_lists_show_a_series_at_its_next_date(sample_site: Path) -> None:
    page = lxml.html.fromstring((sample_site / "events/index.html").read_bytes())
    cards = page.xpath("//section[@data-section='upcoming']//article")
    order = [c.xpath("string(.//h3)").strip() for c in cards]
    assert order[:3] == ["Monatsrunde", "Offene Sprechstunde", "Kommendes Treffen"]
    card = cards[1]
    assert card.xpath("string(.//time[@class='portal-badge']/@datetime)") == "2026-06-02"
    assert (
        "Regelmäßig: jeden Dienstag, 14:00–15:00 Uhr, bis 3. November 2026" in card.text_content()
    )
    assert card.get("data-end") == "2026-11-03T15:00:00+01:00"  # over after its last date
    assert cards[0].get("data-end") == ""  # runs on: never marked past by the script


def test_exports_and_structured_data_carry_the_rule_and_the_next_dates(sample_site: Path) -> None:
    items = json.loads((sample_site / "api/events.json").read_text("utf-8"))["items"]
    item = next(i for i in items if i["id"] == "sprechstunde")
    assert item["repeat"]["rule"] == "FREQ=WEEKLY;UNTIL=20261103T225959Z;BYDAY=TU"
    assert item["repeat"]["except"] == ["2026-08-04"]
    assert [d["status"] for d in item["next_dates"][:3]] == ["scheduled", "cancelled", "moved"]
    assert all(i["next_dates"] is None for i in items if i["repeat"] is None)
    page = (sample_site / "events/sprechstunde/index.html").read_text("utf-8")
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    assert data["@type"] == "EventSeries"
    assert data["eventSchedule"] == {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "scheduleTimezone": "Europe/Berlin",
        "startDate": "2026-03-17",
        "byDay": ["https://schema.org/Tuesday"],
        "endDate": "2026-11-03",
        "startTime": "14:00:00",
        "endTime": "15:00:00",
        "exceptDate": ["2026-06-09", "2026-08-04"],
    }
    assert data["subEvent"][1]["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["subEvent"][2]["startDate"] == "2026-06-17T15:00:00+02:00"


def test_a_finished_series_is_past_and_keeps_one_page(tmp_path: Path) -> None:
    catalog = _sample_catalog()
    e = catalog.event_by_id["sprechstunde"]
    late = catalog.now.replace(year=2027)
    over = recurrence.series_dates(e, late)
    assert over.next is None and over.upcoming == () and over.past_count == 32
    assert date(2026, 11, 3) == over.past[0].start.date()  # type: ignore[union-attr]
