"""JSON exports (oss_portal.outputs.exports) validated with jsonschema against the published
schemas, and the "nothing is lost" count across feeds, calendars and exports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import feedparser
import icalendar
import jsonschema
import pytest
from oss_portal.core import urls
from oss_portal.core.catalog import Catalog
from oss_portal.core.urls import require_site_url
from oss_portal.outputs.calendar import build_calendars
from oss_portal.outputs.exports import (
    EXPORT_MODELS,
    KINDS,
    NOT_EXPORTED,
    RECORD_MODELS,
    build_exports,
    community_item,
    event_item,
    export_schemas,
    news_item,
)
from oss_portal.outputs.feeds import build_feeds
from writers_fixtures import DRAFT_SLUG, SITE_NAME, SITE_URL, hostile, load_site, write_site


@pytest.fixture(scope="module")
def exports(catalog: Catalog) -> dict[str, bytes]:
    return build_exports(catalog, SITE_URL)


def _load(exports: dict[str, bytes], kind: str) -> Any:
    return json.loads(exports[urls.export(kind)])


def _validator(exports: dict[str, bytes], kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(exports[urls.export_schema(kind)])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _items(exports: dict[str, bytes], kind: str) -> dict[str, dict[str, Any]]:
    key = "slug" if kind == "news" else "id"
    return {item[key]: item for item in _load(exports, kind)["items"]}


def test_files_are_written(exports: dict[str, bytes]) -> None:
    assert set(exports) == {urls.export(k) for k in KINDS} | {urls.export_schema(k) for k in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_export_validates_against_its_published_schema(
    exports: dict[str, bytes], kind: str
) -> None:
    document = _load(exports, kind)
    errors = [e.message for e in _validator(exports, kind).iter_errors(document)]
    assert errors == []
    assert document["$schema"] == urls.absolute(SITE_URL, urls.export_schema(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_published_schema_is_the_generated_one(exports: dict[str, bytes], kind: str) -> None:
    published = json.loads(exports[urls.export_schema(kind)])
    assert published == export_schemas()[kind]
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    ("kind", "mutate"),
    [
        ("events", lambda item: item.update(start="2023-01-11T16:00")),  # no offset
        ("events", lambda item: item.update(status="abgesagt")),
        ("events", lambda item: item.pop("url")),
        ("news", lambda item: item.update(extra=1)),
        ("news", lambda item: item.update(date="11.01.2023")),
        ("communities", lambda item: item.update(website="ftp://x.example")),
        ("communities", lambda item: item["membership"].update(deadline="2023-02-30")),
    ],
)
def test_schema_rejects_broken_items(exports: dict[str, bytes], kind: str, mutate: Any) -> None:
    document = copy.deepcopy(_load(exports, kind))
    mutate(document["items"][0])
    assert list(_validator(exports, kind).iter_errors(document))


@pytest.mark.parametrize("kind", KINDS)
def test_every_source_field_is_exported(kind: str) -> None:
    source, record = RECORD_MODELS[kind]
    missing = set(source.model_fields) - set(record.model_fields) - NOT_EXPORTED
    assert missing == set()
    assert "url" in record.model_fields


@pytest.mark.parametrize(
    ("event_id", "start", "end", "utc"),
    [
        (
            "winter-meeting",
            "2023-01-11T16:00:00+01:00",
            "2023-01-11T17:00:00+01:00",
            datetime(2023, 1, 11, 15, 0, tzinfo=UTC),
        ),
        (
            "summer-meeting",
            "2023-07-11T16:00:00+02:00",
            "2023-07-11T18:30:00+02:00",
            datetime(2023, 7, 11, 14, 0, tzinfo=UTC),
        ),
    ],
)
def test_event_times_carry_their_offset(
    exports: dict[str, bytes], event_id: str, start: str, end: str, utc: datetime
) -> None:
    item = _items(exports, "events")[event_id]
    assert (item["start"], item["end"], item["all_day"]) == (start, end, False)
    assert datetime.fromisoformat(item["start"]) == utc


def test_event_fields(catalog: Catalog, exports: dict[str, bytes]) -> None:
    events = _items(exports, "events")
    assert list(events) == [e.id for e in catalog.events]
    cancelled = events["conference-cancelled"]
    assert (cancelled["start"], cancelled["end"], cancelled["all_day"]) == (
        "2023-09-05",
        "2023-09-06",
        True,
    )
    assert cancelled["status"] == "cancelled"
    assert events["postponed-day"]["end"] is None
    assert events["winter-meeting"]["description"].startswith("Ablauf:\n\n1. Begrüßung")
    assert events["summer-meeting"]["recording"] == "https://video.example/sommer"
    assert events["summer-meeting"]["url"] == urls.absolute(SITE_URL, urls.event("summer-meeting"))
    assert events["winter-meeting"]["organizers"] == [
        {"name": "Free Software Foundation Europe", "url": "https://fsfe.org"}
    ]
    assert events["summer-meeting"]["organizers"] == []


def test_community_fields(catalog: Catalog, exports: dict[str, bytes]) -> None:
    communities = _items(exports, "communities")
    assert list(communities) == [c.id for c in catalog.communities]
    alpha = communities["alpha"]
    assert alpha["contact"] == {
        "email": "kontakt@alpha.example",
        "url": "https://alpha.example/kontakt",
    }
    assert alpha["membership"] == {"mode": "application", "deadline": "2023-02-01", "seats": 20}
    assert alpha["since"] == "2021-03"
    assert alpha["organizers"] == [
        {"name": "ZenDiS", "url": None},
        {"name": "KGSt", "url": "https://www.kgst.de"},
    ]
    assert alpha["description"].startswith("Mehr in der [Dokumentation]")
    assert communities["beta"]["contact"] is None
    assert communities["beta"]["membership"] == {"mode": "open", "deadline": None, "seats": None}
    assert alpha["url"] == urls.absolute(SITE_URL, urls.community("alpha"))


def test_news_fields(catalog: Catalog, exports: dict[str, bytes]) -> None:
    news = _items(exports, "news")
    assert list(news) == [n.slug for n in catalog.news]
    assert DRAFT_SLUG not in news
    winter = news["2023-01-11-winter"]
    assert winter["date"] == "2023-01-11T16:00:00+01:00"
    assert winter["body"].startswith("Ein Absatz mit [relativem Link](../2023-07-11-summer/)")
    assert winter["source"] == {"name": "KGSt", "url": "https://www.kgst.de"}
    assert winter["events"] == ["winter-meeting"]
    assert news["2023-07-11-summer"]["date"] == "2023-07-11T16:00:00+02:00"
    assert news["2023-07-11-summer"]["deadline"] == "2023-07-31"
    assert news["2022-05-01-date-only"]["date"] == "2022-05-01"
    assert "draft" not in winter and "source_path" not in winter


def test_output_is_reproducible(catalog: Catalog, exports: dict[str, bytes]) -> None:
    assert build_exports(catalog, SITE_URL) == exports


def test_hostile_text_is_kept_verbatim_and_valid(catalog: Catalog) -> None:
    exports = build_exports(hostile(catalog), SITE_URL)
    hostile_url = "https://x.example/anmeldung\x0b"
    for kind in KINDS:
        document = _load(exports, kind)
        # The registration address with a control character, as if it had slipped past
        # validation, is kept verbatim; the schema's "uri" format (checked where rfc3987
        # is installed, as from the lock) rightly rejects it. Everything else is valid.
        errors = _validator(exports, kind).iter_errors(document)
        assert [e.message for e in errors if e.instance != hostile_url] == []
    event = _load(exports, "events")["items"][0]
    assert event["title"] == "<script>alert(1)</script> & \x0b"
    assert event["registration"] == hostile_url


def _odd(catalog: Catalog) -> Catalog:
    """The catalog with values a serialiser may write its own way: seconds and
    microseconds, a UTC and a half-hour offset, characters outside the BMP, empty lists."""
    odd_times = [
        datetime(2031, 5, 17, 9, 30, 15, 123456, tzinfo=UTC),
        datetime(2031, 5, 17, 9, 30, 0, 500, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ]
    events = [
        e.model_copy(
            update={"start": odd_times[i % 2], "end": None, "title": "Treffen 🐧 𝔘𝔫𝔦", "tags": []}
        )
        if not e.all_day
        else e
        for i, e in enumerate(catalog.events)
    ]
    news = [
        n.model_copy(update={"date": odd_times[i % 2], "tags": [], "summary": '\u2028 \\ "x"'})
        for i, n in enumerate(catalog.news)
    ]
    return Catalog(
        communities=list(catalog.communities),
        events=events,
        news=news,
        drafts=list(catalog.drafts),
        now=catalog.now,
    )


@pytest.mark.parametrize("variant", ["plain", "hostile", "odd"])
def test_output_is_what_the_record_models_write(catalog: Catalog, variant: str) -> None:
    """Items are written as dicts of the source models' fields (nested models as they
    are); validated by the record models (so: exactly their fields) and written by them,
    they must give the very same bytes (field order, dates, nesting, nulls, escapes)."""
    variants = {
        "plain": lambda: catalog,
        "hostile": lambda: hostile(catalog),
        "odd": lambda: _odd(catalog),
    }
    source = variants[variant]()
    written = build_exports(source, SITE_URL)
    base = require_site_url(SITE_URL)
    items = {
        "communities": [community_item(c, base) for c in source.communities],
        "events": [event_item(e, base) for e in source.events],
        "news": [news_item(n, base) for n in source.news],
    }
    for kind in KINDS:
        record = RECORD_MODELS[kind][1]
        model = EXPORT_MODELS[kind].model_validate(
            {
                "$schema": urls.absolute(base, urls.export_schema(kind)),
                "items": [
                    record.model_validate(item, from_attributes=True) for item in items[kind]
                ],
            }
        )
        assert len(model.items) > 0  # type: ignore[attr-defined]
        expected = model.model_dump_json(by_alias=True, indent=2).encode("utf-8") + b"\n"
        assert written[urls.export(kind)] == expected, kind


def test_missing_site_url_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="site_url fehlt"):
        build_exports(catalog, "")


def test_nothing_is_lost(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every published item appears in its feed, calendar and export; drafts nowhere."""
    catalog = load_site(write_site(tmp_path_factory.mktemp("count"), extra_news=30))
    assert len(catalog.news) == 33 and len(catalog.drafts) == 1

    feeds = build_feeds(catalog, SITE_URL, SITE_NAME, limit=100)
    feed_ids = {e.id for e in feedparser.parse(feeds[urls.ATOM]).entries}
    assert feed_ids == {urls.absolute(SITE_URL, urls.news(n.slug)) for n in catalog.news}
    limited = feedparser.parse(build_feeds(catalog, SITE_URL, SITE_NAME, limit=20)[urls.RSS])
    assert len(limited.entries) == 20

    calendars = build_calendars(catalog, SITE_URL, SITE_NAME)
    main = icalendar.Calendar.from_ical(calendars[urls.EVENTS_ICS])
    assert sorted(str(e["URL"]) for e in main.walk("VEVENT")) == sorted(
        urls.absolute(SITE_URL, urls.event(e.id)) for e in catalog.events
    )
    for event in catalog.events:
        single = icalendar.Calendar.from_ical(calendars[urls.event_ics(event.id)])
        assert len(single.walk("VEVENT")) == 1

    exports = build_exports(catalog, SITE_URL)
    assert len(_items(exports, "communities")) == len(catalog.communities) == 3
    assert len(_items(exports, "events")) == len(catalog.events) == 5
    assert set(_items(exports, "news")) == {n.slug for n in catalog.news}
