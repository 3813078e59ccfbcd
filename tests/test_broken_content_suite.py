"""A merge request whose content has errors gets them once, as ``validate``'s report: the
developer tests use their own content, so the README's test command passes on a project
whose shipped content is broken in the ways contributors break it.

The test copies the project (as a runner checks out a branch), breaks its content, checks
that ``oss-portal validate`` reports it, and runs the whole test suite there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, snapshot

#: Set in the copy's test run, so that it does not start another one.
NESTED = "OSS_PORTAL_NESTED_SUITE"


def _insert_before_last_entry(path: Path, entry: str) -> None:
    """``entry`` into a list file, before its last entry (or at its end)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    starts = [m.start() for m in re.finditer(r"^- ", text, re.M)]
    at = starts[-1] if starts else len(text)
    path.write_text(text[:at] + entry + "\n" + text[at:], encoding="utf-8")


def _break_content(project: Path) -> None:
    """Typical mistakes, one of each kind, added to whatever the shipped content holds."""
    # An opening quote without its closing one, in an entry in the middle of the list.
    _insert_before_last_entry(
        project / "data" / "events.yaml",
        '- id: kaputtes-treffen\n  title: "Kaputtes Treffen\n  start: 2027-01-01\n'
        "  format: online\n  summary: Ein Treffen.\n",
    )
    # A sub-field of `contact:` at the level of the entry, and a reference that is no id.
    _insert_before_last_entry(
        project / "data" / "communities.yaml",
        "- id: kaputte-community\n  name: Kaputte Community\n  kind: netzwerk\n"
        "  level: kommune\n  summary: Eine Community.\n  email: info@example.org\n",
    )
    news = project / "content" / "news"
    news.mkdir(parents=True, exist_ok=True)
    # A title pasted from a word processor, and a German date.
    (news / "2027-03-01-praxis.md").write_text(
        "---\ntitle: „Open Source: Praxis“\ndate: 1.3.2027\nsummary: Kurz.\n---\n\nText.\n",
        encoding="utf-8",
    )
    # A news item saved with the wrong file extension.
    (news / "2026-12-01-neues-treffen.txt").write_text(
        "---\ntitle: Neues Treffen\ndate: 2026-12-01\nsummary: Kurz.\n---\n\nText.\n",
        encoding="utf-8",
    )


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="inside the copy's own test run")
def test_the_test_suite_passes_on_a_project_with_broken_content(tmp_path: Path) -> None:
    project = snapshot(tmp_path / "project", _break_content)
    # The npm tools of the browser and pipeline tests, as installed here (not in git).
    for tools in ("tools/node_modules", "tools/ci-local/node_modules"):
        if (REPO / tools).is_dir():
            (project / tools).symlink_to(REPO / tools, target_is_directory=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "OSS_PORTAL_")) and key != "COV_CORE_SOURCE"
    }
    env.update(
        {
            NESTED: "1",
            "PYTHONPATH": str(project / "plugins"),  # the copy's code, not this checkout's
            "NO_MKDOCS_2_WARNING": "1",
        }
    )

    validate = subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), "validate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert validate.returncode == 1, validate.stdout + validate.stderr
    reported = validate.stderr + validate.stdout
    for path in (
        "data/events.yaml:",
        "data/communities.yaml:",
        "2027-03-01-praxis.md:",
        "neues-treffen.txt:",
    ):
        assert path in reported, reported

    # The README's test command (pytest -n auto), on two workers like the CI machine.
    suite = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=1800,
    )
    summary = suite.stdout[-4000:]
    assert suite.returncode == 0, summary
    assert re.search(r"\d+ passed", summary), summary
    assert " failed" not in summary and " error" not in summary, summary
