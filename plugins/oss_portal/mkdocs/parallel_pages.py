"""``mkdocs build`` on two cores: a forked child renders the last part of the pages.

MkDocs prepares every page (``_populate_page``: the body) and then passes them one by one
through the theme (``_build_page``: Material's templates, the search plugin's indexing,
writing the file); both loops run on one core and make up most of a build. Once the
navigation is known (``on_nav``), the portal forks: the child prepares and renders a tail
of the page list through MkDocs' own functions, exactly as the build would, while the
parent does the rest. The parent marks the child's pages as excluded so that its loops
skip them, and before the search index is written it adds the child's search entries
after its own: the index, like every page, is the same as a build on one core writes (a
test compares the two builds file by file). The child's log records are handed back and
logged by the parent, so warnings count for ``strict`` mode as usual.

The child takes only pages for which nothing in the parent needs the prepared page: the
portal's generated pages that are not in the navigation (the navigation shows its pages'
titles; generated pages have no Markdown anchors for MkDocs to check links against).

Only plugins whose page events are known to work this way may take part: the portal and
Material's search. With any other plugin on the page events, MkDocs' own loop renders
everything. The private MkDocs and Material interfaces used here are in
:mod:`.internals`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from . import internals
from .forking import ForkedCall, ForkedCallError

#: Share of the pages the child renders. The parent has the rest, the static templates
#: and, meanwhile, the writer of feeds and calendars on the same two cores.
CHILD_SHARE = 0.5
#: Below this many pages a fork does not pay off.
MIN_PAGES = 200
#: Plugins whose page-level events may run in the child: their effects are either on
#: the page itself, or (the search index) handed back by :func:`_render_share`.
KNOWN_PLUGINS = frozenset({"oss-portal", "search", "material/search"})
PAGE_EVENTS = (
    "pre_page",
    "page_read_source",
    "page_markdown",
    "page_content",
    "env",
    "page_context",
    "post_page",
)


@dataclass
class ShareResult:
    """What the child hands back: search entries and log records, in order."""

    entries: list[Any] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    #: The exception that stopped the child (MkDocs logged the page's name before).
    error: str | None = None


class PageShare:
    """The child's pages, the child itself, and what the parent must put back."""

    def __init__(
        self,
        files: Sequence[File],
        call: ForkedCall[ShareResult],
        search: list[Any] | None,
    ) -> None:
        self.files = list(files)
        self.call = call
        self.search = search
        self.inclusions = [file.inclusion for file in self.files]
        for file in self.files:
            file.inclusion = InclusionLevel.EXCLUDED  # MkDocs' loop in the parent skips it

    def uris(self) -> set[str]:
        return {file.src_uri for file in self.files}

    def finish(self) -> ShareResult:
        """Wait for the child; log its records; add its search entries. Raises
        ``ForkedCallError`` when the child failed (its records are logged first)."""
        self._restore()
        result = self.call.result()
        for record in result.records:
            logging.getLogger(record.name).handle(record)
        if result.error is not None:
            raise ForkedCallError(result.error)
        if self.search is not None:
            self.search.extend(result.entries)
        return result

    def cancel(self) -> None:
        self._restore()
        self.call.cancel()

    def _restore(self) -> None:
        for file, inclusion in zip(self.files, self.inclusions, strict=True):
            file.inclusion = inclusion


def page_plugins_supported(config: MkDocsConfig) -> bool:
    """Whether every plugin on a page-level event is one that may run in the child."""
    plugins = config.plugins
    for event in PAGE_EVENTS:
        for method in plugins.events.get(event, []):
            if internals.event_origin(config, method) not in KNOWN_PLUGINS:
                return False
    return True


def start_share(
    config: MkDocsConfig, files: Files, nav: Navigation, eligible: Callable[[File], bool]
) -> PageShare | None:
    """Fork the child for a tail of the pages, or ``None`` where it does not apply.

    The tail holds at most :data:`CHILD_SHARE` of the pages and only ``eligible`` ones
    outside the navigation; it ends at the last page of the list."""
    if (
        internals.populate_page is None
        or internals.build_page is None
        or not page_plugins_supported(config)
    ):
        return None
    try:
        search = internals.search_entries(config)
    except LookupError:
        return None
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    if len(doc_files) < MIN_PAGES:
        return None
    in_nav = {page.file.src_uri for page in nav.pages}
    start = len(doc_files)
    limit = len(doc_files) - int(len(doc_files) * CHILD_SHARE)
    while start > limit and (
        eligible(doc_files[start - 1]) and doc_files[start - 1].src_uri not in in_nav
    ):
        start -= 1
    tail = doc_files[start:]
    if not tail:
        return None
    before = len(search) if search is not None else 0

    def render() -> ShareResult:
        return _render_share(tail, config, files, doc_files, nav, search, before)

    return PageShare(tail, ForkedCall(render), search)


class _Capture(logging.Handler):
    """Keeps the child's log records for the parent (formatted, so they pickle)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _render_share(
    share: Sequence[File],
    config: MkDocsConfig,
    files: Files,
    doc_files: Sequence[File],
    nav: Navigation,
    search: list[Any] | None,
    before: int,
) -> ShareResult:
    """Runs in the child: MkDocs' page preparation and page builder for the share, with
    the theme environment made as the build makes it."""
    start = time.perf_counter()
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    logger.handlers = [capture]
    logger.propagate = False
    result = ShareResult(pages=len(share))
    populate_page, build_page = internals.populate_page, internals.build_page
    assert populate_page is not None and build_page is not None
    try:
        for file in share:
            assert file.page is not None
            populate_page(file.page, config, files)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        for file in share:
            assert file.page is not None
            build_page(file.page, config, doc_files, nav, env)
        level = config.validation.links.anchors
        for file in share:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=level)
    except Exception as error:  # MkDocs logged the page; the parent stops the build
        result.error = f"{type(error).__name__}: {error}"
    result.entries = search[before:] if search is not None else []
    result.records = capture.records
    result.seconds = time.perf_counter() - start
    return result
