"""Regions (issue 21, part 2): the field, its errors, the index, the pages, feeds and
calendars of every region – checked on the sample site with feedparser and icalendar."""

from __future__ import annotations

from pathlib import Path

import feedparser
import icalendar
import lxml.html
import pytest
from conftest import SAMPLE, SAMPLE_BUILD_DATE
from ical.calendar_stream import IcsCalendarStream
from oss_portal.core import regions, urls
from oss_portal.core.loading import ContentLoader, ContentPaths
from test_content_rules import community, event, load, located, write_project


def test_every_land_and_the_bund_and_international() -> None:
    codes = [r.code for r in regions.REGIONS]
    assert len(codes) == len(set(codes)) == 18
    assert sum(r.is_land for r in regions.REGIONS) == 16
    assert {codes[0], codes[-1]} == {"bund", "international"}
    assert len({r.slug for r in regions.REGIONS}) == 18


@pytest.mark.parametrize(
    ("written", "meant"),
    [("NRW", "DE-NW"), ("Nordrhein-Westfalen", "DE-NW"), ("de-by", "DE-BY"), ("Bayrn", "DE-BY")],
)
def test_a_region_written_otherwise_is_an_error_with_the_code(
    tmp_path: Path, written: str, meant: str
) -> None:
    write_project(
        tmp_path, communities=community(extra=f"regions: [{written}]\n"), events="[]\n", news={}
    )
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:6", "communities[0].regions[0]")]
    assert f"gemeint ist wohl '{meant}'" in errors[0].message
    assert "DE-NW für Nordrhein-Westfalen" in errors[0].message


def test_regions_are_optional_and_several_are_allowed(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        communities=community(extra="regions: [DE-NW, DE-BE, DE-BY]\n"),
        events=event(extra="regions: [international]\n"),
        news={},
    )
    catalog, errors = load(tmp_path)
    assert errors == []
    assert catalog.communities[0].regions == ["DE-NW", "DE-BE", "DE-BY"]
    assert catalog.events[0].regions == ["international"]


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    from datetime import datetime

    from oss_portal.core.models import BERLIN

    now = datetime.fromisoformat(SAMPLE_BUILD_DATE).replace(tzinfo=BERLIN)
    loaded, errors = ContentLoader(ContentPaths(SAMPLE)).load(now)
    assert errors == []
    return loaded


def test_a_lands_page_lists_its_own_and_the_bund_wide_entries(catalog) -> None:  # type: ignore[no-untyped-def]
    nrw, bayern, bund = (catalog.regions[c] for c in ("DE-NW", "DE-BY", "bund"))
    assert [c.id for c in nrw.communities] == ["alpha-community", "beta-board"]
    # (The series are in start order: the Bund-wide Monatsrunde starts in January.)
    assert [e.id for e in nrw.events] == ["monatsrunde", "sprechstunde", "kommendes-treffen"]
    assert [c.id for c in bayern.communities] == ["beta-board"]  # Bund-wide only
    assert [e.id for e in bayern.events] == ["monatsrunde"]
    assert [c.id for c in bund.communities] == ["beta-board"]
    assert catalog.regions["international"].count == 0
    # News belong to the regions of their communities and events.
    assert {n.slug for n in nrw.news} >= {
        n.slug for n in catalog.news if "alpha-community" in n.communities
    }


def test_every_region_has_its_page_feeds_and_calendar(sample_site: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    index = lxml.html.fromstring((sample_site / urls.REGIONS / "index.html").read_bytes())
    linked = index.xpath('//ul[@class="portal-regions"]/li/a/@href')
    assert len(linked) == 18
    for entry in catalog.regions.values():
        slug = entry.region.slug
        page = lxml.html.fromstring((sample_site / urls.region(slug) / "index.html").read_bytes())
        assert page.xpath("string(//h1)") == entry.region.name
        titles = {
            t.strip()
            for t in page.xpath('//*[contains(@class, "portal-card__title")]//text()')
            if t.strip()
        }
        assert {c.name for c in entry.communities} <= titles, slug
        for kind in ("rss", "atom"):
            parsed = feedparser.parse((sample_site / urls.region_feed(slug, kind)).read_bytes())
            assert not parsed.bozo, (slug, kind, parsed.get("bozo_exception"))
            assert [e.link.rstrip("/").rsplit("/", 1)[-1] for e in parsed.entries] == [
                n.slug for n in entry.news
            ][: len(parsed.entries)]
        # Every region has its calendar, with or without events (readers subscribe ahead).
        ics = sample_site / urls.region_ics(slug)
        calendar = icalendar.Calendar.from_ical(ics.read_bytes())
        assert entry.region.name in str(calendar["X-WR-CALNAME"])
        strict = IcsCalendarStream.calendar_from_ics(ics.read_text("utf-8"))  # RFC 5545
        # (A series is one VEVENT plus one per changed date, all with its UID.)
        assert len({e.uid for e in strict.events}) == len(entry.events), slug
        uids = {str(v["UID"]) for v in calendar.walk("VEVENT")}
        assert len(uids) == len(entry.events), slug
        html = (sample_site / urls.region(slug) / "index.html").read_text("utf-8")
        assert f'href="webcal://oss-verwaltung.example.org/{urls.region_ics(slug)}"' in html


def test_tags_with_events_have_a_calendar(sample_site: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    for tag, entry in catalog.tags.items():
        ics = sample_site / urls.tag_ics(tag)
        assert ics.exists() == bool(entry.events), tag
        if entry.events:
            calendar = icalendar.Calendar.from_ical(ics.read_bytes())
            masters = [v for v in calendar.walk("VEVENT") if "RECURRENCE-ID" not in v]
            assert len(masters) == len(entry.events)
            page = (sample_site / urls.tag(tag) / "index.html").read_text("utf-8")
            assert "webcal://" in page and f"{tag}/events.ics" in page
