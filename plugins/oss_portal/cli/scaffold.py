"""``oss-portal new community|event|news``: add a valid, commented entry and validate it.

Values come from options, or from prompts when standard input is a terminal and a
required value is missing. The entry is written as text, never by re-dumping the YAML
file, so existing comments and formatting stay as they are:

* communities are appended to ``data/communities.yaml``;
* events go into ``data/events.yaml`` in chronological order when the file is sorted by
  ``start`` (otherwise they are appended);
* news become ``content/news/JJJJ-MM-TT-<kennung>.md``.

Afterwards the whole content is validated exactly as ``oss-portal validate`` does. On
errors they are reported the same way, the change is undone and the exit code is 1.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

from pydantic import BaseModel, TypeAdapter, ValidationError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..core import urls
from ..core.errors import format_text
from ..core.loading import ContentLoader, ContentPaths
from ..core.models import (
    BERLIN,
    MAX_ID_LENGTH,
    RESERVED_IDS,
    SLUG_PATTERN,
    Community,
    Event,
    NewsFrontMatter,
    as_datetime,
    parse_moment,
)
from ..core.sources import compose
from ..core.validation import german_message
from ..outputs.reference import FieldDoc, field_docs

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2

_SLUG = re.compile(SLUG_PATTERN)
_PLAIN_SAFE = re.compile(r"^[^\W\d_][\w .@/+()-]*$")
_YAML_KEYWORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})
_URL_UNSAFE = re.compile(r"[\s\"'#,\[\]{}]|: ")
_WRAP = 84
#: Values ``new`` derives when not given: ids and slugs from the name or title, dates today.
_DERIVABLE = frozenset({"id", "slug", "date"})


class ScaffoldError(Exception):
    """A problem that stops ``new`` before anything is written (usage, not content)."""


# --------------------------------------------------------------------------------------
# What ``new`` asks for


@dataclass(frozen=True)
class Question:
    """One value ``new`` takes: the model field it fills, its option and its prompt."""

    name: str
    option: str
    label: str
    multiple: bool = False
    required: bool = False
    #: For values that are required only in some cases (an event's location).
    required_if: Callable[[dict[str, Any]], bool] | None = None
    #: Help and prompt hint when the field's description is not enough.
    hint: str = ""
    #: Not a model field (news slug, news text): used to build the entry, not validated.
    extra: bool = False

    @property
    def dest(self) -> str:
        """Attribute name in the parsed arguments."""
        return self.option.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Kind:
    """A content type ``new`` can create."""

    key: str
    title: str
    model: type[BaseModel]
    questions: tuple[Question, ...]


def _onsite(values: dict[str, Any]) -> bool:
    return values.get("format") in ("onsite", "hybrid")


KINDS: dict[str, Kind] = {
    "community": Kind(
        "community",
        "Community",
        Community,
        (
            Question("name", "--name", "Name", required=True),
            Question(
                "id",
                "--id",
                "Kennung",
                required=True,
                hint="wird aus dem Namen gebildet, wenn nicht angegeben",
            ),
            Question("kind", "--kind", "Art", required=True),
            Question("level", "--level", "Verwaltungsebene", required=True),
            Question("summary", "--summary", "Kurzbeschreibung (ein Satz)", required=True),
            Question("organizers", "--organizer", "Tragende Organisationen", multiple=True),
            Question("since", "--since", "Seit (JJJJ, JJJJ-MM oder JJJJ-MM-TT)"),
            Question("website", "--website", "Website"),
            Question("contact.email", "--email", "Kontakt: E-Mail (Funktionspostfach)"),
            Question("contact.url", "--contact-url", "Kontakt: Webseite"),
            Question("membership.mode", "--membership", "Mitgliedschaft"),
            Question(
                "membership.deadline", "--membership-deadline", "Bewerbungsfrist (JJJJ-MM-TT)"
            ),
            Question("tags", "--tag", "Schlagwörter", multiple=True),
            Question("description", "--description", "Ausführliche Beschreibung (Markdown)"),
        ),
    ),
    "event": Kind(
        "event",
        "Veranstaltung",
        Event,
        (
            Question("title", "--title", "Titel", required=True),
            Question(
                "start", "--start", "Beginn (JJJJ-MM-TT oder JJJJ-MM-TTThh:mm)", required=True
            ),
            Question("end", "--end", "Ende (im selben Format wie der Beginn)"),
            Question(
                "id",
                "--id",
                "Kennung",
                required=True,
                hint="wird aus Titel und Jahr gebildet, wenn nicht angegeben",
            ),
            Question("format", "--format", "Format", required=True),
            Question("location", "--location", "Ort mit Adresse", required_if=_onsite),
            Question("summary", "--summary", "Kurzbeschreibung (ein Satz)", required=True),
            Question("registration", "--registration", "Anmeldeseite"),
            Question(
                "communities", "--community", "Beteiligte Communities (Kennungen)", multiple=True
            ),
            Question("organizers", "--organizer", "Veranstaltende Organisationen", multiple=True),
            Question("tags", "--tag", "Schlagwörter", multiple=True),
            Question("description", "--description", "Ausführliche Beschreibung (Markdown)"),
        ),
    ),
    "news": Kind(
        "news",
        "Nachricht",
        NewsFrontMatter,
        (
            Question("title", "--title", "Überschrift", required=True),
            Question("date", "--date", "Datum (JJJJ-MM-TT)", required=True, hint="Standard: heute"),
            Question(
                "slug",
                "--slug",
                "Kennung für den Dateinamen",
                required=True,
                extra=True,
                hint="wird aus der Überschrift gebildet, wenn nicht angegeben",
            ),
            Question("summary", "--summary", "Kurzfassung (ein Satz)", required=True),
            Question("tags", "--tag", "Schlagwörter", multiple=True),
            Question(
                "communities",
                "--community",
                "Communities, um die es geht (Kennungen)",
                multiple=True,
            ),
            Question(
                "events", "--event", "Veranstaltungen, um die es geht (Kennungen)", multiple=True
            ),
            Question("source.name", "--source-name", "Quelle: Name"),
            Question("source.url", "--source-url", "Quelle: Adresse"),
            Question("deadline", "--deadline", "Frist bei Aufrufen (JJJJ-MM-TT)"),
            Question(
                "body",
                "--text",
                "Text der Nachricht (Markdown)",
                extra=True,
                hint="ohne Text wird die Nachricht als Entwurf (draft: true) angelegt",
            ),
        ),
    ),
}


def _docs(kind: Kind) -> dict[str, FieldDoc]:
    return {doc.name: doc for doc in field_docs(kind.model)}


# --------------------------------------------------------------------------------------
# Deriving values


def new_id(text: str, limit: int = MAX_ID_LENGTH) -> str:
    """A valid, unreserved id from free text (see :func:`urls.slugify`)."""
    slug = urls.slugify(text, limit)
    if slug in RESERVED_IDS:
        slug = f"{slug}-1"
    return slug


def _derive(kind: Kind, name: str, values: dict[str, Any]) -> str | None:
    """Default for ``id``/``slug``/``date`` derived from values given so far."""
    if kind.key == "community" and name == "id" and values.get("name"):
        return new_id(str(values["name"])) or None
    if kind.key == "event" and name == "id" and values.get("title"):
        slug = new_id(str(values["title"]), MAX_ID_LENGTH - 5)
        year = str(values.get("start", ""))[:4]
        if year.isdigit() and year not in slug.split("-"):
            slug = f"{slug}-{year}"
        return slug or None
    if kind.key == "news" and name == "slug" and values.get("title"):
        return new_id(str(values["title"]), MAX_ID_LENGTH - 11) or None
    if kind.key == "news" and name == "date":
        return datetime.now(BERLIN).date().isoformat()
    return None


# --------------------------------------------------------------------------------------
# Checking single values (prompts)


def _field_adapter(model: type[BaseModel], dotted: str) -> tuple[TypeAdapter[Any], type[BaseModel]]:
    current = model
    *parents, name = dotted.split(".")
    for parent in parents:
        container: Any = current.model_fields[parent].annotation
        current = next(
            a
            for a in (container, *getattr(container, "__args__", ()))
            if isinstance(a, type) and issubclass(a, BaseModel)
        )
    info = current.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation), current


def check_value(kind: Kind, question: Question, value: Any) -> str | None:
    """A German message when ``value`` is not acceptable for the question's field."""
    if question.extra:
        if question.name == "slug" and not _SLUG.match(str(value)):
            return (
                f"'{value}' ist keine gültige Kennung: nur Kleinbuchstaben a–z, Ziffern und "
                "einzelne Bindestriche"
            )
        return None
    adapter, model = _field_adapter(kind.model, question.name)
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        return german_message(exc.errors(include_url=False)[0], model)
    return None


# --------------------------------------------------------------------------------------
# Prompts


@dataclass
class Prompter:
    """Asks for missing values on a terminal, re-asking until a value is acceptable."""

    kind: Kind
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)

    def _ask(self, text: str) -> str:
        self.stdout.write(text)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise ScaffoldError("Eingabe abgebrochen – nichts geändert")
        return line.strip()

    def ask(
        self, question: Question, doc: FieldDoc | None, values: dict[str, Any], required: bool
    ) -> Any:
        """Ask one question; an empty answer keeps the default or skips an optional value."""
        default = _derive(self.kind, question.name, values)
        choices = doc.choices if doc else ()
        label = question.label
        if choices:
            label += " (" + ", ".join(f"{i} {c}" for i, c in enumerate(choices, 1)) + ")"
        if question.multiple:
            label += ", mehrere mit Komma getrennt"
        if default:
            label += f" [{default}]"
        elif not required:
            label += " – optional, Eingabetaste überspringt"
        while True:
            answer = self._ask(f"{label}: ")
            if not answer:
                if default:
                    answer = default
                elif not required:
                    return None
                else:
                    self.stdout.write("  Bitte einen Wert angeben.\n")
                    continue
            if choices and answer.isdigit() and 1 <= int(answer) <= len(choices):
                answer = choices[int(answer) - 1]
            value: Any = (
                [part.strip() for part in answer.split(",") if part.strip()]
                if question.multiple
                else answer
            )
            problem = check_value(self.kind, question, value)
            if problem is None:
                return value
            self.stdout.write(f"  {problem}\n")


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
    if value.startswith(("https://", "http://", "mailto:")) and not _URL_UNSAFE.search(value):
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
    docs = _docs(kind)
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
                lines.extend(
                    f"{pad}#   {d.name.rsplit('.', 1)[-1]}: {_placeholder(d)}  # {d.description}"
                    for d in subs
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


def _start_key(value: str | None) -> datetime | None:
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
        _start_key(_scalar(item, "start")) if isinstance(item, MappingNode) else None
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


# --------------------------------------------------------------------------------------
# Writing and validating


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Change:
    """One file written by ``new``, with what it held before (``None``: it did not exist)."""

    path: Path
    original: bytes | None

    def undo(self) -> None:
        """Put the file back as it was."""
        if self.original is None:
            self.path.unlink(missing_ok=True)
        else:
            _write_atomic(self.path, self.original)


def _list_file_text(path: Path, rel: str, schema: str) -> tuple[str, bytes | None]:
    if not path.exists():
        return f"# yaml-language-server: $schema=../schemas/{schema}\n", None
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8"), raw
    except UnicodeDecodeError as exc:
        raise ScaffoldError(
            f"{rel} ist nicht UTF-8-kodiert – bitte zuerst im Editor als UTF-8 speichern"
        ) from exc


def add_list_entry(project: Path, kind: Kind, values: dict[str, Any]) -> tuple[Change, str]:
    """Write a community or event into its list file; returns the change and a location."""
    paths = ContentPaths(project)
    rel = paths.communities if kind.key == "community" else paths.events
    schema = "community.schema.json" if kind.key == "community" else "event.schema.json"
    path = project / rel
    text, original = _list_file_text(path, rel, schema)
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    sort_key = _start_key(str(values["start"])) if kind.key == "event" else None
    placement = plan_placement(body.replace("\r\n", "\n"), rel, sort_key)
    entry = render_list_entry(kind, values, placement.dash_indent)
    updated, line = insert_entry(body, entry, placement)
    _write_atomic(path, (("\ufeff" if bom else "") + updated).encode("utf-8"))
    return Change(path, original), f"{rel}:{line}"


def add_news(
    project: Path, kind: Kind, values: dict[str, Any], slug: str, body: str | None
) -> tuple[Change, str]:
    """Write a news file named after its date and slug."""
    paths = ContentPaths(project)
    try:
        day = parse_moment(values["date"])
    except ValueError as exc:
        raise ScaffoldError(
            f"--date: '{values['date']}' ist kein gültiges Datum "
            "(erwartet: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm)"
        ) from exc
    name = f"{as_datetime(day).date().isoformat()}-{slug}.md"
    path = project / paths.news_dir / name
    rel = paths.rel(path)
    if path.exists():
        raise ScaffoldError(f"{rel} gibt es schon – bitte eine andere Kennung (--slug) wählen")
    _write_atomic(path, render_news(kind, values, body).encode("utf-8"))
    return Change(path, None), f"{rel}:1"


def _page_hint(kind: Kind, values: dict[str, Any], slug: str | None) -> str:
    if kind.key == "community":
        return urls.community(str(values["id"]))
    if kind.key == "event":
        return urls.event(str(values["id"]))
    day = as_datetime(parse_moment(values["date"])).date().isoformat()
    return urls.news(f"{day}-{slug}")


# --------------------------------------------------------------------------------------
# The command


def _missing(kind: Kind, values: dict[str, Any]) -> list[Question]:
    """Required questions without a value (after deriving what can be derived)."""
    missing = []
    for question in kind.questions:
        if question.name in values:
            continue
        if question.name in _DERIVABLE:
            continue  # follows from title or name (missing ones are reported themselves)
        if question.required or (question.required_if and question.required_if(values)):
            missing.append(question)
    return missing


def collect_values(
    kind: Kind, options: dict[str, Any], interactive: bool, prompter: Prompter | None = None
) -> dict[str, Any]:
    """All values: options first; then prompts (when ``interactive`` and something required
    is missing) or derived defaults. Raises :class:`ScaffoldError` when values are missing.
    """
    values = {
        q.name: options[q.dest] for q in kind.questions if options.get(q.dest) not in (None, [])
    }
    missing = _missing(kind, values)
    if missing and interactive:
        docs = _docs(kind)
        prompter = prompter or Prompter(kind)
        for question in kind.questions:
            if question.name in values:
                continue
            required = question.required or bool(
                question.required_if and question.required_if(values)
            )
            answer = prompter.ask(question, docs.get(question.name), values, required)
            if answer not in (None, []):
                values[question.name] = answer
        return values
    if missing:
        raise ScaffoldError(
            "Es fehlen Angaben: " + ", ".join(q.option for q in missing) + ". Alle Werte als "
            f"Optionen angeben (siehe 'oss-portal new {kind.key} --help') oder den Befehl in "
            "einem Terminal aufrufen, um danach gefragt zu werden."
        )
    for question in kind.questions:
        if question.required and question.name not in values:
            derived = _derive(kind, question.name, values)
            if derived is not None:
                values[question.name] = derived
    return values


def create(
    project: Path,
    kind: Kind,
    values: dict[str, Any],
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Write the entry, validate all content, undo on errors; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    values = dict(values)
    slug = values.pop("slug", None)
    body = values.pop("body", None)
    if kind.key == "news":
        if not slug or not _SLUG.match(str(slug)):
            raise ScaffoldError(
                f"--slug: '{slug}' ist keine gültige Kennung (nur a–z, 0–9 und "
                "einzelne Bindestriche)"
            )
        change, where = add_news(project, kind, values, str(slug), body)
    else:
        change, where = add_list_entry(project, kind, values)
    try:
        _catalog, errors = ContentLoader(ContentPaths(project)).load()
    except BaseException:
        change.undo()  # never leave an unchecked file behind, whatever went wrong
        raise
    if errors:
        print(format_text(errors), file=err)
        change.undo()
        action = "wieder gelöscht" if change.original is None else "unverändert wiederhergestellt"
        print(
            f"Nichts geändert: {ContentPaths(project).rel(change.path)} wurde {action}. "
            "Bitte die Angaben korrigieren und den Befehl erneut ausführen.",
            file=err,
        )
        return EXIT_CONTENT
    print(f"{kind.title} angelegt: {where}", file=out)
    print(format_text(errors), file=out)
    page = _page_hint(kind, values, slug)
    print(f"Vorschau mit 'mkdocs serve', dann http://127.0.0.1:8000/{page}", file=out)
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    kind = KINDS[args.content_type]
    interactive = not args.no_input and sys.stdin.isatty()
    project = Path(args.project_dir).resolve()
    try:
        values = collect_values(kind, vars(args), interactive)
        return create(project, kind, values)
    except ScaffoldError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nAbgebrochen – nichts geändert.", file=sys.stderr)
        return EXIT_USAGE


def _add_options(parser: argparse.ArgumentParser, kind: Kind) -> None:
    docs = _docs(kind)
    for question in kind.questions:
        doc = docs.get(question.name)
        help_text = question.label
        if doc and doc.choices:
            help_text += ": " + ", ".join(doc.choices)
        if question.hint:
            help_text += f" ({question.hint})"
        if question.required and question.name not in _DERIVABLE:
            help_text += " – Pflicht"
        elif question.required_if:
            help_text += " – Pflicht bei onsite und hybrid"
        if question.multiple:
            parser.add_argument(
                question.option,
                dest=question.dest,
                action="append",
                metavar="WERT",
                help=help_text + ", mehrfach möglich",
            )
        else:
            parser.add_argument(question.option, dest=question.dest, metavar="WERT", help=help_text)
    parser.add_argument(
        "--no-input",
        action="store_true",
        help="nie nachfragen, auch nicht im Terminal (für Skripte)",
    )


def register(sub: Any) -> None:
    """Add the ``new`` command (``new community|event|news``) to the CLI."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "new",
        help="neuen Eintrag anlegen (community, event, news)",
        description="Legt einen kommentierten Eintrag an und prüft danach alle Inhalte. "
        "Fehlende Pflichtangaben werden im Terminal abgefragt.",
    )
    kinds = parser.add_subparsers(
        dest="content_type", required=True, metavar="{community,event,news}"
    )
    for kind in KINDS.values():
        kind_parser = kinds.add_parser(kind.key, help=f"{kind.title} anlegen")
        _add_options(kind_parser, kind)
        kind_parser.set_defaults(func=_run)
