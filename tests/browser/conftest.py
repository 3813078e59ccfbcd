"""Fixtures and helpers for browser tests against a static site directory.

The browser tests drive the Debian ``chromium`` binary through the sync
Playwright API. Playwright's own browser downloads are never used. Accessibility
checks use axe-core and HTML validation uses the Nu Html Checker (``vnu.jar``).
Both are pinned in ``tools/package.json`` and installed into
``tools/node_modules`` on demand (see :func:`ensure_node_tools`).

Locally, a missing browser, Java or npm skips the tests with a clear reason.
In CI (environment variable ``CI`` set, for example ``CI=true``) the same
condition fails the tests, because there the browser tests must run.

Helpers are plain functions; test modules in this package import them with
``from .conftest import open_page, run_axe, serve_directory, vnu_errors``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

import pytest

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
TOOLS_DIR: Path = REPO_ROOT / "tools"
NODE_MODULES: Path = TOOLS_DIR / "node_modules"
AXE_SCRIPT: Path = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR: Path = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ESBUILD: Path = NODE_MODULES / "esbuild" / "package.json"
LIGHTHOUSE: Path = NODE_MODULES / "lighthouse" / "package.json"

DEFAULT_CHROMIUM: str = "/usr/bin/chromium"

# Flags for Debian chromium. The background-networking flags keep Chromium from
# contacting Google services, which fails (and slows down start-up) offline.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: One page of every type in the sample site (tests/fixtures/sample), site-relative: home,
#: the indexes, a detail page of each kind, an archive year, the tags and a tag, the
#: contributors' pages, the open data page, the legal pages, Leichte Sprache and 404.
EVERY_PAGE_TYPE: tuple[str, ...] = (
    "",
    "communities/",
    "communities/alpha-community/",
    "events/",
    "events/kommendes-treffen/",
    "events/sprechstunde/",  # a series: next and past dates, cancelled and moved ones
    "events/archiv/2023/",
    "news/",
    "news/2026-05-01-offener-aufruf/",
    "tags/",
    "tags/kommunen/",
    "regionen/",
    "regionen/nordrhein-westfalen/",
    "regionen/bayern/",  # only Bund-wide entries
    "mitmachen/",
    "mitmachen/vorschlagen/",
    "daten/",
    "impressum/",
    "datenschutz/",
    "barrierefreiheit/",
    "leichte-sprache/",
    "404.html",
)

# WCAG 2.0 / 2.1 level A and AA rule sets of axe-core.
AXE_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

#: Reports every Content-Security-Policy violation as a console error, so that each test
#: that checks a page's console errors also checks that its policy blocked nothing.
CSP_WATCH_JS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` (${event.sourceFile}:${event.lineNumber}) ${event.sample}`);
});
"""

# URL schemes that never cause network traffic and are therefore not "foreign".
_LOCAL_SCHEMES: frozenset[str] = frozenset({"data", "blob", "about", "javascript"})

# Upper bound of files per vnu invocation, to stay clear of the kernel's
# argument-length limit for very large sites.
_VNU_BATCH_SIZE: int = 1000


# ---------------------------------------------------------------------------
# Skip-or-fail policy
# ---------------------------------------------------------------------------


def in_ci() -> bool:
    """Return True when running in CI (``CI`` set and not ``0``/``false``/``no``)."""
    value = os.environ.get("CI", "").strip().lower()
    return value not in ("", "0", "false", "no")


def tool_unavailable(reason: str) -> NoReturn:
    """Skip the current test locally, but fail it in CI, because ``reason`` holds.

    Usable from fixtures and from helper functions called inside a test.
    """
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so browser tests must not be skipped)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------------------
# Node-distributed tools (axe-core, vnu-jar)
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise ``npm`` runs across pytest-xdist workers with a file lock in /tmp.

    The lock file lives outside the repository so the working tree stays clean.
    """
    digest = hashlib.sha256(str(TOOLS_DIR).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"oss-portal-node-tools-{digest}.lock"
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _node_tools_present() -> bool:
    """Return True when the pinned tools exist in ``tools/node_modules`` (axe-core, the Nu
    Html Checker, Lighthouse, and esbuild with the validator it bundles for the proposal
    form)."""
    return all(path.is_file() for path in (AXE_SCRIPT, VNU_JAR, ESBUILD, LIGHTHOUSE))


def ensure_node_tools() -> None:
    """Install the pinned npm tools into ``tools/node_modules`` if they are missing.

    Runs ``npm ci`` when ``tools/package-lock.json`` exists (the normal case in
    a fresh clone), ``npm install`` otherwise. Skips (locally) or fails (CI)
    the calling test when npm is not available or the installation fails.
    """
    if _node_tools_present():
        return
    npm = shutil.which("npm")
    if npm is None:
        tool_unavailable(
            f"npm not found on PATH; it is needed to install axe-core and vnu-jar into "
            f"{NODE_MODULES.relative_to(REPO_ROOT)}"
        )
    with _install_lock():
        if _node_tools_present():  # another xdist worker finished the install meanwhile
            return
        verb = "ci" if (TOOLS_DIR / "package-lock.json").is_file() else "install"
        command = [npm, verb, "--prefix", str(TOOLS_DIR), "--no-audit", "--no-fund"]
        result = subprocess.run(
            command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=600
        )
    if result.returncode != 0 or not _node_tools_present():
        tool_unavailable(
            f"`{' '.join(command[1:])}` failed (exit {result.returncode}):\n"
            f"{result.stderr.strip()[-2000:]}"
        )


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Chromium executable: ``$CHROMIUM_PATH`` or ``/usr/bin/chromium``.

    Skips when it is missing (locally) or fails (in CI).
    """
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        tool_unavailable(
            f"Chromium executable not found at {path!r} "
            "(install Debian chromium with `apt-get install -y chromium` "
            "or point CHROMIUM_PATH at a Chromium binary)"
        )
    return path


@pytest.fixture(scope="session")
def node_tools() -> None:
    """Make sure axe-core and vnu.jar are installed in ``tools/node_modules``."""
    ensure_node_tools()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """Session-wide headless Chromium (sync Playwright ``Browser``)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        tool_unavailable("Python package `playwright` is not installed (pip install playwright)")

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield launched
        finally:
            launched.close()


# ---------------------------------------------------------------------------
# Static file server
# ---------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler without access logging and with complete MIME types."""

    extensions_map = {  # noqa: RUF012 - class attribute defined by the base class
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
        ".woff2": "font/woff2",
        ".xml": "application/xml",
        ".ics": "text/calendar",
    }

    def log_message(self, format: str, *args: Any) -> None:
        """Discard access log lines."""


class _QuietServer(http.server.ThreadingHTTPServer):
    """Threading server that ignores clients hanging up early."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Suppress tracebacks for aborted connections (browser closed the socket)."""


@contextlib.contextmanager
def serve_directory(path: Path | str) -> Iterator[str]:
    """Serve ``path`` over HTTP on 127.0.0.1 and a free port in a background thread.

    Yields the base URL (``http://127.0.0.1:<port>/``); the server is shut
    down when the ``with`` block ends.
    """
    root = Path(path)
    if not root.is_dir():
        raise NotADirectoryError(f"cannot serve {root}: not a directory")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, name=f"static-server-{port}", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def _origin(url: str) -> str:
    """Return ``scheme://host:port`` of ``url`` (lower-case)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def open_page(
    browser: Any,
    url: str,
    *,
    width: int = 1280,
    height: int = 800,
    color_scheme: str | None = None,
) -> tuple[Any, list[str], list[str]]:
    """Open ``url`` in a fresh browser context and wait for the ``load`` event.

    Returns ``(page, foreign_requests, console_errors)``:

    * ``foreign_requests`` lists every requested URL whose origin differs from
      the origin of ``url`` (``data:``/``blob:`` URLs excluded). Such requests
      are aborted, so nothing leaves the machine.
    * ``console_errors`` collects console messages of type ``error`` and
      uncaught page errors, Content-Security-Policy violations among them
      (:data:`CSP_WATCH_JS`).

    Both lists keep growing while the page lives. Close the page's context
    when done: ``page.context.close()``.
    """
    site_origin = _origin(url)
    foreign_requests: list[str] = []
    console_errors: list[str] = []

    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=color_scheme
    )

    def is_foreign(request_url: str) -> bool:
        scheme = urlsplit(request_url).scheme.lower()
        return scheme not in _LOCAL_SCHEMES and _origin(request_url) != site_origin

    def on_request(request: Any) -> None:
        if is_foreign(request.url):
            foreign_requests.append(request.url)

    def on_route(route: Any) -> None:
        if is_foreign(route.request.url):
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def on_console(message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            if where:
                where = f" [{where}:{location.get('lineNumber', 0)}]"
            console_errors.append(f"console.error: {message.text}{where}")

    def on_page_error(error: Any) -> None:
        console_errors.append(f"pageerror: {error}")

    context.route("**/*", on_route)
    context.add_init_script(CSP_WATCH_JS)
    page = context.new_page()
    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        page.goto(url, wait_until="load")
    except Exception:
        context.close()
        raise
    return page, foreign_requests, console_errors


# ---------------------------------------------------------------------------
# axe-core
# ---------------------------------------------------------------------------

_AXE_RUN_JS = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  const flatten = (target) =>
    Array.isArray(target) ? target.map(flatten).join(" >>> ") : String(target);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => flatten(n.target)),
  }));
}
"""


_HAS_CSP_META_JS = """
() => document.querySelector('meta[http-equiv="Content-Security-Policy" i]') !== null
"""


#: Resolves once every animation and transition with an end has ended, and two frames
#: have been drawn since: axe must see colours as they end up, not halfway through a
#: fade-in (search results fade in; their contrast is measured on the final state).
_SETTLED_JS = """
async () => {
  const ending = document.getAnimations().filter((animation) => {
    const timing = animation.effect && animation.effect.getComputedTiming();
    return timing && Number.isFinite(timing.endTime);
  });
  await Promise.all(ending.map((animation) => animation.finished.catch(() => null)));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return ending.length;
}
"""


def settle(page: Any) -> None:
    """Wait until ``page`` has finished its animations and transitions."""
    page.evaluate(_SETTLED_JS)


def run_axe(page: Any, *, tags: Sequence[str] = AXE_TAGS) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A+AA rules) on ``page`` and return its violations.

    It waits for running animations and transitions first (see :func:`settle`). Each
    violation is a dict with ``id``, ``impact``, ``help``, ``helpUrl`` and ``targets``
    (CSS selectors of the offending nodes).
    """
    ensure_node_tools()
    settle(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if page.evaluate(_HAS_CSP_META_JS):
            # A Content-Security-Policy would block the inline script that
            # add_script_tag() injects (and log a console error). Evaluating
            # the source through the DevTools protocol is not subject to CSP.
            page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
        else:
            page.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN_JS, list(tags))
    return violations


def format_axe_violations(violations: Sequence[dict[str, Any]], *, url: str = "") -> str:
    """Render axe violations as a readable, multi-line assertion message."""
    if not violations:
        return "no axe violations"
    header = f"{len(violations)} axe violation(s)" + (f" on {url}" if url else "") + ":"
    lines = [header]
    for violation in violations:
        lines.append(
            f"- [{violation.get('impact') or 'n/a'}] {violation['id']}: {violation['help']}"
            + (f" ({violation['helpUrl']})" if violation.get("helpUrl") else "")
        )
        targets = violation.get("targets", [])
        for target in targets[:10]:
            lines.append(f"    at {target}")
        if len(targets) > 10:
            lines.append(f"    ... and {len(targets) - 10} more node(s)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Nu Html Checker
# ---------------------------------------------------------------------------


def _path_from_vnu_url(url: str) -> Path:
    """Convert a vnu ``file:/...`` URL into a resolved filesystem path."""
    return Path(unquote(urlsplit(url).path)).resolve()


def vnu_errors(html_files: Sequence[Path]) -> list[str]:
    """Validate ``html_files`` with vnu.jar and return errors as ``file:line: message``.

    All files are checked by a single ``java`` process (JVM start-up dominates
    the run time). ``file`` is the path as passed in. Skips (locally) or fails
    (CI) the calling test when Java is missing.
    """
    if not html_files:
        return []
    ensure_node_tools()
    java = shutil.which("java")
    if java is None:
        tool_unavailable("`java` not found on PATH; the Nu Html Checker (vnu.jar) needs Java 17+")

    display_name = {Path(f).resolve(): str(f) for f in html_files}
    files = [str(Path(f).resolve()) for f in html_files]
    errors: list[str] = []
    for start in range(0, len(files), _VNU_BATCH_SIZE):
        batch = files[start : start + _VNU_BATCH_SIZE]
        command = [
            java,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            *batch,
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
        # vnu writes its JSON report to stderr.
        raw = result.stderr.strip() or result.stdout.strip()
        try:
            report = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RuntimeError(
                f"vnu.jar produced no JSON report (exit {result.returncode}):\n{raw[-2000:]}"
            ) from exc
        for message in report.get("messages", []):
            if message.get("type") not in ("error", "non-document-error"):
                continue
            url = message.get("url", "")
            path = _path_from_vnu_url(url) if url else None
            name = display_name.get(path, str(path)) if path else "<vnu>"
            line = message.get("lastLine", message.get("firstLine", 0))
            errors.append(f"{name}:{line}: {message.get('message', '').strip()}")
    return errors
