"""Reflow (WCAG 1.4.10): at 320 px no page type scrolls sideways, whatever German word
its content holds – here a 42-letter compound in titles, summaries, names and a tag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, make_project

from .conftest import EVERY_PAGE_TYPE, open_page, serve_directory

pytestmark = pytest.mark.browser

WORD = "Kommunalverwaltungsdigitalisierungsprojekt"
TAG = "kommunalverwaltungsdigitalisierungsprojekt"

#: One page of every type (tests/browser/conftest.py) and the entries added below.
PAGES = (
    *EVERY_PAGE_TYPE,
    "events/langes-wort/",
    "news/2026-05-20-langes-wort/",
    f"tags/{TAG}/",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("reflow")
    project = make_project(tmp / "project")
    events = project / "data" / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8")
        + f"- id: langes-wort\n  title: Das {WORD}\n  start: 2026-07-20\n  format: online\n"
        f"  communities: [alpha-community]\n  organizers: [{WORD}sgesellschaft]\n"
        f"  summary: Wir stellen das {WORD} vor.\n  tags: [{TAG}]\n",
        encoding="utf-8",
    )
    tags = project / "data" / "tags.yaml"
    tags.write_text(
        tags.read_text(encoding="utf-8") + f"- id: {TAG}\n  name: {WORD}\n", encoding="utf-8"
    )
    communities = project / "data" / "communities.yaml"
    text = communities.read_text(encoding="utf-8")
    communities.write_text(
        text.replace("  name: Alpha-Community\n", f"  name: Alpha {WORD}\n", 1), "utf-8"
    )
    (project / "content" / "news" / "2026-05-20-langes-wort.md").write_text(
        f"---\ntitle: {WORD}\ndate: 2026-05-20\nsummary: Neues vom {WORD}.\n"
        f"tags: [{TAG}]\ncommunities: [alpha-community]\n---\n\nDas {WORD} beginnt.\n",
        encoding="utf-8",
    )
    return build_site(project, tmp / "site")


@pytest.mark.parametrize("scheme", ["light"])
def test_no_page_scrolls_sideways_at_320_px(browser: Any, site: Path, scheme: str) -> None:
    wide: list[str] = []
    with serve_directory(site) as url:
        page, foreign, errors = open_page(browser, url, width=320, color_scheme=scheme)
        try:
            for path in PAGES:
                page.goto(url + path, wait_until="load")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 320:
                    culprits = page.evaluate(
                        """() => [...document.querySelectorAll('body *')]
                          .filter(el => el.getBoundingClientRect().right > 321)
                          .slice(-3).map(el => el.tagName + '.' + el.className)"""
                    )
                    wide.append(f"{path or '/'}: {width}px ({', '.join(culprits)})")
            assert foreign == [] and errors == []
        finally:
            page.context.close()
    assert wide == []
