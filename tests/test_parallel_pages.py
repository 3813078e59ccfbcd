"""``mkdocs build`` on two cores: the site is the same as on one, failures still fail.

A forked child renders the last half of the pages (``oss_portal.mkdocs.parallel_pages``). These
tests build real synthetic sites both ways and compare every file byte for byte, and
check that an error or a warning in the child stops the build as it would without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from oss_portal.mkdocs import forking

from devtools import bench
from devtools.synthetic import REFERENCE_DATE, write_portal_project

REPO = Path(__file__).resolve().parents[1]
HELPER = Path(__file__).with_name("parallel_build.py")
ITEMS = 120
BUILD_DATE = f"{REFERENCE_DATE.isoformat()}T12:00"
SHARED = "in einem zweiten Prozess gerendert"

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or (os.cpu_count() or 1) < 2,
    reason="the portal forks only on Linux with a second core",
)


def _project(root: Path, *, parallel: bool = True) -> Path:
    project = root / ("parallel" if parallel else "serial")
    write_portal_project(project, ITEMS, seed=7, source=REPO)
    if not parallel:
        _add_to_plugin(project, "      parallel_pages: false\n")
    return project


def _add_to_plugin(project: Path, options: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - oss-portal:\n" in text
    config.write_text(text.replace("  - oss-portal:\n", "  - oss-portal:\n" + options), "utf-8")


def _build(project: Path, site: Path, mode: str = "plain", strict: bool = False) -> dict[str, Any]:
    """Build in a fresh process (see parallel_build.py); its report."""
    report = site.with_suffix(".json")
    subprocess.run(
        [
            sys.executable,
            str(HELPER),
            str(project),
            str(site),
            mode,
            "strict" if strict else "-",
            str(report),
        ],
        check=True,
        env={**os.environ, "OSS_PORTAL_BUILD_DATE": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def _messages(result: dict[str, Any], level: str | None = None) -> list[str]:
    return [message for lvl, message in result["records"] if level in (None, lvl)]


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_two_processes_build_the_same_site_as_one(tmp_path: Path) -> None:
    parallel = _build(_project(tmp_path), tmp_path / "site-parallel")
    shared = [m for m in _messages(parallel) if SHARED in m]
    assert len(shared) == 1, "the build did not hand pages to a second process"
    assert bench._PAGES_REPORT.search(shared[0]), "the benchmark no longer reads this line"
    log = "\n".join(_messages(parallel))
    assert bench._WRITER_REPORT.search(log), "the writers ran inline or the line changed"
    serial = _build(_project(tmp_path, parallel=False), tmp_path / "site-serial")
    assert parallel["error"] is None and serial["error"] is None
    assert not [m for m in _messages(serial) if SHARED in m]

    one, two = _files(tmp_path / "site-serial"), _files(tmp_path / "site-parallel")
    assert one.keys() == two.keys()
    differing = [name for name in one if one[name] != two[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
    # The child's pages are in the site, the sitemap and the search index.
    pages = int(shared[0].split()[1])
    assert pages > 50
    assert b"/news/" in two["sitemap.xml"] and b"/news/" in two["search/search_index.json"]


def test_a_page_failing_in_the_child_fails_the_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = _build(_project(tmp_path), site, mode="fail")
    assert result["error"] is not None
    last = result["last"]
    errors = _messages(result, "ERROR")
    assert any(f"Error building page '{last}'" in m for m in errors), errors
    assert any(
        "Seiten im zweiten Prozess fehlgeschlagen" in m and "no-such-template.html" in m
        for m in errors
    ), errors
    assert not site.exists(), "a failed build must not leave a site behind"


def test_a_warning_in_the_child_counts_for_strict_mode(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = _build(_project(tmp_path), site, mode="warn", strict=True)
    assert result["error"] is not None and "strict mode" in result["error"]
    assert f"odd link on {result['last']}" in _messages(result, "WARNING")
    assert not site.exists()


def test_an_unknown_page_plugin_keeps_the_build_on_one_process(tmp_path: Path) -> None:
    """A plugin whose page events may keep state (here a hooks file) could lose it in the
    child: the build then renders every page itself."""
    project = _project(tmp_path)
    (project / "hooks.py").write_text(
        "seen = []\n\n\ndef on_post_page(output, page, config):\n    seen.append(page.url)\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - hooks.py\n")
    result = _build(project, tmp_path / "site")
    assert result["error"] is None
    assert not [m for m in _messages(result) if SHARED in m]
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
        forking.ForkedCall(lambda: lambda: None).result()


def test_cancel_stops_the_child() -> None:
    import time

    call = forking.ForkedCall(lambda: time.sleep(60))
    started = time.perf_counter()
    call.cancel()
    assert time.perf_counter() - started < 10
    with pytest.raises(forking.ForkedCallError):
        call.result()
