"""``oss-portal new``: entries land in the right place, keep the files' comments, validate.

Files written by ``new`` are read back with PyYAML's own safe loader (independent of the
project's loader) and with ``oss-portal validate``'s loader; the site test runs the real
``mkdocs build --strict`` and reads the event back from its page, the calendar (icalendar)
and the JSON export.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import os
import pty
import select
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import make_project
from hypothesis import example, given, settings
from hypothesis import strategies as st
from oss_portal.cli import main as cli
from oss_portal.cli.entry_kinds import KINDS, new_id, normalize
from oss_portal.cli.entry_text import (
    _render_value,
    insert_entry,
    plan_placement,
    render_list_entry,
    yaml_scalar,
)
from oss_portal.core import urls
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import BERLIN
from oss_portal.core.sources import load_yaml_text

REPO = Path(__file__).resolve().parents[1]

EVENTS_SORTED = """\
# yaml-language-server: $schema=../schemas/event.schema.json
- id: erstes
  title: Erstes Treffen
  start: "2025-01-10"
  format: online
  summary: Das erste.

# Frühjahr: dieser Kommentar gehört zum zweiten Eintrag
- id: zweites
  title: Zweites Treffen
  start: "2025-04-01T10:00"  # Ortszeit
  format: online
  summary: Das zweite.
"""

COMMUNITIES = """\
# yaml-language-server: $schema=../schemas/community.schema.json
# Communities, alphabetisch gepflegt
- id: vorhandene-community
  name: Vorhandene Community
  kind: network
  summary: Gibt es schon.
  level: land   # Landesebene
"""


#: Options for a valid event starting on 2025-03-01 (between the two in EVENTS_SORTED).
NEW_EVENT = [
    "--id",
    "neu",
    "--title",
    "Neu",
    "--start",
    "2025-03-01",
    "--format",
    "online",
    "--summary",
    "Neu.",
]


def write_project(root: Path, events: str = EVENTS_SORTED, communities: str = COMMUNITIES) -> Path:
    """A minimal content project: the two list files and an empty news folder."""
    (root / "data").mkdir(parents=True)
    (root / "content" / "news").mkdir(parents=True)
    (root / "data" / "events.yaml").write_text(events, encoding="utf-8")
    (root / "data" / "communities.yaml").write_text(communities, encoding="utf-8")
    return root


def run_cli(project: Path, *args: str) -> int:
    """``oss-portal --project-dir PROJECT ARGS`` in this process; never prompts."""
    return cli.main(
        ["--project-dir", str(project), *args, "--no-input"]
        if args and args[0] == "new"
        else ["--project-dir", str(project), *args]
    )


def errors_of(project: Path) -> list[str]:
    """What ``oss-portal validate`` would report, as strings."""
    _catalog, errors = ContentLoader(ContentPaths(project)).load()
    return [str(e) for e in errors]


def inserted_lines(original: str, changed: str) -> list[str]:
    """The lines ``changed`` adds to ``original``; fails if any original line was altered."""
    matcher = difflib.SequenceMatcher(a=original.split("\n"), b=changed.split("\n"), autojunk=False)
    added: list[str] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), "an original line was changed or removed"
        if tag == "insert":
            added.extend(changed.split("\n")[j1:j2])
    return added


# ------------------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Offene Kommunen.NRW", "offene-kommunen-nrw"),
        (
            "„Open Source“ in Behörden – Österreich & Süd",
            "open-source-in-behoerden-oesterreich-sued",
        ),
        ("Straße der Ämter", "strasse-der-aemter"),
        ("Café déjà vu", "cafe-deja-vu"),
        ("  --Viele   Leerzeichen--  ", "viele-leerzeichen"),
        ("Index", "index-1"),
        ("a" * 50 + " " + "b" * 50, "a" * 50),
    ],
)
def test_new_id(text: str, expected: str) -> None:
    assert new_id(text) == expected


@pytest.mark.parametrize(
    "value",
    [
        "Stadt Lübeck",
        "yes",
        "No",
        "null",
        "~",
        "2024",
        "2024-01-01",
        "0x1F",
        "1e3",
        "16:00",
        "a: b",
        "# kein Kommentar",
        "- kein Listeneintrag",
        "'zitiert'",
        '"doppelt"',
        "&anker",
        "*alias",
        "!tag",
        "%",
        "@",
        "`",
        "ende ",
        " anfang",
        "zwei  Leerzeichen",
        "",
        "https://example.org/pfad?x=1&y=2",
        "https://example.org/a#b",
        "Zeile\nzwei",
        "tab\there",
        "\u2028",
        "\x85",
        "\ufeff",
        "\u200b",
        "\U0001f600",
        "\\",
    ],
)
def test_yaml_scalar_reads_back_as_the_same_string(value: str) -> None:
    line = f"key: {yaml_scalar(value)}\n"
    assert yaml.safe_load(line) == {"key": value}
    document, errors = load_yaml_text(line, "x.yaml")
    assert not errors and document is not None and document.data == {"key": value}


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=120))
@example("A\n")  # a trailing newline once slipped through as a plain scalar
def test_rendered_values_read_back_unchanged(value: str) -> None:
    lines = _render_value("key", value, "  ")
    text = "root:\n" + "\n".join(lines) + "\n"
    assert yaml.safe_load(text) == {"root": {"key": value}}
    document, errors = load_yaml_text(text, "x.yaml")
    assert not errors and document is not None and document.data == {"root": {"key": value}}


def test_long_summaries_are_folded_and_markdown_is_literal() -> None:
    summary = " ".join(["Wort"] * 40)
    assert _render_value("summary", summary, "  ")[0] == "  summary: >-"
    markdown = "Absatz eins.\n\n- Punkt\n- Punkt\n"
    assert _render_value("description", markdown, "  ")[0] == "  description: |"


# ------------------------------------------------------------------------------ placement


def _event(start: str, eid: str = "neu") -> dict[str, object]:
    return {"id": eid, "title": "Neu", "start": start, "format": "online", "summary": "Neu."}


@pytest.mark.parametrize(
    ("start", "order"),
    [
        ("2024-12-01", ["neu", "erstes", "zweites"]),
        ("2025-02-15T09:30", ["erstes", "neu", "zweites"]),
        ("2025-04-01T10:00", ["erstes", "zweites", "neu"]),  # same start: after the older
        ("2026-01-01", ["erstes", "zweites", "neu"]),
    ],
)
def test_events_go_in_chronological_order(tmp_path: Path, start: str, order: list[str]) -> None:
    project = write_project(tmp_path)
    assert (
        run_cli(
            project,
            "new",
            "event",
            "--id",
            "neu",
            "--title",
            "Neu",
            "--start",
            start,
            "--format",
            "online",
            "--summary",
            "Neu.",
        )
        == 0
    )
    text = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    assert [e["id"] for e in yaml.safe_load(text)] == order
    # Nothing of the original changed: removing the new entry's lines gives it back.
    entry = render_list_entry(KINDS["event"], _event(start))
    assert [line for line in inserted_lines(EVENTS_SORTED, text) if line] == entry
    assert text.startswith("# yaml-language-server:")
    comment = text.index("# Frühjahr")
    assert text.index("- id: zweites") > comment
    if order.index("neu") == 1:
        assert text.index("- id: neu") < comment
    assert errors_of(project) == []


def test_unsorted_events_file_gets_the_entry_appended(tmp_path: Path) -> None:
    unsorted = EVENTS_SORTED.replace('"2025-01-10"', '"2025-09-10"')
    project = write_project(tmp_path, events=unsorted)
    assert run_cli(project, "new", "event", *NEW_EVENT) == 0
    text = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    assert [e["id"] for e in yaml.safe_load(text)] == ["erstes", "zweites", "neu"]
    assert text.startswith(unsorted.rstrip("\n") + "\n\n- id: neu\n")


def test_community_is_appended_with_comments_kept(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    code = run_cli(
        project,
        "new",
        "community",
        "--name",
        "Offene Kommunen Süd",
        "--kind",
        "network",
        "--level",
        "kommune",
        "--summary",
        "Ein Netzwerk.",
        "--email",
        "kontakt@example.org",
        "--organizer",
        "Stadt A",
        "--organizer",
        "Stadt B",
        "--tag",
        "kommunen",
    )
    assert code == 0
    text = (project / "data" / "communities.yaml").read_text(encoding="utf-8")
    assert text.startswith(COMMUNITIES + "\n- id: offene-kommunen-sued\n")
    entries = yaml.safe_load(text)
    assert entries[-1] == {
        "id": "offene-kommunen-sued",
        "name": "Offene Kommunen Süd",
        "kind": "network",
        "summary": "Ein Netzwerk.",
        "organizers": ["Stadt A", "Stadt B"],
        "level": "kommune",
        "contact": {"email": "kontakt@example.org"},
        "tags": ["kommunen"],
    }
    # Optional fields not given are offered as comments, with their descriptions.
    assert '  # website: ""  # Website (https://…)' in text
    assert errors_of(project) == []


@pytest.mark.parametrize(
    ("events", "expected_start"),
    [
        (
            "# yaml-language-server: $schema=../schemas/event.schema.json\n[]\n",
            "# yaml-language-server: $schema=../schemas/event.schema.json\n\n- id: neu\n",
        ),
        ("", "- id: neu\n"),
        ("# nur ein Kommentar\n", "# nur ein Kommentar\n\n- id: neu\n"),
    ],
)
def test_empty_list_files(tmp_path: Path, events: str, expected_start: str) -> None:
    project = write_project(tmp_path, events=events)
    assert run_cli(project, "new", "event", *NEW_EVENT) == 0
    text = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    assert text.startswith(expected_start)
    assert [e["id"] for e in yaml.safe_load(text)] == ["neu"]


def test_missing_list_file_is_created_with_its_schema_modeline(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    (project / "data" / "events.yaml").unlink()
    assert run_cli(project, "new", "event", *NEW_EVENT) == 0
    text = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/event.schema.json\n")


INDENTED = """\
# Einträge eingerückt geschrieben
  - id: erstes
    title: Erstes Treffen
    start: "2025-01-10"
    format: online
    summary: Das erste.
  - id: zweites
    title: Zweites Treffen
    start: "2025-04-01"
    format: online
    summary: Das zweite.
"""


def test_indented_lists_and_crlf_files_keep_their_style(tmp_path: Path) -> None:
    crlf = INDENTED.replace("\n", "\r\n")
    project = write_project(tmp_path, events=crlf)
    assert run_cli(project, "new", "event", *NEW_EVENT) == 0
    raw = (project / "data" / "events.yaml").read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r\n\r\n  - id: neu\r\n    title: Neu\r\n" in raw
    assert [e["id"] for e in yaml.safe_load(raw.decode())] == ["erstes", "neu", "zweites"]
    assert errors_of(project) == []


def test_flow_style_lists_are_refused(tmp_path: Path) -> None:
    flow = '[{id: a, title: A, start: "2025-01-01", format: online, summary: A.}]\n'
    project = write_project(tmp_path, events=flow)
    assert run_cli(project, "new", "event", *NEW_EVENT) == 2
    assert (project / "data" / "events.yaml").read_text(encoding="utf-8") == flow


def test_placement_ignores_unparsable_starts() -> None:
    text = EVENTS_SORTED.replace('"2025-01-10"', "irgendwann")
    placement = plan_placement(text, "data/events.yaml", datetime(2025, 2, 1, tzinfo=BERLIN))
    assert placement.line is None
    new_text, line = insert_entry(text, ["- id: x"], placement)
    assert new_text.endswith("\n\n- id: x\n") and new_text.split("\n")[line - 1] == "- id: x"


# ------------------------------------------------------------------------------ news


def test_news_file_is_named_by_date_and_title(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    assert (
        run_cli(
            project,
            "new",
            "news",
            "--title",
            "Aufruf: Mitmachen im Board!",
            "--date",
            "2025-05-15",
            "--summary",
            "Das Board sucht Mitglieder.",
            "--community",
            "vorhandene-community",
            "--deadline",
            "2025-06-30",
            "--text",
            "Erster Absatz.\n\nZweiter Absatz.\n",
        )
        == 0
    )
    path = project / "content" / "news" / "2025-05-15-aufruf-mitmachen-im-board.md"
    text = path.read_text(encoding="utf-8")
    front, body = text.removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(front) == {
        "title": "Aufruf: Mitmachen im Board!",
        "date": "2025-05-15",
        "summary": "Das Board sucht Mitglieder.",
        "communities": ["vorhandene-community"],
        "deadline": "2025-06-30",
    }
    assert body == "Erster Absatz.\n\nZweiter Absatz.\n"
    catalog, errors = ContentLoader(ContentPaths(project)).load()
    assert errors == []
    assert [n.slug for n in catalog.news] == ["2025-05-15-aufruf-mitmachen-im-board"]


def test_news_without_text_is_a_draft(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    today = datetime.now(BERLIN).date().isoformat()
    assert run_cli(project, "new", "news", "--title", "Kurz", "--summary", "Kurz.") == 0
    path = project / "content" / "news" / f"{today}-kurz.md"
    catalog, errors = ContentLoader(ContentPaths(project)).load()
    assert errors == [] and catalog.news == []
    assert [d.slug for d in catalog.drafts] == [path.stem]


def test_existing_news_file_is_not_overwritten(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    path = project / "content" / "news" / "2025-05-15-kurz.md"
    path.write_text("vorher", encoding="utf-8")
    assert (
        run_cli(
            project, "new", "news", "--title", "Kurz", "--date", "2025-05-15", "--summary", "Kurz."
        )
        == 2
    )
    assert path.read_text(encoding="utf-8") == "vorher"


# ------------------------------------------------------------------------------ errors


def test_invalid_entry_is_reported_like_validate_and_undone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path / "a")
    before = (project / "data" / "events.yaml").read_bytes()
    args = [
        "--id",
        "neu",
        "--title",
        "Neu",
        "--start",
        "2025-03-01",
        "--end",
        "2025-02-01",
        "--format",
        "onsite",
        "--location",
        "Rathaus",
        "--summary",
        "Neu.",
        "--community",
        "gibts-nicht",
        "--tag",
        "Großbuchstaben",
    ]
    assert run_cli(project, "new", "event", *args) == 1
    assert (project / "data" / "events.yaml").read_bytes() == before
    stderr = capsys.readouterr().err
    # The same entry written by hand into a copy: `oss-portal validate` says the same.
    twin = write_project(tmp_path / "b")
    values = {
        "id": "neu",
        "title": "Neu",
        "start": "2025-03-01",
        "end": "2025-02-01",
        "format": "onsite",
        "location": "Rathaus",
        "summary": "Neu.",
        "communities": ["gibts-nicht"],
        "tags": ["grossbuchstaben"],  # `new` writes tags as slugs
    }
    text = (twin / "data" / "events.yaml").read_text(encoding="utf-8")
    placement = plan_placement(text, "data/events.yaml", datetime(2025, 3, 1, tzinfo=BERLIN))
    updated, _line = insert_entry(text, render_list_entry(KINDS["event"], values), placement)
    (twin / "data" / "events.yaml").write_text(updated, encoding="utf-8")
    assert cli.main(["--project-dir", str(twin), "validate"]) == 1
    expected = capsys.readouterr().err
    assert stderr.startswith(expected)
    assert "data/events.yaml:" in expected and "events[1].end" in expected
    assert "Nichts geändert" in stderr


def test_invalid_news_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path)
    assert (
        run_cli(
            project,
            "new",
            "news",
            "--title",
            "Kurz",
            "--date",
            "2025-05-15",
            "--summary",
            "Kurz.",
            "--source-url",
            "ftp://example.org",
        )
        == 1
    )
    assert list((project / "content" / "news").iterdir()) == []
    assert "content/news/2025-05-15-kurz.md:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kind", "args", "missing"),
    [
        ("event", ["--title", "Neu"], "--start, --format, --summary"),
        (
            "event",
            ["--title", "Neu", "--start", "2025-01-01", "--format", "hybrid", "--summary", "x"],
            "--location",
        ),
        ("community", [], "--name, --kind, --level, --summary"),
        ("news", ["--title", "x"], "--summary"),
    ],
)
def test_missing_values_without_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, args: list[str], missing: str
) -> None:
    project = write_project(tmp_path)
    assert run_cli(project, "new", kind, *args) == 2
    assert f"Es fehlen Angaben: {missing}." in capsys.readouterr().err
    assert (project / "data" / "events.yaml").read_text(encoding="utf-8") == EVENTS_SORTED


# ------------------------------------------------------------------------------ terminal


def _converse(argv: list[str], answers: list[str], timeout: float = 60) -> tuple[int, str]:
    """Run ``argv`` on a pseudo-terminal, typing one answer after each prompt."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True, cwd=REPO
    )
    os.close(slave)
    transcript = b""
    pending = list(answers)
    sent_at = 0  # answer only a prompt that came after the last answer (not its echo)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        if pending and transcript.rstrip().endswith(b":") and transcript[sent_at:].strip():
            os.write(master, (pending.pop(0) + "\n").encode())
            sent_at = len(transcript)
    os.close(master)
    return process.wait(timeout=30), transcript.decode(errors="replace")


def _new_event(project: Path, answers: list[str]) -> tuple[int, str]:
    return _converse(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), "new", "event"],
        answers,
    )


def test_prompts_on_a_terminal(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    answers = [
        "Herbsttreffen: Offene Verwaltung",  # Titel
        "morgen",  # Beginn: rejected, asked again
        "2025-10-01T09:00",  # Beginn
        "",  # Ende
        "",  # Kennung: take the derived default
        "2",  # Format: onsite (by number)
        "",  # Ort: required for onsite, asked again
        "Rathaus, Markt 1, 12345 Stadt",  # Ort
        "Ein Treffen im Herbst.",  # Kurzbeschreibung
        "",
        "vorhandene-community",
        "",
        "herbst, treffen",
        "",  # Regionen
        "",  # Beschreibung
        "",  # Regelmäßig? No: a single date
    ]
    code, transcript = _new_event(project, answers)
    assert code == 0, transcript
    assert "'morgen' ist kein gültiges Datum" in transcript
    assert "Bitte einen Wert angeben." in transcript
    entries = yaml.safe_load((project / "data" / "events.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in entries] == [
        "erstes",
        "zweites",
        "herbsttreffen-offene-verwaltung-2025",
    ]
    assert entries[-1]["format"] == "onsite"
    assert entries[-1]["tags"] == ["herbst", "treffen"]
    assert errors_of(project) == []


def test_answers_as_people_give_them_on_a_terminal(tmp_path: Path) -> None:
    """German words for a choice, tags as written, an e-mail address for registration;
    a mistyped community id is caught at once, with the nearest existing one."""
    project = write_project(tmp_path)
    answers = [
        "Werkstatt Offene Verwaltung",  # Titel
        "2025-10-01T09:00",  # Beginn
        "",  # Ende
        "",  # Kennung
        "vor Ort",  # Format
        "Rathaus, Markt 1, 12345 Stadt",  # Ort
        "Eine Werkstatt im Herbst.",  # Kurzbeschreibung
        "anmeldung@stadt.example",  # Anmeldeseite
        "vorhandene-comunity",  # Communities: a typo, asked again
        "vorhandene-community",
        "",  # Organisationen
        "Digitale Souveränität, Open Source",  # Schlagwörter
        "Nordrhein-Westfalen, bund",  # Regionen, as people name them
        "",  # Beschreibung
        "",  # Regelmäßig
    ]
    code, transcript = _new_event(project, answers)
    assert code == 0, transcript
    assert (
        "Community 'vorhandene-comunity' gibt es nicht – meinten Sie 'vorhandene-community'?"
        in transcript
    )
    entry = yaml.safe_load((project / "data" / "events.yaml").read_text(encoding="utf-8"))[-1]
    assert entry["format"] == "onsite"
    assert entry["registration"] == "mailto:anmeldung@stadt.example"
    assert entry["communities"] == ["vorhandene-community"]
    assert entry["tags"] == ["digitale-souveraenitaet", "open-source"]
    assert entry["regions"] == ["DE-NW", "bund"]
    assert errors_of(project) == []


def test_a_description_spans_several_lines(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    # Titel, Beginn, Ende, Kennung, Format, Ort, Kurzbeschreibung, Anmeldung, Communities,
    # Organisationen, Schlagwörter, Regionen, then the description over several lines.
    answers = ["Werkstatt", "2025-10-01", "", "", "1", "", "Ein Tag.", "", "", "", "", ""]
    answers += ["Erster Absatz.", "", "Zweiter Absatz mit **Markdown**.", ".", ""]
    code, transcript = _new_event(project, answers)
    assert code == 0, transcript
    entry = yaml.safe_load((project / "data" / "events.yaml").read_text(encoding="utf-8"))[-1]
    assert entry["description"] == "Erster Absatz.\n\nZweiter Absatz mit **Markdown**."
    assert errors_of(project) == []


def test_answers_of_a_failed_attempt_are_offered_again(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    # The end lies before the start: only the whole entry can tell, after all questions.
    first = ["Werkstatt", "2025-10-02", "2025-10-01", "", "1", "", "Ein Tag.", "", "", "", ""]
    first += ["", "", ""]
    code, transcript = _new_event(project, first)
    assert code == 1, transcript
    assert "Ihre Angaben sind gespeichert (.oss-portal/antworten-event.json)" in transcript
    kept = json.loads((project / ".oss-portal" / "antworten-event.json").read_text("utf-8"))
    assert kept["title"] == "Werkstatt" and kept["end"] == "2025-10-01"
    # Next time: take them, correct only the end date, keep the rest with Enter.
    again = ["j", "", "", "2025-10-03", "", "", "", "", "", "", "", "", "", "", ""]
    code, transcript = _new_event(project, again)
    assert code == 0, transcript
    assert "[Werkstatt]" in transcript and "[Ein Tag.]" in transcript
    entry = yaml.safe_load((project / "data" / "events.yaml").read_text(encoding="utf-8"))[-1]
    assert (entry["title"], entry["end"], entry["summary"]) == (
        "Werkstatt",
        "2025-10-03",
        "Ein Tag.",
    )
    assert not (project / ".oss-portal" / "antworten-event.json").exists()


def test_a_series_on_a_terminal(tmp_path: Path) -> None:
    """A regular meeting: how often, on which days, until when – asked only for a series;
    a start that is not on the rule is caught with the first date that is."""
    project = write_project(tmp_path)
    answers = ["Offene Runde", "2025-10-06T14:00", "2025-10-06T15:00", "", "1", "", "Eine Runde."]
    answers += ["", "", "", "", "", ""]  # Anmeldung … Beschreibung
    answers += ["month", "first monday", "2025-12-31", "2025-11-03"]
    code, transcript = _new_event(project, answers)
    assert code == 0, transcript
    # (BaseLoader: PyYAML's YAML 1.1 would read the key ``on`` as true; the portal, like
    # editors, reads YAML 1.2, where it is a key like any other.)
    text = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    entry = yaml.load(text, Loader=yaml.BaseLoader)[-1]
    assert entry["repeat"] == {
        "every": "month",
        "on": "first monday",
        "until": "2025-12-31",
        "except": ["2025-11-03"],
    }
    assert errors_of(project) == []
    # A start that is not a date of the rule: one line naming the field and the fix.
    answers[1:3] = ["2025-10-07T14:00", "2025-10-07T15:00"]
    code, transcript = _new_event(project, answers)
    assert code == 1, transcript
    assert (
        "repeat.on: start (2025-10-07, ein Dienstag) ist kein Termin dieser Regel; der erste "
        "wäre 2025-11-03" in transcript
    )


@pytest.mark.parametrize(("mode", "asked"), [("offen", False), ("Bewerbung", True)])
def test_the_deadline_is_asked_only_where_one_applies(
    tmp_path: Path, mode: str, asked: bool
) -> None:
    project = write_project(tmp_path)
    answers = ["Netzwerk Nord", "", "Netzwerk", "Land", "Ein Netzwerk.", "", "", "", "", ""]
    answers += [mode, *(["2027-01-31"] if asked else []), "", "", ""]
    code, transcript = _converse(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), "new", "community"],
        answers,
    )
    assert code == 0, transcript
    assert ("Bewerbungsfrist" in transcript) is asked
    assert "3 network – Netzwerk" in transcript  # the choices show the site's words
    entry = yaml.safe_load((project / "data" / "communities.yaml").read_text("utf-8"))[-1]
    assert entry["kind"] == "network" and entry["level"] == "land"


def test_references_are_written_as_ids() -> None:
    (question,) = [q for q in KINDS["event"].questions if q.name == "communities"]
    assert normalize(KINDS["event"], question, ["Do-FOSS", "kommunales-board"]) == [
        "do-foss",
        "kommunales-board",
    ]


@pytest.mark.parametrize(
    ("kind", "name", "answer", "value"),
    [
        ("event", "format", "Vor Ort", "onsite"),
        ("event", "format", "präsenz", "onsite"),
        ("community", "kind", "Arbeitskreis", "working-group"),
        ("community", "level", "ebenenübergreifend", "mixed"),
        ("community", "membership.mode", "Bewerbung", "application"),
        ("community", "kind", "board", "board"),
        ("event", "registration", "https://x.example/", "https://x.example/"),
        ("event", "id", "Netzwerk Nord 2026", "netzwerk-nord-2026"),
        ("community", "id", "Do-FOSS", "do-foss"),
    ],
)
def test_german_words_are_accepted_for_choices(
    kind: str, name: str, answer: str, value: str
) -> None:
    (question,) = [q for q in KINDS[kind].questions if q.name == name]
    assert normalize(KINDS[kind], question, answer) == value


# ------------------------------------------------------------------------------ the site


def test_new_event_appears_on_the_built_site(tmp_path: Path) -> None:
    if importlib.util.find_spec("oss_portal.mkdocs.plugin") is None:
        pytest.skip("plugin not yet available")
    project = make_project(tmp_path / "project")
    start = date.today() + timedelta(days=60)
    title = "Werkstatt: Offene Software für Kommunen"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    new = subprocess.run(
        [
            sys.executable,
            "-m",
            "oss_portal.cli",
            "--project-dir",
            str(project),
            "new",
            "event",
            "--no-input",
            "--title",
            title,
            "--start",
            f"{start.isoformat()}T10:00",
            "--end",
            f"{start.isoformat()}T16:00",
            "--format",
            "online",
            "--summary",
            "Eine Werkstatt zum Ausprobieren.",
            "--community",
            "alpha-community",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert new.returncode == 0, new.stderr
    event_id = f"werkstatt-offene-software-fuer-kommunen-{start.year}"
    site = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert build.returncode == 0, build.stderr

    page = (site / urls.event(event_id) / "index.html").read_text(encoding="utf-8")
    assert "Werkstatt: Offene Software für Kommunen" in page

    from icalendar import Calendar

    calendar = Calendar.from_ical((site / urls.EVENTS_ICS).read_bytes())
    matches = [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith(f"{event_id}@")]
    assert len(matches) == 1
    assert str(matches[0]["SUMMARY"]) == title
    assert matches[0].decoded("DTSTART").astimezone(BERLIN) == datetime(
        start.year, start.month, start.day, 10, 0, tzinfo=BERLIN
    )

    exported = json.loads((site / urls.export("events")).read_text(encoding="utf-8"))
    items = {item["id"]: item for item in exported["items"]}
    assert items[event_id]["title"] == title
    assert items[event_id]["communities"] == ["alpha-community"]


@pytest.mark.parametrize(
    ("args", "rel", "schema"),
    [
        (
            [
                "community",
                "--name",
                "Netz Süd",
                "--kind",
                "network",
                "--level",
                "land",
                "--summary",
                "Ein Netz.",
                "--website",
                "https://example.org/netz",
                "--membership",
                "application",
                "--membership-deadline",
                "2026-01-31",
            ],
            "data/communities.yaml",
            "community.schema.json",
        ),
        (
            [
                "event",
                *NEW_EVENT,
                "--end",
                "2025-03-02",
                "--registration",
                "https://example.org/anmeldung",
                "--organizer",
                "Stadt A",
            ],
            "data/events.yaml",
            "event.schema.json",
        ),
        (
            [
                "news",
                "--title",
                "Kurz",
                "--date",
                "2025-05-15",
                "--summary",
                "Kurz.",
                "--source-name",
                "Quelle",
                "--source-url",
                "https://example.org/q",
                "--text",
                "Text.",
            ],
            "content/news/2025-05-15-kurz.md",
            "news.schema.json",
        ),
    ],
)
def test_new_entries_match_the_editor_schemas(
    tmp_path: Path, args: list[str], rel: str, schema: str
) -> None:
    """What editors check while typing (JSON Schema) accepts what ``new`` writes."""
    from jsonschema import Draft202012Validator

    project = write_project(tmp_path)
    assert run_cli(project, "new", *args) == 0
    text = (project / rel).read_text(encoding="utf-8")
    if rel.endswith(".md"):
        text = text.removeprefix("---\n").split("\n---\n", 1)[0]
    validator = Draft202012Validator(json.loads((REPO / "schemas" / schema).read_text()))
    assert [e.message for e in validator.iter_errors(yaml.safe_load(text))] == []


@pytest.mark.parametrize("argv", [["--help"], ["new", "--help"], ["new", "event", "--help"]])
def test_help_is_german(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    assert text.startswith("Aufruf: oss-portal")
    assert "diese Hilfe zeigen" in text
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in text
