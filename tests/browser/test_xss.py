"""Hostile content cannot inject markup or script (issue 8, section 1).

``tests/fixtures/xss`` is valid content whose every free-text field carries payloads:
``<script>``, event handlers, ``javascript:`` links, attribute and element breakouts
(``"><svg onload>``, ``</title><script>``, ``</script>``), template syntax, mutation-XSS
shapes and raw HTML in Markdown. Every payload that ran would set ``window.__xss`` to a
marker naming its field, or open a dialog.

The site must build, no payload may run in the browser (pages and the search UI), the text
must stay visible as text where it belongs, and the places the theme prints without
autoescaping (``<title>``, meta and OpenGraph tags, JSON-LD, the header, the search index)
must hold no live markup. Those are checked by parsing, without a browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLE_BUILD_DATE, build_site, make_project
from oss_portal.core.loading import load_catalog
from oss_portal.core.models import BERLIN

from .conftest import open_page, serve_directory
from .test_pages import search

pytestmark = pytest.mark.browser

XSS = REPO / "tests" / "fixtures" / "xss"
SITE_NAME = "Open Source in der Verwaltung"
#: Requests for the payloads' ``<img src=x>`` (kept by the sanitiser, handlers removed)
#: end in 404 and Chromium logs them; they are not script errors.
_NOT_FOUND = "Failed to load resource: the server responded with a status of 404"
#: The fixture's third-party image is dropped by the sanitiser; should one slip through, the test
#: browser, which Chromium logs as an error.
_BLOCKED_TRACKER = "tracker.example/"
#: Tags the Material search index may contain (its parser keeps these, escapes the rest).
SEARCH_INDEX_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
#: Elements only a payload would bring into a page.
FORBIDDEN_TAGS = frozenset({"iframe", "object", "embed", "base", "frame", "frameset", "applet"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "xlink:href"})
#: The scripts the theme and the portal ship; everything else in a <script> is an injection.
ALLOWED_SCRIPT_SOURCES = re.compile(
    r"^(/|(\.\./)*)assets/(javascripts/bundle\.[0-9a-f]+\.min\.js|portal/(portal|propose|json-schema)\.js)$"
)


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project, built once (strict, like a real publish)."""
    base = tmp_path_factory.mktemp("xss")
    project = make_project(base / "project", content=XSS)
    return build_site(project, base / "site")


@pytest.fixture(scope="session")
def xss_catalog() -> Any:
    """The hostile content as the model sees it: the literal texts to expect on the pages."""
    now = datetime.fromisoformat(SAMPLE_BUILD_DATE).replace(tzinfo=BERLIN)
    catalog, errors = load_catalog(XSS, now=now)
    assert errors == []
    return catalog


@pytest.fixture(scope="session")
def xss_url(xss_site: Path) -> Iterator[str]:
    """The hostile site served on 127.0.0.1."""
    with serve_directory(xss_site) as url:
        yield url


def record_dialogs(page: Any) -> list[str]:
    """Dismiss every alert/confirm/prompt the page opens and return their messages."""
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _detail_pages(catalog: Any) -> list[tuple[str, str, str]]:
    """(path, literal title, literal summary) of every entity page."""
    pages = [(f"communities/{c.id}/", c.name, c.summary) for c in catalog.communities]
    pages += [(f"events/{e.id}/", e.title, e.summary) for e in catalog.events]
    pages += [(f"news/{n.slug}/", n.title, n.summary) for n in catalog.news]
    return pages


class _Page(HTMLParser):
    """What a browser would build from a page: elements with attributes, selected texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.title = ""
        self.header_topics: list[str] = []
        self._open: list[str] = []
        self._topic_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag == "script":
            self.scripts.append((values, ""))
        if "md-header__topic" in values.get("class", "").split():
            self.header_topics.append("")
            self._topic_depth = 1
        elif self._topic_depth and tag not in ("br", "img", "input", "meta", "link"):
            self._topic_depth += 1
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._topic_depth and tag not in ("br", "img", "input", "meta", "link"):
            self._topic_depth -= 1
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        current = self._open[-1] if self._open else ""
        if current == "title":
            self.title += data
        elif current == "script" and self.scripts:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        if self._topic_depth:
            self.header_topics[-1] += data

    def meta(self, key: str, value: str) -> list[str]:
        """``content`` of every ``<meta>`` whose ``key`` attribute is ``value``."""
        return [
            a.get("content", "") for t, a in self.elements if t == "meta" and a.get(key) == value
        ]


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _collapse(text: str) -> str:
    return " ".join(text.split())


class _Fragment(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


# ---------------------------------------------------------------------------
# In the browser: nothing runs, the text stays text
# ---------------------------------------------------------------------------


def test_no_payload_runs_on_any_page(browser: Any, xss_site: Path, xss_url: str) -> None:
    """Every page of the hostile site: no dialog, no ``window.__xss``, no script error."""
    pages = _pages(xss_site)
    assert len(pages) >= 20
    page, _foreign, console_errors = open_page(browser, xss_url)
    dialogs = record_dialogs(page)
    ran: dict[str, Any] = {}
    try:
        for path in pages:
            # "load" waits for every image, so handlers on failed images have had their turn.
            page.goto(xss_url + path.removesuffix("index.html"), wait_until="load")
            marker = page.evaluate("window.__xss")
            if marker is not None:
                ran[path] = marker
    finally:
        page.context.close()
    assert ran == {}, "payloads ran (page: marker of the field)"
    assert dialogs == []
    assert [e for e in console_errors if _NOT_FOUND not in e and _BLOCKED_TRACKER not in e] == []


def test_text_is_shown_literally(browser: Any, xss_url: str, xss_catalog: Any) -> None:
    """The h1, the lead paragraph and the browser title show the payload characters as text."""
    page, _, _ = open_page(browser, xss_url)
    try:
        for path, title, summary in _detail_pages(xss_catalog):
            page.goto(xss_url + path, wait_until="load")
            assert _collapse(page.inner_text("h1")) == _collapse(title), path
            assert _collapse(page.inner_text(".portal-lead")) == _collapse(summary), path
            assert page.title() == f"{_collapse(title)} – {SITE_NAME}", path
            assert page.evaluate("window.__xss") is None
    finally:
        page.context.close()
    assert "<script>" in xss_catalog.community_by_id["boese-community"].name
    assert "{{ 7*7 }}" in xss_catalog.event_by_id["boeses-treffen"].title  # no template ran


def test_cards_on_index_pages_show_titles_literally(
    browser: Any, xss_url: str, xss_catalog: Any
) -> None:
    """Index pages and the home page list the hostile titles as plain text."""
    expected = {
        "communities/": {c.name for c in xss_catalog.communities},
        "events/": {e.title for e in xss_catalog.events},
        "news/": {n.title for n in xss_catalog.news},
    }
    page, _, _ = open_page(browser, xss_url)
    try:
        for path, titles in expected.items():
            page.goto(xss_url + path, wait_until="load")
            shown = page.eval_on_selector_all(
                ".portal-card__title", "hs => hs.map(h => h.textContent)"
            )
            assert {_collapse(t) for t in shown} == {_collapse(t) for t in titles}, path
        page.goto(xss_url, wait_until="load")
        claim = page.inner_text(".portal-hero__claim")
        assert "{{ 7*7 }}" in claim and '"><svg' in claim
    finally:
        page.context.close()


#: Words that start a search token: the search splits on white space and hyphens only, so
#: "<script>window…" is one token and "script" alone finds nothing.
@pytest.mark.parametrize("query", ["Böse", "onerror", "Summary"])
def test_search_results_render_payloads_as_text(browser: Any, xss_url: str, query: str) -> None:
    """Material renders search results as HTML; the index must keep payloads inert."""
    page, _, console_errors = open_page(browser, xss_url)
    dialogs = record_dialogs(page)
    try:
        assert search(page, query)
        results = page.inner_text(".md-search-result")
        injected = page.eval_on_selector_all(
            ".md-search-result *",
            """els => els
                .filter(e => ["script", "img", "svg", "iframe"].includes(e.localName)
                    || [...e.attributes].some(a => a.name.startsWith("on")))
                .map(e => e.outerHTML.slice(0, 120))""",
        )
        marker = page.evaluate("window.__xss")
    finally:
        page.context.close()
    assert marker is None and dialogs == []
    assert injected == []
    assert [e for e in console_errors if _NOT_FOUND not in e] == []
    assert "<script>" in results or "<svg" in results  # shown as characters


# ---------------------------------------------------------------------------
# Without a browser: head, header, JSON-LD, search index, link attributes
# ---------------------------------------------------------------------------


def test_head_holds_only_text(xss_site: Path, xss_catalog: Any) -> None:
    """<title>, description, OpenGraph, JSON-LD and header title equal the literal texts."""
    for path, title, summary in _detail_pages(xss_catalog):
        page = parse(xss_site / path / "index.html")
        assert _collapse(page.title) == f"{_collapse(title)} – {SITE_NAME}", path
        assert page.meta("name", "description") == [summary], path
        assert page.meta("property", "og:title") == [title], path
        assert page.meta("property", "og:description") == [summary], path
        assert _collapse(page.header_topics[-1]) == _collapse(title), path
        ld = [text for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]
        assert len(ld) == 1, path
        assert "<" not in ld[0] and ">" not in ld[0], path  # cannot end the element
        data = json.loads(ld[0])
        assert data.get("name", data.get("headline")) == title, path


def test_no_live_markup_from_payloads_in_any_page(xss_site: Path) -> None:
    """No handler attribute, no javascript: URL, no foreign script or frame in any page."""
    problems: list[str] = []
    for rel in _pages(xss_site):
        page = parse(xss_site / rel)
        for tag, attrs in page.elements:
            for name, value in attrs.items():
                if name.startswith("on"):
                    problems.append(f"{rel}: <{tag} {name}>")
                squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if name in URL_ATTRIBUTES and squeezed.startswith(
                    ("javascript:", "vbscript:", "data:text/html")
                ):
                    problems.append(f"{rel}: <{tag} {name}={value[:40]}>")
            if tag in FORBIDDEN_TAGS:
                problems.append(f"{rel}: <{tag}>")
            if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
                problems.append(f"{rel}: <meta http-equiv=refresh>")
        for attrs, text in page.scripts:
            src = attrs.get("src")
            if src is not None and not ALLOWED_SCRIPT_SOURCES.match(src):
                problems.append(f"{rel}: <script src={src}>")
            if "__xss" in text and attrs.get("type") != "application/ld+json":
                problems.append(f"{rel}: payload inside <script>: {text[:60]}")
    assert problems == []


def test_search_index_holds_no_markup_from_payloads(xss_site: Path) -> None:
    """Every title and text in search_index.json parses to the search's few plain tags."""
    index = json.loads((xss_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("__xss" in doc["text"] or "__xss" in doc["title"] for doc in index["docs"])
    problems = []
    for doc in index["docs"]:
        for field in ("title", "text"):
            fragment = _Fragment()
            fragment.feed(doc[field])
            for tag, attrs in fragment.tags:
                if tag not in SEARCH_INDEX_TAGS or attrs:
                    problems.append(f"{doc['location']} {field}: <{tag} {attrs}>")
    assert problems == []


def test_links_to_new_tabs_carry_noopener(xss_site: Path) -> None:
    """Contributor links with target=_blank lose the target or gain rel=noopener."""
    checked = 0
    for rel in _pages(xss_site):
        for tag, attrs in parse(xss_site / rel).elements:
            if tag != "a":
                continue
            if attrs.get("target", "").lower() == "_blank":
                assert "noopener" in attrs.get("rel", "").split(), f"{rel}: {attrs}"
            if attrs.get("href", "").startswith("https://example.org"):
                assert "opener" not in attrs.get("rel", "").replace("noopener", "")
                checked += 1
    assert checked >= 3  # the payload links with target=_blank (and rel=opener) were seen


def test_contributor_images_from_other_servers_are_not_loaded(browser: Any, xss_url: str) -> None:
    """A Markdown image on another server must not make the reader's browser fetch it."""
    page, foreign, _ = open_page(browser, xss_url + "news/zweite-nachricht/")
    try:
        page.wait_for_load_state("networkidle")
    finally:
        page.context.close()
    assert foreign == []


def test_handwritten_page_title_is_text_in_the_search_index(
    tmp_path: Path,
) -> None:
    """A payload in content/index.md's title reaches the search index only as text."""
    project = make_project(tmp_path / "project", content=XSS)
    index_md = project / "content" / "index.md"
    payload = "Start <img src=x onerror=\"window.__xss='home-title'\">"
    index_md.write_text(
        index_md.read_text(encoding="utf-8").replace("title: Start\n", f"title: {payload}\n", 1),
        encoding="utf-8",
    )
    site = build_site(project, tmp_path / "site")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    home = next(doc for doc in index["docs"] if doc["location"] == "")
    fragment = _Fragment()
    fragment.feed(home["title"])
    assert fragment.tags == []
