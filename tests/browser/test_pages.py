"""Every page type of the built site, read in a real browser (issue 6).

One build of the sample project (the session fixture ``sample_site``) is served on
127.0.0.1 and opened in Debian's Chromium. For each page type the suite asserts: zero axe
violations (WCAG 2.0/2.1 A and AA) in the light and the dark colour scheme, zero requests
to another origin, zero Nu HTML Checker errors, ``lang="de"``, exactly one h1, meaningful
link texts, a working keyboard path with visible focus, and no horizontal scrolling on a
360 px phone. The filters, the search and the "past" marking are exercised like a reader
would. Screenshots go to a temporary folder, or to ``$OSS_PORTAL_SCREENSHOTS`` where that is
set (CI keeps them as artifacts); the README's pictures are taken by ``scripts/screenshots``,
never by the tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import REPO, SAMPLE, SAMPLE_BUILD_DATE, build_site, make_project
from oss_portal.core.loading import load_catalog
from oss_portal.core.models import BERLIN

from .conftest import (
    CSP_WATCH_JS,
    format_axe_violations,
    open_page,
    run_axe,
    serve_directory,
    vnu_errors,
)

pytestmark = pytest.mark.browser


#: One page of every type in the sample site (address relative to the site root).
PAGE_TYPES: dict[str, str] = {
    "home": "",
    "communities": "communities/",
    "community": "communities/alpha-community/",
    "events": "events/",
    "event-upcoming": "events/kommendes-treffen/",
    "event-past": "events/wintertreffen-2023/",
    "event-cancelled": "events/abgesagte-konferenz/",
    "events-year": "events/archiv/2023/",
    "news-index": "news/",
    "news": "news/2026-05-01-offener-aufruf/",
    "tags": "tags/",
    "tag": "tags/kommunen/",
    "regions": "regionen/",
    "region": "regionen/nordrhein-westfalen/",
    "open-data": "daten/",
    "contribute": "mitmachen/",
    "impressum": "impressum/",
    "datenschutz": "datenschutz/",
    "barrierefreiheit": "barrierefreiheit/",
    "leichte-sprache": "leichte-sprache/",
    "not-found": "404.html",
}
#: The search "page": Material's search overlay with results, opened on the events index.
SEARCH = ("events/", "Gremi")

#: Nu HTML Checker messages caused by Material's own base.html that no block override can
#: reach. Each entry: a fragment of the message and why it stays.
VNU_ALLOWED: tuple[tuple[str, str], ...] = (
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        # Material's drawer and search toggles are <input type="checkbox" autocomplete="off">
        # outside any template block. The attribute keeps Firefox from restoring an open
        # drawer or search overlay on "back"; removing it would mean copying base.html.
        "Material base.html: autocomplete=off on the drawer/search toggle checkboxes",
    ),
)

#: Link texts that say nothing about the target (lower case, trimmed).
VAGUE_LINK_TEXTS = frozenset(
    {
        "",
        "mehr",
        "hier",
        "weiter",
        "link",
        "klicken",
        "hier klicken",
        "mehr lesen",
        "weiterlesen",
        "mehr erfahren",
        "details",
        "»",
        "›",
        "→",
        "…",
        "...",
    }
)

#: After this moment every event of the sample has ended (the browser clock for "past").
AFTER_ALL_SAMPLE_EVENTS = datetime(2026, 12, 1, 12, 0, tzinfo=BERLIN)
#: The sample's build date as the browser's clock: the page script then agrees with the build.
AT_BUILD_DATE = datetime.fromisoformat(SAMPLE_BUILD_DATE).replace(tzinfo=BERLIN)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _html_file(site: Path, path: str) -> Path:
    return site / path if path.endswith(".html") else site / path / "index.html"


def new_context(browser: Any, base_url: str, **options: Any) -> tuple[Any, list[str]]:
    """A browser context with ``options`` (colour scheme, JavaScript, viewport) that blocks
    and records requests to other origins, like ``open_page`` does for its own contexts."""
    site = _origin(base_url)
    foreign: list[str] = []
    context = browser.new_context(**options)
    context.add_init_script(CSP_WATCH_JS)

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and _origin(url) != site:
            foreign.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", route)
    return context, foreign


_RESULTS_SETTLED_JS = """
() => {
  const now = [...document.querySelectorAll(".md-search-result__item > a")]
    .map((a) => a.href).join(" ");
  const settled = now !== "" && window.__portalLastResults === now;
  window.__portalLastResults = now;
  return settled;
}
"""


def search(page: Any, query: str) -> list[str]:
    """Type ``query`` into Material's search box; the result links (site-relative paths).

    The search answers every keystroke, so the results count once two looks 250 ms apart
    agree.
    """
    page.click(".md-search__input")
    page.keyboard.type(query)
    page.wait_for_function(_RESULTS_SETTLED_JS, polling=250, timeout=15_000)
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(a => a.pathname)"
    )
    return [href.lstrip("/") for href in hrefs]


def visible_card_titles(page: Any, container: str) -> set[str]:
    """Titles of the cards in ``container`` that the reader sees."""
    titles: list[str] = page.eval_on_selector_all(
        f"{container} .portal-card",
        "cards => cards.filter(c => c.offsetParent !== null)"
        ".map(c => c.querySelector('.portal-card__title').textContent.trim())",
    )
    return set(titles)


_LINKS_JS = """
() => {
  const text = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.getAttribute("aria-hidden") === "true") return "";
    if (node.tagName === "IMG") return node.getAttribute("alt") || "";
    return [...node.childNodes].map(text).join("");
  };
  const name = (a) => {
    const label = a.getAttribute("aria-label");
    if (label) return label;
    const own = text(a).replace(/\\s+/g, " ").trim();
    return own || (a.getAttribute("title") || "").trim();
  };
  return [...document.querySelectorAll("a[href]")]
    .filter((a) => a.getClientRects().length > 0)
    .map((a) => ({name: name(a), href: a.href.split("#")[0], html: a.outerHTML.slice(0, 160)}));
}
"""

_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material draws the focus of its hidden radio inputs on the label next to them.
  const shown = el.matches("input.md-option") ? el.nextElementSibling : el;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const box = shown.getBoundingClientRect();
  return {
    tag: el.tagName, cls: el.className, href: el.getAttribute("href") || "",
    text: (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 60),
    indicator: outline || shadow,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}
"""


# ---------------------------------------------------------------------------
# Fixtures: one server and one page per colour scheme for the whole session
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    """The sample site, served on 127.0.0.1."""
    with serve_directory(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def catalog() -> Any:
    """The sample content at its build date: the oracle for filters and search."""
    loaded, errors = load_catalog(SAMPLE, now=AT_BUILD_DATE)
    assert errors == []
    return loaded


@dataclass
class Reader:
    """One browser page reused across tests, with what it sent elsewhere and what it logged."""

    page: Any
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def visit(self, url: str) -> Any:
        """Open ``url`` with empty request and console records; return the page."""
        self.foreign.clear()
        self.console_errors.clear()
        self.page.goto(url, wait_until="load")
        return self.page


@pytest.fixture(scope="session")
def readers(browser: Any, site_url: str) -> Iterator[dict[str, Reader]]:
    """Readers on a desktop in the light and the dark scheme, and on a 360 px phone.

    Material picks the colour scheme from ``prefers-color-scheme`` on the first visit, so
    each scheme needs its own context.
    """
    variants = {
        "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 800}},
        "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 800}},
        "phone": {"color_scheme": "light", "viewport": {"width": 360, "height": 740}},
    }
    contexts = []
    result: dict[str, Reader] = {}
    for name, options in variants.items():
        context, foreign = new_context(browser, site_url, **options)
        contexts.append(context)
        reader = Reader(context.new_page(), foreign)
        reader.page.on("console", lambda m, r=reader: _log_console_error(r, m))
        reader.page.on("pageerror", lambda e, r=reader: r.console_errors.append(f"pageerror: {e}"))
        result[name] = reader
    yield result
    for context in contexts:
        context.close()


def _log_console_error(reader: Reader, message: Any) -> None:
    if message.type == "error":
        reader.console_errors.append(f"console.error: {message.text} {message.location}")


def _open_type(reader: Reader, site_url: str, page_type: str) -> Any:
    if page_type == "search":
        search(reader.visit(site_url + SEARCH[0]), SEARCH[1])
        return reader.page
    return reader.visit(site_url + PAGE_TYPES[page_type])


# ---------------------------------------------------------------------------
# Accessibility, privacy, validity
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", [*PAGE_TYPES, "search"])
def test_no_axe_violations(
    readers: dict[str, Reader], site_url: str, page_type: str, scheme: str
) -> None:
    """axe-core finds no WCAG 2.0/2.1 A or AA violation, Material's own markup included."""
    page = _open_type(readers[scheme], site_url, page_type)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    violations = run_axe(page)
    assert violations == [], format_axe_violations(violations, url=page.url)
    assert readers[scheme].foreign == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_basics(readers: dict[str, Reader], site_url: str, page_type: str) -> None:
    """No request leaves the site, no script error, German, one h1, meaningful link texts."""
    reader = readers["light"]
    page = reader.visit(site_url + PAGE_TYPES[page_type])
    page.wait_for_load_state("networkidle")  # late requests count too
    assert page.evaluate("document.documentElement.lang") == "de"
    h1 = page.eval_on_selector_all("h1", "hs => hs.map(h => h.textContent.trim())")
    assert len(h1) == 1, h1
    links = page.evaluate(_LINKS_JS)
    assert reader.foreign == []
    assert reader.console_errors == []

    vague = [link for link in links if link["name"].lower() in VAGUE_LINK_TEXTS]
    assert vague == [], "links without a meaningful text:\n" + "\n".join(
        link["html"] for link in vague
    )
    targets: dict[str, set[str]] = {}
    for link in links:
        targets.setdefault(link["name"].lower(), set()).add(link["href"])
    ambiguous = {name: hrefs for name, hrefs in targets.items() if len(hrefs) > 1}
    assert ambiguous == {}, "same link text, different targets"


def test_no_nu_html_checker_errors(sample_site: Path) -> None:
    """The Nu HTML Checker (one run over every page type) reports no error but the allowed."""
    files = [_html_file(sample_site, path) for path in PAGE_TYPES.values()]
    errors = vnu_errors(files)
    unexpected = [e for e in errors if not any(fragment in e for fragment, _ in VNU_ALLOWED)]
    assert unexpected == []
    # The allow-list stays honest: every entry still matches something.
    for fragment, reason in VNU_ALLOWED:
        assert any(fragment in e for e in errors), f"allow-list entry no longer needed: {reason}"


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_horizontal_scrolling_on_a_phone(
    readers: dict[str, Reader], site_url: str, page_type: str
) -> None:
    """At 360 px nothing is wider than the screen."""
    page = readers["phone"].visit(site_url + PAGE_TYPES[page_type])
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
             .filter((e) => e.getBoundingClientRect().right > 361 && e.offsetParent !== null)
             .slice(0, 5).map((e) => e.tagName + "." + e.className)"""
    )
    assert width <= 360, wide


def test_field_reference_reads_as_labelled_blocks_on_a_phone(
    readers: dict[str, Reader], site_url: str
) -> None:
    """On a phone each row of the field reference is a block: field names are not broken,
    and every value carries its column's name, which must be the table header's."""
    page = readers["phone"].visit(site_url + PAGE_TYPES["contribute"])
    tables = page.evaluate(
        """() => [...document.querySelectorAll(".portal-reference table")].map((table) => ({
             header: [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
             labels: [...table.querySelectorAll("tbody tr:first-child td")].map(
               (td) => getComputedStyle(td, "::before").content),
             display: getComputedStyle(table.querySelector("tbody tr")).display,
             broken: [...table.querySelectorAll("tbody td:first-child code")]
               .filter((code) => code.getClientRects().length > 1).map((c) => c.textContent),
           }))"""
    )
    assert len(tables) >= 3
    for table in tables:
        assert table["display"] == "block"
        assert table["labels"][1:] == [f'"{name}: "' for name in table["header"][1:]]
        assert table["broken"] == []


# ---------------------------------------------------------------------------
# Keyboard
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("page_type", ["home", "event-upcoming", "news"])
def test_skip_link_is_first_and_visible_on_focus(
    browser: Any, site_url: str, page_type: str
) -> None:
    """The first Tab shows "Zum Inhalt springen"; following it, the next Tab is in the content.

    The news page has headings, so Material would add its own skip link (to the first
    heading, past the h1); that one must stay out of the way.
    """
    page, _, _ = open_page(browser, site_url + PAGE_TYPES[page_type])
    try:
        skip = page.locator("a.md-skip:visible")
        assert skip.count() == 1
        assert skip.evaluate("a => getComputedStyle(a).opacity") == "0"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
        page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")
        box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
        assert box["width"] > 0 and box["y"] >= 0
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        inside = page.evaluate("document.getElementById('inhalt').contains(document.activeElement)")
        first = page.evaluate("document.activeElement.textContent.trim()")
    finally:
        page.context.close()
    assert inside, f"after the skip link, Tab went to {first!r} outside the content"


def test_tab_reaches_the_main_links_with_visible_focus(browser: Any, site_url: str) -> None:
    """Tabbing through the home page reaches tabs, content and footer; focus is always shown."""
    page, _, _ = open_page(browser, site_url)
    stops: list[dict[str, Any]] = []
    try:
        for _ in range(80):
            page.keyboard.press("Tab")
            stop = page.evaluate(_FOCUS_JS)
            if stop is None or (stops and stop == stops[0]):
                break  # back at the start
            stops.append(stop)
    finally:
        page.context.close()
    hrefs = {stop["href"] for stop in stops}
    assert {"communities/", "events/", "news/", "tags/"} <= hrefs  # the tabs
    assert any(h.startswith("events/kommendes-treffen") for h in hrefs)  # a card in the content
    assert {"impressum/", "datenschutz/", "barrierefreiheit/", "leichte-sprache/"} <= hrefs
    unseen = [s for s in stops if not s["indicator"]]
    assert unseen == [], "focused without a visible focus indicator"
    off_screen = [s for s in stops if not s["onScreen"] and "md-skip" not in s["cls"]]
    assert off_screen == [], "focus on something the reader cannot see"


@pytest.mark.parametrize(
    ("page_type", "tab"),
    [
        ("community", "Communities"),
        ("event-past", "Veranstaltungen"),
        ("events-year", "Veranstaltungen"),
        ("news", "Nachrichten"),
        ("tag", "Schlagwörter"),
        ("events", "Veranstaltungen"),
        ("impressum", None),
    ],
)
def test_detail_pages_mark_their_section_tab(
    sample_site: Path, page_type: str, tab: str | None
) -> None:
    """A detail page is not in the nav; its section's tab is still marked as current."""
    html = _html_file(sample_site, PAGE_TYPES[page_type]).read_text(encoding="utf-8")
    active = re.findall(
        r'<li class="md-tabs__item md-tabs__item--active">\s*<a [^>]*aria-current="[a-z]+"[^>]*>'
        r"\s*([^<]+?)\s*</a>",
        html,
    )
    assert active == ([tab] if tab else [])


# ---------------------------------------------------------------------------
# The reader's tools: filters, search, past events
# ---------------------------------------------------------------------------


def _in_region(entry: Any, value: str) -> bool:
    """As a region's page: a Land includes what is Bund-wide."""
    return value in entry.regions or (value.startswith("DE-") and "bund" in entry.regions)


def _community_matches(community: Any, key: str, value: str) -> bool:
    if key == "tag":
        return value in community.tags
    if key == "region":
        return _in_region(community, value)
    return bool(getattr(community, key) == value)


def _event_matches(catalog: Any, event: Any, key: str, value: str) -> bool:
    if key == "tag":
        return value in event.tags
    if key == "region":
        return _in_region(event, value)
    if key == "time":
        return ("past" if catalog.is_past(event) else "upcoming") == value
    return bool(getattr(event, key) == value)


@pytest.fixture
def clocked_page(browser: Any, site_url: str) -> Iterator[Callable[..., Any]]:
    """Opens pages whose clock stands at a given moment (the page script reads Date.now)."""
    contexts: list[Any] = []

    def open_at(path: str, moment: datetime, **options: Any) -> Any:
        context, _ = new_context(browser, site_url, **options)
        contexts.append(context)
        context.clock.set_fixed_time(moment)
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        return page

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("path", "container", "kind"),
    [("communities/", "#communities", "communities"), ("events/", "#events", "events")],
)
def test_filters_with_javascript(
    clocked_page: Callable[..., Any], catalog: Any, path: str, container: str, kind: str
) -> None:
    """Every option of every filter shows exactly the matching cards and says how many."""
    page = clocked_page(path, AT_BUILD_DATE)
    form = page.locator("form.portal-filter")
    assert form.is_visible()
    entries = catalog.communities if kind == "communities" else catalog.events
    titles = {e.name if kind == "communities" else e.title: e for e in entries}
    assert visible_card_titles(page, container) == set(titles)
    selects = page.eval_on_selector_all(
        "form.portal-filter select",
        "ss => ss.map(s => [s.name, [...s.options].map(o => o.value).filter(Boolean)])",
    )
    assert {name for name, _ in selects} == (
        {"kind", "level", "tag", "region"}
        if kind == "communities"
        else {"format", "time", "tag", "region"}
    )
    checked = 0
    for name, values in selects:
        assert values, f"filter {name} has no options"
        for value in values:
            page.select_option(f"form.portal-filter select[name={name}]", value)
            expected = {
                title
                for title, entry in titles.items()
                if (
                    _community_matches(entry, name, value)
                    if kind == "communities"
                    else _event_matches(catalog, entry, name, value)
                )
            }
            assert visible_card_titles(page, container) == expected, (name, value)
            count = page.text_content(".portal-filter__count")
            assert count == f"{len(expected)} von {len(titles)} Einträgen angezeigt"
            checked += 1
        page.select_option(f"form.portal-filter select[name={name}]", "")
    assert visible_card_titles(page, container) == set(titles)
    assert checked >= 6


def test_event_filters_combine(clocked_page: Callable[..., Any], catalog: Any) -> None:
    """Two filters at once: online and past; the empty upcoming section disappears."""
    page = clocked_page("events/", AT_BUILD_DATE)
    page.select_option("select[name=format]", "online")
    page.select_option("select[name=time]", "past")
    expected = {e.title for e in catalog.events if e.format == "online" and catalog.is_past(e)}
    assert expected and visible_card_titles(page, "#events") == expected
    assert page.locator("section[data-section=upcoming]").is_hidden()


@pytest.mark.parametrize(
    ("path", "container"), [("communities/", "#communities"), ("events/", "#events")]
)
def test_without_javascript_everything_is_listed(
    browser: Any, site_url: str, catalog: Any, path: str, container: str
) -> None:
    """Without JavaScript the filter form is hidden and every card is shown."""
    context, foreign = new_context(browser, site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + path)
        assert page.locator("form.portal-filter").is_hidden()
        titles = visible_card_titles(page, container)
    finally:
        context.close()
    entries = catalog.communities if path == "communities/" else catalog.events
    assert titles == {getattr(e, "name", None) or e.title for e in entries}
    assert foreign == []


@pytest.mark.parametrize(
    ("path", "container"), [("communities/", "#communities"), ("events/", "#events")]
)
def test_region_links_filter_without_javascript(
    browser: Any, site_url: str, catalog: Any, path: str, container: str
) -> None:
    """Without JavaScript the region filter is a row of links: each leads to the region's
    page, which shows the same entries as the filter would."""
    context, foreign = new_context(browser, site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + path)
        links = page.locator(".portal-region-links a")
        names = [name for name in links.all_inner_texts()]
        assert names[-1] == "alle Regionen" and "Nordrhein-Westfalen" in names
        page.click(".portal-region-links a:text-is('Nordrhein-Westfalen')")
        page.wait_for_url("**/regionen/nordrhein-westfalen/")
        shown = visible_card_titles(page, "main")
    finally:
        context.close()
    entries = catalog.communities if path == "communities/" else catalog.events
    expected = {getattr(e, "name", None) or e.title for e in entries if _in_region(e, "DE-NW")}
    assert expected and expected <= shown
    assert foreign == []


@pytest.mark.parametrize(
    ("query", "first_hit"),
    [
        ("Gremi", "communities/beta-board/"),  # part of the name "Beta-Gremium"
        ("Fachverfahren", "events/kommendes-treffen/"),  # a word of the description
        ("fachverfahren", "events/kommendes-treffen/"),
    ],
)
def test_search_finds(browser: Any, site_url: str, query: str, first_hit: str) -> None:
    """The German search finds a community by part of its name, an event by a word."""
    page, foreign, console_errors = open_page(browser, site_url + "events/")
    try:
        hits = search(page, query)
    finally:
        page.context.close()
    assert hits and hits[0] == first_hit, hits
    assert foreign == [] and console_errors == []


def test_event_ended_since_the_build_is_shown_as_past(
    clocked_page: Callable[..., Any], catalog: Any
) -> None:
    """Built on 1 June, read in December: the July meeting is marked past by the page script."""
    event = catalog.event_by_id["kommendes-treffen"]
    assert not catalog.is_past(event)  # upcoming at build time
    assert event.ends_at < AFTER_ALL_SAMPLE_EVENTS

    page = clocked_page("events/", AFTER_ALL_SAMPLE_EVENTS)
    card = page.locator(".portal-card", has=page.locator(f'a[href$="{event.id}/"]'))
    assert card.get_attribute("data-time") == "past"
    assert card.locator("[data-past-chip]").is_visible()

    detail = clocked_page(f"events/{event.id}/", AFTER_ALL_SAMPLE_EVENTS)
    assert detail.locator("article.portal-detail").get_attribute("class").find("is-past") >= 0
    assert detail.locator("h1 ~ .portal-card__chips [data-past-chip]").is_visible()

    # Control: read on the build date, the same card is still upcoming.
    same_day = clocked_page("events/", AT_BUILD_DATE)
    control = same_day.locator(".portal-card", has=same_day.locator(f'a[href$="{event.id}/"]'))
    assert control.get_attribute("data-time") == "upcoming"
    assert control.locator("[data-past-chip]").is_hidden()


# ---------------------------------------------------------------------------
# Screenshots
# ---------------------------------------------------------------------------

SCREENSHOT_PAGES = {
    "home": "",
    "event": "events/kommendes-treffen/",
    "community": "communities/alpha-community/",
}


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$OSS_PORTAL_SCREENSHOTS`` (CI artifacts), else a temporary
    folder; tests write nothing into the repository."""
    chosen = os.environ.get("OSS_PORTAL_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots(browser: Any, site_url: str, width: int, artifacts: Path) -> None:
    """Home, an event and a community at phone and desktop width."""
    context, foreign = new_context(browser, site_url, viewport={"width": width, "height": 800})
    context.clock.set_fixed_time(AT_BUILD_DATE)
    try:
        page = context.new_page()
        for name, path in SCREENSHOT_PAGES.items():
            page.goto(site_url + path, wait_until="load")
            target = artifacts / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
    finally:
        context.close()
    assert foreign == []


#: Pages that scripts/screenshots takes at 1280 and at 360 px.
WIDE_AND_NARROW = ("tags", "tag", "events", "leichte-sprache", "region", "series")


def test_readme_screenshots_script(tmp_path: Path, chromium_path: str) -> None:
    """``scripts/screenshots`` photographs a project's pages (home, an event, a community,
    a phone, /mitmachen/, the form with its errors, the serve preview with an error) into
    the folder it is given; here the sample project into a temporary folder."""
    project = make_project(tmp_path / "project")
    before = sorted(p.read_bytes() for p in (project / "data").iterdir())
    out = tmp_path / "pictures"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "screenshots"),
            "--out",
            str(out),
            "--project",
            str(project),
            "--date",
            SAMPLE_BUILD_DATE,
        ],
        env={**os.environ, "CHROMIUM_PATH": chromium_path},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sizes = {path.name: _png_size(path) for path in out.glob("*.png")}
    assert sizes == {
        "home.png": (1280, 860),
        "event.png": (1280, 860),
        "community.png": (1280, 900),
        "home-360.png": (360, 900),
        "mitmachen.png": (1280, 900),
        "propose.png": (1280, 900),
        "propose-360.png": (360, 900),
        "serve-errors.png": (1280, 860),
        **{f"{name}.png": (1280, 900) for name in WIDE_AND_NARROW},
        **{f"{name}-360.png": (360, 900) for name in WIDE_AND_NARROW},
    }
    assert all(path.stat().st_size > 10_000 for path in out.glob("*.png"))
    assert sorted(p.read_bytes() for p in (project / "data").iterdir()) == before


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


# ---------------------------------------------------------------------------
# Paginated lists (the sample has too few news to need a second page)
# ---------------------------------------------------------------------------

#: Second pages of the paginated lists in the sample at one news per page.
PAGINATED = {
    "news-index-2": "news/page/2/",
    "tag-2": "tags/governance/page/2/",
    "community-news-2": "communities/beta-board/page/2/",
}
#: A second news item of one community and one tag (the sample has one of each).
SECOND_NEWS = """---
title: "Das Gremium tagt erneut"
date: "2026-04-01"
summary: Das Gremium stimmt seine nächsten Schritte ab.
tags: [governance]
communities: [beta-board]
---

Ein kurzer Text für die zweite Seite.
"""


@pytest.fixture(scope="session")
def paginated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with one news item per page, so its lists have further pages."""
    base = tmp_path_factory.mktemp("paginated")
    project = make_project(base / "project")
    (project / "content" / "news" / "2026-04-01-gremium-tagt.md").write_text(
        SECOND_NEWS, encoding="utf-8"
    )
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "news_per_page: 10" in text
    config.write_text(text.replace("news_per_page: 10", "news_per_page: 1"), encoding="utf-8")
    return build_site(project, base / "site")


def test_paginated_pages_pass_the_same_checks(browser: Any, paginated_site: Path) -> None:
    """A later page of the news index and of a tag: axe in both schemes, no foreign
    request or script error, one h1, working older/newer links, no horizontal scrolling
    on a phone, and no Nu HTML Checker error."""
    errors: list[str] = []
    with serve_directory(paginated_site) as url:
        for scheme, width in (("light", 1280), ("dark", 1280), ("light", 360)):
            context, foreign = new_context(
                browser, url, color_scheme=scheme, viewport={"width": width, "height": 800}
            )
            try:
                page = context.new_page()
                page.on("pageerror", lambda e: errors.append(str(e)))
                for path in PAGINATED.values():
                    page.goto(url + path, wait_until="load")
                    assert page.locator("h1").count() == 1
                    violations = run_axe(page)
                    assert violations == [], format_axe_violations(violations, url=page.url)
                    assert page.evaluate("document.documentElement.scrollWidth") <= width
                    assert page.locator(".portal-pagination a[rel=prev]").count() == 1, path
                    hrefs = page.eval_on_selector_all(
                        ".portal-pagination a", "links => links.map(a => a.href)"
                    )
                    assert all(page.request.get(href).ok for href in hrefs), hrefs
            finally:
                context.close()
            assert foreign == [] and errors == []
    files = [_html_file(paginated_site, path) for path in PAGINATED.values()]
    unexpected = [
        e for e in vnu_errors(files) if not any(fragment in e for fragment, _ in VNU_ALLOWED)
    ]
    assert unexpected == []
