"""schema.org JSON-LD and OpenGraph (oss_portal.outputs.structured_data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest
from oss_portal.core import urls
from oss_portal.core.catalog import Catalog
from oss_portal.outputs.structured_data import (
    community_jsonld,
    event_jsonld,
    jsonld_script,
    news_jsonld,
    opengraph,
)
from writers_fixtures import HOSTILE_TITLE, SITE_NAME, SITE_URL, hostile


def _embedded(data: Any) -> Any:
    """Embed the JSON-LD in an HTML page, parse the page, read the block back."""
    page = (
        "<!doctype html><html><head><title>t</title>"
        f'<script type="application/ld+json">{jsonld_script(data)}</script>'
        "</head><body><p>Ende</p></body></html>"
    )
    tree = lxml.html.document_fromstring(page)
    scripts = tree.xpath("//script")
    assert len(scripts) == 1
    assert tree.xpath("//body/p/text()") == ["Ende"]
    return json.loads(scripts[0].text)


def _event(catalog: Catalog, event_id: str) -> dict[str, Any]:
    return _embedded(event_jsonld(catalog.event_by_id[event_id], catalog, SITE_URL))


@pytest.mark.parametrize(
    ("event_id", "status", "mode", "location_types"),
    [
        ("winter-meeting", "EventScheduled", "OnlineEventAttendanceMode", ["VirtualLocation"]),
        ("summer-meeting", "EventScheduled", "OfflineEventAttendanceMode", ["Place"]),
        (
            "conference-cancelled",
            "EventCancelled",
            "MixedEventAttendanceMode",
            ["Place", "VirtualLocation"],
        ),
        ("postponed-day", "EventPostponed", "OnlineEventAttendanceMode", ["VirtualLocation"]),
    ],
)
def test_event(
    catalog: Catalog, event_id: str, status: str, mode: str, location_types: list[str]
) -> None:
    data = _event(catalog, event_id)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["url"] == urls.absolute(SITE_URL, urls.event(event_id))
    assert data["eventStatus"] == f"https://schema.org/{status}"
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}"
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [loc["@type"] for loc in locations] == location_types
    assert data["startDate"] and data["endDate"]
    assert all(org["@type"] == "Organization" for org in data.get("organizer", []))


@pytest.mark.parametrize(
    ("event_id", "start", "utc"),
    [
        ("winter-meeting", "2023-01-11T16:00:00+01:00", datetime(2023, 1, 11, 15, tzinfo=UTC)),
        ("summer-meeting", "2023-07-11T16:00:00+02:00", datetime(2023, 7, 11, 14, tzinfo=UTC)),
    ],
)
def test_event_times(catalog: Catalog, event_id: str, start: str, utc: datetime) -> None:
    data = _event(catalog, event_id)
    assert data["startDate"] == start
    assert datetime.fromisoformat(data["startDate"]) == utc


def test_event_details(catalog: Catalog) -> None:
    winter = _event(catalog, "winter-meeting")
    assert winter["location"]["url"] == "https://reg.example/winter"
    assert winter["organizer"] == [
        {
            "@type": "Organization",
            "name": "Free Software Foundation Europe",
            "url": "https://fsfe.org",
        }
    ]
    summer = _event(catalog, "summer-meeting")
    assert summer["location"]["address"] == "Rathaus, Friedensplatz 1, 44135 Dortmund"
    assert [o["name"] for o in summer["organizer"]] == ["Alpha-Netzwerk", "Beta-Runde"]
    assert summer["organizer"][0]["url"] == urls.absolute(SITE_URL, urls.community("alpha"))
    assert summer["recordedIn"]["url"] == "https://video.example/sommer"
    cancelled = _event(catalog, "conference-cancelled")
    assert (cancelled["startDate"], cancelled["endDate"]) == ("2023-09-05", "2023-09-06")
    postponed = _event(catalog, "postponed-day")
    assert postponed["location"]["url"] == urls.absolute(SITE_URL, urls.event("postponed-day"))
    assert "organizer" not in postponed
    assert "endDate" not in _event(catalog, "open-end")


def test_community(catalog: Catalog) -> None:
    data = _embedded(community_jsonld(catalog.community_by_id["alpha"], catalog, SITE_URL))
    assert data["@type"] == "Organization"
    assert data["name"] == "Alpha-Netzwerk"
    assert data["url"] == urls.absolute(SITE_URL, urls.community("alpha"))
    assert data["sameAs"] == ["https://alpha.example"]
    assert data["email"] == "kontakt@alpha.example"
    assert data["contactPoint"]["url"] == "https://alpha.example/kontakt"
    assert data["foundingDate"] == "2021-03"
    assert data["sponsor"] == [
        {"@type": "Organization", "name": "ZenDiS"},
        {"@type": "Organization", "name": "KGSt", "url": "https://www.kgst.de"},
    ]
    minimal = _embedded(community_jsonld(catalog.community_by_id["beta"], catalog, SITE_URL))
    assert set(minimal) == {"@context", "@type", "@id", "url", "name", "description"}


@pytest.mark.parametrize(
    ("slug", "published"),
    [
        ("2023-01-11-winter", "2023-01-11T16:00:00+01:00"),
        ("2023-07-11-summer", "2023-07-11T16:00:00+02:00"),
        ("2022-05-01-date-only", "2022-05-01"),
    ],
)
def test_news(catalog: Catalog, slug: str, published: str) -> None:
    item = catalog.news_by_slug[slug]
    data = _embedded(news_jsonld(item, catalog, SITE_URL, SITE_NAME))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == item.title
    assert data["datePublished"] == published
    assert data["description"] == item.summary
    assert data["url"] == urls.absolute(SITE_URL, urls.news(slug))
    assert data["publisher"] == {"@type": "Organization", "name": SITE_NAME, "url": SITE_URL}


def test_news_links_communities_and_source(catalog: Catalog) -> None:
    item = catalog.news_by_slug["2023-01-11-winter"]
    data = news_jsonld(item, catalog, SITE_URL, SITE_NAME)
    assert [a["name"] for a in data["about"]] == ["Alpha-Netzwerk"]
    assert data["isBasedOn"] == "https://www.kgst.de"
    assert data["keywords"] == 'Kommunen & "Kreise" <vor Ort>'  # the tag's name


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "a & b < c > d",
        "</SCRIPT >",
        "Zeile\u2028Trenner\u2029",
    ],
)
def test_jsonld_script_cannot_break_out(text: str) -> None:
    data = {"@type": "Thing", "name": text, text: [text]}
    serialised = jsonld_script(data)
    assert "<" not in serialised and ">" not in serialised and "&" not in serialised
    assert json.loads(serialised) == data
    assert _embedded(data) == data


def test_hostile_content_stays_inside_the_script(catalog: Catalog) -> None:
    evil = hostile(catalog)
    for event in evil.events:
        data = _embedded(event_jsonld(event, evil, SITE_URL))
        assert data["name"] == "<script>alert(1)</script> &"
    for item in evil.news:
        data = _embedded(news_jsonld(item, evil, SITE_URL, HOSTILE_TITLE))
        assert data["headline"] == "<script>alert(1)</script> &"


def test_opengraph() -> None:
    pairs = opengraph(
        "Titel\x0b", "Beschreibung  mit\nUmbruch", "https://x.example/a/", "Portal", "article"
    )
    assert pairs == [
        ("og:type", "article"),
        ("og:title", "Titel"),
        ("og:description", "Beschreibung mit Umbruch"),
        ("og:url", "https://x.example/a/"),
        ("og:site_name", "Portal"),
        ("og:locale", "de_DE"),
    ]
    assert ("og:description", "") not in opengraph("T", "", "https://x.example/", "P")
    assert opengraph("T", "", "https://x.example/", "P")[0] == ("og:type", "website")


def test_opengraph_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="OpenGraph"):
        opengraph("T", "D", "https://x.example/", "P", "video")


def test_missing_site_url_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="site_url fehlt"):
        event_jsonld(catalog.events[0], catalog, "")
