"""``oss-portal apply``: from an issue's text to the entry in its file, in one command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from conftest import run_portal, run_validate
from test_scaffold import COMMUNITIES, EVENTS_SORTED, write_project

ISSUE = """## Veranstaltung melden

Hallo Redaktion, bitte eintragen:

```yaml
title: Netzwerktreffen Nord
start: 2025-02-12T10:00
format: vor Ort
location: Rathaus Musterstadt, Marktplatz 1, 12345 Musterstadt
summary: Treffen des Netzwerks mit Berichten aus drei Kommunen.
communities: [vorhandene-community]
tags: [Kommunen, Digitale Souveränität]
```

Danke!
"""


def _apply(project: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_portal(project, "apply", "-", *args, stdin=text)


def test_an_event_from_an_issue_lands_in_order(tmp_path: Path) -> None:
    project = write_project(tmp_path, EVENTS_SORTED, COMMUNITIES)
    result = _apply(project, ISSUE)
    assert result.returncode == 0, result.stderr
    entries = yaml.safe_load((project / "data" / "events.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in entries] == ["erstes", "netzwerktreffen-nord-2025", "zweites"]
    new = entries[1]
    assert new["format"] == "onsite"
    assert new["tags"] == ["kommunen", "digitale-souveraenitaet"]
    line = result.stdout.splitlines()[0]
    assert line.startswith("Veranstaltung angelegt: data/events.yaml:")
    number = int(line.rsplit(":", 1)[1])
    lines = (project / "data" / "events.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[number - 1] == "- id: netzwerktreffen-nord-2025"
    assert run_validate(project).returncode == 0


def test_a_news_item_with_its_text(tmp_path: Path) -> None:
    project = write_project(tmp_path, EVENTS_SORTED, COMMUNITIES)
    text = (
        "title: Aufruf zur Mitarbeit\ndate: 2025-11-20\nsummary: Neue Mitglieder gesucht.\n"
        "text: |\n  Bewerbungen bis Ende Januar.\n\n  Mehr auf der Seite.\n"
    )
    result = _apply(project, text)
    assert result.returncode == 0, result.stderr
    news = project / "content" / "news" / "2025-11-20-aufruf-zur-mitarbeit.md"
    body = news.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == "Bewerbungen bis Ende Januar.\n\nMehr auf der Seite.\n"
    assert run_validate(project).returncode == 0


def test_on_an_error_every_file_stays_as_it_was(tmp_path: Path) -> None:
    project = write_project(tmp_path, EVENTS_SORTED, COMMUNITIES)
    before = (project / "data" / "events.yaml").read_bytes()
    wrong_date = ISSUE.replace("2025-02-12T10:00", "12.2.2025 10:00")
    result = _apply(project, wrong_date)
    assert result.returncode == 1
    assert "gemeint ist wohl '2025-02-12T10:00'" in result.stderr
    assert "Nichts geändert" in result.stderr
    unknown = _apply(project, ISSUE.replace("location:", "ort:"))
    assert unknown.returncode == 1
    assert "'ort' (meinten Sie 'location'?)" in unknown.stderr
    assert (project / "data" / "events.yaml").read_bytes() == before
    assert "Traceback" not in result.stderr + unknown.stderr


def test_text_without_an_entry_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path, EVENTS_SORTED, COMMUNITIES)
    result = _apply(project, "Bitte tragt unser Treffen ein, Details folgen.")
    assert result.returncode == 1
    assert "kein Eintrag gefunden" in result.stderr
