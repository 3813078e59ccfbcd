"""The field reference in CONTRIBUTING.md: generated from the models, complete, current.

The rendered Markdown is read back with Python-Markdown and an HTML parser (not with the
generator's own code), and compared with what the pydantic models declare. The examples
in CONTRIBUTING.md are validated as real content, and the documented error output is the
real output of ``oss-portal validate``.
"""

from __future__ import annotations

import argparse
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from oss_portal.cli import main as cli
from oss_portal.cli.reference import register
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import Community, Event, NewsFrontMatter
from oss_portal.outputs.markdown import render_markdown
from oss_portal.outputs.reference import (
    END_MARKER,
    START_MARKER,
    embedded_block,
    field_reference_markdown,
)
from pydantic import BaseModel

REPO = Path(__file__).resolve().parents[1]
CONTRIBUTING = REPO / "CONTRIBUTING.md"
SECTIONS = {"Community": Community, "Veranstaltung": Event, "Nachricht": NewsFrontMatter}


class _Tables(HTMLParser):
    """Collects every table's body rows (cell texts) under the preceding ``h3`` heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._heading: str | None = None
        self._in_h3 = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h3":
            self._in_h3, self._heading = True, ""
        elif tag == "tbody":
            self._in_body = True
            assert self._heading is not None
            self.tables[self._heading] = []
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_h3 = False
        elif tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            assert self._heading is not None
            self.tables[self._heading].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_h3 and self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell.append(data)


def rendered_tables(text: str) -> dict[str, dict[str, list[str]]]:
    """Field name -> row cells, per section heading, from the Markdown as the site renders
    it (the same GitHub Flavored Markdown GitLab shows for CONTRIBUTING.md)."""
    parser = _Tables()
    parser.feed(render_markdown(text))
    return {heading: {row[0]: row for row in rows} for heading, rows in parser.tables.items()}


def model_fields(model: type[BaseModel], prefix: str = "") -> dict[str, typing.Any]:
    """Every field of ``model`` with dotted names for nested models' fields."""
    fields: dict[str, typing.Any] = {}
    for field_name, info in model.model_fields.items():
        name = info.alias or field_name  # as contributors write it (``except``)
        fields[prefix + name] = info
        for candidate in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                fields.update(model_fields(candidate, f"{prefix}{name}."))
    return fields


def literal_values(annotation: typing.Any) -> list[str]:
    """The allowed values of a ``Literal`` annotation (also inside ``X | None``)."""
    if typing.get_origin(annotation) is typing.Literal:
        return [str(v) for v in typing.get_args(annotation)]
    for arg in typing.get_args(annotation):
        values = literal_values(arg)
        if values:
            return values
    return []


def test_contributing_contains_the_current_reference() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert text.count(START_MARKER) == 1 and text.count(END_MARKER) == 1
    assert embedded_block(text) == field_reference_markdown(), (
        "CONTRIBUTING.md ist veraltet: 'oss-portal reference --write' ausführen"
    )


@pytest.mark.parametrize(("heading", "model"), SECTIONS.items())
def test_every_field_is_documented_as_the_model_declares_it(
    heading: str, model: type[BaseModel]
) -> None:
    tables = rendered_tables(embedded_block(CONTRIBUTING.read_text(encoding="utf-8")))
    rows = tables[heading]
    fields = model_fields(model)
    assert list(rows) == list(fields)
    for name, info in fields.items():
        _field, required, allowed, _default, description = rows[name]
        if "." not in name:
            assert required == ("ja" if info.is_required() else "nein"), name
        assert description == (info.description or ""), name
        for value in literal_values(info.annotation):
            assert value in allowed, (name, value)


@pytest.mark.parametrize(
    ("heading", "field", "column", "expected"),
    [
        ("Community", "membership.mode", 3, "open"),
        ("Community", "status", 3, "active"),
        ("Community", "tags", 3, "leere Liste"),
        ("Veranstaltung", "status", 3, "scheduled"),
        ("Veranstaltung", "start", 2, "JJJJ-MM-TTThh:mm"),
        ("Veranstaltung", "registration", 2, "https://…"),
        ("Nachricht", "draft", 3, "false"),
        ("Nachricht", "source.url", 1, "ja, wenn source angegeben ist"),
        ("Nachricht", "deadline", 2, "JJJJ-MM-TT"),
    ],
)
def test_reference_cells(heading: str, field: str, column: int, expected: str) -> None:
    tables = rendered_tables(field_reference_markdown())
    assert expected in tables[heading][field][column]


def _run_reference(project: Path, *flags: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project-dir", default=".")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--project-dir", str(project), "reference", *flags])
    result: int = args.func(args)
    return result


def test_reference_command_writes_and_checks(tmp_path: Path) -> None:
    target = tmp_path / "CONTRIBUTING.md"
    target.write_text(f"# Titel\n\n{START_MARKER}\nalt\n{END_MARKER}\n\nEnde\n", encoding="utf-8")
    assert _run_reference(tmp_path, "--check") == 1
    assert _run_reference(tmp_path, "--write") == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Titel\n\n{START_MARKER}\n\n### Community\n")
    assert text.endswith(f"\n\n{END_MARKER}\n\nEnde\n")
    assert embedded_block(text) == field_reference_markdown()
    assert _run_reference(tmp_path, "--check") == 0
    target.write_text("ohne Markierungen\n", encoding="utf-8")
    assert _run_reference(tmp_path, "--write") == 2


# ------------------------------------------------------------------------------ examples

_BLOCK = re.compile(r"<!-- (beispiel|fehlerbeispiel): (\S+) -->\n```\w*\n(.*?)\n```", re.S)
_OUTPUT = re.compile(r"<!-- fehlerausgabe -->\n```text\n(.*?)\n```", re.S)


def _examples(kind: str) -> dict[str, str]:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    return {path: body + "\n" for k, path, body in _BLOCK.findall(text) if k == kind}


def _project(root: Path, files: dict[str, str]) -> Path:
    (root / "content" / "news").mkdir(parents=True)
    (root / "data").mkdir()
    for name in ("data/communities.yaml", "data/events.yaml"):
        (root / name).write_text("[]\n", encoding="utf-8")
    for rel, body in files.items():
        (root / rel).write_text(body, encoding="utf-8")
    return root


def test_contributing_examples_are_valid_content(tmp_path: Path) -> None:
    examples = _examples("beispiel")
    assert sorted(examples) == [
        "content/news/2026-01-15-netzwerk-nord-erstes-treffen.md",
        "data/communities.yaml",
        "data/events.yaml",
    ]
    catalog, errors = ContentLoader(ContentPaths(_project(tmp_path, examples))).load()
    assert [str(e) for e in errors] == []
    assert [c.id for c in catalog.communities] == ["open-source-netzwerk-nord"]
    assert [e.id for e in catalog.events] == [
        "sprechstunde-netzwerk-nord",
        "netzwerktreffen-nord-2026",
    ]
    assert [n.slug for n in catalog.news] == ["2026-01-15-netzwerk-nord-erstes-treffen"]
    # The examples use every top-level field of their models at least once.
    used = {n for e in catalog.events for n in e.model_fields_set}
    for model, fields in ((Community, catalog.communities[0].model_fields_set), (Event, used)):
        unused = [n for n in model.model_fields if n not in fields]
        assert set(unused) <= {"status", "recording", "documentation"}, unused
    series = catalog.events[0].repeat
    assert series is not None and series.except_ and series.cancelled and series.moved


def test_documented_error_output_is_what_validate_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _examples("fehlerbeispiel")
    files = {"data/communities.yaml": _examples("beispiel")["data/communities.yaml"], **broken}
    project = _project(tmp_path, files)
    assert cli.main(["--project-dir", str(project), "validate"]) == 1
    documented = _OUTPUT.search(CONTRIBUTING.read_text(encoding="utf-8"))
    assert documented is not None
    assert capsys.readouterr().err == documented.group(1) + "\n"
