"""``mkdocs build`` never leaves a half-written site: it builds into a temporary sibling of
``site_dir``, which replaces ``site_dir`` (by renames) only when the build succeeded."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import CountHandler


class AtomicSite:
    """The temporary site folder of one build and the warnings counted meanwhile.

    Warnings are counted like MkDocs' own strict mode counts them, so a site that strict
    mode will reject is never moved into place.
    """

    def __init__(self) -> None:
        self.final: str | None = None
        self.partial: str | None = None
        self.warnings: CountHandler | None = None

    def start(self, config: MkDocsConfig) -> None:
        """Point ``config.site_dir`` at a fresh temporary folder next to it."""
        self.abort()
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.final = config.site_dir
        parent = Path(config.site_dir).resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        config.site_dir = self.partial = tempfile.mkdtemp(prefix=".site-build-", dir=parent)

    def finish(self, config: MkDocsConfig) -> None:
        """Move the finished site into place (or, when strict mode will fail the build,
        drop it and keep the previous site); ``config.site_dir`` is the real one again."""
        if self.final is None:
            return
        counts = self.warnings.get_counts() if self.warnings is not None else []
        if config.strict and counts:
            # MkDocs aborts right after this hook; keep the previous site untouched.
            shutil.rmtree(config.site_dir, ignore_errors=True)
        else:
            replace_dir(Path(config.site_dir), Path(self.final))
        config.site_dir = self.final
        self.final = self.partial = None

    def abort(self) -> None:
        """Remove the temporary folder of a build that failed or never ran, and stop
        counting: MkDocs keeps one plugin instance per process, so a configuration that
        was loaded but never built must not leave its folder to the next one."""
        if self.partial is not None:
            shutil.rmtree(self.partial, ignore_errors=True)
        self.final = self.partial = None
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None


def replace_dir(built: Path, final: Path) -> None:
    """Swap the freshly built folder into place with renames (never a half-written site)."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    built.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
