"""Only news reach the site from the news folder: a file that is not a news article (saved
as ``.txt``, ``.markdown``, or anything else) is an error, and never published as it is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import make_project, serve_build

STRAY = "content/news/2026-12-01-entwurf.txt"
MARKER = "stray-news-marker-41"


def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    (project / STRAY).write_text(
        f"---\ntitle: Entwurf\ndate: 2026-12-01\nsummary: {MARKER}\n---\n\nText.\n",
        encoding="utf-8",
    )
    return project


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def test_validate_and_build_name_the_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    validate = subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), "validate"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert validate.returncode == 1
    line = f"{STRAY}:1:1: Dateiname: '2026-12-01-entwurf.txt' ist keine Nachricht"
    assert line in validate.stderr
    assert "bitte in '2026-12-01-entwurf.md' umbenennen" in validate.stderr
    site = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
        check=False,
    )
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
