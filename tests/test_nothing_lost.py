"""Nothing is lost: every entry that goes in comes out – as a page, feed item, calendar
event, export record and search entry – for generated sites large and small."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import feedparser
import icalendar
import markupsafe
import yaml
from conftest import build_site, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oss_portal.core import urls
from oss_portal.core.loading import load_catalog

from devtools.synthetic import generate_project

BUILD_DATE = "2026-06-01T12:00"


def _fresh_project(base: Path) -> Path:
    project = make_project(base / "project")
    shutil.rmtree(project / "data")
    shutil.rmtree(project / "content" / "news")
    (project / "data").mkdir()
    return project


def _docs_by_page(site: Path) -> dict[str, list[dict[str, str]]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages: dict[str, list[dict[str, str]]] = {}
    for doc in index["docs"]:
        pages.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
    return pages


def _vevent_uids(data: bytes) -> set[str]:
    """The events of a calendar by UID (a series' changed dates share its UID)."""
    calendar = icalendar.Calendar.from_ical(data)
    return {str(component["UID"]) for component in calendar.walk("VEVENT")}


def _count_everything(project: Path, site: Path) -> None:
    """Assert that every published entry of ``project`` reaches every output of ``site``."""
    from datetime import datetime

    from oss_portal.core.models import BERLIN

    catalog, errors = load_catalog(
        project, now=datetime.fromisoformat(BUILD_DATE).replace(tzinfo=BERLIN)
    )
    assert errors == []
    search = _docs_by_page(site)
    for community in catalog.communities:
        url = urls.community(community.id)
        assert (site / url / "index.html").is_file(), url
        assert url in search, url
    for event in catalog.events:
        url = urls.event(event.id)
        assert (site / url / "index.html").is_file(), url
        assert url in search, url
        assert len(_vevent_uids((site / urls.event_ics(event.id)).read_bytes())) == 1
    for item in catalog.news:
        url = urls.news(item.slug)
        assert (site / url / "index.html").is_file(), url
        assert url in search, url
    for draft in catalog.drafts:
        assert not (site / urls.news(draft.slug)).exists()
    assert len(_vevent_uids((site / urls.EVENTS_ICS).read_bytes())) == len(catalog.events)
    for community in catalog.communities:
        own = catalog.events_by_community.get(community.id, [])
        if own:
            uids = _vevent_uids((site / urls.community_ics(community.id)).read_bytes())
            assert len(uids) == len(own)
    for kind, expected in (
        ("communities", catalog.communities),
        ("events", catalog.events),
        ("news", catalog.news),
    ):
        records = json.loads((site / urls.export(kind)).read_text(encoding="utf-8"))["items"]
        assert len(records) == len(expected), kind
    feed = feedparser.parse((site / urls.RSS).read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == min(50, len(catalog.news))
    for community in catalog.communities:
        own_news = catalog.news_by_community.get(community.id, [])
        parsed = feedparser.parse((site / urls.community_feed(community.id, "rss")).read_bytes())
        assert len(parsed.entries) == min(50, len(own_news)), community.id
    news_index_pages = -(-len(catalog.news) // 10) or 1
    listed = 0
    for number in range(1, news_index_pages + 1):
        text = (site / urls.news_page(number) / "index.html").read_text(encoding="utf-8")
        listed += sum(text.count(f'news/{n.slug}/"') > 0 for n in catalog.news)
    assert listed >= len(catalog.news)


def test_large_generated_site_loses_nothing(tmp_path: Path) -> None:
    project = _fresh_project(tmp_path)
    counts = generate_project(project, 400, seed=7)
    assert counts["total"] == 400
    site = build_site(project, tmp_path / "site", build_date=BUILD_DATE)
    _count_everything(project, site)


# -- property: generated valid entries always build and appear everywhere ------------------

_TEXT = (
    st.text(
        alphabet=st.characters(
            categories=("L", "N", "P", "S", "Zs"),
            exclude_characters="\u2028\u2029\x85",
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
_SPICE = st.sampled_from(
    ["", " <script>alert(1)</script>", " & Co. „Zitat“", " 🚀", " مرحبا", " ' \" < >"]
)
_TITLE = st.builds(lambda base, spice: (base + spice).strip(), _TEXT, _SPICE).filter(bool)


@st.composite
def _content(draw: st.DrawFn) -> dict[str, list[dict[str, object]]]:
    n_comm = draw(st.integers(1, 3))
    communities = [
        {
            "id": f"community-{i}",
            "name": draw(_TITLE),
            "kind": "community",
            "summary": draw(_TITLE),
            "level": "kommune",
            "tags": ["thema"],
        }
        for i in range(n_comm)
    ]
    events = []
    for i in range(draw(st.integers(1, 3))):
        day = date(2026, 6, 1) + timedelta(days=draw(st.integers(-800, 800)))
        events.append(
            {
                "id": f"event-{i}",
                "title": draw(_TITLE),
                "start": f"{day.isoformat()}T16:00",
                "end": f"{day.isoformat()}T17:00",
                "format": "online",
                "summary": draw(_TITLE),
                "description": draw(_TITLE),
                "communities": [f"community-{i % n_comm}"],
            }
        )
    news = [
        {
            "title": draw(_TITLE),
            "date": (date(2025, 1, 1) + timedelta(days=i)).isoformat(),
            "summary": draw(_TITLE),
            "communities": ["community-0"],
            "body": draw(_TITLE),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    return {"communities": communities, "events": events, "news": news}


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=_content())
def test_generated_entries_always_build_and_appear_everywhere(
    tmp_path_factory: object, content: dict[str, list[dict[str, object]]]
) -> None:
    base = tmp_path_factory.mktemp("prop")  # type: ignore[attr-defined]
    project = _fresh_project(base)
    dump = {"allow_unicode": True, "sort_keys": False}
    (project / "data" / "communities.yaml").write_text(
        yaml.safe_dump(content["communities"], **dump), encoding="utf-8"
    )
    (project / "data" / "events.yaml").write_text(
        yaml.safe_dump(content["events"], **dump), encoding="utf-8"
    )
    news_dir = project / "content" / "news"
    news_dir.mkdir(parents=True)
    for i, item in enumerate(content["news"]):
        front = {k: v for k, v in item.items() if k != "body"}
        (news_dir / f"nachricht-{i}.md").write_text(
            "---\n" + yaml.safe_dump(front, **dump) + "---\n\n" + str(item["body"]) + "\n",
            encoding="utf-8",
        )
    site = build_site(project, base / "site", build_date=BUILD_DATE)
    _count_everything(project, site)
    search_text = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for event in content["events"]:
        page = (site / urls.event(str(event["id"])) / "index.html").read_text(encoding="utf-8")
        assert str(markupsafe.escape(str(event["title"]))) in page
    assert "<script>alert(1)</script>" not in search_text
