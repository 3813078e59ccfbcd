"""The suite's own hygiene: a test that writes into the working tree fails the run.

``conftest.py`` compares ``git status`` before and after the session. Here that check
runs on a throwaway repository holding a copy of the conftest and one test that leaves a
file behind (and, as the control, one that writes only into ``tmp_path``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

LEAKING_TEST = """
from pathlib import Path

def test_leaves_a_file_behind():
    (Path(__file__).resolve().parents[1] / "leftover.png").write_bytes(b"x")
"""

CLEAN_TEST = """
def test_writes_only_into_tmp_path(tmp_path):
    (tmp_path / "picture.png").write_bytes(b"x")
"""


def _run_suite(tmp_path: Path, test_source: str) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    shutil.copy2(REPO / "tests" / "conftest.py", repo / "tests" / "conftest.py")
    (repo / "tests" / "test_one.py").write_text(test_source, encoding="utf-8")
    (repo / ".gitignore").write_text("__pycache__/\n.pytest_cache/\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=repo, check=True)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_file_left_in_the_working_tree_fails_the_run(tmp_path: Path) -> None:
    result = _run_suite(tmp_path, LEAKING_TEST)
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "The test suite changed the working tree" in result.stdout
    assert "?? leftover.png" in result.stdout
    assert "1 passed" in result.stdout  # the test itself passed; the check failed the run


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_suite_that_writes_only_into_tmp_path_passes(tmp_path: Path) -> None:
    result = _run_suite(tmp_path, CLEAN_TEST)
    assert result.returncode == 0, result.stdout
    assert "changed the working tree" not in result.stdout
