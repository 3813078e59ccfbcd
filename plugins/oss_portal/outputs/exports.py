"""Open data: JSON exports of communities, events and news, with their JSON Schemas.

Each export is ``{"$schema": <absolute schema URL>, "items": [...]}``; every item carries
every field of its source entry (always present, ``null`` when not given) plus ``url``,
the canonical page. Date-times are ISO 8601 in Berlin time with their offset
(``2023-01-11T16:00:00+01:00``), dates are ``YYYY-MM-DD``. The schemas are generated
from the record models below, so what is published and what is written cannot drift
apart; drafts and the internal source path of a news file are not exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from ..core import formatting, recurrence, urls
from ..core.catalog import Catalog
from ..core.models import (
    BERLIN,
    SLUG_PATTERN,
    Community,
    Event,
    NewsFrontMatter,
    NewsItem,
    RegionCode,
    Repeat,
)
from ..core.recurrence import SeriesDates
from ..core.runtime import paused_gc

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("communities", "events", "news")

#: Fields of the source models that are deliberately not exported.
NOT_EXPORTED = frozenset({"draft", "source_path"})

_WEB_PATTERN = r"^https?://"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
WebUrl = Annotated[str, Field(pattern=_WEB_PATTERN, json_schema_extra={"format": "uri"})]
LinkUrl = Annotated[
    str, Field(pattern=r"^(https?://|mailto:)", json_schema_extra={"format": "uri"})
]
#: A plain date (named so that the ``date`` field of :class:`NewsRecord` cannot shadow it).
Day = Annotated[
    date,
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
DateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
        }
    ),
]
Moment = DateTime | Day  # DateTime first: a datetime is also a date


def _about(model: type[BaseModel], name: str) -> str:
    """The contributor-facing description of a source field, reused for the export."""
    return model.model_fields[name].description or ""


class _Record(BaseModel):
    # The docstrings of the record and export models are German: they become the
    # descriptions in the published schemas.
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )


class ContactRecord(_Record):
    """Kontakt: Funktionspostfach und/oder Kontaktseite."""

    email: str | None = Field(json_schema_extra={"format": "email"})
    url: WebUrl | None


class MembershipRecord(_Record):
    """Wie man Mitglied wird."""

    mode: Literal["open", "application", "invitation"]
    deadline: Day | None = Field(description="Bewerbungsfrist")
    seats: int | None = Field(description="Zahl der Plätze")


class SourceRecord(_Record):
    """Quelle einer Nachricht."""

    name: str
    url: WebUrl


class OrganizerRecord(_Record):
    """Eine Organisation: Name und, wenn angegeben, ihre Website."""

    name: str
    url: WebUrl | None


class CommunityRecord(_Record):
    """Eine Community."""

    id: Slug = Field(description=_about(Community, "id"))
    name: str = Field(description=_about(Community, "name"))
    kind: Literal["community", "board", "network", "initiative", "working-group", "office"] = Field(
        description=_about(Community, "kind")
    )
    summary: str = Field(description=_about(Community, "summary"))
    description: str = Field(
        description=_about(Community, "description"),
        json_schema_extra={"contentMediaType": "text/markdown"},
    )
    organizers: list[OrganizerRecord] = Field(description=_about(Community, "organizers"))
    since: str | None = Field(
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description=_about(Community, "since")
    )
    level: Literal["bund", "land", "kommune", "mixed"] = Field(
        description=_about(Community, "level")
    )
    website: WebUrl | None = Field(description=_about(Community, "website"))
    contact: ContactRecord | None = Field(description=_about(Community, "contact"))
    membership: MembershipRecord = Field(description=_about(Community, "membership"))
    tags: list[Slug] = Field(description=_about(Community, "tags"))
    regions: list[RegionCode] = Field(description=_about(Community, "regions"))
    status: Literal["active", "inactive"] = Field(description=_about(Community, "status"))
    url: WebUrl = Field(description="Adresse der Seite dieser Community im Portal")


class MovedRecord(_Record):
    """Ein verlegter Termin einer Reihe."""

    date: Day = Field(description="Der Termin der Reihe, der verlegt wird")
    start: Moment = Field(description="Neuer Beginn")
    end: Moment | None = Field(description="Neues Ende")


class RepeatRecord(_Record):
    """Die Regel einer Veranstaltungsreihe."""

    model_config = ConfigDict(
        serialize_by_alias=True, validate_by_name=True, validate_by_alias=True
    )

    rule: str = Field(description="Die Regel nach RFC 5545 (RRULE), wie im Kalender")
    text: str = Field(description="Die Regel in Worten, z. B. jeden ersten Dienstag im Monat")
    every: str = Field(description=_about(Repeat, "every"))
    on: str | None = Field(description=_about(Repeat, "on"))
    until: Day | None = Field(description=_about(Repeat, "until"))
    except_: list[Day] = Field(alias="except", description=_about(Repeat, "except_"))
    cancelled: list[Day] = Field(description=_about(Repeat, "cancelled"))
    moved: list[MovedRecord] = Field(description=_about(Repeat, "moved"))


class DateRecord(_Record):
    """Ein kommender Termin einer Reihe."""

    start: Moment = Field(description="Beginn")
    end: Moment | None = Field(description="Ende")
    status: Literal["scheduled", "moved", "cancelled"] = Field(
        description="scheduled (wie geplant), moved (verlegt) oder cancelled (abgesagt)"
    )


class EventRecord(_Record):
    """Eine Veranstaltung."""

    id: Slug = Field(description=_about(Event, "id"))
    title: str = Field(description=_about(Event, "title"))
    start: Moment = Field(
        description="Beginn: Datum (ganztägig) oder Datum mit Uhrzeit und Zeitzonen-Offset"
    )
    end: Moment | None = Field(
        description="Ende im selben Format wie start; bei ganztägigen Veranstaltungen der "
        "letzte Tag (einschließlich)"
    )
    all_day: bool = Field(description="true: ganztägig (start/end sind Daten ohne Uhrzeit)")
    format: Literal["online", "onsite", "hybrid"] = Field(description=_about(Event, "format"))
    location: str | None = Field(description=_about(Event, "location"))
    registration: LinkUrl | None = Field(description=_about(Event, "registration"))
    communities: list[Slug] = Field(description=_about(Event, "communities"))
    organizers: list[OrganizerRecord] = Field(description=_about(Event, "organizers"))
    summary: str = Field(description=_about(Event, "summary"))
    description: str = Field(
        description=_about(Event, "description"),
        json_schema_extra={"contentMediaType": "text/markdown"},
    )
    tags: list[Slug] = Field(description=_about(Event, "tags"))
    regions: list[RegionCode] = Field(description=_about(Event, "regions"))
    status: Literal["scheduled", "cancelled", "postponed"] = Field(
        description=_about(Event, "status")
    )
    recording: WebUrl | None = Field(description=_about(Event, "recording"))
    documentation: WebUrl | None = Field(description=_about(Event, "documentation"))
    repeat: RepeatRecord | None = Field(description="Bei Reihen: die Regel; sonst null")
    next_dates: list[DateRecord] | None = Field(
        description="Bei Reihen: die nächsten Termine zur Zeit des Exports, abgesagte "
        "markiert; start/end oben sind der erste Termin. Sonst null"
    )
    url: WebUrl = Field(description="Adresse der Seite dieser Veranstaltung im Portal")


class NewsRecord(_Record):
    """Eine veröffentlichte Nachricht."""

    slug: Slug = Field(description="Kennung aus dem Dateinamen, Teil der Adresse /news/<slug>/")
    title: str = Field(description=_about(NewsFrontMatter, "title"))
    date: Moment = Field(
        description="Veröffentlichung: Datum oder Datum mit Uhrzeit und Zeitzonen-Offset"
    )
    summary: str = Field(description=_about(NewsFrontMatter, "summary"))
    tags: list[Slug] = Field(description=_about(NewsFrontMatter, "tags"))
    communities: list[Slug] = Field(description=_about(NewsFrontMatter, "communities"))
    events: list[Slug] = Field(description=_about(NewsFrontMatter, "events"))
    source: SourceRecord | None = Field(description=_about(NewsFrontMatter, "source"))
    deadline: Day | None = Field(description=_about(NewsFrontMatter, "deadline"))
    body: str = Field(
        description="Text der Nachricht (Markdown)",
        json_schema_extra={"contentMediaType": "text/markdown"},
    )
    url: WebUrl = Field(description="Adresse der Seite dieser Nachricht im Portal")


class _Export(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, json_schema_serialization_defaults_required=True
    )

    schema_url: WebUrl = Field(alias="$schema", description="Adresse des JSON Schemas")


class CommunitiesExport(_Export):
    """Alle Communities des Portals."""

    items: list[CommunityRecord] = Field(description="Communities, nach Name sortiert")


class EventsExport(_Export):
    """Alle Veranstaltungen des Portals (auch vergangene)."""

    items: list[EventRecord] = Field(description="Veranstaltungen, nach Beginn sortiert")


class NewsExport(_Export):
    """Alle veröffentlichten Nachrichten des Portals."""

    items: list[NewsRecord] = Field(description="Nachrichten, die neueste zuerst")


EXPORT_MODELS: dict[str, type[_Export]] = {
    "communities": CommunitiesExport,
    "events": EventsExport,
    "news": NewsExport,
}
RECORD_MODELS: dict[str, tuple[type[BaseModel], type[_Record]]] = {
    "communities": (Community, CommunityRecord),
    "events": (Event, EventRecord),
    "news": (NewsItem, NewsRecord),
}
_TITLES = {
    "communities": "Communities (Datenexport)",
    "events": "Veranstaltungen (Datenexport)",
    "news": "Nachrichten (Datenexport)",
}


def export_schemas() -> dict[str, dict[str, Any]]:
    """The published JSON Schemas (draft 2020-12) by export kind."""
    schemas: dict[str, dict[str, Any]] = {}
    for kind, model in EXPORT_MODELS.items():
        schema = model.model_json_schema(mode="serialization", by_alias=True)
        schemas[kind] = {"$schema": SCHEMA_DIALECT, **schema, "title": _TITLES[kind]}
    return schemas


def _in_berlin(value: date | datetime) -> date | datetime:
    return value.astimezone(BERLIN) if isinstance(value, datetime) else value


def _maybe_berlin(value: date | datetime | None) -> date | datetime | None:
    return None if value is None else _in_berlin(value)


#: Each record's field names, in order.
_FIELDS = {kind: tuple(record.model_fields) for kind, (_source, record) in RECORD_MODELS.items()}


def _ordered(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """``data`` with exactly the record's top-level keys, in the record's order. (Nested
    values keep their source layout: a test requires it to be the record's.)"""
    return {name: data[name] for name in _FIELDS[kind]}


def _fields(model: BaseModel) -> dict[str, Any]:
    """A validated model's fields, in order, as a new dict; nested models stay models and
    are written by :func:`_nested`.

    That is what ``model_dump(mode="python")`` returns for the content models, which have
    no serialisers, aliases or computed fields, without walking the model again; a test
    compares the output with the record models' own serialisation."""
    return dict(model.__dict__)


def _nested(value: Any) -> Any:
    """orjson's fallback for a type it does not know: a nested model's fields."""
    if isinstance(value, BaseModel):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} wird nicht exportiert")


def community_item(community: Community, base: str) -> dict[str, Any]:
    """One community as exported (the fields of :class:`CommunityRecord`)."""
    data = _fields(community)
    data["url"] = urls.absolute(base, urls.community(community.id))
    return _ordered(data, "communities")


def event_item(event: Event, base: str, dates: SeriesDates | None = None) -> dict[str, Any]:
    """One event as exported (date-times in Berlin time); a series with its rule and,
    from ``dates``, its next dates."""
    data = _fields(event)
    data["start"] = _in_berlin(event.start)
    data["end"] = None if event.end is None else _in_berlin(event.end)
    data["all_day"] = event.all_day
    repeat = event.repeat
    data["next_dates"] = None
    if repeat is not None:
        data["repeat"] = {
            "rule": recurrence.rrule_value(event),
            "text": formatting.series_text(event),
            "every": repeat.every,
            "on": repeat.on,
            "until": repeat.until,
            "except": repeat.except_,
            "cancelled": repeat.cancelled,
            "moved": [
                {"date": m.date, "start": _in_berlin(m.start), "end": _maybe_berlin(m.end)}
                for m in repeat.moved
            ],
        }
        data["next_dates"] = [
            {"start": _in_berlin(o.start), "end": _maybe_berlin(o.end), "status": o.status}
            for o in (dates.upcoming if dates is not None else ())
        ]
    data["url"] = urls.absolute(base, urls.event(event.id))
    return _ordered(data, "events")


def news_item(item: NewsItem, base: str) -> dict[str, Any]:
    """One news article as exported (date-times in Berlin time)."""
    data = _fields(item)  # (_ordered leaves out what is not exported)
    data["date"] = _in_berlin(item.date)
    data["url"] = urls.absolute(base, urls.news(item.slug))
    return _ordered(data, "news")


def _dump(document: dict[str, Any]) -> bytes:
    # orjson (Rust) writes the same indented UTF-8 JSON as the record models' own
    # serialiser, with the same ISO 8601 dates, and faster than pydantic_core and the json
    # module (which falls back to pure Python as soon as it indents). A type it does not
    # know raises instead of being written some other way.
    return orjson.dumps(document, default=_nested, option=orjson.OPT_INDENT_2) + b"\n"


def build_exports(catalog: Catalog, site_url: str) -> dict[str, bytes]:
    """The JSON exports and their schemas as ``{path relative to the site root: bytes}``.

    Raises ``ValueError`` (German message) for a missing ``site_url``.
    """
    return dict(iter_exports(catalog, site_url))


def iter_exports(catalog: Catalog, site_url: str) -> Iterator[tuple[str, bytes]]:
    """The exports of :func:`build_exports` one by one, as ``(path, bytes)``."""
    base = urls.require_site_url(site_url)
    # The items are dicts in the records' layout, not record models: the catalog is
    # validated already, and validating every record again would double the work.
    # A test compares the output with the records' own serialisation.
    makers: dict[str, Callable[[], list[dict[str, Any]]]] = {
        "communities": lambda: [community_item(c, base) for c in catalog.communities],
        "events": lambda: [event_item(e, base, catalog.series.get(e.id)) for e in catalog.events],
        "news": lambda: [news_item(n, base) for n in catalog.news],
    }
    schemas = export_schemas()
    with paused_gc():
        for kind in KINDS:
            schema_url = urls.absolute(base, urls.export_schema(kind))
            yield urls.export(kind), _dump({"$schema": schema_url, "items": makers[kind]()})
            yield urls.export_schema(kind), _dump(schemas[kind])
