"""Reading all content into a :class:`~.catalog.Catalog`, with every error found.

``ContentLoader.load()`` reads all content, validates it, checks cross-references and
returns a catalog together with every error. Valid entries are always kept (an error in
one entry never hides another), so a preview can show everything that is correct while
the errors are listed. Parsed files are cached by fingerprint (size and modification
time), so a rebuild after editing one file re-reads only that file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from .catalog import BrokenEntry, Catalog
from .errors import ContentError
from .formatting import moment
from .models import (
    BERLIN,
    RESERVED_IDS,
    SLUG_PATTERN,
    Community,
    Event,
    NewsFrontMatter,
    NewsItem,
    Tag,
    first_forbidden_character,
)
from .runtime import paused_gc
from .sources import (
    Document,
    MarkdownSource,
    find_links,
    link_error,
    linked_part,
    load_markdown_file,
    load_yaml_file,
    offset_to_mark,
)
from .validation import (
    REFERENCE_NAMES,
    check_references,
    declared_ids,
    unique_entries,
    validate_entry,
    validate_list,
)

_SLUG = re.compile(SLUG_PATTERN)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass(frozen=True)
class ContentPaths:
    """Where content lives, relative to the project directory."""

    project_dir: Path
    communities: str = "data/communities.yaml"
    events: str = "data/events.yaml"
    #: The tags with their names; optional: without it, any tag is accepted and shown
    #: as written, with it, a tag not listed there is an error.
    tags: str = "data/tags.yaml"
    news_dir: str = "content/news"
    #: Folders whose files the site publishes as they are (MkDocs' ``docs_dir`` and the
    #: theme's ``custom_dir``): checked for symbolic links like the content itself.
    published: tuple[str, ...] = ("content", "overrides")

    def news_files(self) -> list[Path]:
        """All news Markdown files, sorted by name (see :meth:`scan_news`)."""
        return self.scan_news()[0]

    def scan_news(self) -> tuple[list[Path], list[Path]]:
        """The news folder in one pass: the news Markdown files (``.MD`` too: a file
        skipped without a word would be a lost article), and the files that are not news
        (another extension, or in a sub-folder; hidden ones such as ``.gitkeep`` aside).
        Both sorted; symbolic links are left out (see :meth:`scanned_folders`)."""
        folder = self.project_dir / self.news_dir
        if linked_part(self.project_dir, self.news_dir) is not None or not folder.is_dir():
            return [], []
        news: list[Path] = []
        strays: list[Path] = []
        pending = [folder]
        while pending:
            current = pending.pop()
            for entry in os.scandir(current):
                if entry.is_symlink():
                    continue
                hidden = entry.name.startswith(".")
                if entry.is_dir():
                    if not hidden:
                        pending.append(Path(entry.path))
                elif current == folder and entry.name.lower().endswith(".md"):
                    news.append(Path(entry.path))
                elif not hidden:
                    strays.append(Path(entry.path))
        return sorted(news), sorted(strays)

    def scanned_folders(self) -> list[str]:
        """Every folder the portal or MkDocs reads files from: searched for links."""
        folders = [
            Path(self.communities).parent.as_posix(),
            Path(self.events).parent.as_posix(),
            Path(self.tags).parent.as_posix(),
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
            document, errors = load_yaml_file(p, rel, root, recover_items=True)
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
        tags_path = self.paths.project_dir / self.paths.tags
        tags_file = _ListFile([], None)
        if tags_path.exists() or linked_part(self.paths.project_dir, self.paths.tags):
            tags_file, errs = self._load_list(self.paths.tags, "tags", Tag)
            errors.extend(errs)
        news_files, strays = self.paths.scan_news()
        errors.extend(_stray_error(self.paths, path) for path in strays)
        news: list[NewsItem] = []
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
            tags_path,
        }
        self._cache = {p: e for p, e in self._cache.items() if p in current}

        communities = unique_entries(
            communities_file.entries,
            communities_file.document,
            self.paths.communities,
            "communities",
            errors,
        )
        events = unique_entries(
            events_file.entries, events_file.document, self.paths.events, "events", errors
        )
        # An entry with its own errors still exists for its references: a typo in a
        # community's summary must not also flag every event that names the community.
        community_ids = declared_ids(communities_file.document)
        event_ids = declared_ids(events_file.document)
        tags = unique_entries(
            tags_file.entries, tags_file.document, self.paths.tags, "tags", errors
        )
        # Without a tag list every tag is accepted; an unreadable one checks nothing.
        tag_ids = declared_ids(tags_file.document) if tags_file.document is not None else None
        tag_hint = f" oder es in {self.paths.tags} ergänzen"

        # References are checked on the raw values, so that an entry with other errors
        # still gets its dangling references reported in the same run.
        for file, root, keys in (
            (communities_file, "communities", ("tags",)),
            (events_file, "events", ("communities", "tags")),
        ):
            if file.document is None or not isinstance(file.document.data, list):
                continue
            for index, raw in enumerate(file.document.data):
                for key in keys:
                    known, hint = (tag_ids, tag_hint) if key == "tags" else (community_ids, "")
                    check_references(
                        raw,
                        key,
                        known,
                        file.document,
                        (index,),
                        root,
                        REFERENCE_NAMES[key],
                        errors,
                        hint,
                    )
        for document in self._news_documents.values():
            for key, known, hint in (
                ("communities", community_ids, ""),
                ("events", event_ids, ""),
                ("tags", tag_ids, tag_hint),
            ):
                check_references(
                    document.data,
                    key,
                    known,
                    document,
                    (),
                    "",
                    REFERENCE_NAMES[key],
                    errors,
                    hint,
                )

        communities.sort(key=lambda c: c.name.casefold())
        events.sort(key=lambda e: (e.starts_at, e.title.casefold()))
        news.sort(key=lambda n: (n.published_at, n.slug), reverse=True)
        published = [n for n in news if not n.draft and (preview or n.published_at <= now)]
        drafts = [n for n in news if n.draft]
        scheduled = [n for n in news if not n.draft and n.published_at > now]
        catalog = Catalog(communities, events, published, drafts, now, scheduled)
        catalog.tag_info = {tag.id: tag for tag in tags}
        errors = sorted(set(errors))
        for kind, file in (("community", communities_file), ("event", events_file)):
            if file.document is not None:
                for index, item in file.entries:
                    line = file.document.positions.locate((index,)).line
                    catalog.sources[(kind, item.id)] = (file.document.path, line)
        if preview:
            catalog.broken = self._broken(
                errors,
                [("community", communities_file), ("event", events_file)],
                news_files,
                {n.slug for n in news},
            )
        return catalog, errors

    def _broken(
        self,
        errors: list[ContentError],
        lists: list[tuple[str, _ListFile]],
        news_files: list[Path],
        loaded_news: set[str],
    ) -> list[BrokenEntry]:
        """Entries with errors whose id is known, each with the errors inside it (``errors``
        sorted): a preview shows them at their address."""
        by_file: dict[str, list[ContentError]] = {}
        for error in errors:
            by_file.setdefault(error.path, []).append(error)
        broken: list[BrokenEntry] = []
        for kind, file in lists:
            document = file.document
            if document is None or not isinstance(document.data, list):
                continue
            valid = {index for index, _item in file.entries}
            starts = [document.positions.locate((i,)).line for i in range(len(document.data))]
            for index, raw in enumerate(document.data):
                if index in valid:
                    continue
                written = raw.get("id") if isinstance(raw, dict) else None
                entry_id = written or document.unreadable_ids.get(index)
                if not isinstance(entry_id, str) or not _SLUG.fullmatch(entry_id):
                    continue
                end = starts[index + 1] if index + 1 < len(starts) else None
                inside = tuple(
                    e
                    for e in by_file.get(document.path, ())
                    if e.line >= starts[index] and (end is None or e.line < end)
                )
                if inside:
                    where = f"{document.path}:{starts[index]}"
                    broken.append(BrokenEntry(kind, entry_id, where, inside))
        for path in news_files:
            slug, rel = path.stem, self.paths.rel(path)
            inside = tuple(by_file.get(rel, ()))
            if inside and slug not in loaded_news and _SLUG.fullmatch(slug):
                broken.append(BrokenEntry("news", slug, f"{rel}:1", inside))
        return broken


def _stray_error(paths: ContentPaths, path: Path) -> ContentError:
    """A file in the news folder that is not a news article: never published."""
    rel = paths.rel(path)
    folder = paths.project_dir / paths.news_dir
    if path.parent != folder:
        message = (
            f"'{path.name}' liegt in einem Unterordner und gehört nicht in {paths.news_dir}/ "
            f"– Nachrichten liegen direkt in {paths.news_dir}/, Bilder und andere Dateien "
            "in einem eigenen Ordner unter content/"
        )
    else:
        stem = path.name.split(".", 1)[0]
        message = (
            f"'{path.name}' ist keine Nachricht: Nachrichten sind Markdown-Dateien mit der "
            f"Endung .md – bitte in '{stem}.md' umbenennen (die Datei wird sonst nicht "
            "veröffentlicht)"
        )
    return ContentError(rel, 1, 1, "Dateiname", message)


def _body_errors(source: MarkdownSource, rel: str) -> list[ContentError]:
    """The first character in a news text that no text may hold (as in the other fields;
    a pasted control character would otherwise vanish from the outputs unnoticed)."""
    found = first_forbidden_character(source.body)
    if found is None:
        return []
    offset, character = found
    mark = offset_to_mark(source.body, offset)
    line, column = source.body_line + mark.line - 1, mark.column
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
