"""Smoke tests for the browser-test tooling (server, Chromium, axe-core, vnu).

A known-good page must come out clean; a known-bad page must trip every check,
which proves the checks are actually wired up and not silently passing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import format_axe_violations, open_page, run_axe, serve_directory, vnu_errors

pytestmark = pytest.mark.browser

GOOD_PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Testseite</title>
</head>
<body>
  <main>
    <h1>Willkommen</h1>
    <p>Eine kleine, gültige Seite.</p>
  </main>
</body>
</html>
"""

# Missing alt text, an external script and a duplicate id.
BAD_PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Kaputte Seite</title>
  <script src="https://example.org/x.js"></script>
</head>
<body>
  <main>
    <h1 id="dup">Kaputt</h1>
    <p id="dup">Doppelte ID.</p>
    <img src="bild.png">
  </main>
</body>
</html>
"""


def test_valid_page_passes_all_checks(browser: Any, tmp_path: Path) -> None:
    """A minimal valid page has no axe violations, foreign requests or vnu errors."""
    index = tmp_path / "index.html"
    index.write_text(GOOD_PAGE, encoding="utf-8")

    with serve_directory(tmp_path) as base_url:
        page, foreign_requests, console_errors = open_page(browser, base_url)
        try:
            assert page.title() == "Testseite"
            violations = run_axe(page)
        finally:
            page.context.close()

    assert violations == [], format_axe_violations(violations, url=base_url)
    assert foreign_requests == []
    assert console_errors == []
    assert vnu_errors([index]) == []


def test_broken_page_is_detected(browser: Any, tmp_path: Path) -> None:
    """Missing alt text, an external script and a duplicate id are all reported."""
    index = tmp_path / "index.html"
    index.write_text(BAD_PAGE, encoding="utf-8")

    with serve_directory(tmp_path) as base_url:
        page, foreign_requests, _console_errors = open_page(browser, base_url)
        try:
            violations = run_axe(page)
        finally:
            page.context.close()

    assert "image-alt" in {v["id"] for v in violations}, format_axe_violations(violations)
    assert any(url.startswith("https://example.org/") for url in foreign_requests), foreign_requests

    errors = vnu_errors([index])
    assert any("Duplicate ID" in error for error in errors), errors
    assert all(error.startswith(f"{index}:") for error in errors), errors
