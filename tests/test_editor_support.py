"""VS Code's task "Inhalte prüfen" turns every line of ``oss-portal validate`` into a
problem at its file, line and column: news front matter included, which no YAML
language server checks inside Markdown files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, make_project


def _matcher() -> tuple[re.Pattern[str], dict[str, int]]:
    tasks = json.loads((REPO / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    (task,) = [t for t in tasks["tasks"] if t["command"] == "oss-portal validate"]
    pattern = task["problemMatcher"]["pattern"]
    assert task["problemMatcher"]["fileLocation"] == ["relative", "${workspaceFolder}"]
    groups = {key: pattern[key] for key in ("file", "line", "column", "message")}
    return re.compile(pattern["regexp"]), groups


def test_every_reported_error_becomes_a_problem_at_its_place(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    news = sorted((project / "content" / "news").glob("*.md"))[0]
    text = news.read_text(encoding="utf-8")
    news.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    events = project / "data" / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8") + "\n- id: kaputt\n  title: [offen\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    regexp, groups = _matcher()
    lines = result.stderr.strip().splitlines()
    problems = [regexp.match(line) for line in lines[:-1]]
    assert all(problems), lines
    files = set()
    for match in problems:
        assert match is not None
        path = project / match.group(groups["file"])
        assert path.is_file(), match.group(0)
        line = int(match.group(groups["line"]))
        assert 1 <= line <= len(path.read_text(encoding="utf-8").splitlines())
        assert int(match.group(groups["column"])) >= 1
        assert match.group(groups["message"])
        files.add(match.group(groups["file"]))
    assert {news.relative_to(project).as_posix(), "data/events.yaml"} <= files
    assert regexp.match(lines[-1]) is None  # "2 Fehler gefunden." is no problem


def test_the_editor_maps_the_schemas_of_the_data_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {target for targets in settings["yaml.schemas"].values() for target in targets}
    assert mapped == {"data/communities.yaml", "data/events.yaml", "data/tags.yaml"}
