"""Regression guard for growth (not time): real portal builds at two sizes, compared.

A build that is linear in the content renders one page per entity plus a few index pages,
and no page carries more than its own lists: the navigation, header and footer (the
"chrome" around the ``<article>``) stay the same size however many entities exist, and a
detail page of an event looks the same in a small site and in a large one. An O(n) nav,
a "latest everything" block on every page or a forgotten pagination makes this fail.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from oss_portal.core import urls
from oss_portal.core.catalog import Catalog
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import BERLIN, Event
from oss_portal.outputs.pages import PageRenderer, PageSpec, SiteInfo, plan_pages

from devtools.synthetic import REFERENCE_DATE, write_portal_project

SMALL, LARGE = 60, 240
NOW = datetime.combine(REFERENCE_DATE, datetime.min.time(), BERLIN)
#: Links outside the article (header, tabs, nav, table of contents, footer) on any page.
MAX_CHROME_LINKS = 80


class _Layout(HTMLParser):
    """Splits a page into its ``<article>`` and the chrome around it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for line in html.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.depth = 0
        self.article_start: int | None = None
        self.article_chars = 0
        self.chrome_links = 0
        self.feed(html)
        self.close()
        self.chrome_chars = len(html) - self.article_chars

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            if self.depth == 0:
                self.article_start = self._offset()
            self.depth += 1
        elif tag == "a" and self.depth == 0:
            self.chrome_links += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth > 0:
            self.depth -= 1
            if self.depth == 0 and self.article_start is not None:
                self.article_chars += self._offset() + len("</article>") - self.article_start


@dataclass(frozen=True)
class PageStats:
    """What the guard looks at in one built HTML page."""

    chars: int
    article_chars: int
    chrome_chars: int
    chrome_links: int


@dataclass
class Built:
    """A portal built from synthetic content of one size."""

    size: int
    catalog: Catalog
    pages: dict[str, PageStats]  # by URL path, e.g. "events/<id>/"
    site: Path

    def detail_urls(self, kind: str) -> set[str]:
        """URLs of the detail pages of one kind in the catalog."""
        if kind == "community":
            return {urls.community(c.id) for c in self.catalog.communities}
        if kind == "event":
            return {urls.event(e.id) for e in self.catalog.events}
        return {urls.news(n.slug) for n in self.catalog.news}

    @property
    def entities(self) -> int:
        """Published entities (drafts have no page)."""
        c = self.catalog
        return len(c.communities) + len(c.events) + len(c.news)


def _pages(site: Path) -> Iterator[tuple[str, PageStats]]:
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix() + "/"
        html = path.read_text(encoding="utf-8")
        layout = _Layout(html)
        assert layout.article_chars, f"{url}: no <article>"
        yield (
            ("" if url == "./" else url),
            PageStats(len(html), layout.article_chars, layout.chrome_chars, layout.chrome_links),
        )


def _build(root: Path, size: int) -> Built:
    project = root / f"portal-{size}"
    write_portal_project(project, size)
    catalog, errors = ContentLoader(ContentPaths(project)).load(NOW)
    assert errors == []
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Built(size, catalog, dict(_pages(project / "site")), project / "site")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Built]:
    root = tmp_path_factory.mktemp("scaling")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OSS_PORTAL_BUILD_DATE", NOW.isoformat())
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        return {size: _build(root, size) for size in (SMALL, LARGE)}


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("kind", ["community", "event", "news"])
def test_every_entity_has_exactly_its_own_page(
    sites: dict[int, Built], size: int, kind: str
) -> None:
    built = sites[size]
    expected = built.detail_urls(kind)
    section = next(iter(expected)).split("/")[0] + "/"
    found = {u for u in built.pages if u.startswith(section) and u.count("/") == 2}
    assert found - {section + "page/"} == expected
    drafts = {urls.news(n.slug) for n in built.catalog.drafts}
    assert not drafts & set(built.pages)


def test_pages_per_entity_do_not_grow(sites: dict[int, Built]) -> None:
    # Linear: a fixed number of pages per entity plus a fixed overhead (home, indexes,
    # tag pages), so the ratio can only fall as the site grows. Pages per pair of
    # entities, or per entity and page of a list, would make it rise.
    small, large = sites[SMALL], sites[LARGE]
    per_entity = {s: len(b.pages) / b.entities for s, b in sites.items()}
    assert len(large.pages) - len(small.pages) >= large.entities - small.entities
    assert per_entity[LARGE] <= per_entity[SMALL] * 1.05, per_entity


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_no_page_has_an_unbounded_nav(sites: dict[int, Built], size: int) -> None:
    links = {url: stats.chrome_links for url, stats in sites[size].pages.items()}
    worst = max(links, key=lambda url: links[url])
    assert links[worst] <= MAX_CHROME_LINKS, f"{worst}: {links[worst]} links outside <article>"


def test_chrome_does_not_grow_with_the_content(sites: dict[int, Built]) -> None:
    small, large = sites[SMALL], sites[LARGE]
    assert max(p.chrome_links for p in large.pages.values()) == max(
        p.chrome_links for p in small.pages.values()
    )
    for kind in ("community", "event", "news"):
        before = statistics.median(small.pages[u].chrome_chars for u in small.detail_urls(kind))
        after = statistics.median(large.pages[u].chrome_chars for u in large.detail_urls(kind))
        assert after <= before * 1.05, f"{kind}: chrome {before} -> {after} characters"


@pytest.mark.parametrize("kind", ["community", "event", "news"])
def test_detail_pages_do_not_grow_with_the_content(sites: dict[int, Built], kind: str) -> None:
    # References per entity are the same at both sizes (the mix is fixed), so a detail
    # page, lists included, must stay about the same size.
    small, large = sites[SMALL], sites[LARGE]
    before = statistics.median(small.pages[u].chars for u in small.detail_urls(kind))
    after = statistics.median(large.pages[u].chars for u in large.detail_urls(kind))
    assert 0.85 * before <= after <= 1.15 * before, f"{kind}: {before} -> {after} characters"


def _linked(section: str, html: str) -> list[str]:
    """Ids of the ``section`` ("events", "news") linked from a piece of HTML, in order, each
    once; the section's own list pages (archive, further pages) left out."""
    found = re.findall(rf'href="(?:\.\./)*{section}/([a-z0-9-]+)/"', html)
    return list(dict.fromkeys(i for i in found if i not in ("archiv", "page")))


def _event_ids(html: str) -> list[str]:
    return _linked("events", html)


def _news_slugs(html: str) -> list[str]:
    return _linked("news", html)


def _section(html: str, anchor: str) -> str:
    """The ``<section>`` headed by ``id=anchor``, or "" where the page has none."""
    if f'id="{anchor}"' not in html:
        return ""
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


def _past(events: list[Event], catalog: Catalog) -> list[Event]:
    """The past ones of ``events`` (in start order), most recent first."""
    return [e for e in reversed(events) if catalog.is_past(e)]


def test_past_events_beyond_the_newest_move_to_the_yearly_archive(
    sites: dict[int, Built],
) -> None:
    """Past events pile up year after year: the events page keeps the newest, and each
    year's archive page lists all of that year's, so nothing is lost and no list grows
    without bound."""
    built = sites[LARGE]
    past = built.catalog.past_events
    limit = SiteInfo("https://example.org/", "x").past_events_on_index
    assert len(past) > limit, "the large site must have more past events than the page shows"
    index = (built.site / "events" / "index.html").read_text(encoding="utf-8")
    past_section = _section(index, "vergangen")
    assert _event_ids(past_section) == [e.id for e in past[:limit]]
    # The hint sits outside the sections the filters hide, and the filters say what they
    # search (only what the page lists).
    events_div = index.split('<div id="events">', 1)[1].split('id="archiv"', 1)[0]
    before_hint, _hint = events_div.split('class="portal-more"', 1)
    assert before_hint.count("<section") == before_hint.count("</section>")
    form = index.split('<form class="portal-filter"', 1)[1].split("</form>", 1)[0]
    assert f"die {limit} jüngsten vergangenen Veranstaltungen" in form
    years = sorted({e.starts_at.astimezone(BERLIN).year for e in past}, reverse=True)
    archive = index.split('id="archiv"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r"events/archiv/(\d{4})/", archive) == [str(y) for y in years]
    listed: list[str] = []
    for year in years:
        page = (built.site / urls.events_year(year) / "index.html").read_text(encoding="utf-8")
        article = page.split("<article", 1)[1].split('id="archiv"', 1)[0]
        expected = [e.id for e in past if e.starts_at.astimezone(BERLIN).year == year]
        assert _event_ids(article) == expected, year
        assert f'href="../../../events/archiv/{year}/" aria-current="page"' in page
        listed += expected
    assert sorted(listed) == sorted(e.id for e in past)


def test_tag_pages_paginate_their_news_and_keep_the_newest_past_events(
    sites: dict[int, Built],
) -> None:
    """News under a tag pile up without end: each tag lists them on pages of
    ``news_per_page``, newest first, every one exactly once; its first page keeps the
    newest past events only (all of them are in the yearly archive)."""
    built = sites[LARGE]
    info = SiteInfo("https://example.org/", "x")
    per, limit = info.news_per_page, info.past_events_on_index
    paginated = 0
    for tag, entry in built.catalog.tags.items():
        pages = max(1, math.ceil(len(entry.news) / per))
        paginated += pages > 1
        listed: list[str] = []
        for number in range(1, pages + 1):
            page = built.site / urls.tag_page(tag, number) / "index.html"
            html = page.read_text(encoding="utf-8")
            body = html.split('class="md-content"', 1)[1]
            shown = _news_slugs(_section(body, "nachrichten"))
            assert len(shown) <= per and (shown or not entry.news), (tag, number)
            listed += shown
            up = "../" * urls.tag_page(tag, number).count("/")
            following = re.findall(r'rel="next" href="([^"]+)"', body)
            assert following == ([up + urls.tag_page(tag, number + 1)] if number < pages else [])
        assert listed == [n.slug for n in entry.news], tag
        assert not (built.site / urls.tag_page(tag, pages + 1)).exists()
        first = (built.site / urls.tag(tag) / "index.html").read_text(encoding="utf-8")
        past = [e.id for e in _past(entry.events, built.catalog)]
        if past:
            assert _event_ids(_section(first, "vergangen")) == past[:limit], tag
    assert paginated, "the large site must have a tag with more news than one page shows"


def test_tag_pages_with_small_limits_lose_nothing(sites: dict[int, Built]) -> None:
    """The same rules with limits small enough that every tag is cut: rendered directly
    from the page plan (no MkDocs), every news item is on exactly one page of each of its
    tags, and the first page shows only the newest past events, with a link to the
    archive year where the older ones begin."""
    catalog = sites[LARGE].catalog
    site = SiteInfo("https://example.org/", "x", news_per_page=3, past_events_on_index=2)
    renderer = PageRenderer(catalog, site)
    specs = [s for s in plan_pages(catalog, site) if s.kind == "tag"]
    by_tag: dict[str, list[PageSpec]] = {}
    for spec in specs:
        by_tag.setdefault(spec.obj.tag, []).append(spec)
    cut = 0
    for tag, entry in catalog.tags.items():
        pages = by_tag[tag]
        assert [p.url for p in pages] == [urls.tag_page(tag, n) for n in range(1, len(pages) + 1)]
        listed: list[str] = []
        for spec in pages:
            shown = _news_slugs(_section(renderer.render(spec), "nachrichten"))
            assert len(shown) <= 3
            listed += shown
        assert listed == [n.slug for n in entry.news], tag
        past = _past(entry.events, catalog)
        if len(past) > 2:
            cut += 1
            section = _section(renderer.render(pages[0]), "vergangen")
            assert _event_ids(section) == [e.id for e in past[:2]], tag
            year = past[2].starts_at.astimezone(BERLIN).year
            assert f'href="../../{urls.events_year(year)}"' in section, tag
    assert cut, "some tag must have more past events than the limit"


def test_community_pages_with_small_limits_lose_nothing(sites: dict[int, Built]) -> None:
    """A community's news are paginated like a tag's, its first page being the community's
    own page; its past events follow the tag pages' rule."""
    catalog = sites[LARGE].catalog
    site = SiteInfo("https://example.org/", "x", news_per_page=1, past_events_on_index=1)
    renderer = PageRenderer(catalog, site)
    by_community: dict[str, list[PageSpec]] = {}
    for spec in plan_pages(catalog, site):
        if spec.kind in ("community", "community-news"):
            by_community.setdefault(spec.obj.id, []).append(spec)
    paginated = cut = 0
    for community in catalog.communities:
        pages = by_community[community.id]
        assert [p.url for p in pages] == [
            urls.community_page(community.id, n) for n in range(1, len(pages) + 1)
        ]
        assert [p.kind for p in pages] == ["community"] + ["community-news"] * (len(pages) - 1)
        news = catalog.news_by_community.get(community.id, [])
        paginated += len(pages) > 1
        listed: list[str] = []
        for spec in pages:
            shown = _news_slugs(_section(renderer.render(spec), "nachrichten"))
            assert len(shown) <= 1
            listed += shown
        assert listed == [n.slug for n in news], community.id
        past = _past(catalog.events_by_community.get(community.id, []), catalog)
        if len(past) > 1:
            cut += 1
            section = _section(renderer.render(pages[0]), "vergangen")
            assert _event_ids(section) == [past[0].id], community.id
    assert paginated and cut
