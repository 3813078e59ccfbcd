"""Reading content files into plain values with a parallel tree of source positions.

YAML is composed with PyYAML's libyaml-backed parser (fast, and its nodes carry line and
column marks), but values are constructed here, not by PyYAML, so that:

* positions are kept for every value and key (errors name ``file:line:col``);
* YAML 1.1 surprises cannot happen: only ``true``/``false`` and ``null`` are resolved
  implicitly; ``16:00``, ``NO``, ``2023-01-11`` and ``1.10`` stay the text they were
  written as, and the models decide what they mean;
* duplicate keys are errors naming both lines;
* alias expansion is bounded (no "billion laughs"), as is nesting depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ContentError

#: Largest content file accepted, in bytes. Larger files are rejected before parsing.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted (content needs about 4).
MAX_DEPTH = 64
#: Most values that YAML aliases (``*name``) may expand to in one file.
MAX_ALIAS_NODES = 10_000

Loc = tuple[str | int, ...]

_CParser: Any = getattr(yaml, "CParser", None)
_Parser: Any = _CParser or yaml.parser.Parser
_NEEDS_READER = _CParser is None


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema style resolution: only booleans and null are implicit."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)

if _NEEDS_READER:  # pragma: no cover - only without libyaml

    class _ComposeLoader(  # type: ignore[misc]
        yaml.reader.Reader, yaml.scanner.Scanner, _Parser, yaml.composer.Composer, _Resolver
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            _Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)

else:

    class _ComposeLoader(_Parser, _Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _Resolver.__init__(self)


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


class _FileProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def read_text(path: Path, rel: str) -> tuple[str | None, list[ContentError]]:
    """Read a content file as UTF-8 text (BOM and CRLF accepted) within the size limit."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            return None, [
                ContentError(
                    rel, 1, 1, "", f"Datei ist zu groß ({size / 1024 / 1024:.1f} MiB; "
                    f"erlaubt sind höchstens {limit} MiB) – bitte auf mehrere Dateien aufteilen"
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
                rel, line, column, "",
                f"Datei ist nicht UTF-8-kodiert (Byte 0x{byte:02X}) – bitte im Editor "
                "als UTF-8 speichern",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def _max_flow_depth(text: str) -> tuple[int, int]:
    """Deepest ``[``/``{`` nesting and its offset; libyaml's composer recurses without limit."""
    depth = deepest = where = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
        else:
            depth = max(0, depth - 1)
    return deepest, where


def _offset_to_mark(text: str, offset: int) -> Mark:
    line = text.count("\n", 0, offset) + 1
    return Mark(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


_YAML_HINTS = (
    ("'\\t'", "Tabulatorzeichen sind in YAML nicht erlaubt – bitte mit Leerzeichen einrücken"),
    ("found duplicate anchor", "Ein Anker (&name) ist doppelt vergeben"),
    ("found undefined alias", "Ein Alias (*name) verweist auf keinen Anker"),
    ("mapping values are not allowed here",
     "Unerwarteter Doppelpunkt – Text mit ': ' bitte in Anführungszeichen setzen"),
    ("expected a single document", "Die Datei darf nur ein YAML-Dokument enthalten"),
)


def _yaml_message(exc: yaml.YAMLError) -> str:
    text = str(getattr(exc, "problem", None) or exc)
    for needle, hint in _YAML_HINTS:
        if needle in text or needle in str(exc):
            return f"YAML-Syntaxfehler: {hint}"
    context = getattr(exc, "context", None)
    detail = f"{text} ({context})" if context else text
    return f"YAML-Syntaxfehler: {detail} – bitte Einrückung, Doppelpunkte und Anführungszeichen prüfen"


def compose(text: str, rel: str, line_offset: int = 0) -> tuple[Node | None, list[ContentError]]:
    """Parse YAML text into a node graph, turning every parser error into a ContentError."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth, where = _max_flow_depth(text)
        if depth > MAX_DEPTH:
            mark = _offset_to_mark(text, where)
            return None, [
                ContentError(
                    rel, mark.line + line_offset, mark.column, "",
                    f"zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen)",
                )
            ]
    loader = _ComposeLoader(text)
    try:
        node: Node | None = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [ContentError(rel, line + line_offset, column, "", _yaml_message(exc))]
    except yaml.YAMLError as exc:
        return None, [ContentError(rel, 1 + line_offset, 1, "", _yaml_message(exc))]
    finally:
        loader.dispose()
    return node, []


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
                    self.mark(node).line, self.mark(node).column,
                    f"Aliase (*name) erweitern sich auf mehr als {MAX_ALIAS_NODES} Werte – "
                    "bitte Werte ausschreiben statt Anker zu verschachteln",
                )
        if depth > MAX_DEPTH:
            raise _FileProblem(
                self.mark(node).line, self.mark(node).column,
                f"zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen)",
            )
        self.positions.values.setdefault(loc, self.mark(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
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
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return node.value.lower() == "true"
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
                self.error(key_node, self.path(key_loc),
                           "Merge-Schlüssel '<<' wird nicht unterstützt – Felder bitte ausschreiben")
                continue
            if key in first_line:
                self.error(
                    key_node, self.path(key_loc),
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
        return None, builder.positions, [ContentError(rel, problem.line, problem.column, "", problem.message)]
    return data, builder.positions, builder.errors


def load_yaml_text(
    text: str, rel: str, line_offset: int = 0, root: str = ""
) -> tuple[Document | None, list[ContentError]]:
    """Parse YAML text into a Document; ``None`` (with errors) when it cannot be read at all."""
    node, errors = compose(text, rel, line_offset)
    if errors:
        return None, errors
    if node is None:
        return Document(rel, None, SourceMap({(): Mark(1 + line_offset, 1)})), []
    data, positions, errors = build_values(node, rel, line_offset, root)
    return Document(rel, data, positions), errors


def load_yaml_file(path: Path, rel: str, root: str = "") -> tuple[Document | None, list[ContentError]]:
    """Read and parse one YAML data file."""
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    return load_yaml_text(text, rel, root=root)


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class MarkdownSource:
    """A Markdown file split into its front matter document and its body."""

    front_matter: Document | None
    body: str
    body_line: int


def load_markdown_file(path: Path, rel: str) -> tuple[MarkdownSource | None, list[ContentError]]:
    """Read a Markdown file with YAML front matter between ``---`` lines."""
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        return None, [
            ContentError(rel, 1, 1, "", "Kopfbereich fehlt: die Datei muss mit einer Zeile '---' "
                         "beginnen, gefolgt von title, date und summary und wieder '---'")
        ]
    end = _FRONT_MATTER_END.search(rest)
    if end is None:
        return None, [
            ContentError(rel, 1, 1, "", "Kopfbereich wird nicht geschlossen: nach den Feldern "
                         "fehlt eine Zeile '---'")
        ]
    yaml_text = rest[: end.start()]
    body = rest[end.end():].lstrip("\n")
    body_line = text.count("\n", 0, len(first_line) + 1 + end.end()) + 2
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
