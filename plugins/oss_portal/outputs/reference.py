"""The contributors' field reference, generated from the content models.

``field_reference_markdown()`` renders one Markdown table per content type (Feld, Pflicht,
Typ/erlaubte Werte, Standard, Beschreibung). Descriptions come from the models' ``Field``
descriptions, allowed values and formats from the JSON Schema pydantic derives from the
same models, defaults from the fields themselves, so the reference cannot drift from what
``oss-portal validate`` accepts. ``oss-portal reference --write`` (:mod:`..cli.reference`) puts
it into CONTRIBUTING.md between the markers below; a test keeps that copy current.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..core.loading import ContentPaths
from ..core.models import SLUG_PATTERN, Community, Event, NewsFrontMatter, Tag
from ..core.validation import fields_as_written, model_in
from .schemas import resolve

START_MARKER = "<!-- reference:start -->"
END_MARKER = "<!-- reference:end -->"
CONTRIBUTING = "CONTRIBUTING.md"

_DEFAULT_PATHS = ContentPaths(Path("."))


@dataclass(frozen=True)
class ContentType:
    """One kind of content: its model and where contributors write it."""

    key: str
    title: str
    model: type[BaseModel]
    location: str


CONTENT_TYPES: tuple[ContentType, ...] = (
    ContentType(
        "community",
        "Community",
        Community,
        f"jeden Eintrag der Liste in `{_DEFAULT_PATHS.communities}`",
    ),
    ContentType(
        "event", "Veranstaltung", Event, f"jeden Eintrag der Liste in `{_DEFAULT_PATHS.events}`"
    ),
    ContentType(
        "tag",
        "Schlagwort",
        Tag,
        f"jeden Eintrag der Liste in `{_DEFAULT_PATHS.tags}`",
    ),
    ContentType(
        "news",
        "Nachricht",
        NewsFrontMatter,
        f"den Kopfbereich (zwischen den `---`-Zeilen) jeder Datei "
        f"`{_DEFAULT_PATHS.news_dir}/JJJJ-MM-TT-kennung.md`",
    ),
)


@dataclass(frozen=True)
class FieldDoc:
    """Everything the reference says about one field (nested fields use dotted names)."""

    name: str
    required: bool
    parent: str | None
    type_text: str
    default_text: str
    description: str
    choices: tuple[str, ...]
    is_list: bool
    is_section: bool


def _type_text(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """German text for a JSON Schema type (as pydantic derives it from a model field)."""
    schema = resolve(schema, defs)
    if "oneOf" in schema:  # a short form or a section, such as an organizer
        return " oder ".join(_branch_text(branch, defs) for branch in schema["oneOf"])
    if "enum" in schema:
        return ", ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type")
    pattern = schema.get("pattern", "")
    if kind == "object":
        return "Abschnitt mit Unterfeldern (siehe unten)"
    if kind == "array":
        return "Liste; jeder Eintrag: " + _type_text(schema.get("items", {}), defs)
    if kind == "boolean":
        return "`true` oder `false`"
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"ganze Zahl von {_number(low)} bis {_number(high)}"
        return "ganze Zahl"
    if kind == ["string", "integer"]:
        return "`JJJJ`, `JJJJ-MM` oder `JJJJ-MM-TT`"
    if pattern == SLUG_PATTERN:
        text = (
            f"Kennung: a–z, 0–9 und einzelne Bindestriche, "
            f"höchstens {_number(schema.get('maxLength'))} Zeichen"
        )
        reserved = schema.get("not", {}).get("enum")
        if reserved:
            text += "; nicht erlaubt: " + ", ".join(f"`{word}`" for word in reserved)
        return text
    if schema.get("format") == "date":
        return "Datum `JJJJ-MM-TT`"
    if pattern.startswith(r"^\d{4}-\d{2}-\d{2}(["):
        return (
            "Datum `JJJJ-MM-TT` (ganztägig) oder Datum mit Uhrzeit `JJJJ-MM-TTThh:mm` "
            "(ohne Zeitzone: Ortszeit Berlin)"
        )
    if schema.get("format") == "uri":
        if "mailto" in pattern:
            return "Adresse `https://…` oder `mailto:…`"
        return "Webadresse `https://…`"
    if schema.get("format") == "email":
        return "E-Mail-Adresse"
    if schema.get("contentMediaType") == "text/markdown":
        return f"Markdown-Text, mehrzeilig, höchstens {_number(schema.get('maxLength'))} Zeichen"
    if kind == "string":
        if "maxLength" in schema:
            return f"Text, höchstens {_number(schema['maxLength'])} Zeichen"
        return "Text"
    return "beliebig"


def _branch_text(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """One form a value may take: a section names its fields (``name`` und ``url``)."""
    schema = resolve(schema, defs)
    if schema.get("type") != "object":
        return _type_text(schema, defs)
    fields = [f"`{name}`" for name in schema.get("properties", {})]
    return "Abschnitt mit " + " und ".join(
        [", ".join(fields[:-1]), fields[-1]] if len(fields) > 1 else fields
    )


def _number(value: Any) -> str:
    """An integer with German digit grouping (100.000)."""
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if value is None:
        return "–"
    if value == "":
        return "leer"
    if isinstance(value, list):
        return "leere Liste" if not value else ", ".join(_inline(v) for v in value)
    if isinstance(value, BaseModel):
        return "siehe Unterfelder"
    return f"`{value}`"


def _default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "–"
    if info.default_factory is not None:
        return _inline(info.default_factory())  # type: ignore[call-arg]
    return _inline(None if info.default is PydanticUndefined else info.default)


def _nested_model(schema: dict[str, Any]) -> str | None:
    for option in [schema, *schema.get("anyOf", []), schema.get("items", {})]:
        ref = option.get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
    return None


def field_docs(model: type[BaseModel]) -> list[FieldDoc]:
    """Every field of ``model`` in declaration order, nested sections' fields after them."""
    schema = model.model_json_schema(mode="validation")
    defs: dict[str, Any] = schema.get("$defs", {})
    docs: list[FieldDoc] = []

    def walk(current: type[BaseModel], properties: dict[str, Any], prefix: str) -> None:
        for name, info in fields_as_written(current).items():
            prop = properties[name]
            resolved = resolve(prop, defs)
            nested = _nested_model(prop)
            docs.append(
                FieldDoc(
                    name=prefix + name,
                    required=info.is_required(),
                    parent=prefix[:-1] or None,
                    type_text=_type_text(prop, defs),
                    default_text=_default_text(info),
                    description=info.description or "",
                    choices=tuple(str(v) for v in resolved.get("enum", ())),
                    is_list=resolved.get("type") == "array",
                    is_section=nested is not None,
                )
            )
            sub = model_in(info.annotation)
            if nested is not None and sub is not None:
                walk(sub, defs[nested]["properties"], f"{prefix}{name}.")

    walk(model, schema["properties"], "")
    return docs


def _cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
    )


def _required_text(doc: FieldDoc) -> str:
    if not doc.required:
        return "nein"
    if doc.parent:
        return f"ja, wenn `{doc.parent}` angegeben ist"
    return "ja"


def field_reference_markdown(heading_level: int = 3) -> str:
    """The field reference as Markdown: one table per content type, German."""
    hashes = "#" * heading_level
    parts: list[str] = []
    for content in CONTENT_TYPES:
        parts.append(f"{hashes} {content.title}")
        parts.append(f"Gilt für {content.location}.")
        rows = [
            "| Feld | Pflicht | Typ/erlaubte Werte | Standard | Beschreibung |",
            "| --- | --- | --- | --- | --- |",
        ]
        for doc in field_docs(content.model):
            rows.append(
                f"| `{doc.name}` | {_cell(_required_text(doc))} | {_cell(doc.type_text)} "
                f"| {_cell(doc.default_text)} | {_cell(doc.description)} |"
            )
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


def _block_span(document: str) -> tuple[int, int]:
    start = document.find(START_MARKER)
    end = document.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"Markierungen {START_MARKER} … {END_MARKER} fehlen")
    return start + len(START_MARKER), end


def replace_block(document: str, block: str) -> str:
    """``document`` with the text between the reference markers replaced by ``block``.

    Blank lines separate the block from the markers, so that Markdown renderers end the
    last table before the closing marker.
    """
    start, end = _block_span(document)
    return f"{document[:start]}\n\n{block.strip()}\n\n{document[end:]}"


def embedded_block(document: str) -> str:
    """The reference as it stands between the markers (as ``field_reference_markdown``)."""
    start, end = _block_span(document)
    return document[start:end].strip() + "\n"
