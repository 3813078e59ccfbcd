"""Writing the non-page outputs (feeds, calendars, exports) of a build."""

from __future__ import annotations

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
    serve: bool = False,
) -> dict[str, bytes]:
    """Write every output below ``site_dir``; returns them by site-relative path.

    With ``serve`` (``mkdocs serve`` keeps the previous build's files in place), an output
    whose bytes are the very object of the previous call (the writers' memos return it
    unchanged) and whose file exists is not written again.
    """
    outputs = build_outputs(catalog, site, feed_limit)
    made: set[Path] = set()
    for rel, data in outputs.items():
        target = site_dir / rel
        if serve and _PREVIOUS.get(rel) is data and target.exists():
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    _PREVIOUS.clear()
    if serve:
        _PREVIOUS.update(outputs)
    return outputs


#: Outputs of the previous call, by path (identity marks "unchanged").
_PREVIOUS: dict[str, bytes] = {}


def clear_caches() -> None:
    """Forget every memo of the writers (for cold measurements and tests)."""
    _PREVIOUS.clear()
    rendering.clear_render_cache()
    feeds.clear_memo()
    calendar.clear_memo()
