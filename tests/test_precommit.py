"""The pre-commit hooks run when the files they guard change: every ``files`` pattern
names paths that exist (a package restructuring must not silence a hook)."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from conftest import REPO

CONFIG = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}


def _tracked() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False, timeout=60
    )
    if result.returncode != 0:
        pytest.skip("needs a git checkout")
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("hook", "guarded"),
    [
        ("oss-portal-validate", ["data/events.yaml", "content/news/2026-12-01-x.txt"]),
        ("oss-portal-schema", ["plugins/oss_portal/core/models.py", "schemas/news.schema.json"]),
        (
            "oss-portal-reference",
            [
                "plugins/oss_portal/core/models.py",
                "plugins/oss_portal/outputs/reference.py",
                "CONTRIBUTING.md",
            ],
        ),
    ],
)
def test_each_hook_runs_for_the_files_it_guards(hook: str, guarded: list[str]) -> None:
    pattern = re.compile(HOOKS[hook]["files"])
    assert [path for path in guarded if not pattern.search(path)] == []


def test_every_pattern_matches_a_tracked_file() -> None:
    tracked = _tracked()
    for hook_id, hook in HOOKS.items():
        if "files" in hook:
            pattern = re.compile(hook["files"])
            assert any(pattern.search(path) for path in tracked), hook_id
    for path in ("plugins/oss_portal/core/models.py", "plugins/oss_portal/outputs/reference.py"):
        assert path in tracked
