"""``mkdocs build`` on two cores: the site is the same as on one, failures still fail.

A forked child renders the last half of the pages (``oss_portal.parallel_pages``). These
tests build real synthetic sites both ways and compare every file byte for byte, and
check that an error or a warning in the child stops the build as it would without it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import build_site
from mkdocs.exceptions import Abort
from oss_portal import forking, parallel_pages
from oss_portal.synthetic import REFERENCE_DATE, write_portal_project

REPO = Path(__file__).resolve().parents[1]
ITEMS = 120
BUILD_DATE = f"{REFERENCE_DATE.isoformat()}T12:00"
SHARED = "in einem zweiten Prozess gerendert"

pytestmark = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods()
    or (os.cpu_count() or 1) < 2,
    reason="needs fork and a second core",
)


def _project(root: Path, *, parallel: bool) -> Path:
    project = root / ("parallel" if parallel else "serial")
    write_portal_project(project, ITEMS, seed=7, source=REPO)
    if not parallel:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "  - oss-portal:\n" in text
        config.write_text(
            text.replace("  - oss-portal:\n", "  - oss-portal:\n      parallel_pages: false\n"),
            encoding="utf-8",
        )
    return project


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(autouse=True)
def _small_sites_fork_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel_pages, "MIN_PAGES", 10)


def test_two_processes_build_the_same_site_as_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    parallel = build_site(
        _project(tmp_path, parallel=True), tmp_path / "site-parallel", build_date=BUILD_DATE
    )
    shared = [r.getMessage() for r in caplog.records if SHARED in r.getMessage()]
    assert len(shared) == 1, "the build did not hand pages to a second process"
    caplog.clear()
    serial = build_site(
        _project(tmp_path, parallel=False), tmp_path / "site-serial", build_date=BUILD_DATE
    )
    assert not [r for r in caplog.records if SHARED in r.getMessage()]

    one, two = _files(serial), _files(parallel)
    assert one.keys() == two.keys()
    differing = [name for name in one if one[name] != two[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
    # The child's pages are in the site, the sitemap and the search index.
    pages = int(shared[0].split()[1])
    assert pages > 50
    assert b"/news/" in two["sitemap.xml"] and b"/news/" in two["search/search_index.json"]


def _failing_on_last_page(action: Callable[[Any], None]) -> Callable[..., None]:
    original = parallel_pages._build_page

    def build_page(page: Any, *args: Any, **kwargs: Any) -> None:
        if page.file.src_uri == _LAST[0]:
            action(page)
        original(page, *args, **kwargs)

    return build_page


_LAST: list[str] = [""]


@pytest.fixture
def last_page(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[Any], None]], None]:
    """Patch the child's page builder to act on the last page (which the child renders)."""
    original = parallel_pages.start_share

    def start_share(config: Any, files: Any, *args: Any) -> Any:
        _LAST[0] = files.documentation_pages()[-1].src_uri
        return original(config, files, *args)

    monkeypatch.setattr(parallel_pages, "start_share", start_share)
    monkeypatch.setattr("oss_portal.mkdocs_plugin.start_share", start_share)

    def install(action: Callable[[Any], None]) -> None:
        monkeypatch.setattr(parallel_pages, "_build_page", _failing_on_last_page(action))

    return install


def test_a_page_failing_in_the_child_fails_the_build(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    last_page: Callable[[Callable[[Any], None]], None],
) -> None:
    def fail(page: Any) -> None:
        raise ValueError(f"broken template for {page.file.src_uri}")

    last_page(fail)
    site = tmp_path / "site"
    with pytest.raises(Abort):
        build_site(_project(tmp_path, parallel=True), site, build_date=BUILD_DATE)
    messages = [r.getMessage() for r in caplog.records]
    assert any("Seiten im zweiten Prozess fehlgeschlagen" in m and _LAST[0] in m for m in messages)
    assert not site.exists(), "a failed build must not leave a site behind"


def test_a_warning_in_the_child_counts_for_strict_mode(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    last_page: Callable[[Callable[[Any], None]], None],
) -> None:
    def warn(page: Any) -> None:
        logging.getLogger("mkdocs.commands.build").warning(f"odd link on {page.file.src_uri}")

    last_page(warn)
    site = tmp_path / "site"
    with pytest.raises(Abort, match="strict mode"):
        build_site(_project(tmp_path, parallel=True), site, build_date=BUILD_DATE, strict=True)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"odd link on {_LAST[0]}" in r.getMessage() for r in warnings)
    assert not site.exists()


def test_an_unknown_page_plugin_keeps_the_build_on_one_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A plugin whose page events may keep state (here MkDocs' own ``tags``-like hook in a
    hooks file) could lose it in the child: the build then renders every page itself."""
    caplog.set_level(logging.INFO)
    project = _project(tmp_path, parallel=True)
    (project / "hooks.py").write_text(
        "seen = []\n\ndef on_post_page(output, page, config):\n    seen.append(page.url)\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - hooks.py\n")
    build_site(project, tmp_path / "site", build_date=BUILD_DATE)
    assert not [r for r in caplog.records if SHARED in r.getMessage()]
    assert (tmp_path / "site" / "news" / "index.html").exists()


# --- the forking helper ------------------------------------------------------------------


def test_forked_call_returns_the_value() -> None:
    call = forking.ForkedCall(lambda: {"pid": os.getpid(), "data": list(range(5))})
    value = call.result()
    assert value["data"] == [0, 1, 2, 3, 4]
    assert value["pid"] != os.getpid()


def test_forked_call_reports_the_childs_exception() -> None:
    def fail() -> None:
        raise KeyError("missing thing")

    with pytest.raises(forking.ForkedCallError, match="KeyError: 'missing thing'"):
        forking.ForkedCall(fail).result()


def test_forked_call_reports_a_child_that_died() -> None:
    with pytest.raises(forking.ForkedCallError, match="exit code 3"):
        forking.ForkedCall(lambda: os._exit(3)).result()


def test_forked_call_reports_an_unpicklable_result() -> None:
    with pytest.raises(forking.ForkedCallError, match="pickle"):
        forking.ForkedCall(lambda: (lambda: None)).result()


def test_cancel_stops_the_child() -> None:
    import time

    call = forking.ForkedCall(lambda: time.sleep(60))
    started = time.perf_counter()
    call.cancel()
    assert time.perf_counter() - started < 10
    with pytest.raises(forking.ForkedCallError):
        call.result()
