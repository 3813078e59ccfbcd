"""``mkdocs serve`` for maintainers: errors are printed, the server survives, fixes recover."""

from __future__ import annotations

import gc
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE_BUILD_DATE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A running ``mkdocs serve`` whose log is collected line by line."""

    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "OSS_PORTAL_BUILD_DATE": SAMPLE_BUILD_DATE, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--livereload",
                "-a",
                f"127.0.0.1:{self.port}",
            ],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def log(self) -> str:
        return "\n".join(self.lines)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as response:
            return str(response.read().decode("utf-8"))

    def wait_for(self, condition: object, what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server exited:\n{self.log()}"
            try:
                if condition():  # type: ignore[operator]
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n{self.log()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    running = Server(project)
    try:
        running.wait_for(lambda: "Kommendes Treffen" in running.get("events/"), "first build")
        yield running
    finally:
        running.stop()


def _builds(server: Server) -> int:
    return server.log().count("Documentation built in")


def test_error_is_printed_server_survives_and_fix_recovers(server: Server, project: Path) -> None:
    events = project / "data" / "events.yaml"
    original = events.read_text(encoding="utf-8")
    events.write_text(
        original.replace('start: "2026-07-08T16:00"', 'start: "2026-07-32T16:00"'), encoding="utf-8"
    )
    expected = "data/events.yaml:3:10: events[0].start: '2026-07-32T16:00' ist kein gültiges Datum"
    server.wait_for(lambda: expected in server.log(), "the error in the terminal")
    # Still serving, with every valid entry and the error shown on the home page.
    server.wait_for(lambda: "1 Fehler im Inhalt" in server.get(""), "the error banner")
    home = server.get("")
    assert home.index("1 Fehler im Inhalt") < home.index('id="termine"')  # above the content
    events_page = server.get("events/")
    assert "Wintertreffen 2023" in events_page and "Kommendes Treffen" not in events_page

    events.write_text(
        original.replace("Kommendes Treffen", "Kommendes Treffen (neu)"), encoding="utf-8"
    )
    server.wait_for(
        lambda: "Kommendes Treffen (neu)" in server.get("events/kommendes-treffen/"),
        "the fixed page",
    )
    assert "Fehler im Inhalt" not in server.get("")
    assert "Traceback" not in server.log()


def test_half_written_file_then_complete_save(server: Server, project: Path) -> None:
    news = project / "content" / "news" / "2026-05-01-offener-aufruf.md"
    original = news.read_text(encoding="utf-8")
    before = _builds(server)
    news.write_text(original[: len(original) // 3], encoding="utf-8")  # an editor mid-write
    server.wait_for(
        lambda: _builds(server) > before and "ERROR" in server.log(), "a rebuild with an error"
    )
    assert server.process.poll() is None
    news.write_text(
        original.replace("Offener Aufruf zum Mitmachen", "Offener Aufruf, gespeichert"),
        encoding="utf-8",
    )
    server.wait_for(lambda: "Offener Aufruf, gespeichert" in server.get("news/"), "recovery")
    assert "Traceback" not in server.log()


def _serve_rebuild(project: Path, site_dir: Path, first: bool = False) -> None:
    """One rebuild as ``mkdocs serve`` runs it: config loaded afresh, plugin kept."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")


#: The Content-Security-Policy element: serve's lets the live-reload script run, a build's
#: lists the theme scripts' hashes (tests/test_csp.py checks both).
_POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _snapshot(site: Path) -> dict[str, object]:
    """Every file's bytes; the search index as a set of entries (its order may differ).
    The sitemap is left out: in serve mode it lists only the pages rendered again. Each
    page's policy element must be there once and is compared without its text."""
    import json

    files: dict[str, object] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_dir() or rel.startswith("sitemap.xml"):
            continue
        if rel == "search/search_index.json":
            index = json.loads(path.read_bytes())
            files[rel] = (
                index["config"],
                sorted(json.dumps(d, sort_keys=True) for d in index["docs"]),
            )
        elif rel.endswith(".html"):
            page, policies = _POLICY.subn(b"<meta data-policy>", path.read_bytes())
            assert policies == 1, rel
            files[rel] = page
        else:
            files[rel] = path.read_bytes()
    return files


def test_rebuilds_give_the_same_site_as_a_fresh_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve keeps unchanged pages and outputs between rebuilds; after edits, renames and
    deletions the served folder must hold exactly what a fresh build writes."""
    monkeypatch.setenv("OSS_PORTAL_BUILD_DATE", SAMPLE_BUILD_DATE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    served = tmp_path / "served"
    events = project / "data" / "events.yaml"
    communities = project / "data" / "communities.yaml"
    tags = project / "data" / "tags.yaml"
    config = project / "mkdocs.yml"
    # One news item per page: the news index, tag and community pages are paginated.
    config.write_text(
        config.read_text(encoding="utf-8").replace("news_per_page: 10", "news_per_page: 1"),
        encoding="utf-8",
    )

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    news = project / "content" / "news"
    # Two news items of one community and one tag: a community page and a tag page with a
    # second page of news.
    replace(
        news / "abgelaufener-aufruf.md",
        "events:",
        "communities: [beta-board]\ntags: [governance]\nevents:",
    )
    edits = [
        # what the archive of 2023, a news page, tag pages and list pages show
        lambda: replace(events, "title: Wintertreffen 2023", "title: Wintertreffen (2023)"),
        lambda: replace(communities, "name: Beta-Gremium", "name: Beta-Board"),
        # an older item becomes an open call: the first page of the news lists it as such
        lambda: replace(
            news / "abgelaufener-aufruf.md",
            'title: Abgelaufener Aufruf\ndate: "2025-01-10T09:30"\n'
            'summary: Dieser Aufruf ist vorbei.\ndeadline: "2025-02-01"',
            'title: Verlängerter Aufruf\ndate: "2025-01-10T09:30"\n'
            'summary: Wieder offen.\ndeadline: "2026-12-31"',
        ),
        lambda: replace(
            news / "2026-05-01-offener-aufruf.md",
            'deadline: "2026-06-30"',
            'deadline: "2026-07-31"',
        ),
        lambda: events.write_text(
            events.read_text(encoding="utf-8").replace(
                "title: Kommendes Treffen", "title: Kommendes Treffen (geändert)"
            ),
            encoding="utf-8",
        ),
        lambda: events.write_text(
            events.read_text(encoding="utf-8").split("- id: ganztags-2025")[0], encoding="utf-8"
        ),
        lambda: (project / "content" / "news" / "abgelaufener-aufruf.md").unlink(),
        lambda: (
            tags.write_text(
                tags.read_text(encoding="utf-8") + "- id: ganz-neu\n  name: Ganz neu\n",
                encoding="utf-8",
            ),
            events.write_text(
                events.read_text(encoding="utf-8")
                + '- id: neues-treffen\n  title: Neues Treffen\n  start: "2026-10-01T10:00"\n'
                "  format: online\n  summary: Neu dazugekommen.\n  tags: [ganz-neu]\n",
                encoding="utf-8",
            ),
        ),
        # a tag's name: shown on detail, list and tag pages, in feeds and calendars
        lambda: replace(tags, "name: Steuerung & Gremien", "name: Gremien und Steuerung"),
    ]
    gc.unfreeze()  # earlier one-shot runs in this process may have frozen objects
    _serve_rebuild(project, served, first=True)
    for number, edit in enumerate(edits):
        edit()
        _serve_rebuild(project, served)
        reference = tmp_path / f"reference-{number}"
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(reference)],
            cwd=project,
            env={**os.environ},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        got, want = _snapshot(served), _snapshot(reference)
        assert sorted(got) == sorted(want), f"edit {number}: files differ"
        changed = [rel for rel in want if got[rel] != want[rel]]
        # Serve must not freeze objects for the collector (its old builds' garbage would
        # never be freed); only one-shot builds do.
        assert gc.get_freeze_count() == 0
        assert not changed, f"edit {number}: {changed}"
        if number == 0:  # (the news are paginated until one is deleted)
            for paginated in (
                "news/page/2",
                "tags/governance/page/2",
                "communities/beta-board/page/2",
            ):
                assert (served / paginated / "index.html").exists(), paginated
    assert (served / "events" / "neues-treffen" / "index.html").exists()
    assert not (served / "events" / "ganztags-2025").exists()


def test_a_one_shot_build_keeps_the_collector_off_its_catalog(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``mkdocs build`` freezes what it has loaded (the collector skips it from then on);
    serve does not (see the test above)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    gc.unfreeze()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_data_folder_is_polled_more_often_than_the_docs(tmp_path: Path) -> None:
    """Saving an event shows after the poll, the rebuild and the reload: MkDocs polls
    every 0.5 s, the portal's data folder is polled every 0.1 s."""
    from mkdocs.livereload import LiveReloadServer
    from oss_portal.mkdocs.internals import polling_every
    from oss_portal.mkdocs.plugin import DATA_POLLING_S

    docs, data = tmp_path / "content", tmp_path / "data"
    docs.mkdir()
    data.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    with polling_every(server, DATA_POLLING_S):
        server.watch(str(data))
    polled = {Path(e.watch.path).name: e.timeout for e in server.observer.emitters}
    assert polled == {"content": 0.5, "data": 0.1}
    assert server.observer.timeout == 0.5  # later watches poll as MkDocs does
