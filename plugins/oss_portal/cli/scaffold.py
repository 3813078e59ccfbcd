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
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..core import urls
from ..core.errors import format_text
from ..core.loading import ContentLoader, ContentPaths
from ..core.models import (
    SLUG_PATTERN,
    as_datetime,
    parse_moment,
)
from ..outputs.reference import FieldDoc
from .entry_kinds import (
    CHOICE_LABELS,
    DERIVABLE,
    KINDS,
    Kind,
    Question,
    ScaffoldError,
    check_references,
    check_value,
    derive,
    docs_of,
    fill_derived,
    normalize,
)
from .entry_text import (
    insert_entry,
    plan_placement,
    render_list_entry,
    render_news,
    start_key,
)

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2

_SLUG = re.compile(SLUG_PATTERN)
#: Answers that may span several lines (Markdown).
_LONG_TEXTS = frozenset({"description", "body"})


# --------------------------------------------------------------------------------------
# Prompts


@dataclass
class Prompter:
    """Asks for missing values on a terminal, re-asking until a value is acceptable."""

    kind: Kind
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    #: Ids that references may name (``communities``, ``events``), checked per answer.
    known: dict[str, set[str]] = field(default_factory=dict)
    #: Answers kept from an earlier attempt, offered as defaults.
    saved: dict[str, Any] = field(default_factory=dict)

    def _ask(self, text: str) -> str:
        self.stdout.write(text)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise ScaffoldError("Eingabe abgebrochen – nichts geändert")
        return line.strip()

    def _more_lines(self, first: str) -> str:
        """Further lines of a long text (Markdown): an empty line starts a new paragraph,
        a line with only ``.`` ends the text."""
        lines = [first]
        while True:
            line = self._ask("  weiter ('.' beendet den Text): ")
            if line == ".":
                return "\n".join(lines).strip("\n")
            lines.append(line)

    def ask(
        self, question: Question, doc: FieldDoc | None, values: dict[str, Any], required: bool
    ) -> Any:
        """Ask one question; an empty answer keeps the default or skips an optional value."""
        kept = self.saved.get(question.name)
        if isinstance(kept, list):
            kept = ", ".join(str(item) for item in kept)
        default = kept if kept else derive(self.kind, question.name, values)
        choices = doc.choices if doc else ()
        label = question.label
        if choices:
            german = CHOICE_LABELS.get((self.kind.key, question.name), {})
            label += (
                " ("
                + ", ".join(
                    f"{i} {c}" + (f" – {german[c]}" if german.get(c, c).casefold() != c else "")
                    for i, c in enumerate(choices, 1)
                )
                + ")"
            )
        if question.multiple:
            label += ", mehrere mit Komma getrennt"
        offered = sorted(self.known.get(question.name, ()))
        if question.name == "tags" and offered:
            label += (
                " – vorhanden: " + ", ".join(offered[:12]) + (" …" if len(offered) > 12 else "")
            )
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
            if question.name in _LONG_TEXTS and answer != default:
                answer = self._more_lines(answer)
            value: Any = (
                [part.strip() for part in answer.split(",") if part.strip()]
                if question.multiple
                else answer
            )
            value = normalize(self.kind, question, value)
            problem = check_value(self.kind, question, value) or check_references(
                question, value, self.known
            )
            if problem is None:
                return value
            self.stdout.write(f"  {problem}\n")


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
    sort_key = start_key(str(values["start"])) if kind.key == "event" else None
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
        if question.name in DERIVABLE:
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
        q.name: normalize(kind, q, options[q.dest])
        for q in kind.questions
        if options.get(q.dest) not in (None, [])
    }
    missing = _missing(kind, values)
    if missing and interactive:
        docs = docs_of(kind)
        prompter = prompter or Prompter(kind)
        for question in kind.questions:
            if question.name in values:
                continue
            if not question.prompt:
                continue  # rarely known for a new entry: an option, or a field for apply
            if question.applies_if is not None and not question.applies_if(values):
                continue  # does not apply to this entry
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
    return fill_derived(kind, values)


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


def _known_ids(project: Path) -> dict[str, set[str]]:
    """The ids of the project's communities and events, as far as they can be read."""
    catalog, _errors = ContentLoader(ContentPaths(project)).load(preview=True)
    known = {
        "communities": {c.id for c in catalog.communities},
        "events": {e.id for e in catalog.events},
    }
    if catalog.tag_info:  # with a tag list (data/tags.yaml), only its tags are allowed
        known["tags"] = set(catalog.tag_info)
    return known


def _saved_answers(project: Path, kind: Kind) -> Path:
    """Where the answers of a failed attempt are kept (ignored by git)."""
    return project / ".oss-portal" / f"antworten-{kind.key}.json"


def _offer_saved(prompter: Prompter, path: Path) -> None:
    """Offer the answers of the last failed attempt as the defaults."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(saved, dict) or not saved:
        return
    answer = prompter._ask(
        "Beim letzten Mal ließ sich der Eintrag nicht speichern. Ihre Angaben von damals "
        "als Vorschläge übernehmen? [J/n]: "
    )
    if answer.casefold() in ("", "j", "ja", "y", "yes"):
        prompter.saved = saved


def _run(args: argparse.Namespace) -> int:
    kind = KINDS[args.content_type]
    interactive = not args.no_input and sys.stdin.isatty()
    project = Path(args.project_dir).resolve()
    kept = _saved_answers(project, kind)
    try:
        prompter = Prompter(kind, known=_known_ids(project)) if interactive else None
        if prompter is not None and kept.is_file():
            _offer_saved(prompter, kept)
        values = collect_values(kind, vars(args), interactive, prompter)
        code = create(project, kind, values)
        if code == EXIT_OK:
            kept.unlink(missing_ok=True)
        elif interactive:
            kept.parent.mkdir(exist_ok=True)
            kept.write_text(json.dumps(values, ensure_ascii=False, indent=2), encoding="utf-8")
            print(
                f"Ihre Angaben sind gespeichert ({ContentPaths(project).rel(kept)}); "
                f"'oss-portal new {kind.key}' bietet sie beim nächsten Mal an.",
                file=sys.stderr,
            )
        return code
    except ScaffoldError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nAbgebrochen – nichts geändert.", file=sys.stderr)
        return EXIT_USAGE


def _add_options(parser: argparse.ArgumentParser, kind: Kind) -> None:
    docs = docs_of(kind)
    for question in kind.questions:
        doc = docs.get(question.name)
        help_text = question.label
        if doc and doc.choices:
            help_text += ": " + ", ".join(doc.choices)
        if question.hint:
            help_text += f" ({question.hint})"
        if question.required and question.name not in DERIVABLE:
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
