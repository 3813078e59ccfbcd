"""Every URL the portal generates, in one place (paths relative to the site root).

Pages are directories (``communities/<id>/``) so they work with and without
``use_directory_urls``-style hosting; files (feeds, calendars, exports) are plain paths.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import quote, urlsplit

#: German letters written out in ASCII, the way people spell them without umlauts.
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ẞ": "ss"}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

COMMUNITIES = "communities/"
EVENTS = "events/"
NEWS = "news/"
TAGS = "tags/"
REGIONS = "regionen/"
OPEN_DATA = "daten/"
CONTRIBUTE = "mitmachen/"
PROPOSE = "mitmachen/vorschlagen/"
IMPRINT = "impressum/"
PRIVACY = "datenschutz/"
ACCESSIBILITY = "barrierefreiheit/"
EASY_LANGUAGE = "leichte-sprache/"

#: The links in every page's footer (Material's copyright partial): address, label.
FOOTER_LINKS = (
    (IMPRINT, "Impressum"),
    (PRIVACY, "Datenschutz"),
    (ACCESSIBILITY, "Barrierefreiheit"),
    (EASY_LANGUAGE, "Leichte Sprache"),
    (OPEN_DATA, "Offene Daten"),
)

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


def tag_ics(name: str) -> str:
    """Calendar of the events with one tag."""
    return f"{TAGS}{name}/events.ics"


def region(slug: str) -> str:
    """Page of one region (``nordrhein-westfalen``)."""
    return f"{REGIONS}{slug}/"


def region_feed(slug: str, kind: str) -> str:
    """News feed (``rss`` or ``atom``) of one region."""
    return f"{REGIONS}{slug}/{kind}.xml"


def region_ics(slug: str) -> str:
    """Calendar of one region's events (for a Land with the Bund-wide ones)."""
    return f"{REGIONS}{slug}/events.ics"


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


def subscribe(site_url: str, path: str) -> str:
    """A calendar's ``webcal://`` address, which calendar programs open as a subscription."""
    return "webcal://" + absolute(site_url, path).split("://", 1)[1]


@functools.lru_cache(maxsize=4096)
def slugify(text: str, limit: int | None = None) -> str:
    """Lower-case ASCII words joined by hyphens, the form of ids, file names and heading
    anchors: ``„Offene Kommunen.NRW“ 2026`` -> ``offene-kommunen-nrw-2026``, ``Größe & Maß``
    -> ``groesse-mass``, ``Café`` -> ``cafe``. Longer than ``limit``, it is cut at a
    word boundary where there is one."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = _NOT_SLUG.sub("-", text).strip("-")
    if limit is not None and len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def require_site_url(site_url: str | None) -> str:
    """The site URL with a trailing slash; a clear (German) error when it is unusable.

    Feeds, calendars and exports need absolute addresses, so a missing ``site_url`` must
    stop the build rather than produce files full of relative links.
    """
    url = (site_url or "").strip()
    if not url:
        raise ValueError(
            "site_url fehlt in mkdocs.yml: Feeds, Kalender und Datenexporte brauchen die "
            "vollständige Adresse der Website, z. B. 'site_url: https://example.org/'"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"site_url '{url}' ist keine vollständige Adresse: sie muss mit https:// (oder "
            "http://) und einer Domain beginnen, z. B. 'https://example.org/'"
        )
    return url if url.endswith("/") else url + "/"


# --- the project on openCoDE (GitLab) ------------------------------------------------------


def source_edit(repo_url: str, branch: str, path: str) -> str:
    """GitLab's editor for one file of the project."""
    return f"{repo_url.rstrip('/')}/-/edit/{branch}/{path}"


def source_view(repo_url: str, branch: str, path: str, line: int | None = None) -> str:
    """A file in GitLab's file view; with ``line``, that line highlighted."""
    anchor = f"#L{line}" if line is not None else ""
    return f"{repo_url.rstrip('/')}/-/blob/{branch}/{path}{anchor}"


def source_new_file(repo_url: str, branch: str, folder: str) -> str:
    """GitLab's form for a new file in ``folder``."""
    return f"{repo_url.rstrip('/')}/-/new/{branch}/{folder.strip('/')}/"


def new_issue(repo_url: str, template: str) -> str:
    """GitLab's form for a new issue, filled with one of the project's issue templates."""
    return f"{repo_url.rstrip('/')}/-/issues/new?issuable_template={quote(template)}"
