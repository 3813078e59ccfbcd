"""Writing the non-page outputs (feeds, calendars, exports) of a build, and the links of
a preview that is opened from a downloaded copy."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from ..core.catalog import Catalog
from . import calendar, feeds
from . import markdown as rendering
from .calendar import iter_calendars
from .exports import iter_exports
from .feeds import iter_feeds
from .pages import SiteInfo
from .schemas import iter_content_schemas


def iter_outputs(
    catalog: Catalog, site: SiteInfo, feed_limit: int, remember: bool = True
) -> Iterator[tuple[str, bytes]]:
    """All feeds, calendars and exports, one by one, as ``(site-relative path, bytes)``.

    ``remember`` keeps them for the next call (``mkdocs serve``); see :func:`iter_feeds`.
    Each writer pauses the garbage collector until it is exhausted, so the consumer's
    work between two outputs (writing the file) runs without it, too.
    """
    return itertools.chain(
        iter_feeds(catalog, site.site_url, site.site_name, limit=feed_limit, remember=remember),
        iter_calendars(catalog, site.site_url, site.site_name, remember=remember),
        iter_exports(catalog, site.site_url),
        iter_content_schemas(),
    )


def write_outputs(
    catalog: Catalog,
    site: SiteInfo,
    site_dir: Path,
    feed_limit: int,
    serve: bool = False,
) -> list[str]:
    """Write every output below ``site_dir``; returns their site-relative paths.

    A build writes each file as soon as it is made and drops it, so that memory is
    reused (10,000 entries make some 80 MB of feeds, calendars and exports). With
    ``serve`` (``mkdocs serve`` keeps the previous build's files in place), the outputs
    are remembered, and one whose bytes are the very object of the previous call (the
    writers' memos return it unchanged) and whose file exists is not written again.
    """
    written: list[str] = []
    made: set[Path] = set()
    previous = dict(_PREVIOUS)
    _PREVIOUS.clear()
    for rel, data in iter_outputs(catalog, site, feed_limit, remember=serve):
        written.append(rel)
        if serve:
            _PREVIOUS[rel] = data
        target = site_dir / rel
        if serve and previous.get(rel) is data and target.exists():
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    return written


#: Outputs of the previous call, by path (identity marks "unchanged").
_PREVIOUS: dict[str, bytes] = {}


def clear_caches() -> None:
    """Forget every memo of the writers (for cold measurements and tests)."""
    _PREVIOUS.clear()
    rendering.clear_render_cache()
    feeds.clear_memo()
    calendar.clear_memo()


#: ``href="…/"``, ``href="."`` or ``href=".."`` – a relative link to a folder.
_FOLDER_LINK = re.compile(r'(\shref=")((?:\.{1,2}/)*[^":/?#]*(?:/[^":/?#]+)*/|\.{1,2})([?#"])')


def offline_links(html: str) -> str:
    """``html`` with every relative link to a folder pointing at its ``index.html``.

    A browser opening the site from disk (``file://``) lists a folder instead of showing
    its ``index.html``; a merge request's downloaded preview works offline this way.
    Absolute addresses, links to files and in-page anchors stay as they are.
    """

    def to_index(match: re.Match[str]) -> str:
        path = match.group(2)
        path = path + "/index.html" if path in (".", "..") else path + "index.html"
        return match.group(1) + path + match.group(3)

    return _FOLDER_LINK.sub(to_index, html)
