"""Writing the non-page outputs (feeds, calendars, exports) of a build."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from . import calendar, feeds, rendering
from .calendar import build_calendars
from .catalog import Catalog
from .exports import build_exports
from .feeds import build_feeds
from .pages import SiteInfo


def build_outputs(catalog: Catalog, site: SiteInfo, feed_limit: int) -> dict[str, bytes]:
    """All feeds, calendars and exports by site-relative path."""
    outputs: dict[str, bytes] = {}
    outputs.update(build_feeds(catalog, site.site_url, site.site_name, limit=feed_limit))
    outputs.update(build_calendars(catalog, site.site_url, site.site_name))
    outputs.update(build_exports(catalog, site.site_url))
    return outputs


def write_outputs(
    catalog: Catalog,
    site: SiteInfo,
    site_dir: Path,
    feed_limit: int,
    link_cache: Path | None = None,
) -> int:
    """Write every output below ``site_dir``; returns how many files were written.

    With ``link_cache`` (``mkdocs serve``), an output whose bytes are the very object of
    the previous call (the writers' memos return it unchanged) is hard-linked from that
    folder instead of being written again.
    """
    outputs = build_outputs(catalog, site, feed_limit)
    made: set[Path] = set()
    for rel, data in outputs.items():
        target = site_dir / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if link_cache is not None:
            cached = link_cache / rel.replace("/", "__")
            if _PREVIOUS.get(rel) is data:
                try:
                    os.link(cached, target)
                    continue
                except OSError:
                    pass
            target.write_bytes(data)
            with contextlib.suppress(OSError):
                cached.unlink(missing_ok=True)
                os.link(target, cached)
        else:
            target.write_bytes(data)
    if link_cache is not None:
        _PREVIOUS.clear()
        _PREVIOUS.update(outputs)
    return len(outputs)


#: Outputs of the previous call with a link cache, by path (identity marks "unchanged").
_PREVIOUS: dict[str, bytes] = {}


def clear_caches() -> None:
    """Forget every memo of the writers (for cold measurements and tests)."""
    _PREVIOUS.clear()
    rendering.clear_render_cache()
    feeds.clear_memo()
    calendar.clear_memo()
