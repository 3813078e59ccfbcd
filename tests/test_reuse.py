"""Licensing follows the REUSE specification: ``reuse lint`` passes.

The check runs on a copy of exactly the files the next commit would hold (tracked and
untracked, minus ignored ones), so that build output, virtual environments and installed
node modules of a working copy do not count, as in a fresh clone in CI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _reuse(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reuse", "--root", str(root), "lint", "--lines"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def project_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the files git would commit (working-tree state)."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    target = tmp_path_factory.mktemp("reuse") / "project"
    for rel in filter(None, listing.split("\0")):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def test_reuse_lint_passes(project_files: Path) -> None:
    assert (project_files / "REUSE.toml").is_file()
    result = _reuse(project_files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reuse_lint_rejects_a_licence_without_its_text(project_files: Path) -> None:
    """A control: the same check fails for a file naming a licence that has no text."""
    stray = project_files / "plugins" / "stray.py"
    tag = "SPDX-" + "License-Identifier"  # split, so that reuse does not read this file's line
    stray.write_text(f"# {tag}: Apache-2.0\n", encoding="utf-8")
    try:
        result = _reuse(project_files)
    finally:
        stray.unlink()
    assert result.returncode == 1
    assert "plugins/stray.py: missing license 'Apache-2.0'" in result.stdout
