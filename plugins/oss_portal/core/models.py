"""The content model: communities, events and news, validated with pydantic v2.

These models are the public contract for contributors: the JSON Schemas under
``schemas/`` and the field reference in CONTRIBUTING.md are generated from them. Field
descriptions are German because contributors read them in their editor.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic import Tag as Branch
from pydantic_core import PydanticCustomError

from . import recurrence, regions
from .characters import FORBIDDEN

# (BERLIN and as_datetime are re-exported: the outputs and the command line use them.)
from .timespan import BERLIN as BERLIN
from .timespan import TimeSpan, berlin_day
from .timespan import as_datetime as as_datetime

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
#: Ids that would collide with pages the portal generates itself (``/news/page/2/``,
#: feeds, tag pages) or with directory index files.
RESERVED_IDS = frozenset(
    {
        "index",
        "feed",
        "feeds",
        "tags",
        "page",
        "rss",
        "atom",
        "ics",
        "json",
        "assets",
        "search",
        "sitemap",
        "kalender",
        "calendar",
        "archiv",
        "archive",
    }
)
MAX_ID_LENGTH = 80
MAX_TEXT_LENGTH = 200
MAX_SUMMARY_LENGTH = 300
MAX_MARKDOWN_LENGTH = 100_000


def _shown(value: Any) -> Any:
    """A value as quoted in a message: long text is cut so that the error stays one line."""
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "…"
    return value


#: What no text may hold (:data:`.characters.FORBIDDEN`), and carriage returns: YAML
#: turns line breaks into line feeds, so a carriage return can only be an escape.
_CONTROL_CHARS = re.compile(f"[{FORBIDDEN}\r]")


def first_forbidden_character(text: str) -> tuple[int, str] | None:
    """Offset and name (for a message) of the first character in ``text`` that no text
    may hold."""
    found = _CONTROL_CHARS.search(text)
    if found is None:
        return None
    code = ord(found[0])
    kind = "unsichtbare Steuerzeichen" if code <= 0x9F else "ungültige Zeichen"
    return found.start(), f"das {kind} U+{code:04X}"


def _no_control_chars(value: str) -> str:
    found = first_forbidden_character(value)
    if found:
        raise PydanticCustomError(
            "control_character",
            "enthält {character} – bitte den Text neu tippen",
            {"character": found[1]},
        )
    return value


def _strip_required(value: Any) -> Any:
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            raise PydanticCustomError("empty_text", "darf nicht leer sein")
        return stripped
    return value


def _check_slug(value: str) -> str:
    if len(value) > MAX_ID_LENGTH:
        raise PydanticCustomError(
            "slug_too_long",
            "'{value}' ist zu lang (höchstens {limit} Zeichen)",
            {"value": value[:40] + "…", "limit": MAX_ID_LENGTH},
        )
    if not _SLUG.fullmatch(value):
        raise PydanticCustomError(
            "slug",
            "'{value}' ist keine gültige Kennung: nur Kleinbuchstaben a–z, Ziffern und einzelne "
            "Bindestriche, keine Umlaute (z. B. 'open-source-big-3')",
            {"value": _shown(value)},
        )
    return value


def _check_id(value: str) -> str:
    _check_slug(value)
    if value in RESERVED_IDS:
        raise PydanticCustomError(
            "reserved_id",
            "'{value}' ist als Kennung reserviert (vom Portal selbst belegt) – bitte einen "
            "genaueren Namen wählen",
            {"value": _shown(value)},
        )
    return value


Text = Annotated[
    str,
    BeforeValidator(_strip_required),
    AfterValidator(_no_control_chars),
    Field(min_length=1, max_length=MAX_TEXT_LENGTH),
]
Summary = Annotated[
    str,
    BeforeValidator(_strip_required),
    AfterValidator(_no_control_chars),
    Field(min_length=1, max_length=MAX_SUMMARY_LENGTH),
]
Markdown = Annotated[
    str,
    AfterValidator(_no_control_chars),
    Field(max_length=MAX_MARKDOWN_LENGTH, json_schema_extra={"contentMediaType": "text/markdown"}),
]
Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_ID_LENGTH}),
]
Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "maxLength": MAX_ID_LENGTH,
            "not": {"enum": sorted(RESERVED_IDS)},
        }
    ),
]


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    found = first_forbidden_character(value)
    if found:
        raise PydanticCustomError(
            "url_control_character",
            "'{value}' ist keine gültige Adresse: enthält {character}",
            {"value": _shown(_CONTROL_CHARS.sub("", value)), "character": found[1]},
        )
    if any(c.isspace() for c in value):
        raise PydanticCustomError(
            "url_space",
            "'{value}' ist keine gültige Adresse: enthält Leerzeichen",
            {"value": _shown(value)},
        )
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        raise PydanticCustomError(
            "url_scheme",
            "'{value}' ist keine erlaubte Adresse: sie muss mit {schemes} beginnen",
            {
                "value": value[:80],
                "schemes": " oder ".join(
                    f"{s}://" if s != "mailto" else "mailto:" for s in schemes
                ),
            },
        )
    if scheme in ("http", "https") and not parts.hostname:
        raise PydanticCustomError(
            "url_host",
            "'{value}' ist keine vollständige Adresse (Domain fehlt)",
            {"value": _shown(value)},
        )
    if scheme == "mailto" and not _EMAIL.fullmatch(value[len("mailto:") :]):
        raise PydanticCustomError(
            "url_mailto", "'{value}' ist keine gültige E-Mail-Adresse", {"value": _shown(value)}
        )
    return value


def _web_url(value: str) -> str:
    return _check_url(value, ("https", "http"))


def _link_url(value: str) -> str:
    return _check_url(value, ("https", "http", "mailto"))


_EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError(
            "email", "'{value}' ist keine gültige E-Mail-Adresse", {"value": _shown(value)}
        )
    return value


WebUrl = Annotated[
    str,
    BeforeValidator(_strip_required),
    AfterValidator(_web_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
LinkUrl = Annotated[
    str,
    BeforeValidator(_strip_required),
    AfterValidator(_link_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^(https?://|mailto:)"}),
]
Email = Annotated[
    str,
    BeforeValidator(_strip_required),
    AfterValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email"}),
]

_DATE_HINT = "erwartet: JJJJ-MM-TT"
_DATETIME_HINT = "erwartet: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$")
_PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _as_text(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def parse_date(value: Any, hint: str = _DATE_HINT) -> date:
    """Parse ``YYYY-MM-DD`` strictly (a contributor-facing message on failure)."""
    value = _as_text(value)
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _invalid_date(value, hint)


#: A date as Germans write it: ``1.3.2027``, ``01.03.2027 14:30`` or ``1.3.2027, 14.30 Uhr``.
_GERMAN_DATE_RE = re.compile(
    r"\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:\s*Uhr)?)?\s*"
)


def _invalid_date(value: Any, hint: str) -> PydanticCustomError:
    """The error for a value that is no date; a German date gets its ISO form suggested."""
    suggestion = ""
    match = _GERMAN_DATE_RE.fullmatch(value) if isinstance(value, str) else None
    if match:
        day, month, year, hour, minute = match.groups()
        try:
            iso = date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            iso = ""
        if iso and hour is not None and hint == _DATETIME_HINT and int(hour) < 24:
            iso += f"T{int(hour):02d}:{minute}"
        if iso:
            suggestion = f" – gemeint ist wohl '{iso}'"
    return PydanticCustomError(
        "date_invalid",
        "'{value}' ist kein gültiges Datum ({hint}){suggestion}",
        {"value": _shown(value), "hint": hint, "suggestion": suggestion},
    )


def parse_moment(value: Any) -> date | datetime:
    """Parse a date (all-day) or a date-time; a time without offset is Berlin local time."""
    value = _as_text(value)
    if isinstance(value, str):
        text = value.strip()
        if _DATE_RE.fullmatch(text):
            return parse_date(text, _DATETIME_HINT)
        match = _DATETIME_RE.fullmatch(text)
        if match:
            try:
                moment = datetime.fromisoformat(text.replace(" ", "T", 1))
            except ValueError:
                moment = None
            if moment is not None:
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=BERLIN)
                    roundtrip = moment.astimezone(ZoneInfo("UTC")).astimezone(BERLIN)
                    if roundtrip.replace(tzinfo=None) != moment.replace(tzinfo=None):
                        raise PydanticCustomError(
                            "time_nonexistent",
                            "'{value}' gibt es in Berlin nicht (Umstellung auf Sommerzeit) – "
                            "bitte die Uhrzeit prüfen",
                            {"value": _shown(value)},
                        )
                return moment
    raise _invalid_date(value, _DATETIME_HINT)


def _parse_partial_date(value: Any) -> str:
    value = _as_text(value)
    text = str(value).strip() if isinstance(value, str | int) else None
    if text and _PARTIAL_DATE_RE.fullmatch(text):
        padded = text + "-01" * (2 - text.count("-"))
        try:
            date.fromisoformat(padded)
            return text
        except ValueError:
            pass
    raise PydanticCustomError(
        "partial_date_invalid",
        "'{value}' ist keine gültige Angabe (erwartet: JJJJ, JJJJ-MM oder JJJJ-MM-TT)",
        {"value": _shown(value)},
    )


DateValue = Annotated[
    date,
    BeforeValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Moment = Annotated[
    date | datetime,
    BeforeValidator(parse_moment),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?$",
            "description": "Datum (ganztägig) oder Datum mit Uhrzeit; ohne Zeitzone gilt "
            "Europe/Berlin",
        }
    ),
]
PartialDate = Annotated[
    str,
    BeforeValidator(_parse_partial_date),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]


def _check_region(value: str) -> str:
    if value in regions.BY_CODE:
        return value
    meant = regions.suggest(value)
    raise PydanticCustomError(
        "region",
        "'{value}' ist keine Region{hint}; erlaubt sind bund, international und die "
        "Länder-Codes nach ISO 3166-2 (DE-BW … DE-TH, z. B. DE-NW für Nordrhein-Westfalen)",
        {"value": _shown(value), "hint": f" – gemeint ist wohl '{meant}'" if meant else ""},
    )


RegionCode = Annotated[
    str,
    AfterValidator(_check_region),
    WithJsonSchema({"type": "string", "enum": list(regions.CODES)}),
]


class _Model(BaseModel):
    """Shared settings: unknown keys are errors, values are immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Contact(_Model):
    """Organisational contact: at least one of e-mail or web address."""

    email: Email | None = Field(
        None,
        title="E-Mail (Funktionspostfach)",
        description="Funktionspostfach, keine persönliche Adresse",
    )
    url: WebUrl | None = Field(None, title="Kontaktseite", description="Kontaktseite (https://…)")

    @model_validator(mode="after")
    def _at_least_one(self) -> Contact:
        if self.email is None and self.url is None:
            raise PydanticCustomError("contact_empty", "braucht mindestens 'email' oder 'url'")
        return self


class Organizer(_Model):
    """An organisation behind a community or an event, with its website if it has one."""

    name: Text = Field(title="Name", description="Name der Organisation")
    url: WebUrl | None = Field(
        None, title="Website", description="Website der Organisation (https://…)"
    )


#: Prefix of the branch names of the content's unions: pydantic puts the branch into an
#: error's location, :func:`.validation.errors_from_validation` drops it again.
BRANCH_PREFIX = "choice-"


def _organizer_branch(value: Any) -> str:
    return BRANCH_PREFIX + ("entry" if isinstance(value, dict | Organizer) else "name")


def _as_organizer(value: str | Organizer) -> Organizer:
    return Organizer(name=value) if isinstance(value, str) else value


if TYPE_CHECKING:
    OrganizerEntry = Organizer
else:
    #: An organizer as contributors write it: just the name, or ``name`` and ``url``.
    OrganizerEntry = Annotated[
        Annotated[Text, Branch(BRANCH_PREFIX + "name")]
        | Annotated[Organizer, Branch(BRANCH_PREFIX + "entry")],
        Discriminator(_organizer_branch),
        AfterValidator(_as_organizer),
    ]


class Membership(_Model):
    """How one becomes a member."""

    mode: Literal["open", "application", "invitation"] = Field(
        "open",
        title="Art der Mitgliedschaft",
        description="open: offen für alle; application: Bewerbung; invitation: Einladung",
    )
    deadline: DateValue | None = Field(
        None, title="Bewerbungsfrist", description="Bewerbungsfrist (JJJJ-MM-TT)"
    )
    seats: int | None = Field(None, ge=1, le=100_000, title="Plätze", description="Zahl der Plätze")


class Community(_Model):
    """A community, board, network, initiative, working group or office."""

    id: Id = Field(
        title="Kennung", description="Kennung, wird Teil der Adresse: /communities/<id>/"
    )
    name: Text = Field(title="Name", description="Name der Community")
    kind: Literal["community", "board", "network", "initiative", "working-group", "office"] = Field(
        title="Art", description="Art des Zusammenschlusses"
    )
    summary: Summary = Field(
        title="Kurzbeschreibung", description="Ein Satz, höchstens 300 Zeichen"
    )
    description: Markdown = Field(
        "", title="Ausführliche Beschreibung", description="Ausführliche Beschreibung (Markdown)"
    )
    organizers: list[OrganizerEntry] = Field(
        default_factory=list,
        title="Tragende Organisationen",
        description="Tragende Organisationen",
    )
    since: PartialDate | None = Field(
        None, title="Seit", description="Seit wann: JJJJ, JJJJ-MM oder JJJJ-MM-TT"
    )
    level: Literal["bund", "land", "kommune", "mixed"] = Field(
        title="Verwaltungsebene",
        description="Verwaltungsebene: bund, land, kommune oder mixed (gemischt)",
    )
    website: WebUrl | None = Field(None, title="Website", description="Website (https://…)")
    contact: Contact | None = Field(
        None, title="Kontakt", description="Kontakt: email und/oder url"
    )
    membership: Membership = Field(
        default_factory=lambda: Membership(),
        title="Mitgliedschaft",
        description="Mitgliedschaft: mode, deadline, seats",
    )
    tags: list[Slug] = Field(
        default_factory=list, title="Schlagwörter", description="Schlagwörter (Kennungen)"
    )
    regions: list[RegionCode] = Field(
        default_factory=list,
        title="Regionen",
        description="Wo die Community wirkt: Länder-Codes wie DE-NW, bund oder international",
    )
    status: Literal["active", "inactive"] = Field(
        "active", title="Status", description="active oder inactive"
    )


class MovedDate(_Model):
    """One date of a series that takes place at another time."""

    date: DateValue = Field(
        title="Termin der Reihe", description="Der Termin, der verlegt wird (JJJJ-MM-TT)"
    )
    start: Moment = Field(
        title="Neuer Beginn", description="Neuer Beginn, im selben Format wie start der Reihe"
    )
    end: Moment | None = Field(
        None, title="Neues Ende", description="Neues Ende; ohne Angabe so lang wie sonst"
    )


def _rule_error(kind: str, value: str, error: recurrence.RuleError) -> PydanticCustomError:
    return PydanticCustomError(
        kind, "'{value}' geht nicht: {reason}", {"value": _shown(value), "reason": str(error)}
    )


def _check_every(value: str) -> str:
    try:
        recurrence.parse_every(value)
    except recurrence.RuleError as exc:
        raise _rule_error("repeat_every", value, exc) from None
    return value


class Repeat(_Model):
    """A series: how often an event repeats, until when, and its changed dates."""

    model_config = ConfigDict(populate_by_name=True)

    every: Annotated[Text, AfterValidator(_check_every)] = Field(
        title="Wiederholung",
        description="Wie oft: week (wöchentlich), month (monatlich), year oder day, auch "
        "mit Abstand wie '2 weeks' oder 'alle 2 Wochen'",
        json_schema_extra={
            "pattern": recurrence.EVERY_PATTERN,
            "examples": ["week", "2 weeks", "month", "monatlich"],
        },
    )
    on: Text | None = Field(
        None,
        title="An welchen Tagen",
        description="Wochentage wie 'tuesday' (bei week) oder 'first tuesday', 'last friday', "
        "'15' (bei month); ohne Angabe der Tag von start",
        json_schema_extra={"examples": ["tuesday", "monday, thursday", "first tuesday", "15"]},
    )
    until: DateValue | None = Field(
        None, title="Bis", description="Letzter möglicher Tag der Reihe (JJJJ-MM-TT)"
    )
    except_: list[DateValue] = Field(
        default_factory=list,
        alias="except",
        title="Ausgenommene Termine",
        description="Termine, die ohne Hinweis entfallen, z. B. Sommerpause (JJJJ-MM-TT)",
    )
    cancelled: list[DateValue] = Field(
        default_factory=list,
        title="Abgesagte Termine",
        description="Termine, die als abgesagt angezeigt werden (JJJJ-MM-TT)",
    )
    moved: list[MovedDate] = Field(
        default_factory=list,
        title="Verlegte Termine",
        description="Termine zu anderer Zeit: date (Termin der Reihe), start, end",
    )

    @field_validator("on")
    @classmethod
    def _on_fits_every(cls, on: str | None, info: ValidationInfo) -> str | None:
        every = info.data.get("every")
        if on is None or every is None:
            return on
        try:
            recurrence.parse_on(on, recurrence.parse_every(every))
        except recurrence.RuleError as exc:
            raise _rule_error("repeat_on", on, exc) from None
        return on


def _series_problems(repeat: Repeat, start: date | datetime) -> list[Any]:
    """Errors of a series that need its first date: (location in ``repeat``, error)."""
    problems: list[Any] = []

    def problem(loc: tuple[Any, ...], kind: str, message: str, **ctx: Any) -> None:
        problems.append(
            {"type": PydanticCustomError(kind, message, ctx), "loc": loc, "input": ctx.get("value")}
        )

    first_day = berlin_day(start)
    if repeat.until is not None and repeat.until < first_day:
        problem(
            ("until",),
            "repeat_until",
            "'{value}' liegt vor dem ersten Termin ({start})",
            value=repeat.until.isoformat(),
            start=first_day.isoformat(),
        )
        return problems
    if not recurrence.starts_on_rule(repeat, start):
        found = recurrence.first_date_from(repeat, start)
        weekday = recurrence.GERMAN_WEEKDAYS[first_day.weekday()]
        problem(
            ("on",),
            "repeat_start",
            "start ({start}, ein {weekday}) ist kein Termin dieser Regel{hint} – start muss "
            "der erste Termin der Reihe sein",
            value=repeat.on,
            start=first_day.isoformat(),
            weekday=weekday,
            hint=f"; der erste wäre {found.isoformat()}" if found else "",
        )
        return problems
    named = [*repeat.except_, *repeat.cancelled, *(m.date for m in repeat.moved)]
    dates: set[date] = set()
    if named:
        latest = max(named)
        for found_date in recurrence.rule_dates(repeat, start):
            dates.add(found_date.date())  # (up to the first one after, for the hint)
            if found_date.date() > latest:
                break
    seen: dict[date, str] = {}
    entries = [("except", i, d) for i, d in enumerate(repeat.except_)]
    entries += [("cancelled", i, d) for i, d in enumerate(repeat.cancelled)]
    entries += [("moved", i, m.date) for i, m in enumerate(repeat.moved)]
    for key, i, day in entries:
        loc = (key, i, "date") if key == "moved" else (key, i)
        if day not in dates:
            after = next((d for d in sorted(dates) if d > day), None)
            problem(
                loc,
                "repeat_date",
                "'{value}' ist kein Termin der Reihe{hint}",
                value=day.isoformat(),
                hint=f" (der nächste ist {after.isoformat()})" if after else "",
            )
        elif day in seen:
            problem(
                loc,
                "repeat_twice",
                "'{value}' steht schon unter {other}",
                value=day.isoformat(),
                other=seen[day],
            )
        seen.setdefault(day, key)
    timed = isinstance(start, datetime)
    for i, moved in enumerate(repeat.moved):
        if isinstance(moved.start, datetime) != timed or (
            moved.end is not None and isinstance(moved.end, datetime) != timed
        ):
            problem(
                ("moved", i, "start"),
                "moved_kind",
                "der verlegte Termin braucht {what} wie start der Reihe",
                value=str(moved.start),
                what="eine Uhrzeit" if timed else "ein Datum ohne Uhrzeit",
            )
        elif moved.date in dates and not _between_neighbours(moved, dates):
            days = sorted(dates)
            at = days.index(moved.date)
            previous = days[at - 1].isoformat() if at else "dem Beginn der Reihe"
            following = days[at + 1].isoformat() if at + 1 < len(days) else "dem Ende der Reihe"
            problem(
                ("moved", i, "start"),
                "moved_past_neighbour",
                "der verlegte Termin muss nach {before} und vor {after} liegen – Kalender "
                "wie Outlook können einen Termin nicht über einen anderen der Reihe hinweg "
                "verschieben; weiter weg: unter cancelled absagen und als eigene "
                "Veranstaltung eintragen",
                value=str(moved.start),
                before=previous,
                after=following,
            )
        elif moved.end is not None and moved.end < moved.start:
            problem(
                ("moved", i, "end"),
                "end_before_start",
                "Ende '{end}' liegt vor dem Beginn '{start}'",
                value=str(moved.end),
                end=_display(moved.end),
                start=_display(moved.start),
            )
    return problems


def _between_neighbours(moved: MovedDate, dates: set[date]) -> bool:
    """Whether a moved date stays strictly between the series' dates around it (on its
    own day it may move freely): Outlook cannot move a date onto or past another one."""
    day = berlin_day(moved.start)
    earlier = [d for d in dates if d < moved.date]
    later = [d for d in dates if d > moved.date]
    return (not earlier or max(earlier) < day) and (not later or day < min(later))


class Event(TimeSpan, _Model):  # (all_day, starts_at, ends_at)
    """An event: a meeting, conference, web session."""

    # The rule of ``_location_when_onsite`` in the JSON Schema, for editors and the form.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "properties": {"format": {"enum": ["onsite", "hybrid"]}},
                "required": ["format"],
            },
            "then": {"required": ["location"], "properties": {"location": {"type": "string"}}},
        }
    )

    id: Id = Field(title="Kennung", description="Kennung, wird Teil der Adresse: /events/<id>/")
    title: Text = Field(title="Titel", description="Titel der Veranstaltung")
    start: Moment = Field(
        title="Beginn",
        description="Beginn: JJJJ-MM-TT (ganztägig) oder JJJJ-MM-TTThh:mm (Ortszeit Berlin)",
    )
    end: Moment | None = Field(
        None,
        title="Ende",
        description="Ende, im selben Format wie start; bei ganztägig der letzte Tag",
    )
    format: Literal["online", "onsite", "hybrid"] = Field(
        title="Format", description="online, onsite (vor Ort) oder hybrid"
    )
    location: Text | None = Field(
        None,
        validate_default=True,
        title="Ort",
        description="Ort mit Adresse; Pflicht bei onsite und hybrid",
    )
    registration: LinkUrl | None = Field(
        None, title="Anmeldung", description="Anmeldung: Seite (https://…) oder E-Mail (mailto:…)"
    )
    communities: list[Slug] = Field(
        default_factory=list,
        title="Beteiligte Communities",
        description="Kennungen beteiligter Communities",
    )
    organizers: list[OrganizerEntry] = Field(
        default_factory=list,
        title="Veranstaltende Organisationen",
        description="Veranstaltende Organisationen",
    )
    summary: Summary = Field(
        title="Kurzbeschreibung", description="Ein Satz, höchstens 300 Zeichen"
    )
    description: Markdown = Field(
        "", title="Ausführliche Beschreibung", description="Ausführliche Beschreibung (Markdown)"
    )
    tags: list[Slug] = Field(
        default_factory=list, title="Schlagwörter", description="Schlagwörter (Kennungen)"
    )
    regions: list[RegionCode] = Field(
        default_factory=list,
        title="Regionen",
        description="Für wen die Veranstaltung ist: Länder-Codes wie DE-NW, bund oder "
        "international",
    )
    status: Literal["scheduled", "cancelled", "postponed"] = Field(
        "scheduled",
        title="Status",
        description="scheduled (geplant), cancelled (abgesagt), postponed (verschoben)",
    )
    recording: WebUrl | None = Field(
        None, title="Aufzeichnung", description="Aufzeichnung (https://…)"
    )
    documentation: WebUrl | None = Field(
        None, title="Dokumentation", description="Dokumentation (https://…)"
    )
    repeat: Repeat | None = Field(
        None,
        title="Regelmäßiger Termin",
        description="Nur für regelmäßige Termine (eine Reihe): wie oft, an welchen Tagen, bis "
        "wann; Beginn und Ende sind dann der erste Termin",
    )

    @field_validator("repeat")
    @classmethod
    def _series_fits_start(cls, repeat: Repeat | None, info: ValidationInfo) -> Repeat | None:
        start = info.data.get("start")
        if repeat is None or start is None:
            return repeat
        problems = _series_problems(repeat, start)
        if problems:
            raise ValidationError.from_exception_data("Repeat", problems)
        return repeat

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date | datetime | None, info: ValidationInfo) -> Any:
        start = info.data.get("start")
        if end is None or start is None:
            return end
        if isinstance(start, datetime) != isinstance(end, datetime):
            raise PydanticCustomError(
                "end_kind",
                "Beginn und Ende müssen beide ganztägig (JJJJ-MM-TT) oder beide mit Uhrzeit "
                "angegeben sein",
            )
        if end < start:
            raise PydanticCustomError(
                "end_before_start",
                "Ende '{end}' liegt vor dem Beginn '{start}'",
                {"end": _display(end), "start": _display(start)},
            )
        return end

    @field_validator("location")
    @classmethod
    def _location_when_onsite(cls, location: str | None, info: ValidationInfo) -> str | None:
        if location is None and info.data.get("format") in ("onsite", "hybrid"):
            raise PydanticCustomError(
                "location_required",
                "fehlt: bei format '{format}' ist ein Ort (Adresse) Pflicht",
                {"format": info.data["format"]},
            )
        return location


class Tag(_Model):
    """A tag: its id (in addresses and in the entries' ``tags``) and the name readers see."""

    id: Slug = Field(
        title="Kennung",
        description="Kennung, wie sie Einträge unter tags nennen; Teil der Adresse /tags/<id>/",
    )
    name: Text = Field(title="Name", description="Name für Lesende, z. B. Digitale Souveränität")
    description: Summary | None = Field(
        None, title="Beschreibung", description="Ein Satz, worum es bei dem Schlagwort geht"
    )


class Source(_Model):
    """Where a news item's facts come from."""

    name: Text = Field(title="Name der Quelle", description="Name der Quelle")
    url: WebUrl = Field(title="Adresse der Quelle", description="Adresse der Quelle (https://…)")


class NewsFrontMatter(_Model):
    """The front matter of a news article (``content/news/*.md``)."""

    title: Text = Field(title="Überschrift", description="Überschrift")
    date: Moment = Field(
        title="Datum", description="Veröffentlichung: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm"
    )
    summary: Summary = Field(
        title="Kurzbeschreibung", description="Ein Satz, höchstens 300 Zeichen"
    )
    tags: list[Slug] = Field(
        default_factory=list, title="Schlagwörter", description="Schlagwörter (Kennungen)"
    )
    communities: list[Slug] = Field(
        default_factory=list,
        title="Communities",
        description="Kennungen der Communities, um die es geht",
    )
    events: list[Slug] = Field(
        default_factory=list,
        title="Veranstaltungen",
        description="Kennungen der Veranstaltungen, um die es geht",
    )
    source: Source | None = Field(None, title="Quelle", description="Quelle: name und url")
    deadline: DateValue | None = Field(
        None, title="Frist", description="Frist bei Aufrufen zur Beteiligung (JJJJ-MM-TT)"
    )
    # Strict: ``draft: yes`` or ``draft: "false"`` must not be guessed (YAML 1.1 habits).
    draft: StrictBool = Field(
        False, title="Entwurf", description="true: Entwurf, wird nicht veröffentlicht"
    )


class NewsItem(NewsFrontMatter):
    """A news article: its front matter plus the slug (from the file name) and body."""

    slug: str
    body: str
    source_path: str

    @property
    def published_at(self) -> datetime:
        """Publication as an aware datetime (a date alone: midnight in Berlin)."""
        return as_datetime(self.date)


def _display(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()
