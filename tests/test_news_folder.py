"""Only news reach the site from the news folder: a file that is not a news article (saved
as ``.txt``, ``.markdown``, or anything else) is an error, and never published as it is."""

from __future__ import annotations

from pathlib import Path

from conftest import make_project, run_build, run_validate, serve_build

STRAY = "content/news/2026-12-01-entwurf.txt"
MARKER = "stray-news-marker-41"


def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    (project / STRAY).write_text(
        f"---\ntitle: Entwurf\ndate: 2026-12-01\nsummary: {MARKER}\n---\n\nText.\n",
        encoding="utf-8",
    )
    return project


def test_validate_and_build_name_the_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    validate = run_validate(project)
    assert validate.returncode == 1
    line = f"{STRAY}:1:1: Dateiname: '2026-12-01-entwurf.txt' ist keine Nachricht"
    assert line in validate.stderr
    assert "bitte in '2026-12-01-entwurf.md' umbenennen" in validate.stderr
    site = tmp_path / "site"
    build = run_build(project, site)
    assert build.returncode == 1
    assert line in build.stderr
    assert "Traceback" not in build.stderr
    assert not site.exists()


def test_serve_does_not_publish_it(tmp_path: Path) -> None:
    project = _project(tmp_path)
    site = tmp_path / "served"
    serve_build(project, site)
    assert not (site / "news" / "2026-12-01-entwurf.txt").exists()
    leaked = [p for p in site.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()]
    assert leaked == []
    assert "2026-12-01-entwurf.txt" in (site / "index.html").read_text(encoding="utf-8")
