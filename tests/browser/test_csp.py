"""The Content-Security-Policy in Chromium: no page type reports a violation while its
scripts work (search, colour scheme, filters, calendar link, issue form), and an inline
script smuggled into a page's content past the sanitiser is blocked.

The smuggling is a test-only MkDocs hook (``hooks:`` in the test project's mkdocs.yml)
that appends a script to one news page's rendered content after the portal's sanitiser
has run: what a gap in the sanitiser would let through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, make_project

from .conftest import open_page, serve_directory
from .test_lighthouse import PAGES

pytestmark = pytest.mark.browser

SMUGGLED_PAGE = "news/2026-05-01-offener-aufruf/"
HOOK = """\
from mkdocs.plugins import event_priority


@event_priority(-100)  # after the portal has put the page's full body in place
def on_page_context(context, page, config, nav):
    if page.url == "news/2026-05-01-offener-aufruf/":
        page.content += '<script>document.documentElement.dataset.smuggled = "ran"</script>'
    return context
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("csp")
    project = make_project(tmp / "project")
    (project / "smuggle.py").write_text(HOOK, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - smuggle.py\n")
    site = build_site(project, tmp / "site")
    assert "dataset.smuggled" in (site / SMUGGLED_PAGE / "index.html").read_text("utf-8")
    return site


def _violations(errors: list[str]) -> list[str]:
    return [e for e in errors if "CSP violation" in e or "Content Security Policy" in e]


def test_no_page_type_reports_a_violation(browser: Any, site: Path) -> None:
    with serve_directory(site) as url:
        page, foreign, errors = open_page(browser, url)
        try:
            seen = []
            for path in (p for p in PAGES if p != SMUGGLED_PAGE):
                errors.clear()
                page.goto(url + path, wait_until="networkidle")
                # Material's inline scripts ran: its storage helpers exist.
                assert page.evaluate("typeof __md_get") == "function", path
                seen += [f"{path}: {e}" for e in errors]
            assert seen == [] and foreign == []
        finally:
            page.context.close()


def test_scripts_work_under_the_policy(browser: Any, site: Path) -> None:
    with serve_directory(site) as url:
        page, foreign, errors = open_page(browser, url + "events/")
        try:
            # Search: Material's worker answers.
            page.click(".md-search__input")
            page.keyboard.type("Treffen")
            page.wait_for_selector(".md-search-result__item", timeout=15_000)
            page.keyboard.press("Escape")
            # Colour scheme toggle (the palette's inline script keeps the choice).
            before = page.evaluate("document.body.dataset.mdColorScheme")
            page.locator("form[data-md-component=palette] label:visible").first.click()
            page.wait_for_function(f"document.body.dataset.mdColorScheme !== {before!r}")
            page.reload(wait_until="load")
            assert page.evaluate("document.body.dataset.mdColorScheme") != before
            # Filters (portal.js).
            page.select_option("select[name=format]", "online")
            hidden = page.eval_on_selector_all(".portal-card", "cs => cs.filter(c => c.hidden)")
            assert hidden
            # The calendar link downloads the calendar from the site.
            link = page.locator("a[href$='.ics']:not([href^='webcal:'])").first
            with page.expect_response(lambda r: r.url.endswith(".ics")) as response:
                page.evaluate("(a) => fetch(a.href)", link.element_handle())
            assert response.value.status == 200
            # The issue form leaves for the repository's issue page (form-action).
            page.goto(url + "mitmachen/vorschlagen/#news", wait_until="load")
            page.fill("#news-title", "Ein Aufruf")
            page.fill("#news-date input[data-part=date]", "2026-12-01")
            page.fill("#news-summary", "Kurz gesagt.")
            page.fill("#news-text", "Der Text.")
            with page.expect_request(lambda r: "/-/issues/new?" in r.url):
                page.click("#news button[type=submit]")
            assert any("/-/issues/new?" in f for f in foreign), foreign
            assert _violations(errors) == []
        finally:
            page.context.close()


def test_a_script_smuggled_into_content_is_blocked(browser: Any, site: Path) -> None:
    assert SMUGGLED_PAGE in PAGES  # the other page types are checked above
    with serve_directory(site) as url:
        page, _foreign, errors = open_page(browser, url + SMUGGLED_PAGE)
        try:
            page.wait_for_timeout(200)
            assert page.evaluate("document.documentElement.dataset.smuggled") is None
            assert page.evaluate("typeof __md_get") == "function"  # the theme's still run
            (violation,) = [e for e in errors if e.startswith("console.error: CSP violation")]
            assert "script-src" in violation and "blocked inline" in violation
        finally:
            page.context.close()
