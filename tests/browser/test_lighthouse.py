"""Lighthouse (12.2.3, pinned in tools/package.json) scores 100 in accessibility, best
practices and SEO on every page type of the sample site, in Debian chromium.

Performance is not audited: its score depends on how busy the machine is, and the tests
measure the project (``scripts/bench`` measures speed). The 404 page is audited as
``/404.html``, served with status 200: Lighthouse refuses to audit an error response.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import build_site, make_project

from .conftest import (
    CHROMIUM_ARGS,
    EVERY_PAGE_TYPE,
    TOOLS_DIR,
    ensure_node_tools,
    serve_directory,
    tool_unavailable,
)

pytestmark = pytest.mark.browser

SCRIPT = TOOLS_DIR / "lighthouse-scores.mjs"

#: One page of every type (a cancelled event besides an upcoming one).
PAGES = (*EVERY_PAGE_TYPE, "events/abgesagte-konferenz/")
CATEGORIES = ("accessibility", "best-practices", "seo")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("lighthouse")
    return build_site(make_project(tmp / "project"), tmp / "site")


def test_every_page_type_scores_100(chromium_path: str, site: Path) -> None:
    ensure_node_tools()
    node = shutil.which("node")
    if node is None:
        tool_unavailable("node not found on PATH; Lighthouse runs on Node.js")
    for path in PAGES:
        assert (site / (path or "index.html")).exists(), path
    with serve_directory(site) as url:
        result = subprocess.run(
            [
                node,
                str(SCRIPT),
                chromium_path,
                json.dumps(CHROMIUM_ARGS),
                *(url + path for path in PAGES),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    reports = json.loads(result.stdout)
    assert [report["url"].removeprefix(url) for report in reports] == list(PAGES)
    below = []
    for report in reports:
        path = report["url"].removeprefix(url) or "/"
        if report["error"]:
            below.append(f"{path}: {report['error']}")
        for category in CATEGORIES:
            if report["scores"].get(category) != 1:
                below.append(f"{path}: {category} {report['scores'].get(category)}")
        below += [
            f"{path}: {lost['category']}/{lost['audit']}: {lost['title']} {lost['items']}"
            for lost in report["lost"]
        ]
    assert below == []
