"""``mkdocs serve``: after an edit, only the pages the edit touches are rendered again.

MkDocs renders every page on every change and empties the site folder first. For a
portal with thousands of generated pages, three things are kept between rebuilds instead:

* **bodies** of generated pages, keyed by everything the page shows
  (:meth:`~..outputs.pages.PageRenderer.dependency_key`): an unchanged body is reused,
  not rendered again;
* **pages** (the theme's output), keyed by the body and everything else the theme uses
  (title, meta, table of contents, neighbours, head data, navigation, configuration):
  an unchanged page gets a stand-in template and its previous HTML back; a generated page
  whose body and page are both unchanged is not shown to MkDocs at all, and is written
  with its search entries after the build (:meth:`ServeCache.restore_skipped`);
* **folders**: the portal's top-level folders of the previous build are moved aside
  before MkDocs' clean-up and back right after, so unchanged files stay where they are;
  what the new build did not make is deleted afterwards.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..outputs.pages import PACKAGE_TEMPLATES, PageSpec

#: The stand-in theme template of a page whose previous HTML is put back.
CACHED_TEMPLATE = "portal-cached.html"

_SERVE_DIR: Path | None = None


def _serve_dir() -> Path:
    """A private folder for ``mkdocs serve``: the portal's site folders while MkDocs cleans
    up, and the Jinja bytecode cache. It lies in the temporary folder, as the site that
    ``mkdocs serve`` builds does, so moving folders there is a rename. Removed at exit."""
    global _SERVE_DIR
    if _SERVE_DIR is None:
        _SERVE_DIR = Path(tempfile.mkdtemp(prefix="oss-portal-serve-"))
        atexit.register(shutil.rmtree, _SERVE_DIR, True)
    return _SERVE_DIR


def bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates, shared by every rebuild's Jinja environments."""
    folder = _serve_dir() / "jinja"
    folder.mkdir(exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def config_fingerprint(config: MkDocsConfig) -> str:
    """Everything global a page's HTML depends on: configuration and theme templates."""
    digest = hashlib.blake2b(digest_size=16)
    if config.config_file_path and os.path.exists(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    for folder in [*config.theme.dirs, str(PACKAGE_TEMPLATES)]:
        for path in sorted(Path(folder).rglob("*.html")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    digest.update(str(config.site_url).encode())
    return digest.hexdigest()


class ServeCache:
    """What one ``mkdocs serve`` session keeps between its rebuilds."""

    def __init__(self) -> None:
        #: src_uri -> (dependency key, body HTML, compact search HTML)
        self.bodies: dict[str, tuple[str, str, str | None]] = {}
        #: src_uri -> (input key, page HTML, dependency key of its body)
        self.pages: dict[str, tuple[str, str, str | None]] = {}
        #: src_uri -> search index entries of a generated page
        self.search: dict[str, list[Any]] = {}
        #: Top-level folders of the previous successful build that belong to the portal,
        #: and those of them moved aside (and back) around MkDocs' clean-up.
        self.kept_roots: list[str] = []
        self.restored: list[str] = []
        self.fingerprint = ""
        self.nav_fingerprint = ""
        self.new_build()

    def new_build(self) -> None:
        """Forget the previous build's per-page decisions."""
        self.reusable_bodies: dict[str, tuple[str, str | None]] = {}
        self.body_keys: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        self.reused: dict[str, str] = {}
        self.pending_keys: dict[str, str] = {}
        self.heads: dict[str, Markup] = {}

    # -- folders -------------------------------------------------------------------------

    def stash_folders(self, site_dir: Path) -> None:
        """Before MkDocs empties the site folder: move the portal's folders aside."""
        self.restored = []
        stash = _serve_dir() / "kept"
        shutil.rmtree(stash, ignore_errors=True)
        stash.mkdir()
        for root in self.kept_roots:
            with contextlib.suppress(OSError):  # e.g. another file system: built afresh
                (site_dir / root).rename(stash / root)
        self.kept_roots = []

    def restore_folders(self, site_dir: Path) -> None:
        """After MkDocs' clean-up: put the stashed folders back."""
        stash = _serve_dir() / "kept"
        if not stash.is_dir():
            return
        for entry in os.scandir(stash):
            try:
                Path(entry.path).rename(site_dir / entry.name)
            except OSError:
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                self.restored.append(entry.name)

    def remove_leftovers(
        self,
        site_dir: Path,
        specs: Mapping[str, PageSpec],
        outputs: Iterable[str],
        files: Files | None,
    ) -> None:
        """Delete files in the restored folders that this build did not make (pages and
        outputs of deleted entries, former pagination pages), then remember which folders
        belong to the portal for the next build."""
        expected = {spec.url + "index.html" for spec in specs.values()}
        expected.update(outputs)
        if files is not None:
            expected.update(f.dest_uri for f in files)
        for root in self.restored:
            for folder, _dirs, names in os.walk(site_dir / root, topdown=False):
                rel = Path(folder).relative_to(site_dir).as_posix()
                for name in names:
                    if f"{rel}/{name}" not in expected:
                        os.unlink(os.path.join(folder, name))
                if not os.listdir(folder):
                    os.rmdir(folder)
        roots = {uri.split("/", 1)[0] for uri in expected if "/" in uri}
        theirs = {
            f.dest_uri.split("/", 1)[0]
            for f in files or []
            if "/" in f.dest_uri and f.src_uri not in specs
        }
        self.kept_roots = sorted(roots - theirs - {"assets", "search"})

    # -- generated pages -----------------------------------------------------------------

    def plan(self, spec: PageSpec, body_key: str | None, in_nav: bool) -> bool:
        """Decide how a generated page is built; ``True``: MkDocs need not see it at all
        (body and page unchanged; :meth:`restore_skipped` writes it). Pages in the nav are
        always shown to MkDocs, which builds the nav from them."""
        if body_key is None:
            return False
        key = body_key + self.fingerprint
        self.body_keys[spec.src_uri] = key
        cached = self.bodies.get(spec.src_uri)
        if cached is None or cached[0] != key:
            return False
        page = self.pages.get(spec.src_uri)
        if page is not None and page[2] == key and not in_nav:
            self.skipped[spec.src_uri] = page[1]
            return True
        self.reusable_bodies[spec.src_uri] = (cached[1], cached[2])
        return False

    def body(self, src_uri: str) -> tuple[str, str | None] | None:
        """The previous body and compact search HTML of a page whose inputs are unchanged."""
        return self.reusable_bodies.get(src_uri)

    def remember_body(self, src_uri: str, body: str, compact: str | None) -> None:
        key = self.body_keys.get(src_uri)
        if key is not None:
            self.bodies[src_uri] = (key, body, compact)

    # -- theme output --------------------------------------------------------------------

    def set_nav(self, nav: Navigation) -> None:
        """The navigation is part of every page's key."""
        self.nav_fingerprint = hashlib.blake2b(
            repr([(p.title, p.url) for p in nav.pages]).encode(), digest_size=16
        ).hexdigest()

    def check_page(self, page: Page, body: str, head: Markup, generated: bool) -> None:
        """Give a page whose theme inputs are unchanged the stand-in template; its previous
        HTML is put back by :meth:`page_output`."""
        self.heads[page.file.src_uri] = head
        neighbours = tuple(
            getattr(getattr(page, attr), "url", None) for attr in ("previous_page", "next_page")
        )
        key = hashlib.blake2b(
            "\0".join(
                (
                    self.fingerprint,
                    self.nav_fingerprint,
                    page.url,
                    str(page.title),
                    json.dumps(page.meta, sort_keys=True, default=str),
                    # Generated pages hide the table of contents (and may skip the conversion
                    # that fills it when their body is reused).
                    "" if generated else str(page.toc),
                    repr(neighbours),
                    str(head),
                    body,
                )
            ).encode("utf-8", "surrogatepass"),
            digest_size=16,
        ).hexdigest()
        cached = self.pages.get(page.file.src_uri)
        if cached is not None and cached[0] == key:
            page.meta["template"] = CACHED_TEMPLATE
            self.reused[page.file.src_uri] = cached[1]
        self.pending_keys[page.file.src_uri] = key

    def take_head(self, src_uri: str) -> Markup | None:
        """The head markup :meth:`check_page` made for the page, once."""
        return self.heads.pop(src_uri, None)

    def reuses(self, page: Page) -> bool:
        """True when ``page`` was rendered with the stand-in template: its previous HTML
        (complete, policy included) replaces it in :meth:`page_output`."""
        return page.file.src_uri in self.reused

    def page_output(self, page: Page, output: str) -> str | None:
        """The previous HTML of a page rendered with the stand-in template (else ``None``);
        fresh HTML is remembered for the next build."""
        reused = self.reused.pop(page.file.src_uri, None)
        if reused is not None:
            output = reused
        key = self.pending_keys.pop(page.file.src_uri, None)
        if key is not None:
            self.pages[page.file.src_uri] = (key, output, self.body_keys.get(page.file.src_uri))
        return reused

    def restore_skipped(self, site_dir: Path, specs: Mapping[str, PageSpec]) -> None:
        """Write the pages MkDocs did not see, and their search entries.

        Search entries of every generated page are remembered by page, so the index
        stays complete although the search plugin saw only the pages that changed.
        """
        index_file = site_dir / "search" / "search_index.json"
        index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else None
        if index is not None:
            by_url: dict[str, list[Any]] = {}
            for doc in index["docs"]:
                by_url.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
            for src, spec in specs.items():
                if src not in self.skipped:
                    self.search[src] = by_url.get(spec.url, [])
        for src, html in self.skipped.items():
            target = site_dir / specs[src].url / "index.html"
            if not target.exists():  # not kept from the previous build
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
            if index is not None:
                index["docs"].extend(self.search.get(src, []))
        if index is not None and self.skipped:
            index_file.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
