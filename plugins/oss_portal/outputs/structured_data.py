"""schema.org JSON-LD and OpenGraph data for the pages.

The functions return plain dicts/lists; :func:`jsonld_script` serialises JSON-LD so it
can sit inside ``<script type="application/ld+json">`` without any text of the content
being able to close the element, and templates escape the OpenGraph values themselves.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ..core import recurrence, urls
from ..core.catalog import Catalog
from ..core.models import BERLIN, Community, Event, NewsItem
from ..core.timespan import berlin_day
from .markdown import one_line

SCHEMA_ORG = "https://schema.org"

_EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}
_ATTENDANCE = {
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "onsite": "https://schema.org/OfflineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}
#: Characters that must not appear literally inside a <script> element (and the two line
#: separators older JavaScript parsers choke on); JSON allows them as \\u escapes.
_SCRIPT_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def _iso(value: date | datetime) -> str:
    """ISO 8601: dates as dates, date-times in Berlin time with their offset."""
    if isinstance(value, datetime):
        return value.astimezone(BERLIN).isoformat()
    return value.isoformat()


def _organization(name: str, url: str | None = None) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": one_line(name)}
    if url:
        org["url"] = url
    return org


def _community_refs(ids: list[str], catalog: Catalog, base: str) -> list[dict[str, Any]]:
    return [
        _organization(catalog.community_by_id[cid].name, urls.absolute(base, urls.community(cid)))
        for cid in ids
        if cid in catalog.community_by_id
    ]


def _thing(kind: str, page_url: str, name: str, description: str) -> dict[str, Any]:
    """The properties every page's schema.org item starts with (in this order)."""
    return {
        "@context": SCHEMA_ORG,
        "@type": kind,
        "@id": page_url,
        "url": page_url,
        "name": one_line(name),
        "description": one_line(description),
    }


def event_jsonld(event: Event, catalog: Catalog, site_url: str) -> dict[str, Any]:
    """schema.org ``Event`` for an event page.

    The location is a ``Place`` (on site), a ``VirtualLocation`` (online; its URL is the
    registration page, else the event page) or both (hybrid). Organizers are the named
    organisations, or the event's communities when none are named.
    """
    base = urls.require_site_url(site_url)
    page_url = urls.absolute(base, urls.event(event.id))
    data = _thing("Event", page_url, event.title, event.summary)
    data |= {
        "startDate": _iso(event.start),
        "eventStatus": _EVENT_STATUS[event.status],
        "eventAttendanceMode": _ATTENDANCE[event.format],
        "inLanguage": "de",
    }
    if event.end is not None:
        data["endDate"] = _iso(event.end)
    elif event.all_day:
        data["endDate"] = _iso(event.start)
    places: list[dict[str, Any]] = []
    if event.format in ("onsite", "hybrid") and event.location:
        location = one_line(event.location)
        places.append({"@type": "Place", "name": location, "address": location})
    if event.format in ("online", "hybrid"):
        online_url = event.registration if (event.registration or "").startswith("http") else None
        places.append({"@type": "VirtualLocation", "url": online_url or page_url})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    organizers = [_organization(o.name, o.url) for o in event.organizers]
    organizers = organizers or _community_refs(event.communities, catalog, base)
    if organizers:
        data["organizer"] = organizers
    if event.tags:
        data["keywords"] = ", ".join(catalog.tag_name(t) for t in event.tags)
    if event.recording:
        data["recordedIn"] = {"@type": "CreativeWork", "url": event.recording}
    if event.repeat is not None:
        _series(data, event, catalog)
    return data


_OCCURRENCE_STATUS = {
    "cancelled": _EVENT_STATUS["cancelled"],
    "moved": "https://schema.org/EventRescheduled",
}


def _series(data: dict[str, Any], event: Event, catalog: Catalog) -> None:
    """A series becomes an ``EventSeries`` (an Event as well: its start is the first
    date) with its rule as a ``Schedule`` and its next dates as ``subEvent``s."""
    repeat = event.repeat
    assert repeat is not None
    every, on = recurrence.rule_parts(repeat, event.start)
    data["@type"] = "EventSeries"
    schedule: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": recurrence.iso_duration(every),
        "scheduleTimezone": "Europe/Berlin",
        "startDate": _iso(berlin_day(event.start)),
    }
    if on.weekdays:
        schedule["byDay"] = [
            f"https://schema.org/{recurrence.ENGLISH_WEEKDAYS[d].capitalize()}"
            for _, d in on.weekdays
        ]
        weeks = sorted({n for n, _ in on.weekdays if n is not None})
        if weeks:
            schedule["byMonthWeek"] = weeks[0] if len(weeks) == 1 else weeks
    if on.month_day is not None:
        schedule["byMonthDay"] = on.month_day
    if repeat.until is not None:
        schedule["endDate"] = _iso(repeat.until)
    if isinstance(event.start, datetime):
        schedule["startTime"] = event.start.astimezone(BERLIN).strftime("%H:%M:%S")
        if isinstance(event.end, datetime):
            schedule["endTime"] = event.end.astimezone(BERLIN).strftime("%H:%M:%S")
    missing = sorted([*repeat.except_, *repeat.cancelled])
    if missing:
        schedule["exceptDate"] = [_iso(day) for day in missing]
    data["eventSchedule"] = schedule
    subs = []
    for occurrence in catalog.series[event.id].upcoming:
        sub = {
            "@type": "Event",
            "name": data["name"],
            "startDate": _iso(occurrence.start),
            "eventStatus": _OCCURRENCE_STATUS.get(occurrence.status, _EVENT_STATUS[event.status]),
            "eventAttendanceMode": data["eventAttendanceMode"],
        }
        if occurrence.end is not None:
            sub["endDate"] = _iso(occurrence.end)
        if "location" in data:
            sub["location"] = data["location"]
        subs.append(sub)
    if subs:
        data["subEvent"] = subs


def community_jsonld(community: Community, catalog: Catalog, site_url: str) -> dict[str, Any]:
    """schema.org ``Organization`` for a community page."""
    page_url = urls.absolute(urls.require_site_url(site_url), urls.community(community.id))
    data = _thing("Organization", page_url, community.name, community.summary)
    if community.website:
        data["sameAs"] = [community.website]
    if community.since:
        data["foundingDate"] = community.since
    if community.contact is not None:
        point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "Kontakt"}
        if community.contact.email:
            point["email"] = community.contact.email
            data["email"] = community.contact.email
        if community.contact.url:
            point["url"] = community.contact.url
        data["contactPoint"] = point
    if community.organizers:
        # "Tragende Organisationen": schema.org's closest term for backing organisations.
        data["sponsor"] = [_organization(o.name, o.url) for o in community.organizers]
    if community.tags:
        data["keywords"] = ", ".join(catalog.tag_name(t) for t in community.tags)
    return data


def news_jsonld(item: NewsItem, catalog: Catalog, site_url: str, site_name: str) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for a news page; the portal is author and publisher."""
    base = urls.require_site_url(site_url)
    page_url = urls.absolute(base, urls.news(item.slug))
    publisher = _organization(site_name, base)
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "@id": page_url,
        "url": page_url,
        "mainEntityOfPage": page_url,
        "headline": one_line(item.title),
        "description": one_line(item.summary),
        "datePublished": _iso(item.date),
        "inLanguage": "de",
        "author": publisher,
        "publisher": publisher,
    }
    if item.tags:
        data["keywords"] = ", ".join(catalog.tag_name(t) for t in item.tags)
    about = _community_refs(item.communities, catalog, base)
    if about:
        data["about"] = about
    if item.source is not None:
        data["isBasedOn"] = item.source.url
    return data


def jsonld_script(data: Any) -> str:
    """``data`` as JSON that is safe as the text of a ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes (still the same JSON value), so
    neither ``</script>`` nor ``<!--`` in content can end or alter the element.
    """
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def opengraph(
    title: str,
    description: str,
    url: str,
    site_name: str,
    kind: str = "website",
) -> list[tuple[str, str]]:
    """OpenGraph ``(property, content)`` pairs for a page; the template escapes them.

    ``kind`` is ``"website"`` or ``"article"`` (news); anything else is a ``ValueError``.
    """
    if kind not in ("website", "article"):
        raise ValueError(f"Unbekannter OpenGraph-Typ '{kind}' (erlaubt: website, article)")
    pairs = [
        ("og:type", kind),
        ("og:title", one_line(title)),
        ("og:description", one_line(description)),
        ("og:url", url),
        ("og:site_name", one_line(site_name)),
        ("og:locale", "de_DE"),
    ]
    return [(prop, content) for prop, content in pairs if content]
