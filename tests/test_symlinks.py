"""Only regular files inside the project are read and published.

A symbolic link in the content (a news file, a data file, a folder, the news folder
itself) could publish whatever the build machine can read. Each case links to a target
outside the project that carries a marker string, and must be:

* an error with ``file:1:1`` and a clear message in ``oss-portal validate`` (exit 1);
* an error that stops ``mkdocs build`` (exit 1, no traceback, no site);
* left out of what ``mkdocs serve`` writes: the marker appears in no file of the site,
  while every valid entry is still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_project, run_build, run_validate, serve_build

BASE = Path(__file__).resolve().parent / "broken" / "_base"
MARKER = "GEHEIM-7f3a9c"
LINK_MESSAGE = "ist eine Verknüpfung (symbolischer Link)"

NEWS_TEXT = f"""---
title: "{MARKER} Titel"
date: "2024-03-04"
summary: "{MARKER} Zusammenfassung"
---
{MARKER} im Text.
"""
EVENTS_TEXT = f"""- id: geheimes-treffen
  title: "{MARKER} Treffen"
  start: "2024-03-04"
  format: online
  summary: "{MARKER} Zusammenfassung"
"""


def _news_file(outside: Path, project: Path) -> str:
    (outside / "x.md").write_text(NEWS_TEXT, encoding="utf-8")
    (project / "content/news/2024-03-04-x.md").symlink_to(outside / "x.md")
    return "content/news/2024-03-04-x.md"


def _events_file(outside: Path, project: Path) -> str:
    (outside / "events.yaml").write_text(EVENTS_TEXT, encoding="utf-8")
    (project / "data/events.yaml").unlink()
    (project / "data/events.yaml").symlink_to(outside / "events.yaml")
    return "data/events.yaml"


def _folder(outside: Path, project: Path) -> str:
    folder = outside / "ordner"
    folder.mkdir()
    (folder / "geheim.txt").write_text(MARKER, encoding="utf-8")
    (folder / "seite.md").write_text(f"# {MARKER}\n", encoding="utf-8")
    (project / "content/unterlagen").symlink_to(folder, target_is_directory=True)
    return "content/unterlagen"


def _news_folder(outside: Path, project: Path) -> str:
    folder = outside / "news"
    folder.mkdir()
    (folder / "2024-03-04-x.md").write_text(NEWS_TEXT, encoding="utf-8")
    news = project / "content/news"
    for path in news.iterdir():
        path.rename(folder / path.name)  # the valid news item moves along
    news.rmdir()
    news.symlink_to(folder, target_is_directory=True)
    return "content/news"


def _theme_file(outside: Path, project: Path) -> str:
    (outside / "main.html").write_text(f"<!-- {MARKER} -->", encoding="utf-8")
    (project / "overrides/geheim.txt").symlink_to(outside / "main.html")
    return "overrides/geheim.txt"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, Path], str]
    #: Entries that must still be published (kind, id).
    kept: tuple[str, ...]


CASES = [
    Case("news-file", _news_file, ("events/fsfe-do-foss-2023", "news/2020-12-11-kgst-projekt")),
    Case("events-file", _events_file, ("communities/do-foss", "news/2020-12-11-kgst-projekt")),
    Case("folder-in-docs", _folder, ("events/fsfe-do-foss-2023", "news/2020-12-11-kgst-projekt")),
    Case("news-folder", _news_folder, ("events/fsfe-do-foss-2023", "communities/do-foss")),
    Case("theme-file", _theme_file, ("events/fsfe-do-foss-2023", "news/2020-12-11-kgst-projekt")),
]


@pytest.fixture(params=CASES, ids=lambda case: case.name)
def linked(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Case, Path, str]:
    """A copy of the base project with one symbolic link to a target outside it."""
    outside = tmp_path / "ausserhalb"
    outside.mkdir()
    project = make_project(tmp_path / "project", BASE)
    (project / "content" / "index.md").write_text("# Start\n", encoding="utf-8")
    case: Case = request.param
    return case, project, case.make(outside, project)


def test_validate_names_the_link(linked: tuple[Case, Path, str]) -> None:
    _case, project, rel = linked
    result = run_validate(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{rel}:1:1: {LINK_MESSAGE}" in result.stderr
    assert MARKER not in result.stdout + result.stderr


def test_build_stops(linked: tuple[Case, Path, str], tmp_path: Path) -> None:
    _case, project, rel = linked
    site = tmp_path / "site"
    result = run_build(project, site)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{rel}:1:1: {LINK_MESSAGE}" in result.stderr
    assert not site.exists()


def test_serve_publishes_nothing_behind_the_link(
    linked: tuple[Case, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    case, project, _rel = linked
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "served"
    serve_build(project, site)
    leaked = [
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file() and MARKER.encode() in path.read_bytes()
    ]
    assert leaked == []
    for page in case.kept:
        assert (site / page / "index.html").is_file(), page
    assert "1 Fehler im Inhalt" in (site / "index.html").read_text(encoding="utf-8")
