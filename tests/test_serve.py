"""``mkdocs serve`` for maintainers: errors are printed, the server survives, fixes recover."""

from __future__ import annotations

import os
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
