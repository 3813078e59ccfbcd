"""A merge request's preview (plugin option ``preview`` / ``OSS_PORTAL_PREVIEW=1``): built
despite content errors, with every valid entry, the errors marked on every page, and
links that work from a downloaded copy. Without the option the same build fails."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_BUILD_DATE, break_an_event, make_project
from oss_portal.outputs.publishing import offline_links


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("preview") / "project")
    break_an_event(project)
    return project


def _build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=project,
        env={
            **{k: v for k, v in os.environ.items() if k != "OSS_PORTAL_PREVIEW"},
            "OSS_PORTAL_BUILD_DATE": SAMPLE_BUILD_DATE,
            "NO_MKDOCS_2_WARNING": "1",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def preview(broken_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("preview-site") / "site"
    result = _build(broken_project, site, OSS_PORTAL_PREVIEW="1")
    assert result.returncode == 0, result.stderr
    assert "data/events.yaml:25:11: YAML-Syntaxfehler" in result.stderr  # still reported
    return site


def test_without_the_option_the_build_fails(broken_project: Path, tmp_path: Path) -> None:
    result = _build(broken_project, tmp_path / "site")
    assert result.returncode == 1
    assert "1 Fehler im Inhalt – der Build wurde abgebrochen" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_preview_shows_the_valid_entries_and_the_broken_one(preview: Path) -> None:
    for event in ("kommendes-treffen", "abgesagte-konferenz", "wintertreffen-2023"):
        assert (preview / "events" / event / "index.html").is_file(), event
    broken = (preview / "events" / "verschobener-workshop" / "index.html").read_text("utf-8")
    assert "1 Fehler in diesem Eintrag" in broken
    home = (preview / "index.html").read_text(encoding="utf-8")
    assert 'id="fehler"' in home and "dieselben Fehler stehen im Bericht" in home


def test_every_page_says_that_the_preview_has_errors(preview: Path) -> None:
    pages = list(preview.rglob("*.html"))
    assert len(pages) > 20
    unmarked = [
        str(p.relative_to(preview))
        for p in pages
        if "Vorschau mit 1 Fehler im Inhalt." not in p.read_text(encoding="utf-8")
    ]
    assert unmarked == []


def test_links_to_folders_point_at_their_index(preview: Path) -> None:
    folder_links = re.compile(r'href="(?![a-z]+:|#|/)[^"#?]*/(?:[#?][^"]*)?"')
    for page in preview.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert folder_links.findall(text) == [], page.relative_to(preview)
        if page.name == "404.html":
            continue  # served at any address, so its links start at the site root
        for target in re.findall(r'href="((?![a-z]+:|#)[^"#?]*index\.html)', text):
            assert (page.parent / target).resolve().is_file(), (page, target)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="../events/x/">', '<a href="../events/x/index.html">'),
        ('<a href=".">', '<a href="./index.html">'),
        ('<a href="..">', '<a href="../index.html">'),
        ('<a href="events/x/#programm">', '<a href="events/x/index.html#programm">'),
        ('<a href="https://example.org/a/">', '<a href="https://example.org/a/">'),
        ('<a href="#oben">', '<a href="#oben">'),
        ('<a href="../rss.xml">', '<a href="../rss.xml">'),
        ('<a href="mailto:info@example.org">', '<a href="mailto:info@example.org">'),
    ],
)
def test_offline_links(html: str, expected: str) -> None:
    assert offline_links(html) == expected
