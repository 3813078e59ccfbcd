"""News dated after the build are published on their day, not before.

A build before the date leaves the item out of every output (lists, feeds, exports,
search, sitemap, tag and community pages, its own page); a build at or after the date
publishes it everywhere; ``mkdocs serve`` shows it beforehand, marked; ``oss-portal
validate`` says when it appears. The build time is injected (``OSS_PORTAL_BUILD_DATE``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from conftest import build_site, make_project, serve_build

MARKER = "Vorgeplant-4e1b"
SLUG = "2026-06-15-vorgeplant"
SCHEDULED = f"""---
title: "{MARKER}: Neues Gremium"
date: "2026-06-15"
summary: "{MARKER} erscheint am 15. Juni."
tags: [governance]
communities: [beta-board]
---

Der Text von {MARKER}.
"""
BEFORE = "2026-06-14T23:59"
ON_THE_DAY = "2026-06-15T00:00"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with one news item dated 2026-06-15."""
    project = make_project(tmp_path_factory.mktemp("scheduled") / "project")
    (project / "content" / "news" / f"{SLUG}.md").write_text(SCHEDULED, encoding="utf-8")
    return project


def _files_with_marker(site: Path) -> list[str]:
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file() and MARKER.encode() in path.read_bytes()
    )


def test_absent_from_every_output_before_its_date(project: Path, tmp_path: Path) -> None:
    site = build_site(project, tmp_path / "site", build_date=BEFORE)
    assert (site / "news" / "index.html").is_file()
    assert _files_with_marker(site) == []
    assert not (site / "news" / SLUG).exists()
    assert SLUG not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_published_everywhere_from_its_date_on(project: Path, tmp_path: Path) -> None:
    site = build_site(project, tmp_path / "site", build_date=ON_THE_DAY)
    found = set(_files_with_marker(site))
    for page in (
        f"news/{SLUG}/index.html",
        "news/index.html",
        "tags/governance/index.html",
        "communities/beta-board/index.html",
        "api/news.json",
        "search/search_index.json",
    ):
        assert page in found, page
    for feed in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((site / feed).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert any(MARKER in entry.title for entry in parsed.entries), feed
    exported = json.loads((site / "api" / "news.json").read_bytes())
    items = exported["items"] if isinstance(exported, dict) else exported
    assert any(MARKER in json.dumps(item, ensure_ascii=False) for item in items)
    assert f"news/{SLUG}/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    # A published item carries no preview marker.
    assert "Geplant für" not in (site / "news" / SLUG / "index.html").read_text(encoding="utf-8")


def test_serve_shows_it_marked_before_its_date(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setenv("OSS_PORTAL_BUILD_DATE", BEFORE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "served"
    serve_build(project, site)
    page = (site / "news" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Geplant für 15. Juni 2026" in page
    index = (site / "news" / "index.html").read_text(encoding="utf-8")
    card = index[index.index(MARKER) :]
    assert "Geplant für 15. Juni 2026" in card[: card.index("</article>")]


def _validate(project: Path, build_date: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "OSS_PORTAL_BUILD_DATE": build_date},
        timeout=120,
        check=False,
    )


def test_validate_says_when_it_appears(project: Path) -> None:
    result = _validate(project, BEFORE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Alle Inhalte sind gültig.",
        "1 Nachricht ist für später geplant – sie erscheint mit dem ersten Build ab ihrem "
        f"Datum: content/news/{SLUG}.md am 15. Juni 2026",
    ]
    on_the_day = _validate(project, ON_THE_DAY)
    assert on_the_day.stdout.splitlines() == ["Alle Inhalte sind gültig."]


def test_the_catalog_keeps_scheduled_news_apart(project: Path) -> None:
    """Scheduled items are in ``Catalog.scheduled`` only; a preview lists them too."""
    from oss_portal.core.loading import ContentLoader, ContentPaths, build_time

    loader = ContentLoader(ContentPaths(project))
    catalog, errors = loader.load(build_time(BEFORE))
    assert errors == []
    assert [n.slug for n in catalog.scheduled] == [SLUG]
    assert SLUG not in [n.slug for n in catalog.news]
    preview, _errors = loader.load(build_time(BEFORE), preview=True)
    assert preview.news[0].slug == SLUG and preview.is_scheduled(preview.news[0])
    published, _errors = loader.load(build_time(ON_THE_DAY))
    assert published.scheduled == [] and published.news[0].slug == SLUG
