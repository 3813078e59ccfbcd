"""The MkDocs adapter: hooks only, no domain logic.

Everything the portal knows lives in the generator-independent core (catalog, pages,
feeds, calendar, exports, structured data). This module wires it into MkDocs 1.6:

* ``on_config``   – resolve paths, check ``site_url``, build into a temporary directory;
* ``on_pre_build`` – ``mkdocs serve``: move the previous build's portal folders aside;
* ``on_files``    – load and validate all content (errors stop ``mkdocs build``; during
  ``mkdocs serve`` they are printed and every valid entry is still shown), replace the
  news sources with generated pages and add one virtual page per entity and index;
* ``on_page_content`` – put the rendered body on generated pages and the home page;
* ``on_nav``      – ``mkdocs build``: fork a child that prepares and renders the last
  half of the pages on the second core (:mod:`.parallel_pages`);
* ``on_page_context`` – head data: feed autodiscovery, OpenGraph, JSON-LD;
* ``on_template_context`` – the sitemap lists the child's pages, too;
* ``on_post_build`` – collect the child's pages and search entries; write feeds,
  calendars and exports (or collect them from their forked writer), then move the
  finished site into place;
* ``on_serve``    – watch ``data/`` as well.

Because the plugin defines ``on_startup``, MkDocs keeps one instance for a whole
``mkdocs serve`` session, so parsed content is cached between rebuilds.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup, escape
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme
from mkdocs.utils import CountHandler
from mkdocs.utils.templates import TemplateContext

from . import head
from .catalog import Catalog, ContentLoader, ContentPaths, build_time, scheduled_report
from .errors import ContentError
from .forking import ForkedCall, ForkedCallError, can_fork
from .legal import LegalInfo, parse_legal, placeholders
from .pages import PageRenderer, PageSpec, SiteInfo, plan_pages
from .parallel_pages import PageShare, start_share

log = logging.getLogger("mkdocs.plugins.oss_portal")

ASSETS = Path(__file__).parent / "assets"
THEME = Path(__file__).parent / "theme"
CACHED_TEMPLATE = "portal-cached.html"
ASSET_URIS = {"css": "assets/portal/portal.css", "js": "assets/portal/portal.js"}


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
    feed_limit = opt.Type(int, default=50)
    """Newest articles per feed."""
    atomic_build = opt.Type(bool, default=True)
    """Build into a temporary folder and move it to ``site_dir`` only on success."""
    parallel_outputs = opt.Type(bool, default=True)
    """Write feeds, calendars and exports in a second process while pages render."""
    parallel_pages = opt.Type(bool, default=True)
    """Render half of the pages in a second process (``mkdocs build`` only)."""


class GeneratedPage(Page):
    """A page the portal renders itself: no source file, no Markdown to convert.

    MkDocs would parse a front matter and run its Markdown pipeline for every page (a
    fresh ``markdown.Markdown`` instance each time); for the thousands of generated pages
    that is pure overhead, as their body comes from the portal's templates. The metadata
    is set directly and ``render`` produces an empty body, which ``on_page_content``
    replaces. Material's blog plugin subclasses ``Page`` the same way for its posts.
    """

    def __init__(
        self, title: str | None, file: File, config: MkDocsConfig, meta: dict[str, Any]
    ) -> None:
        super().__init__(title, file, config)  # registers itself as ``file.page``
        self._portal_meta = meta

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = dict(self._portal_meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])


def _skip_hidden_theme_folders(theme: Theme) -> None:
    """Let the theme's Jinja environment list its files without hidden folders.

    On every build (and every ``mkdocs serve`` rebuild) MkDocs lists all files of the
    theme to copy its static ones, then drops every path with a hidden folder in it.
    Material's ``.icons`` holds some 14,000 SVGs, so that listing and filtering cost
    about 0.4 s each time. Pruning hidden folders while walking gives the same files
    (a test compares them); templates are still loaded from anywhere, icons included.
    """
    get_env = theme.get_env
    if getattr(get_env, "_oss_portal", False):
        return

    def env_without_hidden_listing() -> jinja2.Environment:
        env = get_env()
        dirs = list(theme.dirs)

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            names = _visible_theme_files(dirs)
            if extensions is not None:
                return [n for n in names if "." in n and n.rsplit(".", 1)[1] in extensions]
            return [n for n in names if filter_func(n)] if filter_func else names

        env.list_templates = list_templates  # type: ignore[method-assign]
        return env

    env_without_hidden_listing._oss_portal = True  # type: ignore[attr-defined]
    theme.get_env = env_without_hidden_listing  # type: ignore[method-assign]


def _visible_theme_files(dirs: list[str]) -> list[str]:
    """Files below ``dirs`` as Jinja's ``FileSystemLoader`` lists them, without descending
    into hidden folders."""
    found: set[str] = set()
    for searchpath in dirs:
        for dirpath, dirnames, filenames in os.walk(searchpath):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for filename in filenames:
                name = os.path.join(dirpath, filename)[len(searchpath) :].strip(os.path.sep)
                found.add(name.replace(os.path.sep, "/").removeprefix("./"))
    return sorted(found)


class PortalPlugin(BasePlugin[PortalConfig]):
    """Renders communities, events and news into the MkDocs Material site."""

    def __init__(self) -> None:
        self.command: str = "build"
        self.dirty = False
        self.loader: ContentLoader | None = None
        self.catalog: Catalog | None = None
        self.errors: list[ContentError] = []
        self.specs: dict[str, PageSpec] = {}
        self.renderer: PageRenderer | None = None
        self.site: SiteInfo | None = None
        self.final_site_dir: str | None = None
        self.partial_site_dir: str | None = None
        self.legal: LegalInfo | None = None
        self.warnings: CountHandler | None = None
        self.full_bodies: dict[str, str] = {}
        self.build_fingerprint = ""
        self.nav_fingerprint = ""
        self.reused: dict[str, str] = {}
        self.heads: dict[str, Markup] = {}
        self.cached_bodies: dict[str, tuple[str, str | None]] = {}
        self.body_keys: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        self.pending_keys: dict[str, str] = {}
        self.outputs: ForkedCall[tuple[int, float]] | None = None
        self.share: PageShare | None = None
        self.files: Files | None = None
        #: Serve: top-level folders of the previous successful build that belong to the
        #: portal, and those of them moved aside (and back) around MkDocs' clean-up.
        self.kept_roots: list[str] = []
        self.restored: list[str] = []

    # -- lifecycle ---------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember the command; defining this hook keeps the instance across serve rebuilds."""
        self.command = command
        self.dirty = dirty

    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Resolve paths, require ``site_url``, register assets, redirect the output."""
        if not self.config.enabled:
            return None
        if not config.site_url:
            raise PluginError(
                "mkdocs.yml: site_url fehlt – Feeds, Kalender und Metadaten brauchen die "
                "öffentliche Adresse der Website, z. B. 'site_url: https://example.org/'"
            )
        if not config.use_directory_urls:
            raise PluginError("mkdocs.yml: use_directory_urls muss für das Portal true sein")
        for option in ("news_per_page", "feed_limit"):
            if self.config[option] < 1:
                raise PluginError(
                    f"mkdocs.yml: oss-portal: {option} muss mindestens 1 sein "
                    f"(ist {self.config[option]})"
                )
        project = Path(config.config_file_path or ".").resolve().parent
        docs = Path(config.docs_dir)
        paths = ContentPaths(
            project,
            communities=self.config.communities_file,
            events=self.config.events_file,
            news_dir=(docs / self.config.news_dir).relative_to(project).as_posix(),
            published=_project_folders(project, [config.docs_dir, *config.theme.dirs]),
        )
        self.legal, problems = parse_legal(config.extra.get("legal"))
        if problems:
            raise PluginError("\n".join(problems))
        for placeholder in placeholders(config.extra.get("legal")):
            log.warning(
                f"mkdocs.yml: {placeholder} ist noch ein Platzhalter – bitte vor "
                "dem Veröffentlichen die echten Angaben eintragen"
            )
        if self.legal is not None and self.legal.demo:
            log.info(
                "mkdocs.yml: extra.legal enthält Beispieldaten (demo: true); "
                "die Rechtsseiten zeigen einen Hinweis"
            )
        if self.loader is None or self.loader.paths != paths:
            self.loader = ContentLoader(paths)
        self.site = SiteInfo(
            site_url=config.site_url,
            site_name=config.site_name,
            news_per_page=self.config.news_per_page,
        )
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.append(str(THEME))
        _skip_hidden_theme_folders(config.theme)
        # Only serve reuses pages across builds; a plain build needs no fingerprint.
        self.build_fingerprint = _config_fingerprint(config) if self.command == "serve" else ""
        config.extra_css.append(ASSET_URIS["css"])
        config.extra_javascript.append(ASSET_URIS["js"])
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.warnings = None
        # MkDocs keeps one instance per process (see on_startup): a configuration that
        # was loaded but never built must not leave its output folders to the next one.
        self._drop_partial_site()
        if self.command == "build" and self.config.atomic_build:
            # Counted like MkDocs' own strict mode, so a site that strict mode will reject
            # is never moved into place.
            self.warnings = CountHandler()
            self.warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)
            self.final_site_dir = config.site_dir
            parent = Path(config.site_dir).resolve().parent
            parent.mkdir(parents=True, exist_ok=True)
            config.site_dir = tempfile.mkdtemp(prefix=".site-build-", dir=parent)
            self.partial_site_dir = config.site_dir
        return config

    def _now(self) -> datetime:
        return build_time(self.config.build_date)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Serve only: move the previous build's portal folders out of MkDocs' way.

        MkDocs empties the site folder before every build; the portal's thousands of
        page folders would then be deleted and made again on every change, which costs
        more than rendering the pages that changed. They are moved aside in one rename
        each and put back right after the clean-up (``on_files``); unchanged pages and
        outputs stay where they are, and ``on_post_build`` deletes what is left over.
        """
        self.restored = []
        if self.command != "serve" or not self.config.enabled:
            return
        stash = _serve_cache_dir() / "kept"
        shutil.rmtree(stash, ignore_errors=True)
        stash.mkdir()
        site_dir = Path(config.site_dir)
        for root in self.kept_roots:
            with contextlib.suppress(OSError):  # e.g. another file system: built afresh
                (site_dir / root).rename(stash / root)
        self.kept_roots = []

    def _restore_roots(self, site_dir: Path) -> None:
        stash = _serve_cache_dir() / "kept"
        if not stash.is_dir():
            return
        for entry in os.scandir(stash):
            try:
                Path(entry.path).rename(site_dir / entry.name)
            except OSError:
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                self.restored.append(entry.name)

    @event_priority(50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        """Load all content and add the generated pages and assets."""
        if not self.config.enabled:
            return None
        assert self.loader is not None and self.site is not None
        if self.command == "serve":
            self._restore_roots(Path(config.site_dir))
        # A build's catalog lives as long as the process; serve's rebuilds must stay
        # collectable (see paused_gc).
        serve = self.command == "serve"
        catalog, errors = self.loader.load(self._now(), freeze=not serve, preview=serve)
        self.catalog, self.errors = catalog, errors
        for error in errors:
            log.error(str(error))
        if catalog.scheduled:
            log.info(scheduled_report(catalog, preview=serve))
        if errors and self.command != "serve":
            raise PluginError(
                f"{len(errors)} Fehler im Inhalt – der Build wurde abgebrochen. "
                "Details stehen in den Zeilen darüber; 'oss-portal validate' zeigt sie ebenso."
            )
        news_prefix = self.config.news_dir.strip("/") + "/"
        linked = [self.loader.paths.project_dir / rel for rel in self.loader.links]
        for file in list(files):
            if file.src_uri.startswith(news_prefix) and file.src_uri.endswith(".md"):
                files.remove(file)
            elif linked and _below_any(file.abs_src_path, linked):
                files.remove(file)  # MkDocs follows links; nothing behind one is published
        self.specs = {}
        theme_dirs = [Path(d) / "portal" for d in config.theme.dirs]
        self.renderer = PageRenderer(catalog, self.site, theme_dirs)
        if self.command == "serve":
            self.renderer.env.bytecode_cache = _bytecode_cache()
        self.cached_bodies, self.body_keys, self.skipped = {}, {}, {}
        # MkDocs takes a nav entry's title from mkdocs.yml; a page created here must be
        # given it, as MkDocs uses ``file.page`` as it is.
        nav_titles = dict(_nav_entries(config.nav))
        for spec in plan_pages(catalog, self.site, self.legal):
            self.specs[spec.src_uri] = spec
            if self.command == "serve":
                key = self.renderer.dependency_key(spec)
                if key is not None:
                    key += self.build_fingerprint
                    self.body_keys[spec.src_uri] = key
                    cached = _BODY_CACHE.get(spec.src_uri)
                    if cached is not None and cached[0] == key:
                        output = _OUTPUT_CACHE.get(spec.src_uri)
                        if output is not None and output[2] == key and spec.src_uri not in _IN_NAV:
                            # Body and page unchanged: MkDocs does not see the page at
                            # all; on_post_build writes the previous HTML and search entries.
                            self.skipped[spec.src_uri] = output[1]
                            continue
                        # Unchanged body: it is reused, not rendered again.
                        self.cached_bodies[spec.src_uri] = (cached[1], cached[2])
            file = File.generated(
                config,
                spec.src_uri,
                content="",
                inclusion=InclusionLevel.UNDEFINED
                if spec.src_uri in _IN_NAV
                else InclusionLevel.NOT_IN_NAV,
            )
            GeneratedPage(nav_titles.get(spec.src_uri), file, config, head.page_meta(spec))
            files.append(file)
        for kind, uri in ASSET_URIS.items():
            files.append(File.generated(config, uri, abs_src_path=str(ASSETS / f"portal.{kind}")))
        self.full_bodies, self.reused, self.pending_keys, self.heads = {}, {}, {}, {}
        self.outputs = self._start_outputs(catalog, Path(config.site_dir))
        self.files = files
        return files

    def _start_outputs(
        self, catalog: Catalog, site_dir: Path
    ) -> ForkedCall[tuple[int, float]] | None:
        """Write feeds, calendars and exports in a forked child while pages render.

        They need only the catalog, and MkDocs renders pages on one core; on a machine
        with a second core the outputs then cost no wall time. Only for ``mkdocs build``
        (see :func:`forking.can_fork`); otherwise they are written in ``on_post_build``.
        """
        if self.command != "build" or not self.config.parallel_outputs or not can_fork():
            return None
        assert self.site is not None
        site, limit = self.site, self.config.feed_limit
        return ForkedCall(lambda: _write_outputs(catalog, site, site_dir, limit))

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        """Serve only: MkDocs makes a new theme environment per rebuild; a bytecode cache
        spares compiling every theme template again."""
        if self.command == "serve" and env.bytecode_cache is None:
            env.bytecode_cache = _bytecode_cache()
        return env

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        """The sitemap lists the pages the child renders, too."""
        if self.share is not None and template_name == "sitemap.xml" and self.files is not None:
            share = self.share.uris()
            context["pages"] = [
                file
                for file in self.files
                if file.is_documentation_page()
                and (file.inclusion.is_included() or file.src_uri in share)
            ]
        return context

    @event_priority(-100)  # last: the navigation is final
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Fingerprint the nav (part of every cached page's key); detail pages are not in
        the nav, so no page renders an O(n) nav. ``mkdocs build``: hand the last half of
        the pages to a forked child (see :mod:`.parallel_pages`)."""
        self.nav_fingerprint = hashlib.blake2b(
            repr([(p.title, p.url) for p in nav.pages]).encode(), digest_size=16
        ).hexdigest()
        if (
            self.command == "build"
            and not self.dirty  # MkDocs then skips unchanged pages; the child would not
            and self.config.enabled
            and self.config.parallel_pages
            and can_fork()
        ):
            specs = self.specs  # generated pages; start_share leaves out those in the nav
            self.share = start_share(config, files, nav, lambda file: file.src_uri in specs)
        return None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Hand-written pages get their front-matter title escaped, as generated pages have
        it: Material (its search results above all) treats ``page.meta.title`` as HTML."""
        if (
            self.config.enabled
            and page.file.src_uri not in self.specs
            and isinstance(page.meta.get("title"), str)
        ):
            page.meta["title"] = str(escape(page.meta["title"]))
        return None

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Replace generated pages' bodies; add the portal blocks to the home page.

        Detail pages hand the search plugin a compact version first (see
        ``PageRenderer.render_search``); ``on_page_context`` swaps in the full body after
        the search plugin has indexed it.
        """
        if not self.config.enabled or self.renderer is None:
            return None
        spec = self.specs.get(page.file.src_uri)
        result: str | None = None
        body = html
        if spec is not None:
            body, compact = self._render_body(spec, page)
            if compact is None:
                result = body
            else:
                self.full_bodies[page.file.src_uri] = body
                result = compact
        elif page.is_homepage:
            body = result = (
                head.error_banner(self.errors if self.command == "serve" else [])
                + html
                + self.renderer.render_home(page.url)
            )
        if self.command == "serve":
            self._reuse_output(page, body, spec)
        return result

    def _render_body(self, spec: PageSpec, page: Page) -> tuple[str, str | None]:
        """Body and compact search text of a generated page (reused during serve)."""
        assert self.renderer is not None
        cached = self.cached_bodies.get(spec.src_uri)
        if cached is not None:
            return cached
        key = self.body_keys.get(spec.src_uri)
        body = self.renderer.render(spec, page.url)
        compact = self.renderer.render_search(spec)
        if key is not None:
            _BODY_CACHE[spec.src_uri] = (key, body, compact)
        return body, compact

    def _reuse_output(self, page: Page, body: str, spec: PageSpec | None) -> None:
        """During ``mkdocs serve``: skip the theme for pages whose inputs did not change.

        MkDocs renders every page on every change. The theme's output depends on the
        page's body, title, meta, table of contents and neighbours, the head data, the
        navigation and the configuration; all of that goes into a key. When the key equals
        the previous build's, the page gets a stand-in template and ``on_post_page`` puts
        the previous HTML back: only pages whose content changed are rendered again.
        """
        assert self.catalog is not None and self.site is not None
        neighbours = tuple(
            getattr(getattr(page, attr), "url", None) for attr in ("previous_page", "next_page")
        )
        head_markup = self._head(page, spec)
        key = hashlib.blake2b(
            "\0".join(
                (
                    self.build_fingerprint,
                    self.nav_fingerprint,
                    page.url,
                    str(page.title),
                    json.dumps(page.meta, sort_keys=True, default=str),
                    # Generated pages hide the table of contents (and may skip the conversion
                    # that fills it when their body is reused).
                    "" if spec is not None else str(page.toc),
                    repr(neighbours),
                    str(head_markup),
                    body,
                )
            ).encode("utf-8", "surrogatepass"),
            digest_size=16,
        ).hexdigest()
        cached = _OUTPUT_CACHE.get(page.file.src_uri)
        if cached is not None and cached[0] == key:
            page.meta["template"] = CACHED_TEMPLATE
            self.reused[page.file.src_uri] = cached[1]
        self.pending_keys[page.file.src_uri] = key

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Put cached output back, or remember fresh output (``mkdocs serve`` only)."""
        reused = self.reused.pop(page.file.src_uri, None)
        if reused is not None:
            output = reused
        key = self.pending_keys.pop(page.file.src_uri, None)
        if key is not None:
            body_key = self.body_keys.get(page.file.src_uri)
            _OUTPUT_CACHE[page.file.src_uri] = (key, output, body_key)
        return output if reused is not None else None

    @event_priority(-50)  # after the search plugin (0) has indexed the compact content
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """Full body for the theme; head data (feeds, OpenGraph, JSON-LD) for every page."""
        if not self.config.enabled or self.catalog is None or self.site is None:
            return None
        body = self.full_bodies.pop(page.file.src_uri, None)
        if body is not None:
            page.content = body
        markup = self.heads.pop(page.file.src_uri, None) or self._head(
            page, self.specs.get(page.file.src_uri)
        )
        context["portal_head"] = markup  # type: ignore[typeddict-unknown-key]
        return context

    def _head(self, page: Page, spec: PageSpec | None) -> Markup:
        assert self.catalog is not None and self.site is not None
        markup = head.head_html(
            self.catalog, self.site, page.url, page.title, page.meta.get("description"), spec
        )
        self.heads[page.file.src_uri] = markup
        return markup

    @event_priority(100)  # before the search plugin writes its index
    def _finish_pages(self, *, config: MkDocsConfig) -> None:
        """Wait for the child's pages; its search entries join the index."""
        share, self.share = self.share, None
        if share is None:
            return
        waited = time.perf_counter()
        try:
            result = share.finish()
        except ForkedCallError as error:
            raise PluginError(
                f"oss-portal: Seiten im zweiten Prozess fehlgeschlagen: {error}"
            ) from None
        log.info(
            f"oss-portal: {result.pages} Seiten in {result.seconds:.1f} s in einem zweiten "
            f"Prozess gerendert (Wartezeit des Builds: {time.perf_counter() - waited:.1f} s)"
        )

    @event_priority(-100)
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        """Write feeds, calendars and exports; then put the finished site in place."""
        if not self.config.enabled or self.catalog is None or self.site is None:
            return
        site_dir = Path(config.site_dir)
        if self.command == "serve":
            self._restore_skipped(site_dir)
        waited = time.perf_counter()
        if self.outputs is not None:
            try:
                count, seconds = self.outputs.result()
            except ForkedCallError as error:
                raise PluginError(
                    f"oss-portal: Feeds, Kalender und Exporte fehlgeschlagen: {error}"
                ) from None
            finally:
                self.outputs = None
            log.info(
                f"oss-portal: {count} Feeds, Kalender und Exporte in {seconds:.1f} s "
                f"geschrieben, parallel zu den Seiten (Wartezeit des Builds: "
                f"{time.perf_counter() - waited:.1f} s)"
            )
        else:
            from .publishing import write_outputs

            outputs = write_outputs(
                self.catalog,
                self.site,
                site_dir,
                self.config.feed_limit,
                serve=self.command == "serve",
            )
            log.info(
                f"oss-portal: {len(outputs)} Feeds, Kalender und Exporte in "
                f"{time.perf_counter() - waited:.1f} s geschrieben"
            )
            if self.command == "serve":
                self._remove_leftovers(site_dir, outputs)
        if self.final_site_dir is None:
            return
        counts = self.warnings.get_counts() if self.warnings is not None else []
        if config.strict and counts:
            # MkDocs aborts right after this hook; keep the previous site untouched.
            shutil.rmtree(config.site_dir, ignore_errors=True)
        else:
            _replace_dir(Path(config.site_dir), Path(self.final_site_dir))
        config.site_dir = self.final_site_dir
        self.final_site_dir = self.partial_site_dir = None

    on_post_build = CombinedEvent(_finish_pages, _finish_site)

    def _restore_skipped(self, site_dir: Path) -> None:
        """Serve only: write the pages MkDocs did not see, and their search entries.

        Search entries of every generated page are remembered by page, so the index
        stays complete although the search plugin saw only the pages that changed.
        """
        index_file = site_dir / "search" / "search_index.json"
        index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else None
        if index is not None:
            by_url: dict[str, list[Any]] = {}
            for doc in index["docs"]:
                by_url.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
            for src, spec in self.specs.items():
                if src not in self.skipped:
                    _SEARCH_CACHE[src] = by_url.get(spec.url, [])
        for src, html in self.skipped.items():
            target = site_dir / self.specs[src].url / "index.html"
            if not target.exists():  # not kept from the previous build
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
            if index is not None:
                index["docs"].extend(_SEARCH_CACHE.get(src, []))
        if index is not None and self.skipped:
            index_file.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")

    def _remove_leftovers(self, site_dir: Path, outputs: list[str]) -> None:
        """Serve only: delete files in the kept folders that this build did not make
        (pages and outputs of deleted entries, former pagination pages), then remember
        which folders belong to the portal for the next build."""
        expected = {spec.url + "index.html" for spec in self.specs.values()}
        expected.update(outputs)
        if self.files is not None:
            expected.update(f.dest_uri for f in self.files)
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
            for f in self.files or []
            if "/" in f.dest_uri and f.src_uri not in self.specs
        }
        self.kept_roots = sorted(roots - theirs - {"assets", "search"})

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves the previous site untouched and removes the partial one."""
        self.kept_roots = []
        if self.outputs is not None:
            self.outputs.cancel()
            self.outputs = None
        if self.share is not None:
            self.share.cancel()
            self.share = None
        self._drop_partial_site()

    def _drop_partial_site(self) -> None:
        if self.partial_site_dir is not None:
            shutil.rmtree(self.partial_site_dir, ignore_errors=True)
        self.final_site_dir = self.partial_site_dir = None

    def on_shutdown(self) -> None:
        """Detach the warning counter."""
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Reload when data files change, not only the docs.

        MkDocs looks for changes every 0.5 s, which is a quarter of the two seconds a
        maintainer may wait between saving and seeing the change; the data folder (two
        files) is looked at every 0.1 s.
        """
        if self.loader is not None:
            with _polling_every(server, DATA_POLLING_S):
                for rel in (self.config.communities_file, self.config.events_file):
                    target = self.loader.paths.project_dir / rel
                    server.watch(str(target.parent))
        return server


#: How often ``mkdocs serve`` looks for changes in the data folder, in seconds.
DATA_POLLING_S = 0.1


@contextlib.contextmanager
def _polling_every(server: Any, seconds: float) -> Iterator[None]:
    """Folders that ``server`` starts watching meanwhile are polled every ``seconds``.

    MkDocs' server watches with watchdog's polling observer, which gives each watched
    folder the interval it has when the folder is added (its ``timeout``, kept in
    ``_timeout``). Without that attribute nothing changes.
    """
    observer = getattr(server, "observer", None)
    previous = getattr(observer, "_timeout", None)
    if not isinstance(previous, int | float):
        yield
        return
    observer._timeout = min(previous, seconds)  # type: ignore[union-attr]
    try:
        yield
    finally:
        observer._timeout = previous  # type: ignore[union-attr]


#: Bodies of generated pages in the previous ``mkdocs serve`` build:
#: src_uri -> (dependency key, body HTML, compact search HTML).
_BODY_CACHE: dict[str, tuple[str, str, str | None]] = {}

#: Rendered pages of the previous ``mkdocs serve`` build:
#: src_uri -> (input key, HTML, dependency key of its body).
_OUTPUT_CACHE: dict[str, tuple[str, str, str | None]] = {}
#: Search index entries of generated pages from earlier ``mkdocs serve`` builds.
_SEARCH_CACHE: dict[str, list[Any]] = {}


_SERVE_CACHE: Path | None = None


def _serve_cache_dir() -> Path:
    """A private folder for ``mkdocs serve``: the portal's site folders while MkDocs cleans
    up, and the Jinja bytecode cache. It lies in the temporary folder, as the site that
    ``mkdocs serve`` builds does, so moving folders there is a rename. Removed at exit."""
    global _SERVE_CACHE
    if _SERVE_CACHE is None:
        _SERVE_CACHE = Path(tempfile.mkdtemp(prefix="oss-portal-serve-"))
        atexit.register(shutil.rmtree, _SERVE_CACHE, True)
    return _SERVE_CACHE


def _bytecode_cache() -> jinja2.BytecodeCache:
    folder = _serve_cache_dir() / "jinja"
    folder.mkdir(exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def _config_fingerprint(config: MkDocsConfig) -> str:
    """Everything global a page's HTML depends on: configuration and theme templates."""
    digest = hashlib.blake2b(digest_size=16)
    if config.config_file_path and os.path.exists(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    for folder in [*config.theme.dirs, str(Path(__file__).parent / "templates")]:
        for path in sorted(Path(folder).rglob("*.html")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    digest.update(str(config.site_url).encode())
    return digest.hexdigest()


def _write_outputs(
    catalog: Catalog, site: SiteInfo, site_dir: Path, limit: int
) -> tuple[int, float]:
    """Runs in the forked writer: the catalog arrives by fork, not by pickling.
    Returns how many files it wrote and how long that took."""
    start = time.perf_counter()
    from .publishing import write_outputs  # loads in the worker only

    count = len(write_outputs(catalog, site, site_dir, limit))
    return count, time.perf_counter() - start


#: Page kinds listed in mkdocs.yml's nav; every other generated page is reached by links
#: (detail pages, pagination, legal pages in the footer), so no page renders an O(n) nav.
_IN_NAV = frozenset(
    {"communities/index.md", "events/index.md", "news/index.md", "tags/index.md", "mitmachen.md"}
)


def _nav_entries(nav: Any) -> Iterator[tuple[str, str]]:
    """(path, title) of every titled page in a ``nav`` configuration."""
    if isinstance(nav, list):
        for item in nav:
            yield from _nav_entries(item)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                yield value, str(title)
            else:
                yield from _nav_entries(value)


def _project_folders(project: Path, folders: list[str]) -> tuple[str, ...]:
    """``folders`` that lie inside ``project``, relative to it: the docs and the theme
    folders of the project (an installed theme is not the project's to check)."""
    inside = []
    for folder in folders:
        with contextlib.suppress(ValueError):
            inside.append(Path(os.path.abspath(folder)).relative_to(project).as_posix())
    return tuple(inside)


def _below_any(path: str | None, links: list[Path]) -> bool:
    """Whether ``path`` is one of ``links`` or lies below one of them."""
    if path is None:
        return False
    target = Path(os.path.abspath(path))
    return any(target == link or link in target.parents for link in links)


def _replace_dir(built: Path, final: Path) -> None:
    """Swap the freshly built folder into place with renames (never a half-written site)."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    built.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
