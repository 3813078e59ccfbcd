"""The ``oss-portal`` plugin's options in ``mkdocs.yml``."""

from __future__ import annotations

import os

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from ..outputs.feeds import DEFAULT_LIMIT


class PortalConfig(Config):
    """Options of the ``oss-portal`` plugin in ``mkdocs.yml``."""

    enabled = opt.Type(bool, default=True)
    """Turn the portal off (MkDocs then builds only the plain pages)."""
    communities_file = opt.Type(str, default="data/communities.yaml")
    """Communities, relative to the project (the folder of mkdocs.yml)."""
    events_file = opt.Type(str, default="data/events.yaml")
    """Events, relative to the project."""
    news_dir = opt.Type(str, default="news")
    """Folder of the news articles, relative to ``docs_dir``."""
    build_date = opt.Optional(opt.Type(str))
    """Fixed 'now' (ISO date-time) for reproducible builds; else the environment variable
    ``OSS_PORTAL_BUILD_DATE``, else the current time. Decides upcoming versus past."""
    news_per_page = opt.Type(int, default=10)
    """Articles per page of every paginated news list (the index, a tag's, a community's)."""
    feed_limit = opt.Type(int, default=DEFAULT_LIMIT)
    """Newest articles per feed."""
    atomic_build = opt.Type(bool, default=True)
    """Build into a temporary folder and move it to ``site_dir`` only on success."""
    parallel_outputs = opt.Type(bool, default=True)
    """Write feeds, calendars and exports in a second process while pages render."""
    parallel_pages = opt.Type(bool, default=True)
    """Render half of the pages in a second process (``mkdocs build`` only)."""
    preview = opt.Type(bool, default=False)
    """``mkdocs build`` despite content errors, as a marked preview (a merge request's):
    every valid entry is published, a broken one gets a page with its errors, every page
    says that the preview has errors, and links work from a downloaded copy. Also set by
    the environment variable ``OSS_PORTAL_PREVIEW=1``. Never for the published site."""
    publish = opt.Type(bool, default=False)
    """This build is the one that goes live: example legal data (``demo: true``) and
    placeholders stop it. Also set by ``OSS_PORTAL_PUBLISH=1`` (the pipeline sets it on
    the default branch)."""


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def publish_requested(config: PortalConfig) -> bool:
    """The ``publish`` option, or ``OSS_PORTAL_PUBLISH`` set to 1/true/yes."""
    return bool(config.publish) or _env_flag("OSS_PORTAL_PUBLISH")


def preview_requested(config: PortalConfig) -> bool:
    """The ``preview`` option, or ``OSS_PORTAL_PREVIEW`` set to 1/true/yes."""
    return bool(config.preview) or _env_flag("OSS_PORTAL_PREVIEW")
