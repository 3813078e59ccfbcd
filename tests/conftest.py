"""Shared fixtures: real sites built in temporary directories (in-process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from oss_portal.core.catalog import Catalog

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "fixtures" / "sample"
#: "Now" for the sample site: some events are upcoming, others past, one call open.
SAMPLE_BUILD_DATE = "2026-06-01T12:00"


def make_project(dest: Path, content: Path = SAMPLE) -> Path:
    """A project folder at ``dest``: the repository's mkdocs.yml and overrides plus ``content``."""
    shutil.copytree(content, dest, dirs_exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", dest / "overrides", dirs_exist_ok=True)
    return dest


def break_an_event(project: Path) -> None:
    """A YAML syntax error in the middle of the sample's ``data/events.yaml``: an unclosed
    quote in the title of "Verschobener Workshop" (reported at line 25, column 11); the
    entries before and after it stay readable."""
    events = project / "data" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    line = "  title: Verschobener Workshop\n"
    assert line in text
    events.write_text(text.replace(line, '  title: "Verschobener Workshop\n', 1), "utf-8")


def build_site(
    project: Path,
    site_dir: Path,
    *,
    build_date: str | None = SAMPLE_BUILD_DATE,
    strict: bool = True,
) -> Path:
    """Build ``project`` into ``site_dir`` in this process, like ``mkdocs build``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    previous = os.environ.get("OSS_PORTAL_BUILD_DATE")
    if build_date:
        os.environ["OSS_PORTAL_BUILD_DATE"] = build_date
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if previous is None:
            os.environ.pop("OSS_PORTAL_BUILD_DATE", None)
        else:
            os.environ["OSS_PORTAL_BUILD_DATE"] = previous
    return site_dir


def _tool_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def run_portal(project: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``oss-portal ARGS`` on ``project`` in a subprocess, as a contributor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", "--project-dir", str(project), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_tool_env(),
        timeout=120,
        check=False,
    )


def run_validate(project: Path) -> subprocess.CompletedProcess[str]:
    """``oss-portal validate`` on ``project``, as a contributor runs it."""
    return run_portal(project, "validate")


def run_build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build -d SITE`` in ``project`` in a subprocess, as CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env=_tool_env(),
        timeout=300,
        check=False,
    )


def serve_build(project: Path, site: Path) -> None:
    """One build as ``mkdocs serve`` runs it (in this process, into ``site``)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()


def snapshot(dest: Path, prepare: Callable[[Path], None] | None = None) -> Path:
    """A fresh git repository at ``dest`` holding the working tree's files, as a runner's
    checkout of a branch; ``prepare`` changes them before the one commit."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    dest.mkdir(parents=True)
    subprocess.run(
        ["rsync", "-a", "--from0", "--ignore-missing-args", "--files-from=-", "./", str(dest)],
        cwd=REPO,
        input=listing,
        check=True,
    )
    if prepare is not None:
        prepare(dest)
    git = ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org"]
    git += ["-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot"], cwd=dest, check=True)
    return dest


def _git_status() -> set[str] | None:
    """``git status --porcelain`` of the repository as a set of lines; ``None`` outside
    a git checkout or without git."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return set(result.stdout.splitlines()) if result.returncode == 0 else None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remember the working tree's state before any test runs (controller only)."""
    if not hasattr(session.config, "workerinput"):
        session.config.stash[_STATUS_BEFORE] = _git_status()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Tests write only into temporary folders: a file that the suite added to or changed
    in the working tree (``git status``, ignored files aside) fails the run."""
    if hasattr(session.config, "workerinput"):
        return
    before = session.config.stash.get(_STATUS_BEFORE, None)
    after = _git_status()
    if before is None or after is None:
        return
    changed = sorted(after - before)
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (
            "The test suite changed the working tree (tests must write only into temporary "
            "folders):\n  " + "\n  ".join(changed)
        )
        if reporter is not None:
            reporter.write_line(message, red=True, bold=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_STATUS_BEFORE = pytest.StashKey[set[str] | None]()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project built once for the whole session (read-only for tests)."""
    base = tmp_path_factory.mktemp("sample")
    project = make_project(base / "project")
    return build_site(project, base / "site")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The small writers' site (tests/writers_fixtures.py), loaded into a catalog."""
    from writers_fixtures import load_site, write_site

    return load_site(write_site(tmp_path_factory.mktemp("site")))


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A fresh, writable copy of the sample project."""
    yield make_project(tmp_path / "project")
