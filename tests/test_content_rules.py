"""One test (or one table row) per content rule of issue 2, at core level (no MkDocs).

Each test writes a tiny project into ``tmp_path``, loads it with the real
``ContentLoader`` and checks the error it produces: the file relative to the project,
the line, the field path and the German message. The command line is run as a real
subprocess where exit codes and report formats are the subject.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from oss_portal.core.catalog import Catalog
from oss_portal.core.errors import ContentError
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.sources import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[1]
BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=BERLIN)

COMMUNITIES = """\
# yaml-language-server: $schema=../schemas/community.schema.json
- id: kommunales-board
  name: Kommunales Open-Source-Board
  kind: board
  summary: Fachgremium von Kommunen für Open Source.
  level: kommune
- id: do-foss
  name: Do-FOSS
  kind: initiative
  summary: Initiative für freie Software in der Stadt Dortmund.
  level: kommune
  website: https://do-foss.de
  contact:
    email: kontakt@do-foss.de
"""
EVENTS = """\
- id: fsfe-online-2023
  title: Freie Software in Kommunen
  start: 2023-01-11T16:00
  end: 2023-01-11T17:00
  format: online
  communities: [do-foss]
  summary: Online-Veranstaltung von FSFE und Do-FOSS.
- id: kgst-web-meeting
  title: Web-Meeting von KGSt und Vitako
  start: 2020-12-07
  format: online
  summary: Zweistündiges Online-Treffen.
"""
NEWS = """\
---
title: Das Board sucht Mitglieder
date: 2025-05-15
summary: Bewerbungen sind bis Ende Juni möglich.
communities: [kommunales-board]
events: [fsfe-online-2023]
deadline: 2025-06-30
---
Der Text des Artikels.
"""


def write_project(
    root: Path,
    communities: str | None = COMMUNITIES,
    events: str | None = EVENTS,
    news: dict[str, str] | None = None,
) -> Path:
    """Write a project; ``None`` leaves a data file out, ``news`` maps file names to text."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "content" / "news").mkdir(parents=True, exist_ok=True)
    for name, text in (("communities.yaml", communities), ("events.yaml", events)):
        if text is not None:
            (root / "data" / name).write_text(text, encoding="utf-8")
    for name, text in (
        {"2025-05-15-board-sucht-mitglieder.md": NEWS} if news is None else news
    ).items():
        (root / "content" / "news" / name).write_text(text, encoding="utf-8")
    return root


def load(root: Path) -> tuple[Catalog, list[ContentError]]:
    """Load a project with the real loader at a fixed "now"."""
    return ContentLoader(ContentPaths(root)).load(NOW)


def load_valid(root: Path) -> Catalog:
    """Load a project that must be free of errors."""
    catalog, errors = load(root)
    assert [str(e) for e in errors] == []
    return catalog


def located(errors: list[ContentError]) -> list[tuple[str, str]]:
    """Errors as ``(file:line, field)`` pairs, the part a contributor navigates by."""
    return [(f"{e.path}:{e.line}", e.field) for e in errors]


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def community(extra: str = "", **fields: str) -> str:
    """One community entry (a YAML list file); ``fields`` replace base fields, ``extra`` adds."""
    base = {
        "id": "kommunales-board",
        "name": "Kommunales Open-Source-Board",
        "kind": "board",
        "summary": "Ein Gremium.",
        "level": "kommune",
    }
    base.update(fields)
    lines = [f"  {key}: {value}" for key, value in base.items() if value != "<drop>"]
    return "- " + "\n".join(lines)[2:] + "\n" + textwrap.indent(textwrap.dedent(extra), "  ")


def event(extra: str = "", **fields: str) -> str:
    """One event entry (a YAML list file), like :func:`community`."""
    base = {
        "id": "treffen",
        "title": "Treffen",
        "start": "2024-05-02T10:00",
        "end": "2024-05-02T12:00",
        "format": "online",
        "summary": "Ein Treffen.",
    }
    base.update(fields)
    lines = [f"  {key}: {value}" for key, value in base.items() if value != "<drop>"]
    return "- " + "\n".join(lines)[2:] + "\n" + textwrap.indent(textwrap.dedent(extra), "  ")


def news(extra: str = "", **fields: str) -> str:
    """A news file with front matter, like :func:`community`."""
    base = {"title": "Eine Nachricht", "date": "2024-05-02", "summary": "Kurz gesagt."}
    base.update(fields)
    lines = [f"{key}: {value}" for key, value in base.items() if value != "<drop>"]
    return "---\n" + "\n".join(lines) + "\n" + textwrap.dedent(extra) + "---\nText.\n"


# --------------------------------------------------------------------------------------
# Rules that reject content: (community file, event file, news files) -> exact errors.
# Line numbers below are those of the generated files: community()/event() put ``id`` on
# line 1 and the base fields on lines 2-5 (community) or 2-6 (event); ``extra`` follows.
# News front matter starts on line 2 (line 1 is ``---``).
# --------------------------------------------------------------------------------------

REJECTED = [
    pytest.param(
        {"communities": community(id="Open-Source")},
        [("data/communities.yaml:1", "communities[0].id", "keine gültige Kennung")],
        id="slug-pattern-uppercase",
    ),
    pytest.param(
        {"communities": community(id="open--source")},
        [("data/communities.yaml:1", "communities[0].id", "keine gültige Kennung")],
        id="slug-pattern-double-hyphen",
    ),
    pytest.param(
        {"communities": community(id="offene-verwaltung-ä")},
        [("data/communities.yaml:1", "communities[0].id", "keine Umlaute")],
        id="slug-pattern-umlaut",
    ),
    pytest.param(
        {"communities": community(id="'../etc'")},
        [("data/communities.yaml:1", "communities[0].id", "keine gültige Kennung")],
        id="slug-pattern-path-escape",
    ),
    pytest.param(
        {"communities": community(id="a" * 81)},
        [("data/communities.yaml:1", "communities[0].id", "zu lang (höchstens 80 Zeichen)")],
        id="slug-too-long",
    ),
    pytest.param(
        {"communities": community(extra="tags: [Open Source]\n")},
        [("data/communities.yaml:6", "communities[0].tags[0]", "'Open Source' ist keine")],
        id="slug-pattern-tags",
    ),
    pytest.param(
        {"communities": community() + community(name="Zweites Board")},
        [
            (
                "data/communities.yaml:6",
                "communities[1].id",
                "Kennung 'kommunales-board' ist doppelt (schon in Zeile 1)",
            )
        ],
        id="unique-community-ids",
    ),
    pytest.param(
        {"events": event() + event(title="Noch ein Treffen")},
        [
            (
                "data/events.yaml:7",
                "events[1].id",
                "Kennung 'treffen' ist doppelt (schon in Zeile 1)",
            )
        ],
        id="unique-event-ids",
    ),
    pytest.param(
        {"communities": community(kind="Verein")},
        [
            (
                "data/communities.yaml:3",
                "communities[0].kind",
                "'Verein' ist nicht erlaubt; erlaubt sind: 'community', 'board', 'network', "
                "'initiative', 'working-group', 'office'",
            )
        ],
        id="enum-kind",
    ),
    pytest.param(
        {"communities": community(level="Bund")},
        [("data/communities.yaml:5", "communities[0].level", "'Bund' ist nicht erlaubt")],
        id="enum-level-case-sensitive",
    ),
    pytest.param(
        {"communities": community(extra="status: aktiv\n")},
        [
            (
                "data/communities.yaml:6",
                "communities[0].status",
                "'aktiv' ist nicht erlaubt; erlaubt sind: 'active', 'inactive'",
            )
        ],
        id="enum-community-status",
    ),
    pytest.param(
        {"events": event(format="präsenz")},
        [("data/events.yaml:5", "events[0].format", "'präsenz' ist nicht erlaubt")],
        id="enum-event-format",
    ),
    pytest.param(
        {"events": event(extra="status: abgesagt\n")},
        [
            (
                "data/events.yaml:7",
                "events[0].status",
                "erlaubt sind: 'scheduled', 'cancelled', 'postponed'",
            )
        ],
        id="enum-event-status",
    ),
    pytest.param(
        {"communities": community(summary="x" * 301)},
        [
            (
                "data/communities.yaml:4",
                "communities[0].summary",
                "ist zu lang (301 Zeichen; höchstens 300)",
            )
        ],
        id="summary-too-long",
    ),
    pytest.param(
        {"news": {"zu-lang.md": news(summary="ü" * 301)}},
        [("content/news/zu-lang.md:4", "summary", "ist zu lang (301 Zeichen; höchstens 300)")],
        id="summary-too-long-news",
    ),
    pytest.param(
        {"communities": community(extra="since: 2020-13\n")},
        [
            (
                "data/communities.yaml:6",
                "communities[0].since",
                "'2020-13' ist keine gültige Angabe (erwartet: JJJJ, JJJJ-MM oder JJJJ-MM-TT)",
            )
        ],
        id="partial-date-month-13",
    ),
    pytest.param(
        {"communities": community(extra="since: 2021-02-29\n")},
        [("data/communities.yaml:6", "communities[0].since", "'2021-02-29' ist keine gültige")],
        id="partial-date-no-leap-day",
    ),
    pytest.param(
        {"communities": community(extra="since: seit 2020\n")},
        [("data/communities.yaml:6", "communities[0].since", "keine gültige Angabe")],
        id="partial-date-words",
    ),
    pytest.param(
        {"communities": community(website="javascript:alert(1)")},
        [
            (
                "data/communities.yaml:6",
                "communities[0].website",
                "'javascript:alert(1)' ist keine erlaubte Adresse",
            )
        ],
        id="url-javascript",
    ),
    pytest.param(
        {"events": event(extra="registration: ' JavaScript:alert(1)'\n")},
        [("data/events.yaml:7", "events[0].registration", "ist keine erlaubte Adresse")],
        id="url-javascript-mixed-case-and-space",
    ),
    pytest.param(
        {"events": event(extra="recording: data:text/html;base64,PHNjcmlwdD4=\n")},
        [("data/events.yaml:7", "events[0].recording", "ist keine erlaubte Adresse")],
        id="url-data",
    ),
    pytest.param(
        {"events": event(extra="documentation: ftp://example.org/doku.pdf\n")},
        [("data/events.yaml:7", "events[0].documentation", "muss mit https:// oder http://")],
        id="url-ftp",
    ),
    pytest.param(
        {"events": event(extra="registration: https://\n")},
        [("data/events.yaml:7", "events[0].registration", "Domain fehlt")],
        id="url-without-host",
    ),
    pytest.param(
        {"events": event(extra="registration: https://example.org/an meldung\n")},
        [("data/events.yaml:7", "events[0].registration", "enthält Leerzeichen")],
        id="url-with-space",
    ),
    pytest.param(
        {"news": {"quelle.md": news(extra="source:\n  name: KGSt\n  url: 'vbscript:x'\n")}},
        [("content/news/quelle.md:7", "source.url", "ist keine erlaubte Adresse")],
        id="url-news-source",
    ),
    pytest.param(
        {"communities": community(extra="contact: {}\n")},
        [
            (
                "data/communities.yaml:6",
                "communities[0].contact",
                "braucht mindestens 'email' oder 'url'",
            )
        ],
        id="contact-needs-email-or-url",
    ),
    pytest.param(
        {"communities": community(extra="contact:\n  email: poststelle(at)stadt.de\n")},
        [
            (
                "data/communities.yaml:7",
                "communities[0].contact.email",
                "'poststelle(at)stadt.de' ist keine gültige E-Mail-Adresse",
            )
        ],
        id="contact-email-invalid",
    ),
    pytest.param(
        {"communities": community(extra="contact:\n  url: mailto:a@stadt.de\n")},
        [("data/communities.yaml:7", "communities[0].contact.url", "ist keine erlaubte Adresse")],
        id="contact-url-is-web-only",
    ),
    pytest.param(
        {"communities": community(extra="membership:\n  mode: closed\n")},
        [
            (
                "data/communities.yaml:7",
                "communities[0].membership.mode",
                "erlaubt sind: 'open', 'application', 'invitation'",
            )
        ],
        id="membership-mode",
    ),
    pytest.param(
        {
            "communities": community(
                extra="membership:\n  mode: application\n  deadline: 2025-06-31\n  seats: zwanzig\n"
            )
        },
        [
            (
                "data/communities.yaml:8",
                "communities[0].membership.deadline",
                "'2025-06-31' ist kein gültiges Datum (erwartet: JJJJ-MM-TT)",
            ),
            (
                "data/communities.yaml:9",
                "communities[0].membership.seats",
                "'zwanzig' ist keine ganze Zahl",
            ),
        ],
        id="membership-deadline-and-seats",
    ),
    pytest.param(
        {"communities": community(extra="membership:\n  seats: 0\n")},
        [("data/communities.yaml:7", "communities[0].membership.seats", "zu klein (mindestens 1)")],
        id="membership-seats-positive",
    ),
    pytest.param(
        {"events": event(end="2024-05-02T09:30")},
        [
            (
                "data/events.yaml:4",
                "events[0].end",
                "Ende '2024-05-02T09:30' liegt vor dem Beginn '2024-05-02T10:00'",
            )
        ],
        id="event-end-before-start",
    ),
    pytest.param(
        {"events": event(start="2024-05-03", end="2024-05-02")},
        [("data/events.yaml:4", "events[0].end", "liegt vor dem Beginn '2024-05-03'")],
        id="event-end-before-start-all-day",
    ),
    pytest.param(
        {"events": event(start="2024-05-02", end="2024-05-02T12:00")},
        [
            (
                "data/events.yaml:4",
                "events[0].end",
                "Beginn und Ende müssen beide ganztägig (JJJJ-MM-TT) oder beide mit Uhrzeit",
            )
        ],
        id="event-all-day-mixed-with-time",
    ),
    pytest.param(
        {"events": event(start="2025-13-01", end="<drop>")},
        [
            (
                "data/events.yaml:3",
                "events[0].start",
                "'2025-13-01' ist kein gültiges Datum (erwartet: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm)",
            )
        ],
        id="event-date-month-13",
    ),
    pytest.param(
        {"events": event(start="2024-03-31T02:30", end="2024-03-31T04:00")},
        [("data/events.yaml:3", "events[0].start", "gibt es in Berlin nicht")],
        id="event-time-in-dst-gap",
    ),
    pytest.param(
        {"events": event(format="onsite")},
        [
            (
                "data/events.yaml:1",
                "events[0].location",
                "fehlt: bei format 'onsite' ist ein Ort (Adresse) Pflicht",
            )
        ],
        id="location-required-onsite",
    ),
    pytest.param(
        {"events": event(format="hybrid", extra="location: '  '\n")},
        [("data/events.yaml:7", "events[0].location", "darf nicht leer sein")],
        id="location-required-hybrid-blank",
    ),
    pytest.param(
        {
            "communities": COMMUNITIES,
            "events": event(extra="communities: [do-foss, kommunales-bord, gibt-es-nicht]\n"),
        },
        [
            (
                "data/events.yaml:7",
                "events[0].communities[1]",
                "Community 'kommunales-bord' gibt es nicht – bitte eine vorhandene Kennung "
                "verwenden (meinten Sie 'kommunales-board'?)",
            ),
            ("data/events.yaml:7", "events[0].communities[2]", "Community 'gibt-es-nicht' gibt es"),
        ],
        id="unknown-community-in-event",
    ),
    pytest.param(
        {"news": {"verweise.md": news(extra="communities: [do-fos]\nevents: [treffen-2030]\n")}},
        [
            ("content/news/verweise.md:5", "communities[0]", "Community 'do-fos' gibt es nicht"),
            ("content/news/verweise.md:6", "events[0]", "Veranstaltung 'treffen-2030' gibt es"),
        ],
        id="unknown-ids-in-news",
    ),
    pytest.param(
        {"communities": community(extra="websit: https://example.org\n")},
        [
            (
                "data/communities.yaml:6",
                "communities[0].websit",
                "unbekanntes Feld 'websit' – meinten Sie 'website'?",
            )
        ],
        id="unknown-key-typo",
    ),
    pytest.param(
        {"communities": community(extra="contact:\n  email: a@stadt.de\n  telefon: '0231 1'\n")},
        [
            (
                "data/communities.yaml:8",
                "communities[0].contact.telefon",
                "unbekanntes Feld 'telefon'. Erlaubt sind: email, url.",
            )
        ],
        id="unknown-key-nested",
    ),
    pytest.param(
        {"events": event(format="onsite", extra="ort: Rathaus Dortmund\n")},
        [
            ("data/events.yaml:1", "events[0].location", "fehlt: bei format 'onsite'"),
            (
                "data/events.yaml:7",
                "events[0].ort",
                "unbekanntes Feld 'ort' – meinten Sie 'location'?",
            ),
        ],
        id="unknown-key-german-name",
    ),
    pytest.param(
        {"news": {"autor.md": news(extra="author: Erika Mustermann\n")}},
        [("content/news/autor.md:5", "author", "unbekanntes Feld 'author'")],
        id="unknown-key-news",
    ),
    pytest.param(
        {"communities": community(name="''")},
        [("data/communities.yaml:2", "communities[0].name", "darf nicht leer sein")],
        id="empty-string-quoted",
    ),
    pytest.param(
        {"communities": community(name="'   '")},
        [("data/communities.yaml:2", "communities[0].name", "darf nicht leer sein")],
        id="empty-string-blank",
    ),
    pytest.param(
        {"events": event(title="")},
        [("data/events.yaml:2", "events[0].title", "darf nicht leer sein")],
        id="empty-string-null",
    ),
    pytest.param(
        {"communities": community(name="<drop>", summary="<drop>")},
        [
            ("data/communities.yaml:1", "communities[0].name", "Pflichtfeld fehlt"),
            ("data/communities.yaml:1", "communities[0].summary", "Pflichtfeld fehlt"),
        ],
        id="missing-field-points-at-entry",
    ),
    pytest.param(
        {"news": {"ohne-datum.md": news(date="<drop>")}},
        [("content/news/ohne-datum.md:2", "date", "Pflichtfeld fehlt – bitte ergänzen")],
        id="missing-field-news",
    ),
    pytest.param(
        {"communities": community(id="feed")},
        [("data/communities.yaml:1", "communities[0].id", "'feed' ist als Kennung reserviert")],
        id="reserved-id-community",
    ),
    pytest.param(
        {"events": event(id="index")},
        [("data/events.yaml:1", "events[0].id", "'index' ist als Kennung reserviert")],
        id="reserved-id-event",
    ),
    pytest.param(
        {"news": {"tags.md": news(), "2024-05-02-index.md": news()}},
        [
            ("content/news/2024-05-02-index.md:1", "Dateiname", "ist als Name reserviert"),
            ("content/news/tags.md:1", "Dateiname", "ist als Name reserviert"),
        ],
        id="reserved-news-file-names",
    ),
    pytest.param(
        {"news": {"Neue Nachricht.md": news()}},
        [("content/news/Neue Nachricht.md:1", "Dateiname", "kein gültiger Dateiname")],
        id="news-file-name-not-a-slug",
    ),
    pytest.param(
        {"news": {"entwurf.md": news(extra="draft: ja\n")}},
        [("content/news/entwurf.md:5", "draft", "'ja' ist kein Wahrheitswert")],
        id="draft-must-be-boolean",
    ),
    pytest.param(
        {"communities": community(extra="tags: open-source\n")},
        [
            (
                "data/communities.yaml:6",
                "communities[0].tags",
                "muss eine Liste (Einträge mit '- ' beginnen) sein, gefunden: 'open-source'",
            )
        ],
        id="list-expected",
    ),
    pytest.param(
        {"communities": community(name='"Board\\u0007"')},
        [
            (
                "data/communities.yaml:2",
                "communities[0].name",
                "das unsichtbare Steuerzeichen U+0007",
            )
        ],
        id="control-characters",
    ),
    pytest.param(
        {"communities": community(summary='"Ein \\ud800 Gremium."')},
        [("data/communities.yaml:4", "", "Ungültige Unicode-Escape-Folge")],
        id="lone-surrogate",
    ),
    pytest.param(
        {"communities": community(extra='description: "Text \\uffff"\n')},
        [("data/communities.yaml:6", "communities[0].description", "ungültige Zeichen U+FFFF")],
        id="non-character",
    ),
    pytest.param(
        {"events": event(extra='registration: "https://example.org/an\\x01meldung"\n')},
        [
            (
                "data/events.yaml:7",
                "events[0].registration",
                "'https://example.org/anmeldung' ist keine gültige Adresse: enthält das "
                "unsichtbare Steuerzeichen U+0001",
            )
        ],
        id="control-character-in-url",
    ),
    pytest.param(
        {
            "news": {
                "2024-05-02-nachricht.md": news().replace("Text.", "Erste Zeile.\n\nDer \x0bText.")
            }
        },
        [
            (
                "content/news/2024-05-02-nachricht.md:8",
                "Text",
                "das unsichtbare Steuerzeichen U+000B",
            )
        ],
        id="control-character-in-news-text",
    ),
    pytest.param(
        {"events": event(extra="organizers:\n  - name: KGSt\n    url: ftp://kgst.de\n")},
        [("data/events.yaml:9", "events[0].organizers[0].url", "muss mit https:// oder http://")],
        id="organizer-url-scheme",
    ),
    pytest.param(
        {"events": event(extra="organizers:\n  - name: KGSt\n    website: https://kgst.de\n")},
        [
            (
                "data/events.yaml:9",
                "events[0].organizers[0].website",
                "unbekanntes Feld 'website'. Erlaubt sind: name, url.",
            )
        ],
        id="organizer-unknown-field",
    ),
    pytest.param(
        {"events": event(extra="organizers:\n  - url: https://kgst.de\n")},
        [("data/events.yaml:8", "events[0].organizers[0].name", "Pflichtfeld fehlt")],
        id="organizer-without-name",
    ),
    pytest.param(
        {"communities": community(extra='organizers: [KGSt, " "]\n')},
        [("data/communities.yaml:6", "communities[0].organizers[1]", "darf nicht leer sein")],
        id="organizer-empty-name",
    ),
    pytest.param(
        {"communities": community(extra="organizers: [[KGSt]]\n")},
        [("data/communities.yaml:6", "communities[0].organizers[0]", "muss Text sein")],
        id="organizer-list-in-list",
    ),
]


@pytest.mark.parametrize(("files", "expected"), REJECTED)
def test_rule_rejects_with_position(
    tmp_path: Path, files: dict[str, object], expected: list[tuple[str, str, str]]
) -> None:
    """Each broken rule yields exactly the expected errors, at file:line and field path."""
    write_project(
        tmp_path,
        communities=str(files.get("communities", COMMUNITIES)),
        events=str(files.get("events", EVENTS if "communities" not in files else "[]\n")),
        news=files.get("news", {}),  # type: ignore[arg-type]
    )
    _catalog, errors = load(tmp_path)
    assert located(errors) == [(where, field) for where, field, _ in expected]
    for error, (_where, _field, message) in zip(errors, expected, strict=True):
        assert message in error.message, str(error)


def test_control_character_in_news_text_is_placed_exactly(tmp_path: Path) -> None:
    """Blank lines after the front matter count; the column is the character's own."""
    body = "\n\nErster Absatz.\n\nZweiter \x1b[31mAbsatz.\n"
    write_project(tmp_path, news={"2024-05-02-nachricht.md": news().replace("Text.\n", body)})
    _catalog, errors = load(tmp_path)
    assert [str(e) for e in errors] == [
        "content/news/2024-05-02-nachricht.md:10:9: Text: enthält das unsichtbare "
        "Steuerzeichen U+001B – bitte entfernen oder neu tippen"
    ]


def test_error_line_reads_like_the_issue_example(tmp_path: Path) -> None:
    """``file:line:col: field: message 'value' (hint)``, the form of every content error."""
    events = "".join(event(id=f"treffen-{i}") for i in range(3)) + event(
        id="treffen-3", start="2025-13-01", end="<drop>"
    )
    write_project(tmp_path, events=events, news={})
    _catalog, errors = load(tmp_path)
    assert [str(e) for e in errors] == [
        "data/events.yaml:21:10: events[3].start: '2025-13-01' ist kein gültiges Datum "
        "(erwartet: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm)"
    ]


# --------------------------------------------------------------------------------------
# Rules that accept content, and what they make of it.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["a", "open-source-big-3", "2025", "kgst-ak-1", "a" * 80], ids=str)
def test_slug_pattern_accepts(tmp_path: Path, slug: str) -> None:
    """Lowercase ASCII letters, digits and single hyphens, up to 80 characters."""
    write_project(tmp_path, communities=community(id=slug), events="[]\n", news={})
    assert [c.id for c in load_valid(tmp_path).communities] == [slug]


@pytest.mark.parametrize(
    ("since", "expected"), [("2020", "2020"), ("2020-05", "2020-05"), ("2020-02-29", "2020-02-29")]
)
def test_partial_dates_accepted_as_written(tmp_path: Path, since: str, expected: str) -> None:
    """``since`` takes a year, a month or a day, and keeps the precision it was given."""
    write_project(
        tmp_path, communities=community(extra=f"since: {since}\n"), events="[]\n", news={}
    )
    assert load_valid(tmp_path).communities[0].since == expected


def test_summary_of_exactly_300_characters_is_accepted(tmp_path: Path) -> None:
    """The limit is inclusive and counts characters, not bytes."""
    write_project(tmp_path, communities=community(summary="ä" * 300), events="[]\n", news={})
    assert len(load_valid(tmp_path).communities[0].summary) == 300


@pytest.mark.parametrize(
    "url", ["https://www.kgst.de", "http://example.org/pfad?x=1#a", "HTTPS://EXAMPLE.ORG"]
)
def test_url_schemes_http_and_https_accepted(tmp_path: Path, url: str) -> None:
    """Web addresses with http or https (any case) are accepted unchanged."""
    write_project(tmp_path, communities=community(website=url), events="[]\n", news={})
    assert load_valid(tmp_path).communities[0].website == url


def test_mailto_is_the_contact_email_field(tmp_path: Path) -> None:
    """E-mail contacts go into ``contact.email``; ``mailto:`` is not needed there."""
    write_project(
        tmp_path,
        communities=community(extra="contact:\n  email: poststelle@stadt.de\n"),
        events="[]\n",
        news={},
    )
    contact = load_valid(tmp_path).communities[0].contact
    assert contact is not None
    assert (contact.email, contact.url) == ("poststelle@stadt.de", None)


@pytest.mark.parametrize(
    "contact",
    [
        "{email: a@stadt.de}",
        "{url: https://stadt.de/kontakt}",
        "{email: a@stadt.de, url: https://stadt.de}",
    ],
)
def test_contact_with_email_or_url_or_both(tmp_path: Path, contact: str) -> None:
    """Either part of a contact is enough."""
    write_project(
        tmp_path, communities=community(extra=f"contact: {contact}\n"), events="[]\n", news={}
    )
    assert load_valid(tmp_path).communities[0].contact is not None


def test_membership_fields(tmp_path: Path) -> None:
    """Mode, deadline (a date) and seats (a number) of a membership."""
    write_project(
        tmp_path,
        communities=community(
            extra="membership:\n  mode: application\n  deadline: 2025-06-30\n  seats: 20\n"
        ),
        events="[]\n",
        news={},
    )
    catalog = load_valid(tmp_path)
    membership = catalog.communities[0].membership
    assert (membership.mode, membership.deadline, membership.seats) == (
        "application",
        date(2025, 6, 30),
        20,
    )
    assert catalog.open_memberships == catalog.communities  # deadline after NOW


def test_optional_fields_and_status_defaults(tmp_path: Path) -> None:
    """Optional fields may be left out; they get empty, documented defaults."""
    write_project(
        tmp_path, communities=community(), events=event(end="<drop>"), news={"minimal.md": news()}
    )
    catalog = load_valid(tmp_path)
    (c,), (e,), (n,) = catalog.communities, catalog.events, catalog.news
    assert (c.status, c.description, c.organizers, c.tags, c.website, c.contact, c.since) == (
        "active",
        "",
        [],
        [],
        None,
        None,
        None,
    )
    assert (c.membership.mode, c.membership.deadline, c.membership.seats) == ("open", None, None)
    assert (
        e.status,
        e.end,
        e.location,
        e.registration,
        e.communities,
        e.organizers,
        e.tags,
        e.description,
        e.recording,
        e.documentation,
    ) == ("scheduled", None, None, None, [], [], [], "", None, None)
    assert (n.tags, n.communities, n.events, n.source, n.deadline, n.draft) == (
        [],
        [],
        [],
        None,
        None,
        False,
    )


def test_organizers_by_name_or_with_website(tmp_path: Path) -> None:
    """An organizer is a name, or a name and the organisation's website."""
    extra = "organizers:\n  - Stadt Dortmund\n  - name: KGSt\n    url: https://www.kgst.de\n"
    write_project(tmp_path, communities=community(extra=extra), events=event(extra=extra), news={})
    catalog = load_valid(tmp_path)
    for entry in (*catalog.communities, *catalog.events):
        assert [(o.name, o.url) for o in entry.organizers] == [
            ("Stadt Dortmund", None),
            ("KGSt", "https://www.kgst.de"),
        ]


def test_all_day_event(tmp_path: Path) -> None:
    """A date alone is an all-day event: from midnight to the midnight after its last day."""
    write_project(tmp_path, events=event(start="2024-10-26", end="2024-10-27"), news={})
    (e,) = load_valid(tmp_path).events
    assert e.all_day
    assert e.starts_at == datetime(2024, 10, 26, tzinfo=BERLIN)
    # The end crosses the switch back from summer time: 49 hours of wall time.
    assert e.ends_at == datetime(2024, 10, 28, tzinfo=BERLIN)
    assert e.ends_at.astimezone(UTC) - e.starts_at.astimezone(UTC) == timedelta(hours=49)


def test_all_day_event_without_end_lasts_one_day(tmp_path: Path) -> None:
    """Without ``end`` an all-day event covers its start day."""
    write_project(tmp_path, events=event(start="2020-12-07", end="<drop>"), news={})
    (e,) = load_valid(tmp_path).events
    assert (e.all_day, e.ends_at) == (True, datetime(2020, 12, 8, tzinfo=BERLIN))


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2023-01-11T16:00", datetime(2023, 1, 11, 15, 0, tzinfo=UTC)),  # winter: UTC+1
        ("2024-07-01T16:00", datetime(2024, 7, 1, 14, 0, tzinfo=UTC)),  # summer: UTC+2
        ("2024-07-01 16:00:30", datetime(2024, 7, 1, 14, 0, 30, tzinfo=UTC)),
        ("2024-10-27T02:30", datetime(2024, 10, 27, 0, 30, tzinfo=UTC)),  # ambiguous: first
        ("2024-07-01T16:00+00:00", datetime(2024, 7, 1, 16, 0, tzinfo=UTC)),  # offset kept
        ("2024-07-01T16:00Z", datetime(2024, 7, 1, 16, 0, tzinfo=UTC)),
    ],
)
def test_times_without_offset_are_berlin_time(tmp_path: Path, written: str, utc: datetime) -> None:
    """A date-time without offset is Europe/Berlin local time, summer and winter alike."""
    write_project(tmp_path, events=event(start=f"'{written}'", end="<drop>"), news={})
    (e,) = load_valid(tmp_path).events
    assert not e.all_day
    assert e.starts_at.astimezone(UTC) == utc


@pytest.mark.parametrize("fmt", ["onsite", "hybrid"])
def test_location_given_for_onsite_and_hybrid(tmp_path: Path, fmt: str) -> None:
    """With a location, onsite and hybrid events are valid; online needs none."""
    write_project(
        tmp_path,
        events=event(format=fmt, extra="location: Rathaus Dortmund, Friedensplatz 1\n"),
        news={},
    )
    assert load_valid(tmp_path).events[0].location == "Rathaus Dortmund, Friedensplatz 1"


def test_known_community_ids_link_up(tmp_path: Path) -> None:
    """References by id resolve in the catalog's indexes."""
    write_project(tmp_path)
    catalog = load_valid(tmp_path)
    assert [e.id for e in catalog.events_by_community["do-foss"]] == ["fsfe-online-2023"]
    assert [n.slug for n in catalog.news_by_community["kommunales-board"]] == [
        "2025-05-15-board-sucht-mitglieder"
    ]
    assert [n.slug for n in catalog.news_by_event["fsfe-online-2023"]] == [
        "2025-05-15-board-sucht-mitglieder"
    ]


def test_an_invalid_community_still_counts_for_references(tmp_path: Path) -> None:
    """One mistake, one error: an entry with a bad field is not also reported as missing."""
    write_project(
        tmp_path,
        communities=community(id="do-foss", summary="''"),
        events=event(extra="communities: [do-foss]\n"),
        news={},
    )
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:4", "communities[0].summary")]


def test_unreadable_community_file_is_one_error(tmp_path: Path) -> None:
    """A syntax error in communities.yaml does not also flag every reference to it."""
    write_project(tmp_path, communities="- id: do-foss\n  name: Do: FOSS\n")
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:2", "")]
    assert "Unerwarteter Doppelpunkt" in errors[0].message


@pytest.mark.parametrize(
    "file_name", ["2024-05-02-aufruf-zur-beteiligung.md", "aufruf-zur-beteiligung.md"]
)
def test_news_slug_is_the_file_name(tmp_path: Path, file_name: str) -> None:
    """The slug is the file name without ``.md``, with or without a leading date."""
    write_project(tmp_path, news={file_name: news()})
    (item,) = load_valid(tmp_path).news
    assert item.slug == file_name.removesuffix(".md")
    assert item.source_path == f"content/news/{file_name}"
    assert item.body == "Text.\n"


def test_news_date_may_be_a_date_time(tmp_path: Path) -> None:
    """``date`` takes a day or a Berlin date-time."""
    write_project(tmp_path, news={"a.md": news(date="2024-05-02T09:30")})
    (item,) = load_valid(tmp_path).news
    assert item.published_at == datetime(2024, 5, 2, 9, 30, tzinfo=BERLIN)


def test_drafts_are_kept_apart(tmp_path: Path) -> None:
    """``draft: true`` keeps an article out of the published news, but not out of the catalog."""
    write_project(tmp_path, news={"fertig.md": news(), "entwurf.md": news(extra="draft: true\n")})
    catalog = load_valid(tmp_path)
    assert [n.slug for n in catalog.news] == ["fertig"]
    assert [n.slug for n in catalog.drafts] == ["entwurf"]
    assert "entwurf" not in catalog.news_by_slug


def test_catalog_order(tmp_path: Path) -> None:
    """Communities by name, events ascending by start, news newest first."""
    communities = community(id="zeta", name="Zeta") + community(id="alpha", name="alpha")
    events = event(id="spaeter", start="2024-06-01", end="<drop>") + event(
        id="frueher", start="2024-05-31T23:00", end="<drop>"
    )
    write_project(
        tmp_path,
        communities=communities,
        events=events,
        news={
            "alt.md": news(date="2020-01-01"),
            "neu.md": news(date="2024-01-01"),
        },
    )
    catalog = load_valid(tmp_path)
    assert [c.id for c in catalog.communities] == ["alpha", "zeta"]
    assert [e.id for e in catalog.events] == ["frueher", "spaeter"]
    assert [n.slug for n in catalog.news] == ["neu", "alt"]


# --------------------------------------------------------------------------------------
# YAML pitfalls (issue 2, section 4): handled, never silently corrupted.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "written", "kept"),
    [
        ("name", "2023-01-11", "2023-01-11"),  # an unquoted date stays text
        ("name", "1.10", "1.10"),  # a version number is not the float 1.1
        ("name", "16:00", "16:00"),  # not the sexagesimal 960
        ("name", "NO", "NO"),  # Norway is not false
        ("name", "0x1F", "0x1F"),
        ("name", "1e3", "1e3"),
        ("name", "~ Gemeinsam ~", "~ Gemeinsam ~"),
        ("summary", "yes", "yes"),
    ],
)
def test_yaml_1_1_scalars_stay_text(tmp_path: Path, field: str, written: str, kept: str) -> None:
    """Only true/false/null are implicit; everything else is the text that was written."""
    write_project(tmp_path, communities=community(**{field: written}), events="[]\n", news={})
    assert getattr(load_valid(tmp_path).communities[0], field) == kept


def test_sexagesimal_time_is_an_error_not_a_number(tmp_path: Path) -> None:
    """``end: 16:00`` is reported as an invalid date, quoting what was written."""
    write_project(tmp_path, events=event(end="16:00"), news={})
    _catalog, errors = load(tmp_path)
    assert [str(e) for e in errors] == [
        "data/events.yaml:4:8: events[0].end: '16:00' ist kein gültiges Datum "
        "(erwartet: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm)"
    ]


def test_norway_in_an_enum_is_quoted_as_written(tmp_path: Path) -> None:
    """``level: NO`` names 'NO', not False."""
    write_project(tmp_path, communities=community(level="NO"), events="[]\n", news={})
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:5", "communities[0].level")]
    assert errors[0].message.startswith("'NO' ist nicht erlaubt")


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    """A key given twice in one entry is an error naming both lines."""
    write_project(
        tmp_path, communities=community(extra="name: Anderer Name\n"), events="[]\n", news={}
    )
    _catalog, errors = load(tmp_path)
    assert [str(e) for e in errors] == [
        "data/communities.yaml:6:3: communities[0].name: doppelter Schlüssel 'name' "
        "(schon in Zeile 2) – bitte einen der beiden entfernen"
    ]


def test_tab_indentation_is_an_error(tmp_path: Path) -> None:
    """A tab in the indentation is reported on its line with a hint."""
    write_project(
        tmp_path, communities=community().replace("  name:", "\tname:"), events="[]\n", news={}
    )
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:2", "")]
    assert "Tabulatorzeichen" in errors[0].message


def test_bom_and_crlf_are_accepted_with_correct_lines(tmp_path: Path) -> None:
    """A UTF-8 BOM and Windows line endings load; line numbers stay those of the editor."""
    write_project(tmp_path, events="[]\n", news={})
    text = "\ufeff" + community() + community(id="zweites", level="Land")
    (tmp_path / "data" / "communities.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:10", "communities[1].level")]


def test_non_utf8_bytes_are_a_clear_error(tmp_path: Path) -> None:
    """A file saved as Latin-1 is named with the line and column of the first bad byte."""
    write_project(tmp_path, events="[]\n", news={})
    text = community(name="Arbeitskreis Bürgerdienste")
    (tmp_path / "data" / "communities.yaml").write_bytes(text.encode("latin-1"))
    _catalog, errors = load(tmp_path)
    assert [str(e) for e in errors] == [
        "data/communities.yaml:2:23: Datei ist nicht UTF-8-kodiert (Byte 0xFC) – bitte im "
        "Editor als UTF-8 speichern"
    ]


def test_alias_expansion_is_bounded(tmp_path: Path) -> None:
    """Nested aliases that would expand to millions of values are one error."""
    lines = ["- &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    write_project(tmp_path, communities="\n".join(lines) + "\n", events="[]\n", news={})
    _catalog, errors = load(tmp_path)
    # Aliases share the anchored node, so the position is the anchor's: the first line.
    assert located(errors) == [("data/communities.yaml:1", "")]
    assert f"mehr als {MAX_ALIAS_NODES} Werte" in errors[0].message


def test_nesting_depth_is_bounded(tmp_path: Path) -> None:
    """Nesting beyond the limit is reported where the limit is crossed."""
    write_project(tmp_path, communities="[" * 10_000 + "]" * 10_000, events="[]\n", news={})
    _catalog, errors = load(tmp_path)
    assert [str(e) for e in errors] == [
        f"data/communities.yaml:1:{MAX_DEPTH + 1}: zu tief verschachtelt "
        f"(mehr als {MAX_DEPTH} Ebenen)"
    ]


def test_file_size_limit(tmp_path: Path) -> None:
    """A file above ``MAX_FILE_BYTES`` is rejected before it is parsed."""
    write_project(tmp_path, events="[]\n", news={})
    size = MAX_FILE_BYTES + 1
    (tmp_path / "data" / "communities.yaml").write_bytes(b"#" * size)
    _catalog, errors = load(tmp_path)
    assert located(errors) == [("data/communities.yaml:1", "")]
    assert "Datei ist zu groß" in errors[0].message


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    """The limit itself is allowed (a comment-only file is an empty list)."""
    write_project(tmp_path, events="[]\n", news={})
    (tmp_path / "data" / "communities.yaml").write_bytes(b"#" * (MAX_FILE_BYTES - 1) + b"\n")
    assert load_valid(tmp_path).communities == []


def test_line_separators_do_not_shift_line_numbers(tmp_path: Path) -> None:
    """U+2028/U+2029 end a line for YAML 1.1 parsers but not in editors; lines follow editors."""
    text = community(summary="'Erste Zeile\u2028zweite\u2029dritte'") + community(
        id="zweites", level="Land"
    )
    write_project(tmp_path, communities=text, events="[]\n", news={})
    _catalog, errors = load(tmp_path)
    assert [(e.path, e.line, e.column, e.field) for e in errors] == [
        ("data/communities.yaml", 10, 10, "communities[1].level")
    ]


TRICKY_YAML = [
    "- id: a\n  name: [x, {y: z}]\n  tags: &t [a, b]\n  more: *t\n",
    "- 'quoted: text'\n- \"escaped \\u00e4 \\t\"\n- |\n  block\n  text\n- >-\n  folded\n  text\n",
    "- id: a\n  name\n",
    "- id: 'a\n",
    "- a: [b, c\n- d\n",
    "- a: b\n  a: c\n",
    "- &x a\n- &x b\n",
    "- *nirgends\n",
    "- &s [*s]\n",
    "- !!python/object:os.system {}\n- !local x\n",
    "- <<: {a: b}\n",
    "- a\n---\n- b\n",
    "\t- a\n",
    "- a: b\u0007\n",
    "[" * 1_000 + "]" * 1_000,
    "- " * 1_000 + "x\n",
    "? [a]\n: b\n",
    "",
    "# nur ein Kommentar\n",
    "--- |\n  text\n",
    "%YAML 1.1\n---\n- true\n- no\n- ~\n- 0o7\n",
]


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_libyaml_and_pure_python_parser_agree(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Without libyaml the pure-Python parser gives the same values, positions and errors."""
    from oss_portal.core import sources as loading

    with_libyaml = loading.load_yaml_text(text, "f.yaml")
    monkeypatch.setattr(loading, "_CParser", None)
    pure_python = loading.load_yaml_text(text, "f.yaml")
    assert loading._CParser is None

    def comparable(result: tuple[object, list[ContentError]]) -> object:
        document, errors = result
        positions = document.positions.values if document is not None else None
        return (
            getattr(document, "data", None),
            positions,
            [(e.line, e.column, e.field) for e in errors],
        )

    assert comparable(pure_python) == comparable(with_libyaml)


# --------------------------------------------------------------------------------------
# All errors of all files, sorted; the command line and its reports.
# --------------------------------------------------------------------------------------

BROKEN_EVERYWHERE = {
    "communities": community(kind="verein") + community(id="Zwei", summary="''"),
    "events": event(format="onsite") + event(id="zweites", end="2024-05-01T10:00"),
    "news": {"b.md": news(date="gestern"), "a.md": news(title="''")},
}
BROKEN_EVERYWHERE_LOCATED = [
    ("content/news/a.md:2", "title"),
    ("content/news/b.md:3", "date"),
    ("data/communities.yaml:3", "communities[0].kind"),
    ("data/communities.yaml:6", "communities[1].id"),
    ("data/communities.yaml:9", "communities[1].summary"),
    ("data/events.yaml:1", "events[0].location"),
    ("data/events.yaml:10", "events[1].end"),
]


def write_broken_everywhere(root: Path) -> Path:
    """A project with errors in every file, written in an unsorted order."""
    files = BROKEN_EVERYWHERE
    return write_project(
        root, communities=str(files["communities"]), events=str(files["events"]), news=files["news"]
    )  # type: ignore[arg-type]


def test_all_errors_of_all_files_sorted(tmp_path: Path) -> None:
    """Every error of every file in one run, sorted by file, line and column."""
    _catalog, errors = load(write_broken_everywhere(tmp_path))
    assert located(errors) == BROKEN_EVERYWHERE_LOCATED
    assert errors == sorted(errors, key=lambda e: (e.path, e.line, e.column, e.field))


def test_cli_validate_text_report(tmp_path: Path) -> None:
    """Exit code 1, one sorted line per error on stderr, a closing count, no traceback."""
    result = run_cli("--project-dir", str(write_broken_everywhere(tmp_path)), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"{len(BROKEN_EVERYWHERE_LOCATED)} Fehler gefunden."
    for line, (where, field) in zip(lines[:-1], BROKEN_EVERYWHERE_LOCATED, strict=True):
        assert re.match(rf"{re.escape(where)}:\d+: {re.escape(field)}: \S", line), line


def test_cli_validate_clean_project_exits_0(tmp_path: Path) -> None:
    """A valid project: exit code 0 and a short confirmation."""
    result = run_cli("validate", cwd=write_project(tmp_path))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (
        0,
        "Alle Inhalte sind gültig.",
        "",
    )


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--format", "yaml"),
        ("validate", "--unbekannt"),
        ("validieren",),
        (),
    ],
    ids=["bad-format", "unknown-option", "unknown-command", "no-command"],
)
def test_cli_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Usage errors exit with 2 and explain the usage, without a traceback."""
    result = run_cli(*args, cwd=write_project(tmp_path))
    assert result.returncode == 2
    assert "Aufruf: oss-portal" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_json_report(tmp_path: Path) -> None:
    """``--format json`` prints a JSON document with every error's parts."""
    result = run_cli(
        "--project-dir", str(write_broken_everywhere(tmp_path)), "validate", "--format", "json"
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [(f"{e['path']}:{e['line']}", e["field"]) for e in report["errors"]] == (
        BROKEN_EVERYWHERE_LOCATED
    )
    assert all(isinstance(e["column"], int) and e["message"] for e in report["errors"])


def test_cli_json_report_when_valid(tmp_path: Path) -> None:
    """A clean run is ``{"valid": true, "errors": []}`` with exit code 0."""
    result = run_cli("validate", "--format", "json", cwd=write_project(tmp_path))
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"valid": True, "errors": []}


def test_cli_junit_report(tmp_path: Path) -> None:
    """``--format junit``: one test case per content file, one failure per failing file."""
    out = tmp_path / "report" / "junit.xml"
    root = write_broken_everywhere(tmp_path / "project")
    (root / "content" / "news" / "in-ordnung.md").write_text(news(), encoding="utf-8")
    result = run_cli(
        "--project-dir", str(root), "validate", "--format", "junit", "--output", str(out)
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert sorted(cases) == [
        "content/news/a.md",
        "content/news/b.md",
        "content/news/in-ordnung.md",
        "data/communities.yaml",
        "data/events.yaml",
    ]
    assert (suite.get("tests"), suite.get("failures")) == ("5", "4")
    assert cases["content/news/in-ordnung.md"].find("failure") is None
    failure = cases["data/communities.yaml"].find("failure")
    assert failure is not None and failure.text is not None
    assert failure.text.splitlines() == [
        line for line in result.stderr.splitlines() if line.startswith("data/communities.yaml:")
    ]
    assert len(failure.text.splitlines()) == 3


def test_console_script_is_the_same_command(tmp_path: Path) -> None:
    """The installed ``oss-portal`` entry point behaves like ``python -m oss_portal.cli``."""
    script = Path(sys.executable).with_name("oss-portal")
    assert script.is_file(), "pip install -e . installs the oss-portal command"
    root = write_broken_everywhere(tmp_path)
    result = subprocess.run(
        [str(script), "--project-dir", str(root), "validate"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    module = run_cli("--project-dir", str(root), "validate")
    assert (result.returncode, result.stderr) == (module.returncode, module.stderr)
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "abc\n"), ("tags", ["thema\n"])],
)
def test_trailing_newline_never_passes_a_pattern(field: str, value: object) -> None:
    """Python's ``$`` matches before a final newline; patterns must match the whole value."""
    from oss_portal.core.models import Community
    from pydantic import ValidationError

    entry = {"id": "abc", "name": "x", "kind": "board", "summary": "s", "level": "bund"}
    entry[field] = value
    with pytest.raises(ValidationError):
        Community.model_validate(entry)
