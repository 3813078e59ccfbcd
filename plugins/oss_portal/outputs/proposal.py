"""The page "Eintrag vorschlagen": one form per kind of entry, generated from the schemas.

Each form is derived from the JSON Schema that :mod:`.schemas` generates from the models
(the same one the site publishes under ``schemas/`` and editors use), so a field added to a
model appears in the form by itself: its German ``title`` becomes the label, its
``description`` the hint, its type the input. In the browser, ``propose.js`` checks every
field against that schema (embedded in the page) with a bundled validator, shows the entry
as YAML and opens a new issue on openCoDE with it. Without JavaScript the same form is a
text area holding a commented YAML template, sent to the same new-issue address.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.formatting import CHOICE_LABELS
from ..core.models import SLUG_PATTERN
from .schemas import content_schemas, resolve

#: Fields a new entry does not choose: it is active, scheduled and published.
#: (``moved``: dates of a series changed later, a list of sections the form has no widget
#: for; the editorial team adds them in the file.)
NOT_ASKED = frozenset({"status", "draft", "moved"})
#: List fields holding ids of other entries, by the kind they refer to.
REFERENCES = {"communities": "community", "events": "event", "tags": "tag"}
#: Up to this many entries to refer to are offered as checkboxes, more as a text field
#: with suggestions.
MAX_CHECKBOXES = 40
#: Values derived when left empty: the id from the name or title (as ``oss-portal new``).
DERIVED = {"id": ("name", "title")}
#: A pattern for "date, or date and time" (an event's start, a news item's date).
_MOMENT_PREFIX = r"^\d{4}-\d{2}-\d{2}(["


@dataclass(frozen=True)
class Choice:
    """One value of a choice field, or one entry a reference field can name."""

    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One input of a proposal form (a section holds the inputs of a nested model)."""

    name: str
    label: str
    hint: str
    widget: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    default: str = ""
    fields: tuple[FormField, ...] = ()
    #: Not part of the schema (a news item's text): sent along, not validated.
    extra: bool = False
    #: For ids: the fields the value is derived from when left empty.
    derived_from: tuple[str, ...] = ()

    @property
    def dom_id(self) -> str:
        return self.name.replace(".", "-")


@dataclass(frozen=True)
class ProposalKind:
    """A kind of entry one can propose."""

    key: str
    title: str
    schema_file: str
    #: The issue template (``.gitlab/issue_templates/<template>.md``) and its labels.
    template: str
    labels: tuple[str, ...]
    intro: str
    extra_fields: tuple[FormField, ...] = ()


KINDS: tuple[ProposalKind, ...] = (
    ProposalKind(
        "event",
        "Veranstaltung",
        "event.schema.json",
        "Formular Veranstaltung",
        ("Inhalt::Veranstaltung", "Vorschlag"),
        "Ein Treffen, eine Konferenz oder ein Online-Termin.",
    ),
    ProposalKind(
        "community",
        "Community",
        "community.schema.json",
        "Formular Community",
        ("Inhalt::Community", "Vorschlag"),
        "Eine Community, ein Gremium, ein Netzwerk oder eine Initiative.",
    ),
    ProposalKind(
        "news",
        "Nachricht",
        "news.schema.json",
        "Formular Nachricht",
        ("Inhalt::Nachricht", "Vorschlag"),
        "Eine Neuigkeit oder ein Aufruf zur Beteiligung.",
        extra_fields=(
            FormField(
                "text",
                "Text der Nachricht",
                "Der Artikel selbst, in Absätzen. Markdown ist möglich, etwa **fett** oder "
                "[Linktext](https://…).",
                "markdown",
                required=True,
                extra=True,
            ),
        ),
    ),
)


def item_schema(kind: ProposalKind) -> dict[str, Any]:
    """The schema of one entry: a list file's item schema, or the news front matter."""
    schema = content_schemas()[kind.schema_file]
    if schema.get("type") != "array":
        return schema
    ref = schema["items"]["$ref"]
    return {"$schema": schema["$schema"], "$ref": ref, "$defs": schema["$defs"]}


def schema_json(kind: ProposalKind) -> str:
    """:func:`item_schema` as JSON that can stand in a ``<script>`` element."""
    text = json.dumps(item_schema(kind), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def _hint(label: str, description: str) -> str:
    """The description without a repeated label ("Beginn: JJJJ-MM-TT …" under "Beginn")."""
    if description.casefold() == label.casefold():
        return ""
    head, sep, rest = description.partition(": ")
    return rest if sep and head.casefold() == label.casefold() else description


def _widget(name: str, schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "object":
        return "section"
    if "enum" in schema:
        return "choice"
    if kind == "array":
        items = schema.get("items", {})
        if items.get("pattern") == SLUG_PATTERN:
            return "references" if name in REFERENCES else "slugs"
        if "enum" in items:  # several of fixed values (regions): checkboxes
            return "references"
        return "lines"
    if kind == "integer":
        return "number"
    if kind == "boolean":
        return "yesno"
    if schema.get("contentMediaType") == "text/markdown":
        return "markdown"
    if schema.get("format") == "date":
        return "date"
    if str(schema.get("pattern", "")).startswith(_MOMENT_PREFIX):
        return "moment"
    if schema.get("format") == "email":
        return "email"
    if schema.get("format") == "uri":
        return "link" if "mailto" in str(schema.get("pattern", "")) else "url"
    if (schema.get("maxLength") or 0) >= 300:
        return "summary"
    return "text"


def _fields(
    kind: str,
    schema: dict[str, Any],
    defs: dict[str, Any],
    prefix: str,
    options: Mapping[str, Sequence[Choice]],
) -> tuple[FormField, ...]:
    required = set(schema.get("required", ()))
    result = []
    for name, prop in schema.get("properties", {}).items():
        if name in NOT_ASKED:
            continue
        full = prefix + name
        resolved = resolve(prop, defs)
        widget = _widget(name, resolved)
        labels = CHOICE_LABELS.get((kind, full), {})
        choices: tuple[Choice, ...] = ()
        if widget == "choice":
            choices = tuple(Choice(str(v), labels.get(str(v), str(v))) for v in resolved["enum"])
        elif widget == "references" and "enum" in resolved["items"]:
            choices = tuple(
                Choice(str(v), labels.get(str(v), str(v))) for v in resolved["items"]["enum"]
            )
        elif widget == "references":
            choices = tuple(options.get(REFERENCES[name], ()))
            if not choices and name == "tags":
                widget = "slugs"  # no tag list: free tags, written as slugs
            elif len(choices) > MAX_CHECKBOXES:
                widget = "reference-list"
        default = resolved.get("default")
        label = str(prop.get("title") or name)
        derived = DERIVED.get(full, ()) if not prefix else ()
        result.append(
            FormField(
                full,
                label,
                _hint(label, str(prop.get("description") or "")),
                widget,
                required=name in required and not derived,
                choices=choices,
                default=default if isinstance(default, str) else "",
                fields=_fields(kind, resolved, defs, full + ".", options)
                if widget == "section"
                else (),
                derived_from=tuple(d for d in derived if d in schema.get("properties", {})),
            )
        )
    # A derived field (the id) follows the field it is derived from.
    for f in [f for f in result if f.derived_from]:
        result.remove(f)
        names = [g.name for g in result]
        result.insert(names.index(f.derived_from[0]) + 1, f)
    return tuple(result)


@dataclass(frozen=True)
class ProposalForm:
    """What the page shows of one kind: its fields, its schema, the no-JS template."""

    key: str
    title: str
    template: str
    labels: tuple[str, ...]
    intro: str
    fields: tuple[FormField, ...]
    #: :func:`schema_json` of the kind.
    schema: str
    #: The issue text without JavaScript: :func:`issue_description` of the YAML template.
    description: str


def proposal_forms(
    options: Mapping[str, Sequence[Choice]], page_address: str
) -> list[ProposalForm]:
    """Every kind's form; ``options`` are the entries references can name, by kind
    (``{"community": [Choice(id, name), …], "event": …}``), ``page_address`` the form
    page's absolute address (named in the issue text)."""
    forms = []
    for kind in KINDS:
        schema = item_schema(kind)
        defs = schema.get("$defs", {})
        root = resolve(schema, defs)
        fields = _fields(kind.key, root, defs, "", options) + kind.extra_fields
        forms.append(
            ProposalForm(
                kind.key,
                kind.title,
                kind.template,
                kind.labels,
                kind.intro,
                fields,
                schema_json(kind),
                issue_description(kind, yaml_template(fields), page_address),
            )
        )
    return forms


# --- the form without JavaScript: a commented YAML template --------------------------------

_LIST_HINT = {
    "lines": "Liste, z. B. [Stadt A, Land B]",
    "slugs": "Liste, z. B. [open-source, kommunen]",
    "references": "Liste von Kennungen, z. B. [{example}]",
    "reference-list": "Liste von Kennungen, z. B. [{example}]",
}


def _comment(f: FormField, indent: str) -> list[str]:
    parts = [f.label]
    if f.required:
        parts.append("Pflicht, wenn der Abschnitt ausgefüllt wird" if "." in f.name else "Pflicht")
    if f.derived_from:
        source = "Namen" if f.derived_from[0] == "name" else "Titel"
        parts.append(f"wird aus dem {source} gebildet, wenn leer")
    text = " – ".join(parts)
    hint = f.hint
    if f.widget == "markdown":
        hint = f"{hint} Jede Zeile mit zwei Leerzeichen einrücken.".strip()
    elif f.widget == "choice":
        hint = "eines von: " + ", ".join(
            f"{c.value} ({c.label})" if c.label != c.value else c.value for c in f.choices
        )
    elif f.widget in _LIST_HINT:
        example = ", ".join(c.value for c in f.choices[:2]) or "kennung"
        hint = f"{hint}; {_LIST_HINT[f.widget].format(example=example)}"
    return [f"{indent}# {text}: {hint}" if hint else f"{indent}# {text}"]


def yaml_template(fields: Sequence[FormField]) -> str:
    """The entry as a commented YAML template, for people without JavaScript."""
    lines: list[str] = []

    def add(fields: Sequence[FormField], indent: str) -> None:
        for f in fields:
            key = f.name.rsplit(".", 1)[-1]
            if f.widget == "section":
                lines.append(f"{indent}# {f.label}: {f.hint}" if f.hint else f"{indent}# {f.label}")
                lines.append(f"{indent}{key}:")
                add(f.fields, indent + "  ")
                continue
            lines.extend(_comment(f, indent))
            if f.widget in _LIST_HINT:
                lines.append(f"{indent}{key}: []")
            elif f.widget == "markdown":
                lines.append(f"{indent}{key}: |")
                lines.append(f"{indent}  ")
            else:
                lines.append(f"{indent}{key}: {f.default}" if f.default else f"{indent}{key}: ")

    add(fields, "")
    return "\n".join(lines) + "\n"


def issue_description(kind: ProposalKind, entry_yaml: str, page_url: str) -> str:
    """The text of the new issue: a short note, the entry as a YAML block (which
    ``oss-portal apply`` reads) and the labels as a quick action."""
    labels = " ".join(f'~"{label}"' for label in kind.labels)
    return (
        f"Vorschlag aus dem Formular „Eintrag vorschlagen“ ({page_url}).\n\n"
        f"```yaml\n{entry_yaml.rstrip()}\n```\n\n/label {labels}\n"
    )


def new_issue_action(repo_url: str) -> str:
    """Where the forms send their issue (GitLab's new-issue form, prefilled by the query)."""
    return f"{repo_url.rstrip('/')}/-/issues/new" if repo_url else ""
