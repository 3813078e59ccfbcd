"""Reading content files into plain values with a parallel tree of source positions.

YAML is parsed into events by libyaml (through PyYAML; its events carry line and column
marks), and both the node graph and the values are built here, not by PyYAML, so that:

* positions are kept for every value and key (errors name ``file:line:col``);
* YAML 1.1 surprises cannot happen: only ``true``/``false`` and ``null`` are resolved
  implicitly; ``16:00``, ``NO``, ``2023-01-11`` and ``1.10`` stay the text they were
  written as, and the models decide what they mean;
* duplicate keys are errors naming both lines;
* alias expansion is bounded (no "billion laughs"), as is nesting depth: the node graph
  is built without recursion, so even a million nested brackets are one error, not a
  crashed process (PyYAML's own composers recurse and overflow the C stack).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ContentError

#: Largest content file accepted, in bytes. Larger files are rejected before parsing.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted (content needs about 4).
MAX_DEPTH = 64
#: Most values that YAML aliases (``*name``) may expand to in one file.
MAX_ALIAS_NODES = 10_000

Loc = tuple[str | int, ...]

# libyaml's event parser: fast, and iterative (no recursion on deep nesting). PyYAML does
# not re-export it as ``yaml.CParser``; without libyaml the pure-Python parser is used.
_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - only without libyaml
    _CParser = None


class _PyEventParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event parser, used only when libyaml is missing."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# YAML 1.2 core-schema style resolution of plain scalars: only booleans and null are
# implicit; numbers, dates and YAML 1.1 words such as ``NO`` stay text.
_IMPLICIT_TAGS = {
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), _BOOL),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), _NULL),
}


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass
class SourceMap:
    """Positions of values (and of their keys) by value path, parallel to the values."""

    values: dict[Loc, Mark] = field(default_factory=dict)
    keys: dict[Loc, Mark] = field(default_factory=dict)

    def locate(self, loc: Loc) -> Mark:
        """Position of the value at ``loc``; for a missing value, its nearest parent."""
        for end in range(len(loc), -1, -1):
            mark = self.values.get(loc[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def locate_key(self, loc: Loc) -> Mark:
        """Position of the key that holds ``loc`` (for unknown fields), else its value."""
        return self.keys.get(loc) or self.locate(loc)


@dataclass
class Document:
    """A loaded YAML document: plain values plus where each came from."""

    path: str
    data: Any
    positions: SourceMap
    #: A list file with a syntax error, read item by item: the items that could not be
    #: read are :data:`UNREADABLE` (see :func:`load_yaml_text`).
    recovered: bool = False
    #: The ids written in unreadable items, by index (for the preview's error pages).
    unreadable_ids: dict[int, str] = field(default_factory=dict)


class _Unreadable:
    def __repr__(self) -> str:
        return "UNREADABLE"


#: The place of a list item that a syntax error made unreadable.
UNREADABLE: Any = _Unreadable()


class _FileProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def linked_part(root: Path, rel: str) -> str | None:
    """The first part of ``rel`` (a path below ``root``) that is a symbolic link, if any.

    Content is read only from regular files inside the project: a link could publish any
    file the build machine can read (in a merge request pipeline, whatever the runner
    sees). Links are refused wherever they point, as Hugo and Jekyll refuse them.
    """
    current = root
    parts = Path(rel).parts
    for depth, part in enumerate(parts, 1):
        current = current / part
        if current.is_symlink():
            return Path(*parts[:depth]).as_posix()
    return None


def find_links(root: Path, folders: Iterable[str]) -> list[str]:
    """Every symbolic link at or below ``folders`` (relative to ``root``), sorted, as
    project-relative paths. Links to folders are reported, not followed."""
    found: set[str] = set()
    pending: list[Path] = []
    for folder in folders:
        linked = linked_part(root, folder)
        if linked is not None:
            found.add(linked)
        elif (root / folder).is_dir():
            pending.append(root / folder)
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                found.add(Path(entry.path).relative_to(root).as_posix())
            elif entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return sorted(found)


def link_error(root: Path, rel: str) -> ContentError:
    """The error for a symbolic link found at ``rel``."""
    what, itself = (
        ("einen Ordner", "den Ordner") if (root / rel).is_dir() else ("eine Datei", "die Datei")
    )
    return ContentError(
        rel,
        1,
        1,
        "",
        f"ist eine Verknüpfung (symbolischer Link) auf {what} – das Portal liest nur echte "
        f"Dateien im Projektordner; bitte die Verknüpfung durch {itself} selbst ersetzen",
    )


def read_text(path: Path, rel: str) -> tuple[str | None, list[ContentError]]:
    """Read a content file as UTF-8 text (BOM and CRLF accepted) within the size limit."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            return None, [
                ContentError(
                    rel,
                    1,
                    1,
                    "",
                    f"Datei ist zu groß ({size / 1024 / 1024:.1f} MiB; "
                    f"erlaubt sind höchstens {limit} MiB) – bitte auf mehrere Dateien aufteilen",
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [ContentError(rel, 1, 1, "", f"Datei kann nicht gelesen werden: {exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[exc.start]
        return None, [
            ContentError(
                rel,
                line,
                column,
                "",
                f"Datei ist nicht UTF-8-kodiert (Byte 0x{byte:02X}) – bitte im Editor "
                "als UTF-8 speichern",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def offset_to_mark(text: str, offset: int) -> Mark:
    """Line and column (both 1-based) of the character at ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return Mark(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


# Both libyaml and PyYAML's pure-Python parser describe problems in parser terms (in
# slightly different words); contributors get the usual cause, in German.
_YAML_HINTS = (
    (("tab",), "Tabulatorzeichen sind in YAML nicht erlaubt – bitte mit Leerzeichen einrücken"),
    (
        ("mapping values are not allowed",),
        "Unerwarteter Doppelpunkt – Text mit ': ' bitte in Anführungszeichen setzen",
    ),
    (
        ("end of stream",),
        "Anführungszeichen oder Klammer wird nicht geschlossen – bitte das Gegenstück ergänzen",
    ),
    (
        ("expected ',' or ']'",),
        "Liste in eckigen Klammern wird nicht geschlossen oder ein Komma fehlt",
    ),
    (
        ("expected ',' or '}'",),
        "Abschnitt in geschweiften Klammern wird nicht geschlossen oder ein Komma fehlt",
    ),
    (("could not find expected ':'",), "Nach dem Feldnamen fehlt der Doppelpunkt (name: wert)"),
    (
        ("expected '-' indicator", "expected <block end>", "expected key"),
        "Die Einrückung passt nicht zu den Zeilen davor – bitte gleich weit einrücken wie die "
        "anderen Felder des Eintrags",
    ),
    (
        ("sequence entries are not allowed",),
        "Listeneintrag ('- ') an unerwarteter Stelle – bitte die Einrückung prüfen",
    ),
    (
        ("expected node content", "expected the node content"),
        "Hier fehlt ein Wert oder er steht an unerwarteter Stelle",
    ),
    (
        ("unknown escape character",),
        "Unbekannte Escape-Folge mit '\\' in doppelten Anführungszeichen – bitte einfache "
        "Anführungszeichen verwenden",
    ),
    (
        ("invalid Unicode character escape",),
        "Ungültige Unicode-Escape-Folge (z. B. '\\ud800', eine halbe Zeichenkodierung) – "
        "bitte das Zeichen selbst tippen",
    ),
    (
        ("cannot start any token",),
        "Dieses Zeichen darf keinen Wert beginnen (z. B. '@' oder '`') – bitte den Wert in "
        "Anführungszeichen setzen",
    ),
)


def _yaml_message(exc: yaml.YAMLError) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    for needles, hint in _YAML_HINTS:
        if any(needle in problem for needle in needles):
            return f"YAML-Syntaxfehler: {hint}"
    context = getattr(exc, "context", None)
    detail = f"{problem} ({context})" if context else problem
    return (
        f"YAML-Syntaxfehler: {detail} – bitte Einrückung, Doppelpunkte und Anführungszeichen prüfen"
    )


class _EditorMarks:
    """Maps parser marks to the lines an editor shows.

    libyaml (and PyYAML) follow YAML 1.1, where NEL, LINE SEPARATOR and PARAGRAPH
    SEPARATOR also end a line; editors do not break there, so after such a character
    every line number would be off. The character index is right, so line and column
    are recomputed from it when the text contains one of them.
    """

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if any(c in text for c in "\x85\u2028\u2029"):
            self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def __call__(self, mark: Any) -> Any:
        if self.starts is None or mark is None:
            return mark
        line = bisect.bisect_right(self.starts, mark.index) - 1
        return yaml.Mark(mark.name, mark.index, line, mark.index - self.starts[line], None, 0)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and message of a scanner/parser error, pointing where it helps most."""
    fix = _EditorMarks(text)
    exc.problem_mark, exc.context_mark = fix(exc.problem_mark), fix(exc.context_mark)
    lines = text.split("\n")
    # Index of the last line with content (not blank, not a comment).
    last = max(
        (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
        default=0,
    )
    mark = exc.problem_mark or exc.context_mark
    # An unclosed quote or bracket, or a key without colon on the last line, is only
    # noticed at the end of the file; the place to fix is where that text began.
    at_end = mark is not None and mark.line > last
    # A bracket list left open runs on into the next lines; the bracket is the place to look.
    unclosed = (
        "expected ',' or" in str(exc.problem)
        and mark is not None
        and exc.context_mark is not None
        and exc.context_mark.line != mark.line
    )
    if ("end of stream" in str(exc.problem) or at_end or unclosed) and exc.context_mark:
        mark = exc.context_mark
    if mark is None:
        return 1, 1, _yaml_message(exc)
    if mark.line > last:  # still nothing better than "the end": the last line with content
        return last + 1, max(len(lines[last]), 1), _yaml_message(exc)
    # libyaml does not name the character it stumbled over; a tab in the indentation is
    # the usual culprit.
    line_text = lines[mark.line]
    if "\t" in line_text[: mark.column + 1] and not line_text[: mark.column].strip(" \t-?:"):
        return mark.line + 1, mark.column + 1, f"YAML-Syntaxfehler: {_YAML_HINTS[0][1]}"
    if _TYPOGRAPHIC_QUOTES.search(line_text):
        key = re.match(r"\s*(?:-\s+)?([\w-]+):\s*(.*)", line_text)
        example = f'{key.group(1)}: "{key.group(2).strip()}"' if key else 'title: "„…“"'
        return mark.line + 1, mark.column + 1, _TYPOGRAPHIC_MESSAGE + example
    return mark.line + 1, mark.column + 1, _yaml_message(exc)


#: Quotation marks a word processor writes; YAML only knows the straight ones.
_TYPOGRAPHIC_QUOTES = re.compile("[\u201e\u201c\u201d\u201a\u2018\u2019\u00ab\u00bb]")
_TYPOGRAPHIC_MESSAGE = (
    "YAML-Syntaxfehler: Typografische Anführungszeichen („…“, “…”, ‘…’) zählen in YAML "
    "nicht als Anführungszeichen – bitte den Wert in gerade Anführungszeichen setzen: "
)


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> tuple[int, int, str]:
    # libyaml reports a byte offset, PyYAML a character offset: find the character itself.
    offset = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
    mark = offset_to_mark(text, offset) if offset >= 0 else Mark(1, 1)
    code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
    return (
        mark.line,
        mark.column,
        (
            f"unerlaubtes Steuerzeichen ({code}) in der Datei – bitte entfernen oder den Text "
            "neu tippen"
        ),
    )


def _compose_events(parser: Any, fix: _EditorMarks) -> Node | None:
    """Build a node graph from parser events without recursion.

    PyYAML's composers recurse once per nesting level, in C (libyaml) a deep file
    overflows the C stack and kills the process (about 30,000 levels of ``[`` or ``- ``),
    in Python it raises RecursionError. Composing from the event stream with an explicit
    stack lets the depth limit apply while reading, so a deeply nested file is rejected
    after ``MAX_DEPTH`` levels, however deep it goes.
    """

    def fixed_event() -> Any:
        event = parser.get_event()
        event.start_mark, event.end_mark = fix(event.start_mark), fix(event.end_mark)
        return event

    get_event = parser.get_event if fix.starts is None else fixed_event
    event = get_event()  # StreamStart
    if isinstance(get_event(), ev.StreamEndEvent):
        return None
    anchors: dict[str, Node] = {}
    # Open collections: the node, its anchor, and a mapping key still waiting for a value.
    stack: list[tuple[Node, str | None, list[Node]]] = []
    root: Node | None = None
    while root is None:
        event = get_event()
        cls = event.__class__
        node: Node
        anchor: str | None = None
        if cls is ev.ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = _IMPLICIT_TAGS.get(event.value, _STR) if event.implicit[0] else _STR
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            anchor = event.anchor
        elif cls is ev.SequenceStartEvent or cls is ev.MappingStartEvent:
            if len(stack) >= MAX_DEPTH:
                raise _FileProblem(
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    f"zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen)",
                )
            is_seq = cls is ev.SequenceStartEvent
            tag = event.tag if event.tag not in (None, "!") else (_SEQ if is_seq else _MAP)
            node = (SequenceNode if is_seq else MappingNode)(
                tag, [], event.start_mark, event.end_mark, event.flow_style
            )
            stack.append((node, event.anchor, []))
            continue
        elif cls is ev.SequenceEndEvent or cls is ev.MappingEndEvent:
            node, anchor, _pending = stack.pop()
            node.end_mark = event.end_mark
        elif cls is ev.AliasEvent:
            if any(open_anchor == event.anchor for _n, open_anchor, _p in stack):
                raise _FileProblem(
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    f"Der Alias *{event.anchor} verweist auf den Wert, in dem er selbst steht",
                )
            if event.anchor not in anchors:
                raise _FileProblem(
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    f"Der Alias *{event.anchor} verweist auf keinen Anker (&{event.anchor})",
                )
            node = anchors[event.anchor]
        else:  # DocumentStart and the like carry no content
            continue
        if anchor is not None:
            if anchor in anchors:
                raise _FileProblem(
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    f"Der Anker &{anchor} ist doppelt vergeben",
                )
            anchors[anchor] = node
        if not stack:
            root = node
        else:
            parent, _anchor, pending = stack[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif pending:
                parent.value.append((pending.pop(), node))
            else:
                pending.append(node)
    get_event()  # DocumentEnd
    event = get_event()
    if not isinstance(event, ev.StreamEndEvent):
        raise _FileProblem(
            event.start_mark.line + 1,
            event.start_mark.column + 1,
            "Die Datei darf nur ein YAML-Dokument enthalten (eine Zeile '---' trennt Dokumente)",
        )
    return root


def compose(text: str, rel: str, line_offset: int = 0) -> tuple[Node | None, list[ContentError]]:
    """Parse YAML text into a node graph, turning every parser error into a ContentError."""
    try:
        try:
            parser = _CParser(text) if _CParser is not None else _PyEventParser(text)
            node = _compose_events(parser, _EditorMarks(text))
        except yaml.MarkedYAMLError as exc:
            if _CParser is None or not _libyaml_depth_limit(exc):
                raise
            # libyaml (0.2.5+) stops at 1,000 levels while still looking ahead, before the
            # composer can apply MAX_DEPTH at the place a contributor must fix; the
            # pure-Python parser has no such limit, and the file is rejected anyway.
            node = _compose_events(_PyEventParser(text), _EditorMarks(text))
    except _FileProblem as problem:
        line, column, message = problem.line, problem.column, problem.message
    except yaml.MarkedYAMLError as exc:
        line, column, message = _syntax_error(exc, text)
    except yaml.reader.ReaderError as exc:
        line, column, message = _reader_error(exc, text)
    except yaml.YAMLError as exc:
        line, column, message = 1, 1, _yaml_message(exc)
    else:
        return node, []
    return None, [ContentError(rel, line + line_offset, column, "", message)]


def _libyaml_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """Whether libyaml gave up on a file nested deeper than its own limit."""
    return "maximum nesting depth" in str(exc.problem)


class _Builder:
    """Turns a node graph into plain values, recording positions and rejecting surprises."""

    def __init__(self, rel: str, line_offset: int, root: str) -> None:
        self.rel = rel
        self.root = root
        self.line_offset = line_offset
        self.positions = SourceMap()
        self.errors: list[ContentError] = []
        self.alias_nodes = 0
        self._seen: set[int] = set()

    def path(self, loc: Loc) -> str:
        return format_loc(loc, self.root)

    def mark(self, node: Node) -> Mark:
        return Mark(node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def error(self, node: Node, path: str, message: str) -> None:
        m = self.mark(node)
        self.errors.append(ContentError(self.rel, m.line, m.column, path, message))

    def build(self, node: Node, loc: Loc, depth: int = 0, aliased: bool = False) -> Any:
        if not aliased and id(node) in self._seen:
            aliased = True  # the same node object again: an alias (*name) is expanded
        self._seen.add(id(node))
        if aliased:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise _FileProblem(
                    self.mark(node).line,
                    self.mark(node).column,
                    f"Aliase (*name) erweitern sich auf mehr als {MAX_ALIAS_NODES} Werte – "
                    "bitte Werte ausschreiben statt Anker zu verschachteln",
                )
        if depth > MAX_DEPTH:
            raise _FileProblem(
                self.mark(node).line,
                self.mark(node).column,
                f"zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen)",
            )
        self.positions.values.setdefault(loc, self.mark(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
        if node.tag not in (_SEQ, _MAP):
            self.error(
                node, self.path(loc), f"YAML-Tag '{node.tag}' ist nicht erlaubt – bitte entfernen"
            )
        if isinstance(node, SequenceNode):
            return [
                self.build(child, (*loc, i), depth + 1, aliased)
                for i, child in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            return self.mapping(node, loc, depth, aliased)
        raise _FileProblem(self.mark(node).line, self.mark(node).column, "unbekannter YAML-Knoten")

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        tag = node.tag
        if tag in (_NULL, _BOOL) and _IMPLICIT_TAGS.get(node.value) == tag:
            return None if tag == _NULL else node.value.lower() == "true"
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value
        self.error(node, self.path(loc), f"YAML-Tag '{tag}' ist nicht erlaubt – bitte entfernen")
        return node.value

    def mapping(self, node: MappingNode, loc: Loc, depth: int, aliased: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:null":
                self.error(key_node, self.path(loc), "Schlüssel muss ein einfacher Name sein")
                continue
            key = str(key_node.value)
            key_loc = (*loc, key)
            key_mark = self.mark(key_node)
            if key == "<<":
                self.error(
                    key_node,
                    self.path(key_loc),
                    "Merge-Schlüssel '<<' wird nicht unterstützt – Felder bitte ausschreiben",
                )
                continue
            if key in first_line:
                self.error(
                    key_node,
                    self.path(key_loc),
                    f"doppelter Schlüssel '{key}' (schon in Zeile {first_line[key]}) – "
                    "bitte einen der beiden entfernen",
                )
                continue
            first_line[key] = key_mark.line
            self.positions.keys[key_loc] = key_mark
            result[key] = self.build(value_node, key_loc, depth + 1, aliased)
        return result


def build_values(
    node: Node, rel: str, line_offset: int = 0, root: str = ""
) -> tuple[Any, SourceMap, list[ContentError]]:
    """Construct plain values from a composed node graph; ``root`` prefixes field paths."""
    builder = _Builder(rel, line_offset, root)
    try:
        data = builder.build(node, ())
    except _FileProblem as problem:
        error = ContentError(rel, problem.line, problem.column, "", problem.message)
        return None, builder.positions, [error]
    return data, builder.positions, builder.errors


def load_yaml_text(
    text: str, rel: str, line_offset: int = 0, root: str = "", *, recover_items: bool = False
) -> tuple[Document | None, list[ContentError]]:
    """Parse YAML text into a Document; ``None`` (with errors) when it cannot be read at all.

    With ``recover_items`` (the list files), a syntax error does not cost the whole file:
    each top-level item (a line starting with ``- ``) is then read on its own, and the
    items that can be read are kept, so that a preview still shows every entry but the
    broken one. The syntax error is reported all the same.
    """
    node, errors = compose(text, rel, line_offset)
    if errors:
        recovered = _read_items(text, rel, root) if recover_items else None
        return recovered, errors
    if node is None:
        return Document(rel, None, SourceMap({(): Mark(1 + line_offset, 1)})), []
    data, positions, errors = build_values(node, rel, line_offset, root)
    return Document(rel, data, positions), errors


#: The id of a list item as written (``- id: x`` or ``  id: x``); whether it is a valid
#: id is for the loader to say.
_ITEM_ID = re.compile(r"^(?:- |  )id:[ \t]*[\"']?([^\s\"'#]+)", re.M)


def _read_items(text: str, rel: str, root: str) -> Document | None:
    """A block list read item by item (``None`` if the text is no such list)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("- ") or line == "-"]
    if not starts:
        return None
    data: list[Any] = []
    unreadable: dict[int, str] = {}
    positions = SourceMap({(): Mark(starts[0] + 1, 1)})
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        item, errors = load_yaml_text("\n".join(lines[start:end]), rel, start, root)
        if errors or item is None or not isinstance(item.data, list) or len(item.data) != 1:
            data.append(UNREADABLE)
            positions.values[(index,)] = Mark(start + 1, 1)
            written = _ITEM_ID.search("\n".join(lines[start:end]))
            if written:
                unreadable[index] = written.group(1)
            continue
        data.append(item.data[0])
        for table, source in (
            (positions.values, item.positions.values),
            (positions.keys, item.positions.keys),
        ):
            for loc, mark in source.items():
                if loc:
                    table[(index, *loc[1:])] = mark
    return Document(rel, data, positions, recovered=True, unreadable_ids=unreadable)


def load_yaml_file(
    path: Path, rel: str, root: str = "", *, recover_items: bool = False
) -> tuple[Document | None, list[ContentError]]:
    """Read and parse one YAML data file (``recover_items``: see :func:`load_yaml_text`)."""
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    return load_yaml_text(text, rel, root=root, recover_items=recover_items)


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class MarkdownSource:
    """A Markdown file split into its front matter document and its body."""

    front_matter: Document | None
    body: str
    #: The line of the file on which the body starts.
    body_line: int


def load_markdown_file(path: Path, rel: str) -> tuple[MarkdownSource | None, list[ContentError]]:
    """Read a Markdown file with YAML front matter between ``---`` lines."""
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        return None, [
            ContentError(
                rel,
                1,
                1,
                "",
                "Kopfbereich fehlt: die Datei muss mit einer Zeile '---' "
                "beginnen, gefolgt von title, date und summary und wieder '---'",
            )
        ]
    end = _FRONT_MATTER_END.search(rest)
    if end is None:
        return None, [
            ContentError(
                rel,
                1,
                1,
                "",
                "Kopfbereich wird nicht geschlossen: nach den Feldern fehlt eine Zeile '---'",
            )
        ]
    yaml_text = rest[: end.start()]
    body = rest[end.end() :].lstrip("\n")
    body_start = len(text) - len(body)
    body_line = offset_to_mark(text, body_start).line
    document, errors = load_yaml_text(yaml_text, rel, line_offset=1)
    return MarkdownSource(document, body, body_line), errors


def format_loc(loc: Loc, root: str = "") -> str:
    """Render a value path as ``events[3].contact.email``."""
    out = root
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
