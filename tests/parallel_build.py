"""Builds a project in a fresh process for ``test_parallel_pages`` and reports as JSON.

The page child is forked only from a single-threaded process; the test session may run
threads by then (the browser tests' file servers), so each build gets a process of its
own, as ``mkdocs build`` has. ``mode`` ``fail`` or ``warn`` makes the child's last page
ask for a missing template or log a warning (the last page is always the child's).

Usage: python parallel_build.py PROJECT SITE MODE STRICT REPORT.json
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from oss_portal.mkdocs import internals, parallel_pages
from oss_portal.mkdocs import plugin as mkdocs_plugin


def _act_on_last_page(mode: str, last: list[str]) -> None:
    start_share, build_page = parallel_pages.start_share, internals.build_page
    assert build_page is not None

    def remember_last(config: Any, files: Any, *args: Any) -> Any:
        last.append(files.documentation_pages()[-1].src_uri)
        return start_share(config, files, *args)

    def act(page: Any, *args: Any, **kwargs: Any) -> None:
        if last and page.file.src_uri == last[0]:
            if mode == "fail":  # a theme template that does not exist: MkDocs fails the page
                page.meta["template"] = "no-such-template.html"
            logging.getLogger("mkdocs.commands.build").warning(f"odd link on {page.file.src_uri}")
        build_page(page, *args, **kwargs)

    mkdocs_plugin.start_share = remember_last  # type: ignore[assignment]
    internals.build_page = act


def main(project: Path, site: Path, mode: str, strict: bool, report: Path) -> None:
    records: list[tuple[str, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.levelname, record.getMessage()))

    logging.getLogger().addHandler(Keep())
    logging.getLogger().setLevel(logging.INFO)
    parallel_pages.MIN_PAGES = 10  # the test sites are small
    last: list[str] = []
    if mode in ("fail", "warn"):
        _act_on_last_page(mode, last)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    error = None
    try:
        build(config)
    except Abort as abort:
        error = str(abort)
    finally:
        config.plugins.on_shutdown()
    report.write_text(
        json.dumps({"error": error, "records": records, "last": last[0] if last else None}),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        sys.argv[3],
        sys.argv[4] == "strict",
        Path(sys.argv[5]),
    )
