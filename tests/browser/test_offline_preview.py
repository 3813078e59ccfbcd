"""A merge request's preview, downloaded and opened from disk: links between pages work
without a server, and the note on every page is readable (axe) in both colour schemes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_BUILD_DATE, break_an_event, make_project

from .conftest import format_axe_violations, open_page, run_axe, settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("offline")
    project = make_project(tmp / "project")
    break_an_event(project)
    site = tmp / "preview"
    env = {**os.environ, "OSS_PORTAL_BUILD_DATE": SAMPLE_BUILD_DATE, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=project,
        env={**env, "OSS_PORTAL_PREVIEW": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return site


def test_links_work_from_disk(browser: Any, preview: Path) -> None:
    page, foreign, errors = open_page(browser, (preview / "index.html").as_uri())
    try:
        page.click(".md-tabs a:text('Veranstaltungen')")
        page.wait_for_load_state("load")
        assert page.url.endswith("/events/index.html")
        assert page.locator("h1").inner_text() == "Veranstaltungen"
        page.click(".portal-card__title a >> nth=0")
        page.wait_for_load_state("load")
        assert page.url.endswith("/index.html") and "/events/" in page.url
        page.click(".md-banner a:text('Zur Fehlerliste')")
        page.wait_for_load_state("load")
        assert page.url.endswith("/index.html#fehler")
        assert page.locator("#fehler").is_visible()
        assert foreign == []
        # From disk the browser refuses Material's requests for the sitemap and the search
        # index (the search needs a server, as CONTRIBUTING says); nothing else may fail.
        refused = ("sitemap.xml", "search_index", "/search/", "lunr")
        others = [e for e in errors if not any(name in e for name in refused)]
        assert others == [], others
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_note_on_every_page_passes_axe(browser: Any, preview: Path, scheme: str) -> None:
    url = (preview / "communities" / "index.html").as_uri()
    page, _foreign, _errors = open_page(browser, url, color_scheme=scheme)
    try:
        assert "Vorschau mit 1 Fehler im Inhalt." in page.locator(".md-banner").inner_text()
        settle(page)
        violations = run_axe(page)
        assert violations == [], format_axe_violations(violations, url=url)
    finally:
        page.context.close()
