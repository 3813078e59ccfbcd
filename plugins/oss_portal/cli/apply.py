"""``oss-portal apply FILE|-``: an entry from an issue text (or plain YAML) into its file.

The entry is the first fenced ``yaml`` block of the text (an issue's description), or the
whole text when it has none: a mapping with the fields of one community, event or news
item (a news item's text under ``text``). Its kind follows from its fields (``--kind``
overrides). It is written exactly as ``oss-portal new`` writes an entry – at the right
place in ``data/*.yaml`` or as ``content/news/JJJJ-MM-TT-kennung.md`` – and then all
content is validated; on any error every file stays as it was.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from ..core.sources import load_yaml_text
from ..core.validation import suggest_field
from .entry_kinds import KINDS, Kind, ScaffoldError, fill_derived, normalize
from .scaffold import EXIT_CONTENT, EXIT_USAGE, create

#: A fenced YAML block in Markdown (an issue description).
_FENCE = re.compile(r"^```ya?ml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
#: The field holding a news item's text (not a front-matter field).
_TEXT_KEYS = ("text", "body")


def entry_text(text: str) -> str:
    """The YAML of the entry: the first fenced ``yaml`` block, else the whole text."""
    match = _FENCE.search(text)
    return match.group(1) if match else text


def guess_kind(data: dict[str, Any]) -> Kind | None:
    """The kind an entry's fields describe."""
    if "start" in data or "format" in data:
        return KINDS["event"]
    if "name" in data or "level" in data or "membership" in data:
        return KINDS["community"]
    if "date" in data or "deadline" in data or any(key in data for key in _TEXT_KEYS):
        return KINDS["news"]
    return None


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """``{"contact": {"email": …}}`` -> ``{"contact.email": …}`` (the questions' names)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{sub}": inner for sub, inner in value.items()})
        else:
            flat[str(key)] = value
    return flat


def values_for(kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    """The entry's values as ``oss-portal new`` takes them; unknown fields are errors."""
    flat = _flatten(data)
    for key in _TEXT_KEYS:
        if key in flat and kind.key == "news":
            flat["body"] = flat.pop(key)
    names = {q.name for q in kind.questions} | ({"id"} if kind.key == "news" else set())
    unknown = sorted(set(flat) - names)
    if unknown:
        allowed = [q.name for q in kind.questions]
        hints = []
        for name in unknown:
            close = suggest_field(name, allowed)
            hints.append(f"'{name}'" + (f" (meinten Sie '{close}'?)" if close else ""))
        raise ScaffoldError(
            f"unbekannte Felder für {kind.title}: {', '.join(hints)} – erlaubt sind "
            + ", ".join(allowed)
        )
    if kind.key == "news" and "id" in flat:
        flat["slug"] = flat.pop("id")
    values: dict[str, Any] = {}
    for question in kind.questions:
        if question.name in flat and flat[question.name] not in (None, "", []):
            value = flat[question.name]
            if question.multiple and not isinstance(value, list):
                value = [value]
            if not isinstance(value, list | bool):
                value = str(value)
            values[question.name] = normalize(kind, question, value)
    return fill_derived(kind, values)


def apply_text(project: Path, text: str, kind_key: str | None = None) -> int:
    """Write the entry in ``text`` into ``project``; returns the exit code."""
    # A description sent by a browser form has CRLF line ends.
    source = entry_text(text.replace("\r\n", "\n"))
    document, errors = load_yaml_text(source, "Eintrag")
    if errors or document is None:
        for error in errors:
            print(error, file=sys.stderr)
        return EXIT_CONTENT
    data = document.data
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        print(
            "Eintrag: kein Eintrag gefunden – erwartet werden Felder wie 'title: …', am besten "
            "in einem Block ```yaml … ```",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    kind = KINDS[kind_key] if kind_key else guess_kind(data)
    if kind is None:
        print(
            "Eintrag: die Art ist nicht zu erkennen – bitte mit --kind community, event "
            "oder news angeben",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return create(project, kind, values_for(kind, data))
    except ScaffoldError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_CONTENT


def _run(args: argparse.Namespace) -> int:
    if args.file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args.file}: nicht lesbar ({exc})", file=sys.stderr)
            return EXIT_USAGE
    return apply_text(Path(args.project_dir).resolve(), text, args.kind)


def register(sub: Any) -> None:
    """Add the ``apply`` command to the CLI."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "apply",
        help="Eintrag aus einem Issue-Text übernehmen",
        description="Übernimmt einen Eintrag (ein ```yaml-Block im Text eines Issues oder "
        "reines YAML) in die richtige Datei an der richtigen Stelle und prüft danach alle "
        "Inhalte; bei einem Fehler bleibt jede Datei, wie sie war.",
    )
    parser.add_argument("file", metavar="DATEI", help="Textdatei, oder - für die Eingabe")
    parser.add_argument("--kind", choices=sorted(KINDS), help="Art des Eintrags")
    parser.set_defaults(func=_run)
