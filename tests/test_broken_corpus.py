"""The broken-input corpus (issue 8, section 3): every case through the real command line.

A case is a tiny project: the valid project in ``tests/broken/_base/`` with the case's own
files laid over it. Readable cases are folders under ``tests/broken/<case>/`` holding the
files they change and an ``expected.yaml``::

    about: what is broken, in one line
    exit: 1                      # exit code of `oss-portal validate`
    remove: [data/events.yaml]   # optional: base files the case deletes
    errors:                      # every error, in the order they are reported
      - at: data/events.yaml:4   # file:line
        field: events[0].end     # field path ("" for a file-level error)
        message: liegt vor dem Beginn   # part of the message
    catalog:                     # optional: what still reaches the catalog (nothing lost)
      communities: [do-foss]     # ids (news: slugs) of the published entries
      fields:                    # optional: values as loaded
        communities: {do-foss: {name: "2023-01-11"}}

Big or binary cases (encodings, line endings, megabytes, deep nesting) are generated
into ``tmp_path`` by the table ``GENERATED`` below instead of being committed.

Each case runs ``python -m oss_portal.cli validate`` in a subprocess, with the address
space limited to 512 MiB, and checks the exit code, the JSON report's ``file:line`` and
field path of each error, that the text on stderr says the same, and that no traceback
appears. The catalog expectations are checked with the real loader in this process.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import Organizer
from oss_portal.core.sources import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES

CORPUS = Path(__file__).resolve().parent / "broken"
BASE = CORPUS / "_base"
#: Address-space limit for each run: hostile input must be rejected in bounded memory.
MEMORY_LIMIT = 512 * 1024 * 1024
#: No reported line may be longer than this, however long the offending value is.
MAX_REPORT_LINE = 400

Files = dict[str, bytes]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_validate(project: Path, report: Path) -> subprocess.CompletedProcess[str]:
    """``oss-portal validate`` as a subprocess: text on stderr, the JSON report in a file."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "oss_portal.cli",
            "--project-dir",
            str(project),
            "validate",
            "--format",
            "json",
            "--output",
            str(report),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        timeout=120,
        check=False,
        preexec_fn=_limit_memory,
    )


def make_project(dest: Path, files: Files, remove: list[str]) -> Path:
    """The base project with ``files`` laid over it and ``remove`` taken away."""
    shutil.copytree(BASE, dest)
    for rel, data in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel in remove:
        (dest / rel).unlink()
    return dest


def check_case(tmp_path: Path, files: Files, expected: dict[str, Any]) -> None:
    """Run one case and compare everything it promises."""
    project = make_project(tmp_path / "project", files, expected.get("remove", []))
    report_file = tmp_path / "report.json"
    result = run_validate(project, report_file)

    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    assert result.returncode == expected["exit"], result.stderr[-3000:]

    report = json.loads(report_file.read_text(encoding="utf-8"))
    errors = report["errors"]
    wanted = expected["errors"]
    assert report["valid"] is (not wanted)
    assert [(f"{e['path']}:{e['line']}", e["field"]) for e in errors] == [
        (w["at"], w["field"]) for w in wanted
    ], "\n".join(f"{e['path']}:{e['line']}: {e['field']}: {e['message']}" for e in errors)
    for error, want in zip(errors, wanted, strict=True):
        assert want["message"] in error["message"], error

    # People read the same errors on stderr, one line each, then a count.
    text_lines = result.stderr.splitlines()
    if wanted:
        assert text_lines == [_as_text(e) for e in errors] + [f"{len(errors)} Fehler gefunden."]
    else:
        assert (result.stdout, result.stderr) == ("", "")
    assert all(len(line) <= MAX_REPORT_LINE for line in text_lines), "over-long report line"

    if "catalog" in expected:
        check_catalog(project, expected["catalog"])


def _as_text(error: dict[str, Any]) -> str:
    where = f"{error['path']}:{error['line']}:{error['column']}"
    if error["field"]:
        return f"{where}: {error['field']}: {error['message']}"
    return f"{where}: {error['message']}"


def _plain(value: Any) -> Any:
    """A loaded value as written: organizers given by name only are their names."""
    if isinstance(value, list) and value and all(isinstance(v, Organizer) for v in value):
        return [v.name if v.url is None else v for v in value]
    return value


def check_catalog(project: Path, expected: dict[str, Any]) -> None:
    """Every valid entry is in the catalog (nothing lost), with the values as written."""
    catalog, _errors = ContentLoader(ContentPaths(project)).load()
    by_kind = {
        "communities": {c.id: c for c in catalog.communities},
        "events": {e.id: e for e in catalog.events},
        "news": {n.slug: n for n in catalog.news},
    }
    for kind, entries in by_kind.items():
        if kind in expected:
            assert sorted(entries) == sorted(expected[kind]), kind
    for kind, items in expected.get("fields", {}).items():
        for key, values in items.items():
            for name, value in values.items():
                assert _plain(getattr(by_kind[kind][key], name)) == value, (kind, key, name)


# --------------------------------------------------------------------------------------
# Cases committed as folders
# --------------------------------------------------------------------------------------

FOLDER_CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").is_file())


def folder_files(case: Path) -> Files:
    """The files a folder case lays over the base project."""
    return {
        p.relative_to(case).as_posix(): p.read_bytes()
        for p in sorted(case.rglob("*"))
        if p.is_file() and p.name != "expected.yaml"
    }


@pytest.mark.parametrize("name", FOLDER_CASES)
def test_folder_case(tmp_path: Path, name: str) -> None:
    """A committed case: exit code, file:line and field of every error, nothing lost."""
    case = CORPUS / name
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    check_case(tmp_path, folder_files(case), expected)


def test_base_project_is_valid(tmp_path: Path) -> None:
    """The base every case starts from is clean, so each case's errors are its own."""
    check_case(
        tmp_path,
        {},
        {
            "exit": 0,
            "errors": [],
            "catalog": {
                "communities": ["kommunales-open-source-board", "do-foss"],
                "events": ["fsfe-do-foss-2023", "kgst-vitako-web-meeting-2020"],
                "news": ["2020-12-11-kgst-projekt"],
            },
        },
    )


def test_corpus_is_big_enough() -> None:
    """Issue 8 asks for at least 40 cases across the three content types."""
    cases = FOLDER_CASES + [c.name for c in GENERATED]
    assert len(cases) >= 40
    for kind in ("communities", "events", "news"):
        assert sum(kind in name for name in cases) >= 10, kind


# --------------------------------------------------------------------------------------
# Generated cases: encodings, line endings, sizes and depths that do not belong in git
# --------------------------------------------------------------------------------------


def base_text(rel: str) -> str:
    """A file of the base project as text."""
    return (BASE / rel).read_text(encoding="utf-8")


COMMUNITIES = "data/communities.yaml"
EVENTS = "data/events.yaml"
NEWS = "content/news/2020-12-11-kgst-projekt.md"
BASE_CATALOG = {
    "communities": ["kommunales-open-source-board", "do-foss"],
    "events": ["fsfe-do-foss-2023", "kgst-vitako-web-meeting-2020"],
    "news": ["2020-12-11-kgst-projekt"],
}


def error(at: str, message: str, field: str = "") -> dict[str, str]:
    """One expected error."""
    return {"at": at, "field": field, "message": message}


def position_of(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def crlf_with_bom() -> Files:
    return {
        rel: ("\ufeff" + base_text(rel)).replace("\n", "\r\n").encode("utf-8")
        for rel in (COMMUNITIES, EVENTS, NEWS)
    }


def crlf_error_line() -> Files:
    text = base_text(COMMUNITIES).replace("kind: initiative", "kind: verein")
    return {COMMUNITIES: ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8")}


def cr_only() -> Files:
    text = base_text(COMMUNITIES).replace("kind: initiative", "kind: verein")
    return {COMMUNITIES: text.replace("\n", "\r").encode("utf-8")}


def latin1(rel: str) -> Callable[[], Files]:
    def make() -> Files:
        return {rel: base_text(rel).encode("latin-1")}

    return make


def cp1252_quotes() -> Files:
    text = base_text(EVENTS).replace(
        "title: Freie Software in Kommunen", "title: „Freie Software“ in Kommunen"
    )
    return {EVENTS: text.encode("cp1252")}


def binary_garbage() -> Files:
    noise = random.Random(8).randbytes(4096)
    return {EVENTS: b"- id: rauschen\n  title: " + noise + b"\n"}


def raw_control_character(char: str) -> Callable[[], Files]:
    def make() -> Files:
        return {NEWS: base_text(NEWS).replace("summary: Ein", f"summary: Ein{char}").encode()}

    return make


def tab_indented() -> Files:
    return {
        COMMUNITIES: base_text(COMMUNITIES)
        .replace("  kind: initiative", "\tkind: initiative")
        .encode()
    }


def very_long_name() -> Files:
    text = base_text(COMMUNITIES).replace("name: Do-FOSS", "name: " + "Do-FOSS " * 125_000)
    return {COMMUNITIES: text.encode()}


def very_long_values() -> Files:
    text = (
        base_text(EVENTS)
        .replace(
            "format: online\n  summary: Online",
            "format: online\n  registration: javascript:"
            + "a" * 200_000
            + "\n  recording: https://example.org/"
            + "b" * 200_000
            + " c"
            + "\n  summary: Online",
        )
        .replace("start: 2020-12-07", "start: 2020-12-07" + "7" * 100_000)
    )
    return {EVENTS: text.encode()}


def long_description() -> Files:
    paragraph = "Open Source in der Verwaltung – ein langer Absatz mit Umlauten äöü. " * 10
    body = "\n\n".join([paragraph] * 140)  # just under the 100,000 character limit
    text = base_text(COMMUNITIES).replace(
        "  level: kommune\n  website",
        "  level: kommune\n  description: |\n"
        + "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
        + "\n  website",
    )
    return {COMMUNITIES: text.encode()}


def deep(rel: str, text: str) -> Callable[[], Files]:
    def make() -> Files:
        return {rel: text.encode()}

    return make


def deep_front_matter() -> Files:
    text = base_text(NEWS).replace("---\nDer", "tags: " + "[" * 100_000 + "\n---\nDer")
    return {NEWS: text.encode()}


def ten_megabytes(rel: str, head: str, unit: str) -> Callable[[], Files]:
    def make() -> Files:
        size = 10 * 1024 * 1024
        body = unit * (size // len(unit) + 1)
        return {rel: (head + body).encode()[:size]}

    return make


def wide_alias_fan_out() -> Files:
    aliases = ", ".join(["*orga"] * (MAX_ALIAS_NODES + 1))
    return {EVENTS: f"- id: viele\n  organizers: &orga [KGSt]\n  tags: [{aliases}]\n".encode()}


@dataclass(frozen=True)
class Generated:
    """A case whose files are produced in code."""

    name: str
    files: Callable[[], Files]
    exit: int
    errors: list[dict[str, str]]
    catalog: dict[str, Any] = field(default_factory=dict)

    def expected(self) -> dict[str, Any]:
        out: dict[str, Any] = {"exit": self.exit, "errors": self.errors}
        if self.catalog:
            out["catalog"] = self.catalog
        return out


def _latin1_error(rel: str) -> dict[str, str]:
    first = next(c for c in base_text(rel) if ord(c) > 127)
    line, _column = position_of(base_text(rel), first)
    byte = first.encode("latin-1")[0]
    return error(f"{rel}:{line}", f"Datei ist nicht UTF-8-kodiert (Byte 0x{byte:02X})")


GENERATED = [
    Generated("all-bom-and-crlf-valid", crlf_with_bom, 0, [], BASE_CATALOG),
    Generated(
        "communities-crlf-error-line",
        crlf_error_line,
        1,
        [error(f"{COMMUNITIES}:13", "'verein' ist nicht erlaubt", "communities[1].kind")],
    ),
    Generated(
        "communities-cr-only-error-line",
        cr_only,
        1,
        [error(f"{COMMUNITIES}:13", "'verein' ist nicht erlaubt", "communities[1].kind")],
    ),
    Generated("communities-latin1", latin1(COMMUNITIES), 1, [_latin1_error(COMMUNITIES)]),
    Generated(
        "events-latin1",
        latin1(EVENTS),
        1,
        [_latin1_error(EVENTS)],
        {"communities": BASE_CATALOG["communities"], "events": []},
    ),
    Generated("news-latin1", latin1(NEWS), 1, [_latin1_error(NEWS)], {"news": []}),
    Generated(
        "events-cp1252-word-quotes",
        cp1252_quotes,
        1,
        [error(f"{EVENTS}:2", "Datei ist nicht UTF-8-kodiert (Byte 0x84)")],
    ),
    Generated(
        "events-binary-garbage",
        binary_garbage,
        1,
        [error(f"{EVENTS}:2", "Datei ist nicht UTF-8-kodiert")],
    ),
    Generated(
        "news-raw-nul-byte",
        raw_control_character("\x00"),
        1,
        [error(f"{NEWS}:4", "unerlaubtes Steuerzeichen (U+0000)")],
    ),
    Generated(
        "news-raw-escape-character",
        raw_control_character("\x1b"),
        1,
        [error(f"{NEWS}:4", "unerlaubtes Steuerzeichen (U+001B)")],
    ),
    Generated(
        "communities-tab-indentation",
        tab_indented,
        1,
        [error(f"{COMMUNITIES}:13", "Tabulatorzeichen sind in YAML nicht erlaubt")],
    ),
    Generated(
        "communities-very-long-name",
        very_long_name,
        1,
        [
            error(
                f"{COMMUNITIES}:12",
                "ist zu lang (999999 Zeichen; höchstens 200)",
                "communities[1].name",
            )
        ],
    ),
    Generated(
        "events-very-long-values",
        very_long_values,
        1,
        [
            error(f"{EVENTS}:6", "'javascript:aaaa", "events[0].registration"),
            error(f"{EVENTS}:7", "enthält Leerzeichen", "events[0].recording"),
            error(f"{EVENTS}:11", "ist kein gültiges Datum", "events[1].start"),
        ],
    ),
    Generated("communities-long-description-valid", long_description, 0, [], BASE_CATALOG),
    Generated(
        "communities-deep-flow-100k",
        deep(COMMUNITIES, "[" * 100_000),
        1,
        [error(f"{COMMUNITIES}:1", f"zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen)")],
    ),
    Generated(
        "communities-deep-flow-1m",
        deep(COMMUNITIES, "[" * 10**6 + "]" * 10**6),
        1,
        [error(f"{COMMUNITIES}:1", "zu tief verschachtelt")],
    ),
    Generated(
        "events-deep-flow-mappings-100k",
        deep(EVENTS, "{a: " * 100_000),
        1,
        [error(f"{EVENTS}:1", "zu tief verschachtelt")],
    ),
    Generated(
        "events-deep-block-sequences-100k",
        deep(EVENTS, "- " * 100_000 + "x\n"),
        1,
        [error(f"{EVENTS}:1", "zu tief verschachtelt")],
    ),
    Generated(
        "communities-deep-block-mappings",
        deep(COMMUNITIES, "".join(" " * i + "a:\n" for i in range(2_000))),
        1,
        [error(f"{COMMUNITIES}:{MAX_DEPTH + 1}", "zu tief verschachtelt")],
    ),
    Generated(
        "news-deep-front-matter-100k",
        deep_front_matter,
        1,
        [error(f"{NEWS}:5", "zu tief verschachtelt")],
    ),
    Generated(
        "communities-10-megabytes",
        ten_megabytes(COMMUNITIES, "", base_text(COMMUNITIES).split("\n", 1)[1]),
        1,
        [
            error(
                f"{COMMUNITIES}:1",
                "Datei ist zu groß (10.0 MiB; erlaubt sind höchstens "
                f"{MAX_FILE_BYTES // 1024 // 1024} MiB)",
            )
        ],
    ),
    Generated(
        "news-10-megabytes",
        ten_megabytes(NEWS, base_text(NEWS), "Ein sehr langer Artikel. "),
        1,
        [error(f"{NEWS}:1", "Datei ist zu groß")],
        {"news": []},
    ),
    Generated(
        "events-wide-alias-fan-out",
        wide_alias_fan_out,
        1,
        [error(f"{EVENTS}:2", f"mehr als {MAX_ALIAS_NODES} Werte")],
    ),
]


@pytest.mark.parametrize("case", GENERATED, ids=lambda c: c.name)
def test_generated_case(tmp_path: Path, case: Generated) -> None:
    """A generated case: same checks as the folder cases."""
    check_case(tmp_path, case.files(), case.expected())
