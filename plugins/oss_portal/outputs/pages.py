"""The portal's pages: which exist (the plan) and what their bodies contain (rendering).

Nothing here knows MkDocs. The plan is a list of :class:`PageSpec` built once from the
catalog; each body is rendered by an autoescaping Jinja environment from templates in
``overrides/portal/`` (the project's) or ``templates/`` (this package's defaults).
Contributor Markdown is rendered and sanitised by :mod:`.markdown`, so no contributor text
reaches a page unescaped. Each kind of page declares in :data:`PAGE_KINDS` what it shows of
the catalog; its template gets exactly that, and ``mkdocs serve`` keys its cache on it.
"""

from __future__ import annotations

import functools
import hashlib
import math
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..core import formatting, urls
from ..core.catalog import Catalog, RegionEntry, TagEntry
from ..core.legal import LegalInfo
from ..core.models import BERLIN, Community, Event, NewsItem
from ..core.regions import REGIONS, Region
from .markdown import render_markdown
from .proposal import Choice, new_issue_action, proposal_forms
from .reference import field_reference_markdown

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
#: The portal's stylesheet and script (``portal.css``, ``portal.js``).
PACKAGE_ASSETS = Path(__file__).parent / "assets"


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide settings the pages need."""

    site_url: str
    site_name: str
    news_per_page: int = 10
    home_news: int = 3
    home_events: int = 4
    #: The newest past events on the events page; all of them are in the yearly archive.
    past_events_on_index: int = 20
    #: The project on openCoDE (``repo_url`` in mkdocs.yml) and its default branch: the
    #: pages link each entry to its source file there. Empty: no such links.
    repo_url: str = ""
    repo_branch: str = "main"


#: Pages that only list what detail pages show; kept out of the search index.
LIST_KINDS = frozenset(
    {"communities", "community-news", "events", "events-year", "news-index", "tags", "tag"}
    | {"regions", "region"}
    | {"broken"}  # a preview's page of an entry with errors
)


@dataclass
class PageSpec:
    """One generated page: where it goes, what it shows."""

    src_uri: str
    url: str
    title: str
    kind: str
    description: str = ""
    obj: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


LEGAL_PAGES = (
    (
        "impressum.md",
        urls.IMPRINT,
        "Impressum",
        "legal-impressum",
        "Anbieterkennzeichnung und Verantwortliche",
    ),
    (
        "datenschutz.md",
        urls.PRIVACY,
        "Datenschutzerklärung",
        "legal-datenschutz",
        "Welche Daten beim Besuch dieser Website verarbeitet werden",
    ),
    (
        "barrierefreiheit.md",
        urls.ACCESSIBILITY,
        "Erklärung zur Barrierefreiheit",
        "legal-barrierefreiheit",
        "Stand der Barrierefreiheit und Feedback",
    ),
    (
        "leichte-sprache.md",
        urls.EASY_LANGUAGE,
        "Leichte Sprache",
        "leichte-sprache",
        "Informationen in Leichter Sprache",
    ),
)


def plan_pages(catalog: Catalog, site: SiteInfo, legal: LegalInfo | None = None) -> list[PageSpec]:
    """Every page the portal generates, in a stable order (linear in the content)."""
    # Past events accumulate year after year: the events page shows the newest, and every
    # year with past events has an archive page of its own, linked from all of them.
    past_by_year = _group_by_year(catalog.past_events)
    years = [year for year, _events in past_by_year]
    specs = [
        PageSpec(
            "communities/index.md",
            urls.COMMUNITIES,
            "Communities",
            "communities",
            "Communities, Gremien und Netzwerke rund um Open Source in der Verwaltung",
        ),
        PageSpec(
            "events/index.md",
            urls.EVENTS,
            "Veranstaltungen",
            "events",
            "Kommende und vergangene Veranstaltungen",
            extra={"years": years},
        ),
        PageSpec(
            "tags/index.md", urls.TAGS, "Schlagwörter", "tags", "Alle Inhalte nach Schlagwort"
        ),
        PageSpec(
            "regionen/index.md",
            urls.REGIONS,
            "Regionen",
            "regions",
            "Communities und Veranstaltungen nach Land, bundesweit und international",
        ),
        PageSpec(
            "daten.md",
            urls.OPEN_DATA,
            "Offene Daten",
            "open-data",
            "Alle Inhalte als JSON, Feeds und Kalender zur Nachnutzung",
        ),
        PageSpec(
            "mitmachen.md",
            urls.CONTRIBUTE,
            "Mitmachen",
            "contribute",
            "Wie Sie Communities, Veranstaltungen und Nachrichten eintragen",
            extra={"reference": field_reference_markdown(heading_level=3)},
        ),
        PageSpec(
            "mitmachen/vorschlagen.md",
            urls.PROPOSE,
            "Eintrag vorschlagen",
            "propose",
            "Formulare für neue Veranstaltungen, Communities und Nachrichten",
        ),
    ]
    if legal is not None:
        specs.extend(
            PageSpec(src, url, title, kind, description, legal)
            for src, url, title, kind, description in LEGAL_PAGES
        )
    pages = _page_count(len(catalog.news), site)
    for number in range(1, pages + 1):
        src = "news/index.md" if number == 1 else f"news/page/{number}.md"
        title = "Nachrichten" if number == 1 else f"Nachrichten – Seite {number}"
        specs.append(
            PageSpec(
                src,
                urls.news_page(number),
                title,
                "news-index",
                "Neuigkeiten und Aufrufe zur Beteiligung",
                extra={"number": number, "pages": pages, "page_url": urls.news_page},
            )
        )
    specs.extend(
        PageSpec(
            f"events/archiv/{year}.md",
            urls.events_year(year),
            f"Veranstaltungen {year}",
            "events-year",
            f"Vergangene Veranstaltungen des Jahres {year}",
            extra={"year": year, "events": events, "years": years},
        )
        for year, events in past_by_year
    )
    for c in catalog.communities:
        # A community's page shows its newest news; the older ones are on further pages.
        pages = _page_count(len(catalog.news_by_community.get(c.id, [])), site)
        page_url = functools.partial(urls.community_page, c.id)
        specs.append(
            PageSpec(
                f"communities/{c.id}.md",
                urls.community(c.id),
                c.name,
                "community",
                c.summary,
                c,
                extra={"pages": pages, "page_url": page_url},
            )
        )
        specs.extend(
            PageSpec(
                f"communities/{c.id}/page/{number}.md",
                urls.community_page(c.id, number),
                f"{c.name}: Nachrichten – Seite {number}",
                "community-news",
                f"Ältere Nachrichten von {c.name}",
                c,
                extra={"number": number, "pages": pages, "page_url": page_url},
            )
            for number in range(2, pages + 1)
        )
    specs.extend(
        PageSpec(f"events/{e.id}.md", urls.event(e.id), e.title, "event", e.summary, e)
        for e in catalog.events
    )
    specs.extend(
        PageSpec(f"news/{n.slug}.md", urls.news(n.slug), n.title, "news", n.summary, n)
        for n in catalog.news
    )
    specs.extend(
        PageSpec(
            f"regionen/{entry.region.slug}.md",
            urls.region(entry.region.slug),
            entry.region.name,
            "region",
            _region_description(entry),
            entry,
        )
        for entry in catalog.regions.values()
    )
    specs.extend(_broken_pages(catalog, {spec.url for spec in specs}))
    for tag, entry in catalog.tags.items():
        name = catalog.tag_name(tag)
        # News under a tag pile up year after year: they are paginated like the news
        # index. The first page also shows the tag's communities, upcoming events and
        # newest past events (the older ones are in the yearly archive).
        pages = _page_count(len(entry.news), site)
        page_url = functools.partial(urls.tag_page, tag)
        for number in range(1, pages + 1):
            specs.append(
                PageSpec(
                    f"tags/{tag}.md" if number == 1 else f"tags/{tag}/page/{number}.md",
                    urls.tag_page(tag, number),
                    f"Schlagwort: {name}"
                    if number == 1
                    else f"Schlagwort: {name} – Seite {number}",
                    "tag",
                    catalog.tag_description(tag) or f"Alles zum Schlagwort {name}",
                    entry,
                    extra={"number": number, "pages": pages, "page_url": page_url},
                )
            )
    return specs


def _region_description(entry: RegionEntry) -> str:
    """What a region's page lists, in one sentence (its lead and its meta description)."""
    name = entry.region.name
    if entry.region.code == "bund":
        return "Communities und Veranstaltungen für die ganze Verwaltung in Deutschland."
    if entry.region.code == "international":
        return "Communities und Veranstaltungen über Deutschland hinaus."
    return f"Communities und Veranstaltungen in {name} – und alles, was bundesweit stattfindet."


#: What a broken entry is, for its page's eyebrow.
BROKEN_KINDS = {"community": "Community", "event": "Veranstaltung", "news": "Nachricht"}
_BROKEN_URLS = {"community": urls.community, "event": urls.event, "news": urls.news}


def _broken_pages(catalog: Catalog, taken: set[str]) -> list[PageSpec]:
    """A preview's pages for entries with errors, at the address the entry will have
    (unless a valid entry has it already)."""
    pages = []
    for entry in catalog.broken:
        url = _BROKEN_URLS[entry.kind](entry.id)
        if url in taken:
            continue
        taken.add(url)
        src = url.rstrip("/") + ".md"
        title = f"Fehler im Eintrag {entry.id}"
        pages.append(PageSpec(src, url, title, "broken", "", entry))
    return pages


#: The kinds of the legal pages, which show the operator's data from ``extra.legal``.
LEGAL_KINDS = frozenset(kind for _src, _url, _title, kind, _description in LEGAL_PAGES)


# --- what each kind of page shows ---------------------------------------------------------
#
# Each kind declares once what it shows of the catalog. Its template gets exactly these
# values (next to ``spec``, ``obj`` and ``extra``; the catalog itself is not available to
# templates), and the serve cache's dependency key is made from the same values, so the
# two cannot drift apart.

Inputs = dict[str, Any]


def _existing(ids: Sequence[str], index: dict[str, Any]) -> list[Any]:
    return [index[i] for i in ids if i in index]


def _page_of(items: Sequence[Any], number: int, site: SiteInfo) -> Sequence[Any]:
    """The items on page ``number`` (1-based) of a paginated news list."""
    per = site.news_per_page
    return items[(number - 1) * per : number * per]


def _nothing(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {}


def _home(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {
        "open_calls": c.open_calls,
        "open_memberships": c.open_memberships,
        "communities": c.communities,
        "upcoming_events": c.upcoming_events[: site.home_events],
        "latest_news": c.news[: site.home_news],
    }


def _communities(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {
        "communities": c.communities,
        "community_tags": [t for t, e in c.tags.items() if e.communities],
        "filter_regions": _regions_of(c.communities),
    }


def _events(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {
        "upcoming_events": c.upcoming_events,
        "past_events": c.past_events,
        "event_tags": [t for t, e in c.tags.items() if e.events],
        "filter_regions": _regions_of(c.events),
    }


def _regions_of(entries: Sequence[Community | Event]) -> list[Region]:
    """The regions that ``entries`` name, in the order of :data:`.regions.REGIONS`."""
    named = {code for entry in entries for code in entry.regions}
    return [region for region in REGIONS if region.code in named]


def _tags(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    """Every tag with its count, in the order of the names readers see."""
    counts = [(t, e.count) for t, e in c.tags.items()]
    return {"tag_counts": sorted(counts, key=lambda tc: (c.tag_name(tc[0]).casefold(), tc[0]))}


def _regions(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    """Every region with how many communities and events its page lists."""
    return {"region_entries": list(c.regions.values())}


def _region(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    entry: RegionEntry = spec.obj
    return {"communities": entry.communities, "events": entry.events, "lead": spec.description}


def _open_data(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {
        "counts": {
            "communities": len(c.communities),
            "events": len(c.events),
            "news": len(c.news),
        }
    }


def _propose(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    """The forms, offering the existing communities and events to refer to."""
    options = {
        "community": [Choice(x.id, x.name) for x in c.communities],
        "tag": [Choice(t.id, t.name) for t in sorted(c.tag_info.values(), key=lambda t: t.name)],
        "event": [
            Choice(x.id, f"{x.title} ({formatting.medium_date(x.start)})")
            for x in sorted(c.events, key=lambda e: e.starts_at, reverse=True)
        ],
    }
    address = urls.absolute(site.site_url, spec.url)
    return {
        "kinds": proposal_forms(options, address),
        "action": new_issue_action(site.repo_url),
        "page_address": address,
    }


def _news_index(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    number = spec.extra["number"]
    return {
        "open_calls": c.open_calls if number == 1 else [],
        "news": _page_of(c.news, number, site),
    }


def _community(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    """Its events and the first page of its news."""
    return {
        "events": c.events_by_community.get(spec.obj.id, []),
        "news": _page_of(c.news_by_community.get(spec.obj.id, []), 1, site),
        "source": c.sources.get(("community", spec.obj.id)),
    }


def _community_news(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    """Its older news, without the events."""
    news = c.news_by_community.get(spec.obj.id, [])
    return {"news": _page_of(news, spec.extra["number"], site)}


def _event(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {
        "communities": _existing(spec.obj.communities, c.community_by_id),
        "news": c.news_by_event.get(spec.obj.id, []),
        "source": c.sources.get(("event", spec.obj.id)),
    }


def _news(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    return {
        "communities": _existing(spec.obj.communities, c.community_by_id),
        "events": _existing(spec.obj.events, c.event_by_id),
        "source": (spec.obj.source_path, None),  # the whole file is the entry
    }


def _tag(c: Catalog, spec: PageSpec, site: SiteInfo) -> Inputs:
    """The first page shows the tag's communities and events; every page its slice of
    the news."""
    entry: TagEntry = spec.obj
    number = spec.extra["number"]
    return {
        "communities": entry.communities if number == 1 else [],
        "events": entry.events if number == 1 else [],
        "news": _page_of(entry.news, number, site),
    }


#: The home page: Markdown from ``content/index.md`` with the portal's blocks below it.
HOME = PageSpec("index.md", "", "Startseite", "home")


@dataclass(frozen=True)
class PageKind:
    """One kind of generated page: what it shows (rendered by ``<kind>.html``)."""

    inputs: Callable[[Catalog, PageSpec, SiteInfo], Inputs]
    #: ``False`` for the pages nearly every edit touches (the home page and the events
    #: page): ``mkdocs serve`` renders them every time instead of computing a key.
    cached: bool = True


PAGE_KINDS: dict[str, PageKind] = {
    "home": PageKind(_home, cached=False),
    "events": PageKind(_events, cached=False),
    "communities": PageKind(_communities),
    "tags": PageKind(_tags),
    "open-data": PageKind(_open_data),
    "contribute": PageKind(_nothing),
    "propose": PageKind(_propose),
    "news-index": PageKind(_news_index),
    "events-year": PageKind(_nothing),  # its events and years are in ``extra``
    "community": PageKind(_community),
    "community-news": PageKind(_community_news),
    "event": PageKind(_event),
    "news": PageKind(_news),
    "tag": PageKind(_tag),
    "regions": PageKind(_regions),
    "region": PageKind(_region),
    **{kind: PageKind(_nothing) for kind in LEGAL_KINDS},  # ``obj``: the operator's data
    "broken": PageKind(_nothing, cached=False),  # ``obj``: the BrokenEntry
}


def _depth(page_url: str) -> int:
    """How many folders below the site root a page is (``events/x/`` → 2)."""
    return page_url.count("/")


def relative_url(target: str, base: str) -> str:
    """Link from the page at ``base`` (a site-relative URL) to ``target``."""
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    rel = posixpath.relpath("/" + target, "/" + base_dir)
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


class PageRenderer:
    """Renders page bodies; one instance per build, shared by all pages."""

    def __init__(
        self, catalog: Catalog, site: SiteInfo, template_dirs: Sequence[Path] = ()
    ) -> None:
        self.catalog = catalog
        self.site = site
        loaders = [FileSystemLoader(str(d)) for d in template_dirs if d.is_dir()]
        loaders.append(FileSystemLoader(str(PACKAGE_TEMPLATES)))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # No ``catalog``: a template shows what its kind declares (PAGE_KINDS), and the
        # state of each item shown, which depends on the build time alone.
        self.env.globals.update(
            site=site,
            urls=urls,
            fmt=formatting,
            KIND_LABELS=formatting.KIND_LABELS,
            LEVEL_LABELS=formatting.LEVEL_LABELS,
            FORMAT_LABELS=formatting.FORMAT_LABELS,
            STATUS_LABELS=formatting.STATUS_LABELS,
            BROKEN_KINDS=BROKEN_KINDS,
            is_past=catalog.is_past,
            shown=catalog.shown,
            series=catalog.series,
            series_end=catalog.series_end,
            call_is_open=catalog.call_is_open,
            is_scheduled=catalog.is_scheduled,
            tag_name=catalog.tag_name,
            tag_description=catalog.tag_description,
            community_chips=functools.partial(community_chips, catalog),
            news_chips=functools.partial(news_chips, catalog),
        )
        self.env.tests["past"] = catalog.is_past
        self.env.filters["upcoming"] = catalog.upcoming_of
        self.env.filters["sentence"] = _sentence
        self.env.filters["past"] = catalog.past_of
        self.env.filters["groupby_year"] = _group_by_year
        self.env.filters["start_year"] = _start_year
        self.env.globals["card"] = self.card
        self._cards: dict[tuple[str, int, str, int], Markup] = {}
        self._fingerprints: dict[int, str] = {}
        self._card_modules: dict[int, Any] = {}

    def card(self, kind: str, obj: Any, heading: str, page_url: str) -> Markup:
        """The card of one item, rendered once per heading level and page depth.

        Links in cards go up to the site root and down again (``../../events/x/``), which
        is the same from every page at one depth, so a card appearing on hundreds of
        pages (tag pages, community pages, indexes) is rendered only once or twice.
        """
        depth = _depth(page_url)
        key = (kind, id(obj), heading, depth)
        html = self._cards.get(key)
        if html is None:
            module = self._card_modules.get(depth)
            if module is None:
                module = self._card_modules[depth] = self.env.get_template(
                    "_cards.html"
                ).make_module(vars=self._helpers("x/" * depth))
            html = self._cards[key] = Markup(getattr(module, f"{kind}_card")(obj, heading))
        return html

    def fingerprint(self, obj: Any) -> str:
        """Content hash of one item (memoised per object within a build)."""
        key = id(obj)
        value = self._fingerprints.get(key)
        if value is None:
            value = self._fingerprints[key] = hashlib.blake2b(
                obj.model_dump_json().encode("utf-8", "surrogatepass"), digest_size=12
            ).hexdigest()
        return value

    def inputs(self, spec: PageSpec) -> Inputs:
        """What the page shows of the catalog, as its kind declares it."""
        return PAGE_KINDS[spec.kind].inputs(self.catalog, spec, self.site)

    def dependency_key(self, spec: PageSpec) -> str | None:
        """A key over everything a generated page shows, or ``None`` for the kinds that
        are not cached (:attr:`PageKind.cached`).

        The page's declared inputs, ``obj`` and ``extra`` enter with each item's content
        hash and its time-dependent state (past, call open, scheduled). Equal keys mean
        equal bodies, so ``mkdocs serve`` re-renders only the pages an edit touches.
        """
        if not PAGE_KINDS[spec.kind].cached:
            return None
        parts = [
            spec.kind,
            spec.url,
            spec.title,
            spec.description,
            self.site,
            self._key_of(spec.obj),
            self._key_of(spec.extra),
            self._key_of(self.inputs(spec)),
            self.catalog.tag_names_key,  # tag names appear on detail, list and tag pages
        ]
        return hashlib.blake2b(
            repr(parts).encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()

    def _key_of(self, value: Any) -> Any:
        """``value`` for a dependency key: items as content hash and state."""
        c = self.catalog
        if isinstance(value, Event):
            if value.repeat is not None:  # the dates shown move with the build time
                return f"E{self.fingerprint(value)}:{c.series[value.id]}"
            return f"E{self.fingerprint(value)}:{c.is_past(value)}"
        if isinstance(value, NewsItem):
            deadline = c.call_is_open(value.deadline)
            return f"N{self.fingerprint(value)}:{deadline}:{c.is_scheduled(value)}"
        if isinstance(value, Community):
            open_call = c.call_is_open(value.membership.deadline)
            return f"C{self.fingerprint(value)}:{open_call}"
        if isinstance(value, TagEntry):
            return f"T{value.tag}"  # what a tag page shows of it is in its inputs
        if isinstance(value, list | tuple):
            return [self._key_of(item) for item in value]
        if isinstance(value, dict):
            return [(key, self._key_of(item)) for key, item in value.items()]
        if isinstance(value, functools.partial):
            return (value.func.__qualname__, value.args)
        return repr(value)

    def render(
        self, spec: PageSpec, page_url: str | None = None, inputs: Inputs | None = None
    ) -> str:
        """The body HTML of one generated page (``inputs``: :meth:`inputs`, if at hand)."""
        url = spec.url if page_url is None else page_url
        template = self.env.get_template(f"{spec.kind}.html")
        shown = self.inputs(spec) if inputs is None else inputs
        return template.render(
            spec=spec, obj=spec.obj, extra=spec.extra, **shown, **self._helpers(url)
        )

    def render_search(self, spec: PageSpec, inputs: Inputs | None = None) -> str | None:
        """Compact HTML for the search index of a detail page; ``None`` for other pages.

        The search plugin parses every page's HTML. Detail pages carry cards of related
        items that are indexed on their own pages anyway, so the index gets only what
        identifies the page: title, summary, key facts and the contributor's text.
        """
        obj = spec.obj
        if spec.kind == "propose":  # not the forms' hints and embedded schemas
            return f"<h1>{escape(spec.title)}</h1><p>{escape(spec.description)}</p>"
        facts: list[str] = []
        text = ""
        if spec.kind == "event":
            facts = [
                formatting.event_when(obj),
                formatting.FORMAT_LABELS[obj.format],
                obj.location or "",
                formatting.STATUS_LABELS[obj.status],
                ", ".join(o.name for o in obj.organizers),
                ", ".join(
                    c.name for c in (self.inputs(spec) if inputs is None else inputs)["communities"]
                ),
            ]
            text = obj.description
        elif spec.kind == "community":
            facts = [
                formatting.KIND_LABELS[obj.kind],
                formatting.LEVEL_LABELS[obj.level],
                ", ".join(o.name for o in obj.organizers),
                formatting.membership_label(obj),
            ]
            text = obj.description
        elif spec.kind == "news":
            facts = [formatting.medium_date(obj.date)]
            text = obj.body
        else:
            return None
        parts = [f"<h1>{escape(spec.title)}</h1>", f"<p>{escape(spec.description)}</p>"]
        line = " · ".join(f for f in facts if f)
        if line:
            parts.append(f"<p>{escape(line)}</p>")
        if obj.tags:
            names = ", ".join(self.catalog.tag_name(t) for t in obj.tags)
            parts.append(f"<p>Schlagwörter: {escape(names)}</p>")
        if text:
            parts.append(render_markdown(text))
        return "".join(parts)

    def render_home(self, page_url: str = "") -> str:
        """The blocks shown below the intro of the home page."""
        inputs = PAGE_KINDS["home"].inputs(self.catalog, HOME, self.site)
        return self.env.get_template("home.html").render(**inputs, **self._helpers(page_url))

    def _helpers(self, page_url: str) -> dict[str, Any]:
        prefix = "../" * _depth(page_url)

        def link(target: str) -> str:
            return prefix + target if prefix or target else "./"

        return {"link": link, "md": render_markdown, "page_url": page_url}


def community_chips(catalog: Catalog, community: Community) -> list[tuple[str, str]]:
    """(css modifier, label) chips for a community card."""
    chips = [
        ("kind", formatting.KIND_LABELS[community.kind]),
        ("level", formatting.LEVEL_LABELS[community.level]),
    ]
    deadline = community.membership.deadline
    if deadline is not None:
        if catalog.call_is_open(deadline):
            chips.append(("deadline", f"Bewerbung bis {formatting.medium_date(deadline)}"))
        else:
            chips.append(("closed", "Bewerbungsfrist abgelaufen"))
    if community.status == "inactive":
        chips.append(("inactive", "Inaktiv"))
    return chips


def news_chips(catalog: Catalog, item: NewsItem) -> list[tuple[str, str]]:
    """(css modifier, label) chips for a news card."""
    chips = []
    if catalog.is_scheduled(item):  # only in a preview: a build leaves such items out
        chips.append(("scheduled", f"Geplant für {formatting.moment(item.date)}"))
    if item.deadline is None:
        return chips
    if catalog.call_is_open(item.deadline):
        chips.append(("deadline", f"Frist: {formatting.medium_date(item.deadline)}"))
    else:
        chips.append(("closed", "Frist abgelaufen"))
    return chips


def _sentence(text: str) -> str:
    """The text with its first letter capitalised (and nothing else changed)."""
    return text[:1].upper() + text[1:]


def _start_year(event: Event) -> int:
    """The year an event starts in (Berlin time), the year of its archive page."""
    return event.starts_at.astimezone(BERLIN).year


def _group_by_year(events: Sequence[Event]) -> list[tuple[int, list[Event]]]:
    """Group events (already ordered) by the year they start in, keeping the order."""
    groups: dict[int, list[Event]] = {}
    for event in events:
        groups.setdefault(_start_year(event), []).append(event)
    return list(groups.items())


def _page_count(items: int, site: SiteInfo) -> int:
    """Pages of a paginated news list (at least one, which may be empty)."""
    return max(1, math.ceil(items / site.news_per_page))
