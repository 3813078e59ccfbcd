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


def write_outputs(catalog: Catalog, site: SiteInfo, site_dir: Path, feed_limit: int) -> int:
    """Write every output below ``site_dir``; returns how many files were written."""
    outputs = build_outputs(catalog, site, feed_limit)
    made: set[Path] = set()
    for rel, data in outputs.items():
        target = site_dir / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    return len(outputs)


def clear_caches() -> None:
    """Forget every memo of the writers (for cold measurements and tests)."""
    rendering.clear_render_cache()
    feeds.clear_memo()
    calendar.clear_memo()
