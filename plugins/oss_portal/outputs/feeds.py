"""News feeds (RSS 2.0 and Atom) in feedgen's form.

One main feed pair at the site root plus one pair per community and per tag. Every item's
id/GUID is the absolute URL of its page, which only changes when its slug does; a feed's
date is that of its newest item (an empty feed's the build's ``now``), never the clock, so
an unchanged catalog produces byte-identical feeds.

A large catalog makes thousands of feeds (one per community and tag), and building
feedgen's objects for every feed and entry would be most of the work. So feedgen writes
each format's frame once per build (:class:`_Frames`), every entry is serialised once in
feedgen's element order and lxml's escaping (:func:`_entry_xml`), and each feed is put
together from them. The tests build every feed entirely with feedgen and require the
very same bytes, and parse every feed with feedparser.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import Any

from feedgen.feed import FeedGenerator

from ..core import urls
from ..core.catalog import Catalog
from ..core.models import BERLIN, NewsItem
from ..core.runtime import paused_gc, same_objects
from .markdown import one_line, render_markdown, strip_control_chars

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class _FeedSpec:
    """One logical feed, written once as RSS and once as Atom."""

    title: str
    description: str
    page: str  # relative path of the HTML page listing the same items
    rss: str  # relative path of the RSS file
    atom: str  # relative path of the Atom file
    items: Sequence[NewsItem]


def _content_html(item: NewsItem, page_url: str) -> str:
    html = render_markdown(item.body, base_url=page_url)
    if item.source is not None:
        # Safe by construction (escaped text, a validated http(s) URL), so not sanitised;
        # the link gets the ``rel`` that the sanitiser gives every link.
        url = escape(strip_control_chars(item.source.url))
        name = escape(one_line(item.source.name), quote=False)
        html += f'\n<p>Quelle: <a href="{url}" rel="noopener noreferrer">{name}</a></p>'
    return html


#: RFC 822 dates, each written once: a feed's date is that of its newest entry. (Equal
#: instants hash alike whatever their zone; every date here is in Berlin time.)
_rfc822 = functools.lru_cache(maxsize=16_384)(format_datetime)


def _published(item: NewsItem) -> datetime:
    return item.published_at.astimezone(BERLIN)


def _xml_text(value: str) -> str:
    """Character data escaped as lxml (feedgen's serialiser) escapes it: ``&``, ``<``,
    ``>`` and a carriage return (``xml.sax.saxutils.escape`` gives the same, slower)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\r", "&#13;") if "\r" in value else value


def _xml_attr(value: str) -> str:
    """An attribute value escaped as lxml escapes it: as text, plus quote, LF and TAB."""
    value = _xml_text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value or "\t" in value:
        value = value.replace("\n", "&#10;").replace("\t", "&#9;")
    return value


class _Categories(dict[str, tuple[str, str]]):
    """Each tag's RSS and Atom ``category`` element (dozens of tags, thousands of items)."""

    def __init__(self, base: str, tag_name: Callable[[str], str] = str) -> None:
        super().__init__()
        self.scheme = _xml_attr(urls.absolute(base, urls.TAGS))
        self.tag_name = tag_name

    def __missing__(self, tag: str) -> tuple[str, str]:
        # RSS names the category as readers see it; Atom keeps the id as its term and
        # gives the name as its label.
        term = strip_control_chars(tag)
        name = strip_control_chars(self.tag_name(tag))
        self[tag] = (
            f'<category domain="{self.scheme}">{_xml_text(name)}</category>',
            f'<category term="{_xml_attr(term)}" scheme="{self.scheme}" '
            f'label="{_xml_attr(name)}"/>',
        )
        return self[tag]


def _entry_xml(item: NewsItem, base: str, categories: _Categories) -> dict[str, bytes]:
    """An item's RSS ``<item>`` and Atom ``<entry>``, as feedgen writes them.

    An item sits in the main feed and in those of its communities and tags, and with
    thousands of items building feedgen's entry objects and their lxml elements would be
    most of the feeds' work. The entries are therefore written here, once per item, in
    feedgen's element order and lxml's escaping; feedgen still writes every feed's own
    elements, and a test builds every feed entirely with feedgen and compares the bytes.
    """
    page_url = urls.absolute(base, urls.news(item.slug))
    published = _published(item)
    stamp = published.isoformat()
    url, href = _xml_text(page_url), _xml_attr(page_url)
    title = _xml_text(one_line(item.title))
    summary = _xml_text(one_line(item.summary))
    content = _xml_text(_content_html(item, page_url))
    tags = [categories[tag] for tag in item.tags]
    rss = (
        f"<item><title>{title}</title><link>{url}</link><description>{summary}</description>"
        f"<content:encoded>{content}</content:encoded>"
        f'<guid isPermaLink="true">{url}</guid>'
        + "".join(rss for rss, _atom in tags)
        + f"<pubDate>{_rfc822(published)}</pubDate></item>"
    )
    atom = (
        f"<entry><id>{url}</id><title>{title}</title><updated>{stamp}</updated>"
        + (f'<content type="html">{content}</content>' if content else '<content type="html"/>')
        + f'<link href="{href}"/>'
        f"<summary>{summary}</summary>"
        + "".join(atom for _rss, atom in tags)
        + f"<published>{stamp}</published></entry>"
    )
    return {"rss": rss.encode("utf-8"), "atom": atom.encode("utf-8")}


def _generator(
    title: str, description: str, site_name: str, base: str, updated: datetime
) -> FeedGenerator:
    """A feedgen feed with the channel data every feed of the portal has."""
    fg = FeedGenerator()
    fg.title(title)
    fg.description(description)  # also atom:subtitle
    fg.language("de")
    fg.author({"name": one_line(site_name), "uri": base})
    fg.generator("oss-portal")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    return fg


def _links(fg: FeedGenerator, kind: str, self_id: str, self_href: str, page: str) -> None:
    media = {"rss": "application/rss+xml", "atom": "application/atom+xml"}[kind]
    fg.id(self_id)
    # feedgen takes the RSS <channel><link> from the LAST link() call: the self link first,
    # the HTML page last.
    fg.link(href=self_href, rel="self", type=media, replace=True)
    fg.link(href=page, rel="alternate", type="text/html")


#: Stand-ins feedgen writes where the values of one feed go (letters only, so no escaping
#: touches them), and a stand-in date (written in each format's own way).
_SLOTS = {
    name: f"ossportalslot{name}"
    for name in ("title", "description", "selfid", "selfhref", "pagetext", "pagehref")
}
_SLOT_DATE = datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)
_SLOT = re.compile("ossportalslot(" + "|".join(_SLOTS) + ")")
#: How each format writes the stand-in date.
_SLOT_DATES = {"rss": format_datetime(_SLOT_DATE), "atom": _SLOT_DATE.isoformat()}


class _Frames:
    """Each format's feed frame, written by feedgen once per build.

    Thousands of feeds differ only in title, description, links and date; feedgen writes
    the frame with stand-ins for those, which become fields of a format string, and each
    feed fills in its escaped values. A test builds every feed entirely with feedgen and
    compares the bytes.
    """

    def __init__(self, base: str, site_name: str) -> None:
        self.frames: dict[str, str] = {}
        for kind in ("rss", "atom"):
            fg = _generator(_SLOTS["title"], _SLOTS["description"], site_name, base, _SLOT_DATE)
            _links(fg, kind, _SLOTS["selfid"], _SLOTS["selfhref"], _SLOTS["pagehref"])
            data = fg.rss_str() if kind == "rss" else fg.atom_str()
            if not data.endswith(_TAILS[kind]):
                raise RuntimeError(f"feedgen no longer ends a feed with {_TAILS[kind]!r}")
            # RSS writes the page link as <link> text, Atom as an href attribute.
            if kind == "rss":
                data = data.replace(
                    f"<link>{_SLOTS['pagehref']}</link>".encode(),
                    f"<link>{_SLOTS['pagetext']}</link>".encode(),
                )
            frame = data[: -len(_TAILS[kind])].decode("utf-8")
            # A format string: braces doubled, stand-ins as fields. ``format_map`` fills in
            # one pass, so a value holding a stand-in's name or braces stays as it is.
            frame = frame.replace("{", "{{").replace("}", "}}")
            frame = frame.replace(_SLOT_DATES[kind], "{date}")
            self.frames[kind] = _SLOT.sub(lambda match: "{" + match[1] + "}", frame)

    def fill(self, spec: _FeedSpec, base: str, updated: datetime) -> dict[str, bytes]:
        """The RSS and the Atom frame of ``spec``'s feeds (without their entries)."""
        page = urls.absolute(base, spec.page)
        title = one_line(spec.title)
        values = {
            "title": _xml_text(title),
            "description": _xml_text(one_line(spec.description) or title),
            "pagetext": _xml_text(page),
            "pagehref": _xml_attr(page),
        }
        frames: dict[str, bytes] = {}
        for kind, path, date in (
            ("rss", spec.rss, _rfc822(updated)),
            ("atom", spec.atom, updated.isoformat()),
        ):
            self_url = urls.absolute(base, path)
            values.update(date=date, selfid=_xml_text(self_url), selfhref=_xml_attr(self_url))
            frames[kind] = self.frames[kind].format_map(values).encode("utf-8")
        return frames


class _Entries:
    """Each item's serialised entries, made once per build (see :func:`_entry_xml`)."""

    def __init__(self, base: str, tag_name: Callable[[str], str] = str) -> None:
        self.base = base
        self.categories = _Categories(base, tag_name)
        self.done: dict[str, dict[str, bytes]] = {}

    def __call__(self, item: NewsItem, kind: str) -> bytes:
        done = self.done.get(item.slug)
        if done is None:
            done = self.done[item.slug] = _entry_xml(item, self.base, self.categories)
        return done[kind]


#: Where feedgen ends a feed: the entries go right before it, where it appends them.
_TAILS = {"rss": b"</channel></rss>", "atom": b"</feed>"}


def _render(
    frames: _Frames,
    spec: _FeedSpec,
    base: str,
    updated: datetime,
    entries: _Entries,
) -> dict[str, bytes]:
    heads = frames.fill(spec, base, updated)
    out: dict[str, bytes] = {}
    for kind, path in (("rss", spec.rss), ("atom", spec.atom)):
        body = b"".join([entries(item, kind) for item in spec.items])
        out[path] = b"".join((heads[kind], body, _TAILS[kind]))
    return out


def _specs(catalog: Catalog, site_name: str, limit: int, description: str) -> list[_FeedSpec]:
    specs = [
        _FeedSpec(
            title=f"{site_name}: Nachrichten",
            description=description or f"Neue Nachrichten auf {site_name}",
            page=urls.NEWS,
            rss=urls.RSS,
            atom=urls.ATOM,
            items=catalog.news[:limit],
        )
    ]
    for community in catalog.communities:
        specs.append(
            _FeedSpec(
                title=f"{community.name} – {site_name}",
                description=f"Nachrichten zu {community.name} auf {site_name}",
                page=urls.community(community.id),
                rss=urls.community_feed(community.id, "rss"),
                atom=urls.community_feed(community.id, "atom"),
                items=catalog.news_by_community.get(community.id, [])[:limit],
            )
        )
    for tag, entry in catalog.tags.items():
        name = catalog.tag_name(tag)
        specs.append(
            _FeedSpec(
                title=f"Schlagwort „{name}“ – {site_name}",
                description=f"Nachrichten mit dem Schlagwort „{name}“ auf {site_name}",
                page=urls.tag(tag),
                rss=urls.tag_feed(tag, "rss"),
                atom=urls.tag_feed(tag, "atom"),
                items=entry.news[:limit],
            )
        )
    for region in catalog.regions.values():
        name = region.region.name
        specs.append(
            _FeedSpec(
                title=f"{name} – {site_name}",
                description=f"Nachrichten zu Communities und Veranstaltungen in {name}",
                page=urls.region(region.region.slug),
                rss=urls.region_feed(region.region.slug, "rss"),
                atom=urls.region_feed(region.region.slug, "atom"),
                items=region.news[:limit],
            )
        )
    return specs


def _updated(spec: _FeedSpec, catalog: Catalog) -> datetime:
    """Newest item, not the clock: unchanged content gives byte-identical feeds. An empty
    feed carries the build day, so it, too, stays the same within a day."""
    if spec.items:
        return _published(spec.items[0])
    return catalog.now.astimezone(BERLIN).replace(hour=0, minute=0, second=0, microsecond=0)


def build_feeds(
    catalog: Catalog,
    site_url: str,
    site_name: str,
    *,
    limit: int = DEFAULT_LIMIT,
    description: str = "",
) -> dict[str, bytes]:
    """All news feeds as ``{path relative to the site root: XML bytes}``.

    The main feeds (``rss.xml``, ``atom.xml``), and a pair for every community and every tag
    (also when it has no news yet, so a subscription made today picks up tomorrow's news).
    Items are newest first, at most ``limit`` per feed. Raises ``ValueError`` (German
    message) for a missing ``site_url`` or a limit below 1.
    """
    return dict(iter_feeds(catalog, site_url, site_name, limit=limit, description=description))


def iter_feeds(
    catalog: Catalog,
    site_url: str,
    site_name: str,
    *,
    limit: int = DEFAULT_LIMIT,
    description: str = "",
    remember: bool = True,
) -> Iterator[tuple[str, bytes]]:
    """The feeds of :func:`build_feeds` one by one, as ``(path, bytes)``.

    A build writes each file and drops it, so that the memory of one feed is reused for
    the next. ``remember`` keeps them for the next call (``mkdocs serve``: unchanged feeds
    are not rendered again); a one-shot build passes ``False``.
    """
    base = urls.require_site_url(site_url)
    if limit < 1:
        raise ValueError(f"Die Zahl der Einträge je Feed muss mindestens 1 sein (ist {limit})")
    with paused_gc():
        entries = _Entries(base, catalog.tag_name)
        frames = _Frames(base, site_name)
        seen: set[str] = set()
        for spec in _specs(catalog, site_name, limit, description):
            updated = _updated(spec, catalog)
            key = (
                spec.title,
                spec.description,
                spec.page,
                base,
                site_name,
                updated,
                catalog.tag_names_key,  # the items' categories carry the tags' names
            )
            seen.add(spec.rss)
            cached = _MEMO.get(spec.rss)
            if cached is not None and cached[0] == key and same_objects(cached[1], spec.items):
                yield from cached[2].items()
                continue
            rendered = _render(frames, spec, base, updated, entries)
            if remember:
                _MEMO[spec.rss] = (key, tuple(spec.items), rendered)
            yield from rendered.items()
        for stale in _MEMO.keys() - seen if remember else list(_MEMO):
            del _MEMO[stale]


#: Feeds of the previous call by path: during ``mkdocs serve`` a rebuild re-renders only
#: feeds whose items changed. Items are compared by identity: the content loader returns
#: the same objects for files that did not change (and the memo keeps them alive).
_MEMO: dict[str, tuple[tuple[Any, ...], tuple[NewsItem, ...], dict[str, bytes]]] = {}


def clear_memo() -> None:
    """Forget the feeds and dates of earlier calls."""
    _MEMO.clear()
    _rfc822.cache_clear()
