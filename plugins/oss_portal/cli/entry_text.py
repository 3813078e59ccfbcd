"""A new entry as YAML text, and where it goes in a list file.

The entry is written as text with comments for the optional fields, never by re-dumping
the YAML file, so existing comments and formatting stay as they are. Events go into
``data/events.yaml`` in chronological order when the file is sorted by ``start``.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..core.models import (
    as_datetime,
    parse_moment,
)
from ..core.sources import compose
from ..outputs.reference import FieldDoc
from .entry_kinds import Kind, ScaffoldError, docs_of

_PLAIN_SAFE = re.compile(r"^[^\W\d_][\w .@/+()-]*$")
_YAML_KEYWORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})
_URL_UNSAFE = re.compile(r"[\s\"'#,\[\]{}]|: ")
_WRAP = 84


# --------------------------------------------------------------------------------------
# Rendering YAML text


def yaml_scalar(value: str) -> str:
    """A one-line YAML scalar that reads back as exactly ``value``, as a string.

    Plain only for text starting with a letter and free of YAML indicators (so neither
    YAML 1.1 nor 1.2 tools read a number, date or boolean); otherwise double-quoted, with
    everything non-printable escaped.
    """
    if (
        _PLAIN_SAFE.fullmatch(value)
        and value.lower() not in _YAML_KEYWORDS
        and not value.endswith(" ")
        and "  " not in value
    ):
        return value
    if (
        value.startswith(("https://", "http://", "mailto:"))
        and not _URL_UNSAFE.search(value)
        and not value.endswith(":")  # "mailto:" alone would read as a mapping key
    ):
        return value
    out = ['"']
    for char in value:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char != " " and not char.isprintable():
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _is_foldable(value: str) -> bool:
    return (
        len(value) > _WRAP - 20
        and "\n" not in value
        and "  " not in value
        and value == value.strip()
        and value.isprintable()
    )


def _literal_chomping(text: str) -> str | None:
    """``|-`` or ``|`` when ``text`` survives a literal block unchanged, else ``None``."""
    body = text[:-1] if text.endswith("\n") else text
    if not body or body.endswith("\n") or body[0].isspace():
        return None
    for line in body.split("\n"):
        if line != line.rstrip() or not all(c.isprintable() or c == "\t" for c in line):
            return None
    return "|" if text.endswith("\n") else "|-"


def _render_value(key: str, value: Any, indent: str) -> list[str]:
    """``key: value`` lines; long text folded (``>-``), multi-line text literal (``|``)."""
    if isinstance(value, list):
        return [f"{indent}{key}:"] + [f"{indent}  - {yaml_scalar(str(v))}" for v in value]
    if isinstance(value, bool):
        return [f"{indent}{key}: {'true' if value else 'false'}"]
    text = str(value)
    chomping = _literal_chomping(text) if "\n" in text.rstrip("\n") else None
    if chomping:
        return [f"{indent}{key}: {chomping}"] + [
            f"{indent}  {line}" if line else "" for line in text.rstrip("\n").split("\n")
        ]
    if _is_foldable(text):
        wrapped = textwrap.wrap(
            text, width=_WRAP - len(indent), break_long_words=False, break_on_hyphens=False
        )
        if " ".join(wrapped) == text:
            return [f"{indent}{key}: >-"] + [f"{indent}  {line}" for line in wrapped]
    return [f"{indent}{key}: {yaml_scalar(text)}"]


def _placeholder(doc: FieldDoc) -> str:
    """What a commented-out optional field shows: its default, a choice or an empty value."""
    if doc.is_list:
        return "[]"
    if doc.default_text.startswith("`") and doc.default_text.endswith("`"):
        return doc.default_text.strip("`")
    if doc.choices:
        return doc.choices[0]
    return '""'


def _choice_comment(doc: FieldDoc) -> str:
    """The field's description, plus its allowed values unless the description names them."""
    text = doc.description
    if not all(choice in text for choice in doc.choices):
        text = (
            f"{text} – erlaubt: {', '.join(doc.choices)}"
            if text
            else ("erlaubt: " + ", ".join(doc.choices))
        )
    return text


def render_fields(kind: Kind, values: dict[str, Any], indent: str) -> list[str]:
    """The entry's lines: given values with comments, absent optional fields commented out.

    Fields keep the model's order. A field with fixed choices gets a comment naming them;
    every optional field not given appears as a commented line a contributor can enable
    by deleting the ``# `` in front of it.
    """
    docs = docs_of(kind)
    lines: list[str] = []
    nested: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if "." in name:
            parent, sub = name.split(".", 1)
            nested.setdefault(parent, {})[sub] = value

    def render(doc: FieldDoc, given: Any, pad: str) -> None:
        key = doc.name.rsplit(".", 1)[-1]
        if doc.is_section:
            subs = [d for d in docs.values() if d.parent == doc.name]
            if not given:
                lines.append(f"{pad}# {key}:  # {doc.description}")
                # (A list of sections, like a series' moved dates: one item as the example.)
                marks = ["- "] + ["  "] * (len(subs) - 1) if doc.is_list else [""] * len(subs)
                lines.extend(
                    f"{pad}#   {mark}{d.name.rsplit('.', 1)[-1]}: {_placeholder(d)}  "
                    f"# {d.description}"
                    for mark, d in zip(marks, subs, strict=True)
                )
                return
            lines.append(f"{pad}{key}:")
            for sub in subs:
                render(sub, given.get(sub.name.rsplit(".", 1)[-1]), pad + "  ")
            return
        if given is None or given == []:
            if not doc.required:
                lines.append(f"{pad}# {key}: {_placeholder(doc)}  # {doc.description}")
            return
        if doc.choices:
            lines.append(f"{pad}# {_choice_comment(doc)}")
        lines.extend(_render_value(key, given, pad))

    for doc in docs.values():
        if doc.parent is None:
            render(doc, nested.get(doc.name) if doc.is_section else values.get(doc.name), indent)
    return lines


def render_list_entry(kind: Kind, values: dict[str, Any], dash_indent: str = "") -> list[str]:
    """A YAML list entry (``- id: …``) for ``data/*.yaml``."""
    body = render_fields(kind, values, dash_indent + "  ")
    first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
    comments, rest = body[:first], body[first:]
    # Comments before the first key go above the dash, so the dash stays on the id line.
    lines = [dash_indent + c.lstrip() for c in comments]
    lines.append(dash_indent + "- " + rest[0].lstrip())
    lines.extend(rest[1:])
    return lines


def render_news(kind: Kind, values: dict[str, Any], body: str | None) -> str:
    """A complete news file: front matter with comments, then the Markdown text."""
    front = dict(values)
    if not body:
        front["draft"] = True
    lines = ["---"]
    for line in render_fields(kind, front, ""):
        if line.startswith("draft:") and not body:
            lines.append(
                "# Entwurf: erscheint erst, wenn diese Zeile gelöscht oder auf false gesetzt ist"
            )
        lines.append(line)
    lines.append("---")
    if body:
        lines.append(body.rstrip("\n"))
    else:
        lines.append(
            "<!-- Hier den Text der Nachricht in Markdown schreiben (Absätze durch eine "
            "Leerzeile trennen, Zwischenüberschriften mit ##). -->"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Placing list entries


@dataclass(frozen=True)
class Placement:
    """Where a new list entry goes: before 0-based ``line``, or appended (``None``)."""

    line: int | None
    dash_indent: str
    replace_empty_flow: tuple[int, int] | None = None


def _scalar(mapping: MappingNode, key: str) -> str | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node.value if isinstance(value_node, ScalarNode) else None
    return None


def start_key(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return as_datetime(parse_moment(value))
    except ValueError:
        return None


def plan_placement(text: str, rel: str, sort_key: datetime | None) -> Placement:
    """Find where a new entry goes in a YAML list file.

    With ``sort_key`` (an event's start) and a file whose entries are in chronological
    order, the entry goes before the first later entry and the comment lines directly
    above it; otherwise it is appended.
    """
    node, errors = compose(text, rel)
    if errors or node is None:
        return Placement(None, "")
    if not isinstance(node, SequenceNode):
        return Placement(None, "")
    if node.flow_style:
        if not node.value:
            return Placement(None, "", (node.start_mark.index, node.end_mark.index))
        raise ScaffoldError(
            f"{rel} ist in Kurzschreibweise ([…]) geschrieben – bitte den Eintrag von Hand "
            "ergänzen oder die Datei in die Listenform mit '- ' umstellen"
        )
    lines = text.split("\n")
    dashes: list[int] = []
    for item in node.value:
        line = item.start_mark.line
        while line > 0 and not lines[line].lstrip().startswith("-"):
            line -= 1
        dashes.append(line)
    dash_indent = ""
    if dashes:
        first = lines[dashes[0]]
        dash_indent = first[: len(first) - len(first.lstrip())]
    if sort_key is None or not node.value:
        return Placement(None, dash_indent)
    starts = [
        start_key(_scalar(item, "start")) if isinstance(item, MappingNode) else None
        for item in node.value
    ]
    if any(s is None for s in starts):
        return Placement(None, dash_indent)
    known = [s for s in starts if s is not None]
    if any(later < earlier for earlier, later in itertools.pairwise(known)):
        return Placement(None, dash_indent)
    for start, dash in zip(known, dashes, strict=True):
        if start > sort_key:
            return Placement(_above_comments(lines, dash), dash_indent)
    return Placement(None, dash_indent)


def _above_comments(lines: list[str], dash: int) -> int:
    """The first line of the comment block directly above an entry (it belongs to it).

    A block that starts the file is its header (modeline, licence note), not the entry's.
    """
    line = dash
    while line > 0 and lines[line - 1].lstrip().startswith("#"):
        if "yaml-language-server:" in lines[line - 1]:
            break
        line -= 1
    return dash if line == 0 else line


def insert_entry(text: str, entry: list[str], placement: Placement) -> tuple[str, int]:
    """``text`` with ``entry`` placed; returns the new text and the entry's 1-based line."""
    newline = "\r\n" if "\r\n" in text else "\n"
    source = text.replace("\r\n", "\n")
    if placement.replace_empty_flow is not None:
        start, end = placement.replace_empty_flow
        source = source[:start] + source[end:]
    lines = source.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if placement.line is None:
        while lines and not lines[-1].strip():
            lines.pop()
        before, after = lines, []
    else:
        before, after = lines[: placement.line], lines[placement.line :]
    if before and before[-1].strip():
        before = [*before, ""]
    separator = [""] if after else []
    first_key = next(i for i, line in enumerate(entry) if line.lstrip().startswith("- "))
    result = [*before, *entry, *separator, *after]
    return newline.join(result) + newline, len(before) + first_key + 1
