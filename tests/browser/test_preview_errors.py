"""The ``mkdocs serve`` preview with a broken entry: a syntax error in the middle of
``data/events.yaml`` hides only that entry, and the error banner on the home page is
readable (axe, WCAG AA) in the light and the dark colour scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_BUILD_DATE, break_an_event, make_project, serve_build

from .conftest import format_axe_violations, open_page, run_axe, serve_directory

pytestmark = pytest.mark.browser

NEWS = "2026-05-01-offener-aufruf"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("preview")
    project = make_project(tmp / "project")
    break_an_event(project)
    # A home page with the hero (eyebrow, claim, intro), as the shipped one has.
    (project / "content" / "index.md").write_text(
        "---\ntitle: Start\neyebrow: Beispiel\nclaim: Ein kleines Portal für Tests.\n---\n"
        "Ein Absatz, der im Kopfbereich der Startseite steht.\n",
        encoding="utf-8",
    )
    news = project / "content" / "news" / f"{NEWS}.md"
    lines = news.read_text(encoding="utf-8").splitlines(keepends=True)
    news.write_text("".join(line for line in lines if not line.startswith("title:")), "utf-8")
    site = tmp / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OSS_PORTAL_BUILD_DATE", SAMPLE_BUILD_DATE)
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        serve_build(project, site)
    return site


def test_the_other_events_stay_in_the_preview(preview: Path) -> None:
    for event in ("kommendes-treffen", "abgesagte-konferenz", "wintertreffen-2023"):
        assert (preview / "events" / event / "index.html").is_file(), event
    home = (preview / "index.html").read_text(encoding="utf-8")
    assert "<code>data/events.yaml:25:11: YAML-Syntaxfehler:" in home


def test_a_broken_entry_shows_its_errors_at_its_address(preview: Path) -> None:
    event = (preview / "events" / "verschobener-workshop" / "index.html").read_text("utf-8")
    assert "1 Fehler in diesem Eintrag" in event
    assert "<code>data/events.yaml:25:11: YAML-Syntaxfehler:" in event
    assert "Der Eintrag beginnt in <code>data/events.yaml:23</code>" in event
    news = (preview / "news" / NEWS / "index.html").read_text("utf-8")
    assert f"content/news/{NEWS}.md:2:1: title: Pflichtfeld fehlt" in news


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_error_page_passes_axe(preview: Path, browser: object, scheme: str) -> None:
    with serve_directory(preview) as url:
        page, foreign, _errors = open_page(
            browser, url + "events/verschobener-workshop/", color_scheme=scheme
        )
        try:
            violations = run_axe(page)
            assert violations == [], format_axe_violations(violations, url=page.url)
        finally:
            page.context.close()
    assert foreign == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_banner_passes_axe(preview: Path, browser: object, scheme: str) -> None:
    with serve_directory(preview) as url:
        page, foreign, _errors = open_page(browser, url, color_scheme=scheme)
        try:
            banner = page.locator(".portal-errors")
            assert banner.count() == 1
            assert page.locator(".portal-hero").count() == 1
            assert page.locator(".portal-hero .portal-errors").count() == 0  # in page colours
            violations = run_axe(page)
            assert violations == [], format_axe_violations(violations, url=url)
        finally:
            page.context.close()
    assert foreign == []
