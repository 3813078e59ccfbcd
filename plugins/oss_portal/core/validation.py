"""Turning loaded documents into models, and pydantic errors into contributor messages."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import ContentError
from .models import BRANCH_PREFIX
from .sources import UNREADABLE, Document, Loc, SourceMap, format_loc

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string": "Text",
    "int": "eine ganze Zahl",
    "bool": "true oder false",
    "list": "eine Liste (Einträge mit '- ' beginnen)",
    "dict": "ein Abschnitt mit Feldern (name: wert)",
    "model": "ein Abschnitt mit Feldern (name: wert)",
}


def _value_repr(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "…"
        return f"'{text}'"
    if isinstance(value, dict):
        return "ein Abschnitt"
    if isinstance(value, list):
        return "eine Liste"
    if value is None:
        return "leer"
    return repr(value)


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's annotation holds: itself, or inside a list, an optional value,
    a union or ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = model_in(argument)
        if found is not None:
            return found
    return None


def _allowed_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed at ``loc`` (the parent of an unknown key) for a helpful hint."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = fields_as_written(current).get(part)
        if field is None:
            return []
        current = model_in(field.annotation)
        if current is None:
            return []
    return list(fields_as_written(current))


def fields_as_written(model: Any) -> dict[str, Any]:
    """A model's fields by the names contributors write (the alias, e.g. ``except``)."""
    fields = getattr(model, "model_fields", {})
    return {info.alias or name: info for name, info in fields.items()}


def _parent_of(model: type[BaseModel], loc: Loc, name: str) -> str | None:
    """The field at ``loc`` whose own fields include ``name`` (a field written one level
    too far out, like ``email`` beside ``contact:`` instead of under it)."""
    for parent in _allowed_fields(model, loc):
        if name in _allowed_fields(model, (*loc, parent)):
            return parent
    return None


def german_message(error: ErrorDetails, model: type[BaseModel]) -> str:
    """A German, actionable message for one pydantic error."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "Pflichtfeld fehlt – bitte ergänzen"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        allowed = _allowed_fields(model, error["loc"][:-1])
        close = suggest_field(name, allowed)
        parent = None if close else _parent_of(model, error["loc"][:-1], name)
        if parent is not None:
            return (
                f"'{name}' gehört unter '{parent}:' – bitte unter '{parent}:' schreiben und "
                "zwei Leerzeichen weiter einrücken"
            )
        hint = f" – meinten Sie '{close}'?" if close else "."
        listing = f" Erlaubt sind: {', '.join(allowed)}." if allowed else ""
        return f"unbekanntes Feld '{name}'{hint}{listing}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"{_value_repr(value)} ist nicht erlaubt; erlaubt sind: {expected}"
    # A length constraint after a validator (our text types) is reported as a generic
    # ``too_long`` ("Value should have at most … items") instead of ``string_too_long``.
    if kind in ("string_too_long", "too_long"):
        length = len(value) if isinstance(value, str) else ctx.get("actual_length", "?")
        return f"ist zu lang ({length} Zeichen; höchstens {ctx.get('max_length')}) – bitte kürzen"
    if kind in ("string_too_short", "too_short"):
        return "darf nicht leer sein"
    if kind == "string_type" and value is None:
        return "darf nicht leer sein – bitte ausfüllen"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_value_repr(value)} ist keine ganze Zahl"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{_value_repr(value)} ist zu klein (mindestens {ctx.get('ge', ctx.get('gt'))})"
    if kind in ("less_than_equal", "less_than"):
        return f"{_value_repr(value)} ist zu groß (höchstens {ctx.get('le', ctx.get('lt'))})"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_value_repr(value)} ist kein Wahrheitswert – erlaubt sind true und false"
    for suffix, name in _TYPE_NAMES.items():
        if kind in (f"{suffix}_type", f"{suffix}_attributes_type"):
            return f"muss {name} sein, gefunden: {_value_repr(value)}"
    if kind == "model_attributes_type" or kind == "dataclass_type":
        return f"muss {_TYPE_NAMES['dict']} sein, gefunden: {_value_repr(value)}"
    # Custom errors (PydanticCustomError) already carry German text.
    return error["msg"]


#: German field names contributors are likely to write, and the field they mean.
_GERMAN_FIELD_NAMES = {
    "titel": "title",
    "art": "kind",
    "zusammenfassung": "summary",
    "beschreibung": "description",
    "veranstalter": "organizers",
    "seit": "since",
    "ebene": "level",
    "webseite": "website",
    "kontakt": "contact",
    "mitgliedschaft": "membership",
    "schlagworte": "tags",
    "beginn": "start",
    "anfang": "start",
    "ende": "end",
    "ort": "location",
    "anmeldung": "registration",
    "aufzeichnung": "recording",
    "dokumentation": "documentation",
    "datum": "date",
    "quelle": "source",
    "frist": "deadline",
    "entwurf": "draft",
    "veranstaltungen": "events",
}


def suggest_field(name: str, allowed: list[str]) -> str | None:
    """The allowed field a contributor probably meant: the German name of a field
    (``ort`` -> ``location``) or a near spelling."""
    german = _GERMAN_FIELD_NAMES.get(name.casefold())
    if german in allowed:
        return german
    return closest(name, allowed)


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (a likely typo), if any is close enough."""
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def errors_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    rel: str,
    positions: SourceMap,
    prefix: Loc,
    root: str,
) -> list[ContentError]:
    """Map each pydantic error of one entry to a positioned ContentError."""
    out: list[ContentError] = []
    for error in exc.errors(include_url=False):
        # Validator functions and union branches name themselves in the location; the
        # contributor only knows the fields.
        loc: Loc = tuple(
            p
            for p in error["loc"]
            if not isinstance(p, str) or not p.startswith(("function-", BRANCH_PREFIX))
        )
        error["loc"] = loc
        full = (*prefix, *loc)
        if error["type"] == "extra_forbidden":
            mark = positions.locate_key(full)
        else:
            mark = positions.locate(full)
        message = german_message(error, model)
        out.append(ContentError(rel, mark.line, mark.column, format_loc(full, root), message))
    return out


def validate_entry(
    model: type[M],
    data: Any,
    rel: str,
    positions: SourceMap,
    prefix: Loc,
    root: str,
) -> tuple[M | None, list[ContentError]]:
    """Validate one entry; ``None`` plus its errors when it is invalid."""
    if not isinstance(data, dict):
        mark = positions.locate(prefix)
        example = ", ".join(f"{name}: …" for name in list(model.model_fields)[:2])
        what = f"ein Eintrag mit Feldern ({example})"
        return None, [
            ContentError(
                rel,
                mark.line,
                mark.column,
                format_loc(prefix, root),
                f"muss {what} sein, gefunden: {_value_repr(data)}",
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, errors_from_validation(exc, model, rel, positions, prefix, root)


def validate_list(
    model: type[M], document: Document, root: str
) -> tuple[list[tuple[int, M]], list[ContentError]]:
    """Validate a YAML list of entries; valid entries are kept even when others fail."""
    data = document.data
    if data is None:
        return [], []
    if not isinstance(data, list):
        mark = document.positions.locate(())
        return [], [
            ContentError(
                document.path,
                mark.line,
                mark.column,
                root,
                "die Datei muss eine Liste sein: jeder Eintrag beginnt mit '- ' "
                f"(gefunden: {_value_repr(data)})",
            )
        ]
    valid: list[tuple[int, M]] = []
    errors: list[ContentError] = []
    for index, entry in enumerate(data):
        if entry is UNREADABLE:  # its syntax error is reported for the file
            continue
        item, entry_errors = validate_entry(
            model, entry, document.path, document.positions, (index,), root
        )
        errors.extend(entry_errors)
        if item is not None:
            valid.append((index, item))
    return valid, errors


# --- cross-checks over whole files -----------------------------------------------------


def unique_entries(
    entries: list[tuple[int, Any]],
    document: Document | None,
    rel: str,
    root: str,
    errors: list[ContentError],
) -> list[Any]:
    """Drop (and report) entries whose id repeats an earlier one, case-insensitively."""
    seen: dict[str, int] = {}
    unique: list[Any] = []
    for index, item in entries:
        key = item.id.casefold()
        assert document is not None
        mark = document.positions.locate((index, "id"))
        if key in seen:
            errors.append(
                ContentError(
                    rel,
                    mark.line,
                    mark.column,
                    f"{root}[{index}].id",
                    f"Kennung '{item.id}' ist doppelt (schon in Zeile {seen[key]}) – "
                    "jede Kennung darf nur einmal vorkommen",
                )
            )
            continue
        seen[key] = mark.line
        unique.append(item)
    return unique


#: What the ids in each reference field name, for messages.
REFERENCE_NAMES = {"communities": "Community", "events": "Veranstaltung", "tags": "Schlagwort"}


def check_references(
    raw: Any,
    key: str,
    known: set[str] | None,
    document: Document,
    prefix: tuple[Any, ...],
    root: str,
    what: str,
    errors: list[ContentError],
    hint: str = "",
) -> None:
    """Each id in ``raw[key]`` that ``known`` lacks is an error, with the nearest known
    one suggested; ``hint`` is a second way out ("… oder es in data/tags.yaml ergänzen")."""
    if known is None:  # the referenced file could not be read; its error says why
        return
    refs = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(refs, list):
        return
    for i, ref in enumerate(refs):
        if isinstance(ref, str) and ref not in known:
            loc = (*prefix, key, i)
            mark = document.positions.locate(loc)
            errors.append(
                ContentError(
                    document.path,
                    mark.line,
                    mark.column,
                    format_loc(loc, root),
                    f"{what} '{ref}' gibt es nicht – bitte eine vorhandene Kennung verwenden"
                    + _suggest(ref, known)
                    + hint,
                )
            )


def declared_ids(document: Document | None) -> set[str] | None:
    """Ids written in a list file, valid entries or not; ``None`` when it is unreadable."""
    if document is None or document.recovered or not isinstance(document.data, list | None):
        return None  # unreadable, or an entry's id may be in the part that is
    return {
        entry["id"]
        for entry in document.data or ()
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }


def _suggest(ref: str, known: set[str]) -> str:
    close = closest(ref, sorted(known))
    return f" (meinten Sie '{close}'?)" if close else ""
