"""The validated, cross-linked whole: every content file loaded once, indexed once.

``ContentLoader.load()`` reads all content, validates it, checks cross-references and
returns a :class:`Catalog` together with every error found. Valid entries are always kept
(an error in one entry never hides another), so a preview can show everything that is
correct while the errors are listed. Parsed files are cached by fingerprint (size and
modification time), so a rebuild after editing one file re-reads only that file.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from .errors import ContentError
from .formatting import moment
from .loading import (
    Document,
    MarkdownSource,
    find_links,
    format_loc,
    link_error,
    linked_part,
    load_markdown_file,
    load_yaml_file,
)
from .models import (
    BERLIN,
    RESERVED_IDS,
    SLUG_PATTERN,
    Community,
    Event,
    NewsFrontMatter,
    NewsItem,
    first_forbidden_character,
)
from .runtime import paused_gc
from .validation import validate_entry, validate_list

_SLUG = re.compile(SLUG_PATTERN)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass(frozen=True)
class ContentPaths:
    """Where content lives, relative to the project directory."""

    project_dir: Path
    communities: str = "data/communities.yaml"
    events: str = "data/events.yaml"
    news_dir: str = "content/news"
    #: Folders whose files the site publishes as they are (MkDocs' ``docs_dir`` and the
    #: theme's ``custom_dir``): checked for symbolic links like the content itself.
    published: tuple[str, ...] = ("content", "overrides")

    def news_files(self) -> list[Path]:
        """All news Markdown files, sorted by name (symbolic links left out: see
        :meth:`scanned_folders`)."""
        folder = self.project_dir / self.news_dir
        if linked_part(self.project_dir, self.news_dir) is not None or not folder.is_dir():
            return []
        # ``.MD`` too: a file that is skipped without a word would be a lost article.
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() == ".md" and not p.is_symlink() and p.is_file()
        )

    def scanned_folders(self) -> list[str]:
        """Every folder the portal or MkDocs reads files from: searched for links."""
        folders = [
            Path(self.communities).parent.as_posix(),
            Path(self.events).parent.as_posix(),
            self.news_dir,
            *self.published,
        ]
        return list(dict.fromkeys(folders))

    def rel(self, path: Path) -> str:
        """A path relative to the project, with forward slashes (as messages show it)."""
        try:
            return path.relative_to(self.project_dir).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class TagEntry:
    """Everything carrying one tag."""

    tag: str
    communities: list[Community] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many items carry the tag."""
        return len(self.communities) + len(self.events) + len(self.news)


class _TagIndex(dict[str, TagEntry]):
    def __missing__(self, tag: str) -> TagEntry:
        entry = self[tag] = TagEntry(tag)
        return entry


@dataclass
class Catalog:
    """All published content with its indexes, built once per build."""

    communities: list[Community]
    events: list[Event]
    news: list[NewsItem]
    drafts: list[NewsItem]
    now: datetime
    #: News dated after ``now``: published by the first build at or after their date
    #: (the daily pipeline). A preview (``mkdocs serve``) also lists them in ``news``.
    scheduled: list[NewsItem] = field(default_factory=list)

    @cached_property
    def community_by_id(self) -> dict[str, Community]:
        """Communities by id."""
        return {c.id: c for c in self.communities}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        """Events by id."""
        return {e.id: e for e in self.events}

    @cached_property
    def news_by_slug(self) -> dict[str, NewsItem]:
        """Published news by slug."""
        return {n.slug: n for n in self.news}

    @cached_property
    def events_by_community(self) -> dict[str, list[Event]]:
        """Events (ascending by start) per community id."""
        index: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            for cid in event.communities:
                index[cid].append(event)
        return dict(index)

    @cached_property
    def news_by_community(self) -> dict[str, list[NewsItem]]:
        """News (newest first) per community id."""
        index: dict[str, list[NewsItem]] = defaultdict(list)
        for item in self.news:
            for cid in item.communities:
                index[cid].append(item)
        return dict(index)

    @cached_property
    def news_by_event(self) -> dict[str, list[NewsItem]]:
        """News (newest first) per event id."""
        index: dict[str, list[NewsItem]] = defaultdict(list)
        for item in self.news:
            for eid in item.events:
                index[eid].append(item)
        return dict(index)

    @cached_property
    def tags(self) -> dict[str, TagEntry]:
        """One tag index across all three content types, sorted by tag."""
        # (Not ``setdefault(tag, TagEntry(tag))``: that builds an entry for every use of a
        # tag, 30,000 of them for 10,000 items, and cost more than the rest of the index.)
        index: dict[str, TagEntry] = _TagIndex()
        for community in self.communities:
            for tag in community.tags:
                index[tag].communities.append(community)
        for event in self.events:
            for tag in event.tags:
                index[tag].events.append(event)
        for item in self.news:
            for tag in item.tags:
                index[tag].news.append(item)
        return dict(sorted(index.items()))

    @property
    def today(self) -> date:
        """The build date in Berlin."""
        return self.now.astimezone(BERLIN).date()

    def is_past(self, event: Event) -> bool:
        """An event is past once its end (or, without an end, its start day) is over."""
        return event.ends_at <= self.now

    @cached_property
    def upcoming_events(self) -> list[Event]:
        """Events not yet over, soonest first."""
        return [e for e in self.events if not self.is_past(e)]

    @cached_property
    def past_events(self) -> list[Event]:
        """Events that are over, most recent first."""
        return [e for e in reversed(self.events) if self.is_past(e)]

    def is_scheduled(self, item: NewsItem) -> bool:
        """A news item dated after the build is not published yet."""
        return item.published_at > self.now

    def call_is_open(self, deadline: date | None) -> bool:
        """A call with a deadline is open up to and including that day."""
        return deadline is not None and deadline >= self.today

    @cached_property
    def open_calls(self) -> list[NewsItem]:
        """News with a deadline that has not passed, nearest deadline first."""
        calls = [n for n in self.news if self.call_is_open(n.deadline)]
        return sorted(calls, key=lambda n: (n.deadline, n.title))

    @cached_property
    def open_memberships(self) -> list[Community]:
        """Communities taking applications with a deadline that has not passed."""
        return [c for c in self.communities if self.call_is_open(c.membership.deadline)]


def _fingerprint(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


T = TypeVar("T")


@dataclass
class _CacheEntry(Generic[T]):
    fingerprint: tuple[int, int]
    value: T
    errors: list[ContentError]


@dataclass
class _ListFile:
    entries: list[tuple[int, Any]]
    document: Document | None


class ContentLoader:
    """Loads and validates all content; keeps per-file results between builds."""

    def __init__(self, paths: ContentPaths) -> None:
        self.paths = paths
        self._cache: dict[Path, _CacheEntry[Any]] = {}
        #: Symbolic links found by the last :meth:`load` (project-relative): nothing at
        #: or below them may be published.
        self.links: list[str] = []

    def _cached(self, path: Path, load: Any) -> tuple[Any, list[ContentError]]:
        fingerprint = _fingerprint(path)
        entry = self._cache.get(path)
        if fingerprint is not None and entry is not None and entry.fingerprint == fingerprint:
            return entry.value, entry.errors
        value, errors = load(path)
        if fingerprint is not None:
            self._cache[path] = _CacheEntry(fingerprint, value, errors)
        return value, errors

    def _load_list(
        self, rel: str, root: str, model: type[Any]
    ) -> tuple[_ListFile, list[ContentError]]:
        path = self.paths.project_dir / rel
        if linked_part(self.paths.project_dir, rel) is not None:
            return _ListFile([], None), []  # reported with every other link

        def load(p: Path) -> tuple[_ListFile, list[ContentError]]:
            if not p.exists():
                return _ListFile([], None), [
                    ContentError(
                        rel,
                        1,
                        1,
                        "",
                        "Datei fehlt – sie muss eine YAML-Liste enthalten "
                        "(eine leere Liste ist '[]')",
                    )
                ]
            document, errors = load_yaml_file(p, rel, root)
            if document is None:
                return _ListFile([], None), errors
            entries, entry_errors = validate_list(model, document, root)
            return _ListFile(entries, document), errors + entry_errors

        result: tuple[_ListFile, list[ContentError]] = self._cached(path, load)
        return result

    def _load_news(self, path: Path) -> tuple[NewsItem | None, list[ContentError]]:
        rel = self.paths.rel(path)

        def load(p: Path) -> tuple[tuple[NewsItem | None, Document | None], list[ContentError]]:
            errors: list[ContentError] = []
            slug = p.stem
            if not _SLUG.fullmatch(slug) or p.suffix != ".md":
                errors.append(
                    ContentError(
                        rel,
                        1,
                        1,
                        "Dateiname",
                        f"'{p.name}' ist kein gültiger Dateiname: nur Kleinbuchstaben a–z, Ziffern "
                        "und Bindestriche, z. B. '2025-05-15-aufruf-open-source-board.md'",
                    )
                )
            elif _DATE_PREFIX.sub("", slug) in RESERVED_IDS or slug in RESERVED_IDS:
                errors.append(
                    ContentError(
                        rel,
                        1,
                        1,
                        "Dateiname",
                        f"'{p.name}' ist als Name reserviert – bitte einen genaueren Namen wählen",
                    )
                )
            source, load_errors = load_markdown_file(p, rel)
            errors.extend(load_errors)
            if source is None or source.front_matter is None:
                return (None, None), errors
            front, fm_errors = validate_entry(
                NewsFrontMatter, _front_data(source), rel, source.front_matter.positions, (), ""
            )
            errors.extend(fm_errors)
            errors.extend(_body_errors(source, rel))
            if front is None or errors:
                return (None, source.front_matter), errors
            item = NewsItem.model_construct(
                **dict(front), slug=slug, body=source.body, source_path=rel
            )
            return (item, source.front_matter), errors

        (item, document), errors = self._cached(path, load)
        if document is not None:
            self._news_documents[rel] = document
        return item, errors

    def load(
        self, now: datetime | None = None, *, freeze: bool = False, preview: bool = False
    ) -> tuple[Catalog, list[ContentError]]:
        """Load, validate and cross-check everything; never raises for content errors.

        News dated after ``now`` are kept apart in ``Catalog.scheduled``; a ``preview``
        (``mkdocs serve``) lists them with the published news too, so that authors see
        them before their day. The cyclic garbage collector is paused meanwhile;
        ``freeze`` (for one-shot runs: a build, a validation) keeps it away from the
        loaded content afterwards, see :func:`paused_gc`.
        """
        with paused_gc(freeze=freeze):
            return self._load(now, preview)

    def _load(self, now: datetime | None, preview: bool) -> tuple[Catalog, list[ContentError]]:
        now = now or datetime.now(BERLIN)
        errors: list[ContentError] = []
        self._news_documents: dict[str, Document] = {}
        project = self.paths.project_dir
        self.links = find_links(project, self.paths.scanned_folders())
        errors.extend(link_error(project, rel) for rel in self.links)
        communities_file, errs = self._load_list(self.paths.communities, "communities", Community)
        errors.extend(errs)
        events_file, errs = self._load_list(self.paths.events, "events", Event)
        errors.extend(errs)
        news: list[NewsItem] = []
        news_files = self.paths.news_files()
        for path in news_files:
            item, errs = self._load_news(path)
            errors.extend(errs)
            if item is not None:
                news.append(item)
        # Forget files that are gone (renamed or deleted news), without touching the disk.
        current = {
            *news_files,
            self.paths.project_dir / self.paths.communities,
            self.paths.project_dir / self.paths.events,
        }
        self._cache = {p: e for p, e in self._cache.items() if p in current}

        communities = self._unique(communities_file, self.paths.communities, "communities", errors)
        events = self._unique(events_file, self.paths.events, "events", errors)
        # An entry with its own errors still exists for its references: a typo in a
        # community's summary must not also flag every event that names the community.
        community_ids = _declared_ids(communities_file.document)
        event_ids = _declared_ids(events_file.document)

        # References are checked on the raw values, so that an entry with other errors
        # still gets its dangling references reported in the same run.
        if events_file.document is not None and isinstance(events_file.document.data, list):
            for index, raw in enumerate(events_file.document.data):
                self._check_refs(
                    raw,
                    "communities",
                    community_ids,
                    events_file.document,
                    (index,),
                    "events",
                    "Community",
                    errors,
                )
        for document in self._news_documents.values():
            self._check_refs(
                document.data, "communities", community_ids, document, (), "", "Community", errors
            )
            self._check_refs(
                document.data, "events", event_ids, document, (), "", "Veranstaltung", errors
            )

        communities.sort(key=lambda c: c.name.casefold())
        events.sort(key=lambda e: (e.starts_at, e.title.casefold()))
        news.sort(key=lambda n: (n.published_at, n.slug), reverse=True)
        published = [n for n in news if not n.draft and (preview or n.published_at <= now)]
        drafts = [n for n in news if n.draft]
        scheduled = [n for n in news if not n.draft and n.published_at > now]
        catalog = Catalog(communities, events, published, drafts, now, scheduled)
        return catalog, sorted(set(errors))

    def _unique(
        self, file: _ListFile, rel: str, root: str, errors: list[ContentError]
    ) -> list[Any]:
        """Drop (and report) entries whose id repeats an earlier one, case-insensitively."""
        seen: dict[str, int] = {}
        unique: list[Any] = []
        for index, item in file.entries:
            key = item.id.casefold()
            assert file.document is not None
            mark = file.document.positions.locate((index, "id"))
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

    @staticmethod
    def _check_refs(
        raw: Any,
        key: str,
        known: set[str] | None,
        document: Document,
        prefix: tuple[Any, ...],
        root: str,
        what: str,
        errors: list[ContentError],
    ) -> None:
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
                        + _suggest(ref, known),
                    )
                )


def _declared_ids(document: Document | None) -> set[str] | None:
    """Ids written in a list file, valid entries or not; ``None`` when it is unreadable."""
    if document is None or not isinstance(document.data, list | None):
        return None
    return {
        entry["id"]
        for entry in document.data or ()
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }


def _suggest(ref: str, known: set[str]) -> str:
    close = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
    return f" (meinten Sie '{close[0]}'?)" if close else ""


def _body_errors(source: MarkdownSource, rel: str) -> list[ContentError]:
    """The first character in a news text that no text may hold (as in the other fields;
    a pasted control character would otherwise vanish from the outputs unnoticed)."""
    found = first_forbidden_character(source.body)
    if found is None:
        return []
    offset, character = found
    line = source.body_line + source.body.count("\n", 0, offset)
    column = offset - (source.body.rfind("\n", 0, offset) + 1) + 1
    return [
        ContentError(
            rel, line, column, "Text", f"enthält {character} – bitte entfernen oder neu tippen"
        )
    ]


def _front_data(source: MarkdownSource) -> Any:
    assert source.front_matter is not None
    data = source.front_matter.data
    return {} if data is None else data


def load_catalog(
    project_dir: Path, now: datetime | None = None
) -> tuple[Catalog, list[ContentError]]:
    """Convenience: load the content of a project with the default layout."""
    return ContentLoader(ContentPaths(project_dir)).load(now)


def content_files(paths: ContentPaths) -> list[str]:
    """All content files, relative to the project (for reports)."""
    files = [paths.communities, paths.events]
    files.extend(paths.rel(p) for p in paths.news_files())
    return files


#: Environment variable that fixes "now" for builds and validation (reproducible runs).
BUILD_DATE_VARIABLE = "OSS_PORTAL_BUILD_DATE"


def build_time(value: str | None = None) -> datetime:
    """ "Now" for a build: ``value`` (an ISO date-time, Berlin time unless it names an
    offset), else ``$OSS_PORTAL_BUILD_DATE``, else the current time."""
    value = value or os.environ.get(BUILD_DATE_VARIABLE)
    if not value:
        return datetime.now(BERLIN)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def scheduled_report(catalog: Catalog, *, preview: bool = False) -> str:
    """One German line on the news dated after the build, and when each appears."""
    items = sorted(catalog.scheduled, key=lambda n: (n.published_at, n.source_path))
    one = len(items) == 1
    count = "1 Nachricht ist" if one else f"{len(items)} Nachrichten sind"
    when = (
        "die Vorschau zeigt sie schon jetzt, mit dem Hinweis 'Geplant für …'"
        if preview
        else f"sie {'erscheint' if one else 'erscheinen'} mit dem ersten Build ab "
        f"{'ihrem' if one else 'ihrem jeweiligen'} Datum"
    )
    listed = "; ".join(f"{n.source_path} am {moment(n.date)}" for n in items)
    return f"{count} für später geplant – {when}: {listed}"
