"""Content errors: one actionable line per mistake, collected across all files.

Every error names the file (relative to the project), the line and column, the field path
and a German message a contributor can act on, e.g.::

    data/events.yaml:42:12: events[3].start: '2025-13-01' ist kein gültiges Datum (...)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from xml.etree import ElementTree as ET


@dataclass(frozen=True, order=True)
class ContentError:
    """A mistake in a content file, positioned at the offending YAML node."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """Return the error as plain values (for the JSON report)."""
        return asdict(self)


def format_text(errors: Iterable[ContentError]) -> str:
    """Render errors for people: one line each, sorted, with a closing count."""
    items = sorted(errors)
    if not items:
        return "Alle Inhalte sind gültig."
    lines = [str(e) for e in items]
    lines.append(f"{len(items)} Fehler gefunden.")
    return "\n".join(lines)


def format_json(errors: Iterable[ContentError]) -> str:
    """Render errors as a JSON document for tools."""
    items = sorted(errors)
    return json.dumps(
        {"valid": not items, "errors": [e.as_dict() for e in items]}, ensure_ascii=False, indent=2
    )


def format_junit(errors: Iterable[ContentError], checked_files: Iterable[str]) -> str:
    """Render errors as JUnit XML: one test case per checked file, one failure per error.

    GitLab shows each failing test case in the merge-request widget; the case name and the
    ``file`` attribute carry the content file so the contributor sees where to look.
    """
    items = sorted(errors)
    by_file: dict[str, list[ContentError]] = {}
    for name in checked_files:
        by_file.setdefault(name, [])
    for error in items:
        by_file.setdefault(error.path, []).append(error)
    suite = ET.Element(
        "testsuite",
        name="Inhaltsprüfung",
        tests=str(len(by_file)),
        failures=str(sum(1 for errs in by_file.values() if errs)),
        errors="0",
    )
    for name in sorted(by_file):
        case = ET.SubElement(suite, "testcase", classname="inhalt", name=name, file=name)
        file_errors = by_file[name]
        if file_errors:
            failure = ET.SubElement(
                case, "failure", message=str(file_errors[0]), type="ContentError"
            )
            failure.text = "\n".join(str(e) for e in file_errors)
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
