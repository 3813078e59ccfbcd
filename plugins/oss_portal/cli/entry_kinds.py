"""What ``oss-portal new`` asks for: the questions per kind of entry (from the models'
field documentation), the values it derives when none is given (ids, slugs, dates) and
the check of a single answer, with the same German messages as ``oss-portal validate``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..core import formatting, regions, urls
from ..core.models import (
    BERLIN,
    MAX_ID_LENGTH,
    RESERVED_IDS,
    SLUG_PATTERN,
    Community,
    Event,
    NewsFrontMatter,
)
from ..core.validation import (
    REFERENCE_NAMES,
    closest,
    fields_as_written,
    german_message,
    model_in,
)
from ..outputs.reference import FieldDoc, field_docs

_SLUG = re.compile(SLUG_PATTERN)
#: Values ``new`` derives when not given: ids and slugs from the name or title, dates today.
DERIVABLE = frozenset({"id", "slug", "date"})


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
    #: Asked only when this holds for the answers so far (an application deadline only
    #: for a community one applies to).
    applies_if: Callable[[dict[str, Any]], bool] | None = None
    #: Asked in the terminal; ``False``: only given as an option or by ``apply`` (what a
    #: new entry rarely has, such as a recording; the proposal form offers every field).
    prompt: bool = True

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


_REGION_PROMPT = "Regionen (Land wie DE-NW oder Nordrhein-Westfalen, bund, international)"


def _series(values: dict[str, Any]) -> bool:
    return bool(values.get("repeat.every"))


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
                "membership.deadline",
                "--membership-deadline",
                "Bewerbungsfrist (JJJJ-MM-TT)",
                applies_if=lambda values: values.get("membership.mode") == "application",
            ),
            Question("membership.seats", "--seats", "Zahl der Plätze", prompt=False),
            Question("tags", "--tag", "Schlagwörter", multiple=True),
            Question("regions", "--region", _REGION_PROMPT, multiple=True),
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
            Question("regions", "--region", _REGION_PROMPT, multiple=True),
            Question("description", "--description", "Ausführliche Beschreibung (Markdown)"),
            Question(
                "repeat.every",
                "--repeat",
                "Regelmäßig? Wie oft (week, 2 weeks, month …)",
                hint="leer lassen für einen einzelnen Termin",
            ),
            Question(
                "repeat.on",
                "--repeat-on",
                "An welchen Tagen (tuesday, first tuesday, 15 …)",
                hint="leer: der Tag des Beginns",
                applies_if=_series,
            ),
            Question(
                "repeat.until",
                "--repeat-until",
                "Bis wann (JJJJ-MM-TT)",
                hint="leer: ohne Ende",
                applies_if=_series,
            ),
            Question(
                "repeat.except",
                "--repeat-except",
                "Entfallende Termine (JJJJ-MM-TT)",
                multiple=True,
                applies_if=_series,
            ),
            Question(
                "repeat.cancelled",
                "--repeat-cancelled",
                "Abgesagte Termine (JJJJ-MM-TT)",
                multiple=True,
                applies_if=_series,
                prompt=False,
            ),
            Question("recording", "--recording", "Aufzeichnung (https://…)", prompt=False),
            Question("documentation", "--documentation", "Dokumentation (https://…)", prompt=False),
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


def docs_of(kind: Kind) -> dict[str, FieldDoc]:
    return {doc.name: doc for doc in field_docs(kind.model)}


# --------------------------------------------------------------------------------------
# Deriving values


def new_id(text: str, limit: int = MAX_ID_LENGTH) -> str:
    """A valid, unreserved id from free text (see :func:`urls.slugify`)."""
    slug = urls.slugify(text, limit)
    if slug in RESERVED_IDS:
        slug = f"{slug}-1"
    return slug


def fill_derived(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every missing required value that can be derived (id, slug, date)."""
    for question in kind.questions:
        if question.required and question.name not in values:
            derived = derive(kind, question.name, values)
            if derived is not None:
                values[question.name] = derived
    return values


def derive(kind: Kind, name: str, values: dict[str, Any]) -> str | None:
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
        nested = model_in(fields_as_written(current)[parent].annotation)
        assert nested is not None, dotted
        current = nested
    info = fields_as_written(current)[name]
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
# Answers as people give them


def _words(labels: dict[str, str], **more: str) -> dict[str, str]:
    """Allowed value by the German word for it (and by the value itself), case-folded."""
    table = {label.casefold(): value for value, label in labels.items() if label}
    table.update({word.casefold(): value for word, value in more.items()})
    table.update({value.casefold(): value for value in labels})
    return table


#: The German labels the site shows for each choice.
CHOICE_LABELS = formatting.CHOICE_LABELS
#: German words accepted for each choice: the labels, and a few more people write.
GERMAN_CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("community", "kind"): _words(CHOICE_LABELS["community", "kind"]),
    ("community", "level"): _words(
        CHOICE_LABELS["community", "level"], ebenenuebergreifend="mixed"
    ),
    ("community", "membership.mode"): _words(
        CHOICE_LABELS["community", "membership.mode"],
        offen="open",
        bewerbung="application",
        einladung="invitation",
    ),
    ("event", "format"): _words(
        CHOICE_LABELS["event", "format"], **{"vor ort": "onsite", "präsenz": "onsite"}
    ),
}

#: Lists of ids and tags, written as slugs ("Do-FOSS" -> "do-foss").
_SLUG_LISTS = frozenset({"tags", "communities", "events"})
#: Fields whose value may be an e-mail address, written as a ``mailto:`` link.
_MAILTO_FIELDS = frozenset({"registration"})


def normalize(kind: Kind, question: Question, value: Any) -> Any:
    """An answer in the form the models take: German words for choices, ids, references
    and tags as slugs (``Digitale Souveränität`` -> ``digitale-souveraenitaet``), an
    e-mail address for a link as ``mailto:``."""
    if isinstance(value, list):
        if question.name in _SLUG_LISTS:
            return [urls.slugify(str(item)) or str(item) for item in value]
        if question.name == "regions":  # "Nordrhein-Westfalen", "NRW" -> "DE-NW"
            return [regions.suggest(str(item)) or item for item in value]
        return value
    if not isinstance(value, str):
        return value
    if question.name in ("id", "slug"):
        return urls.slugify(value) or value  # "Netzwerk Nord" -> "netzwerk-nord"
    words = GERMAN_CHOICES.get((kind.key, question.name))
    if words is not None:
        return words.get(" ".join(value.split()).casefold(), value)
    if question.name in _MAILTO_FIELDS and "@" in value and ":" not in value:
        return f"mailto:{value.strip()}"
    return value


def check_references(question: Question, value: Any, known: dict[str, set[str]]) -> str | None:
    """A German message for ids in ``value`` that do not exist (with the nearest one)."""
    ids = known.get(question.name)
    if not ids or not isinstance(value, list):
        return None
    what = REFERENCE_NAMES.get(question.name, "Kennung")
    for ref in value:
        if ref not in ids:
            close = closest(str(ref), sorted(ids))
            hint = f" – meinten Sie '{close}'?" if close else ""
            listing = ", ".join(sorted(ids)[:12]) + (" …" if len(ids) > 12 else "")
            return f"{what} '{ref}' gibt es nicht{hint} Vorhanden: {listing}"
    return None
