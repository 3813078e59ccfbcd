"""Every URL the portal generates, in one place (paths relative to the site root).

Pages are directories (``communities/<id>/``) so they work with and without
``use_directory_urls``-style hosting; files (feeds, calendars, exports) are plain paths.
"""

from __future__ import annotations

COMMUNITIES = "communities/"
EVENTS = "events/"
NEWS = "news/"
TAGS = "tags/"
OPEN_DATA = "daten/"
CONTRIBUTE = "mitmachen/"

RSS = "rss.xml"
ATOM = "atom.xml"
EVENTS_ICS = "events.ics"
EXPORT_DIR = "api/"


def community(cid: str) -> str:
    """Detail page of a community."""
    return f"{COMMUNITIES}{cid}/"


def community_page(cid: str, number: int) -> str:
    """Page ``number`` (1-based) of a community's paginated news (page 1 is its page)."""
    return community(cid) if number <= 1 else f"{COMMUNITIES}{cid}/page/{number}/"


def event(eid: str) -> str:
    """Detail page of an event."""
    return f"{EVENTS}{eid}/"


def events_year(year: int) -> str:
    """Archive of the past events that began in ``year``."""
    return f"{EVENTS}archiv/{year}/"


def news(slug: str) -> str:
    """Page of a news article."""
    return f"{NEWS}{slug}/"


def news_page(number: int) -> str:
    """Page ``number`` (1-based) of the paginated news index."""
    return NEWS if number <= 1 else f"{NEWS}page/{number}/"


def tag(name: str) -> str:
    """Page listing everything with one tag."""
    return f"{TAGS}{name}/"


def tag_page(name: str, number: int) -> str:
    """Page ``number`` (1-based) of one tag's paginated news (page 1 is the tag's page)."""
    return tag(name) if number <= 1 else f"{TAGS}{name}/page/{number}/"


def event_ics(eid: str) -> str:
    """Calendar file with a single event."""
    return f"{EVENTS}{eid}.ics"


def community_ics(cid: str) -> str:
    """Calendar of one community's events."""
    return f"{COMMUNITIES}{cid}/events.ics"


def community_feed(cid: str, kind: str) -> str:
    """News feed (``rss`` or ``atom``) of one community."""
    return f"{COMMUNITIES}{cid}/{kind}.xml"


def tag_feed(name: str, kind: str) -> str:
    """News feed (``rss`` or ``atom``) of one tag."""
    return f"{TAGS}{name}/{kind}.xml"


def export(kind: str) -> str:
    """JSON export (``communities``, ``events``, ``news``)."""
    return f"{EXPORT_DIR}{kind}.json"


def export_schema(kind: str) -> str:
    """JSON Schema published next to an export."""
    return f"{EXPORT_DIR}{kind}.schema.json"


def absolute(site_url: str, path: str) -> str:
    """``path`` joined to the site URL (which must end with a slash)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + path.lstrip("/")
