"""The MkDocs plugin: hooks that hand each step to the core, the outputs or an engine.

The portal's content, pages and outputs know nothing of MkDocs (:mod:`..core`,
:mod:`..outputs`). The build machinery has a module each: :mod:`.atomic` (the site is
replaced only after a successful build), :mod:`.parallel_pages` (a forked child renders
half of the pages), :mod:`.serve_cache` (``mkdocs serve`` renders only what an edit
touches); private MkDocs and Material interfaces are in :mod:`.internals`. The hooks:

* ``on_config``   – resolve paths, check ``site_url``, build into a temporary directory;
* ``on_pre_build`` – ``mkdocs serve``: move the previous build's portal folders aside;
* ``on_files``    – load and validate all content (errors stop ``mkdocs build``; during
  ``mkdocs serve`` they are printed and every valid entry is still shown), replace the
  news sources with generated pages and add one virtual page per entity and index;
* ``on_nav``      – ``mkdocs build``: fork the child that renders the last half of the
  pages on the second core;
* ``on_page_content`` – put the rendered body on generated pages and the home page;
* ``on_page_context`` – head data: feed autodiscovery, OpenGraph, JSON-LD;
* ``on_template_context`` – the sitemap lists the child's pages, too;
* ``on_post_build`` – collect the child's pages and search entries; write feeds,
  calendars and exports (or collect them from their forked writer), then move the
  finished site into place;
* ``on_serve``    – watch ``data/`` as well.

Because the plugin defines ``on_startup``, MkDocs keeps one instance for a whole
``mkdocs serve`` session, so parsed content and rendered pages are kept between rebuilds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..core import urls
from ..core.catalog import Catalog
from ..core.errors import ContentError
from ..core.legal import LegalInfo, parse_legal, placeholders, publish_problems
from ..core.loading import ContentLoader, ContentPaths, build_time, scheduled_report
from ..outputs import csp, head
from ..outputs.pages import PACKAGE_ASSETS, PageRenderer, PageSpec, SiteInfo, plan_pages
from ..outputs.publishing import offline_links
from . import internals
from .atomic import AtomicSite
from .config import PortalConfig, preview_requested, publish_requested
from .forking import ForkedCall, ForkedCallError, can_fork
from .parallel_pages import PageShare, start_share
from .serve_cache import ServeCache, bytecode_cache, config_fingerprint

log = logging.getLogger("mkdocs.plugins.oss_portal")

THEME = Path(__file__).parent / "theme"
ASSET_DIR = "assets/portal/"
#: The stylesheet and script of every page (MkDocs links them).
ASSET_URIS = {"css": f"{ASSET_DIR}portal.css", "js": f"{ASSET_DIR}portal.js"}
#: Everything in outputs/assets/ that the site serves; the form "Eintrag vorschlagen"
#: links its two scripts itself.
ASSETS = ("portal.css", "portal.js", "json-schema.js", "propose.js")
#: How often ``mkdocs serve`` looks for changes in the data folder, in seconds.
DATA_POLLING_S = 0.1


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
        self.legal: LegalInfo | None = None
        self.files: Files | None = None
        #: Bodies of detail pages while the search plugin indexes their compact version.
        self.full_bodies: dict[str, str] = {}
        self.atomic = AtomicSite()
        self.serve = ServeCache()
        self.outputs: ForkedCall[tuple[int, float]] | None = None
        self.share: PageShare | None = None
        self.build_preview = False

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
        #: ``mkdocs build`` as a marked preview despite content errors (option ``preview``).
        self.build_preview = self.command != "serve" and preview_requested(self.config)
        if self.command == "build" and publish_requested(self.config):
            problems = publish_problems(config.extra.get("legal"), self.legal)
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
            repo_url=config.repo_url or "",
        )
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.append(str(THEME))
        internals.skip_hidden_theme_folders(config.theme)
        if self.command == "serve":  # only serve reuses pages across builds
            self.serve.fingerprint = config_fingerprint(config)
        config.extra_css.append(ASSET_URIS["css"])
        config.extra_javascript.append(ASSET_URIS["js"])
        # MkDocs keeps one instance per process (see on_startup): a configuration that
        # was loaded but never built must not leave its output folders to the next one.
        self.atomic.abort()
        if self.command == "build" and self.config.atomic_build:
            self.atomic.start(config)
        return config

    def _now(self) -> datetime:
        return build_time(self.config.build_date)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Serve only: move the previous build's portal folders out of MkDocs' way (see
        :mod:`.serve_cache`)."""
        self.serve.restored = []
        if self.command == "serve" and self.config.enabled:
            self.serve.stash_folders(Path(config.site_dir))

    @event_priority(50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        """Load all content and add the generated pages and assets."""
        if not self.config.enabled:
            return None
        assert self.loader is not None and self.site is not None
        serve = self.command == "serve"
        preview = serve or self.build_preview
        if serve:
            self.serve.restore_folders(Path(config.site_dir))
        # A build's catalog lives as long as the process; serve's rebuilds must stay
        # collectable (see paused_gc).
        catalog, errors = self.loader.load(self._now(), freeze=not serve, preview=preview)
        self.catalog, self.errors = catalog, errors
        for error in errors:
            log.error(str(error))
        if catalog.scheduled:
            log.info(scheduled_report(catalog, preview=preview))
        if self.build_preview:
            # Material's announcement bar on every page (overrides/main.html).
            config.extra["portal_preview_errors"] = len(errors)
        if errors and not preview:
            raise PluginError(
                f"{len(errors)} Fehler im Inhalt – der Build wurde abgebrochen. "
                "Details stehen in den Zeilen darüber; 'oss-portal validate' zeigt sie ebenso."
            )
        news_prefix = self.config.news_dir.strip("/") + "/"
        linked = [self.loader.paths.project_dir / rel for rel in self.loader.links]
        for file in list(files):
            if file.src_uri.startswith(news_prefix):
                files.remove(file)  # news become generated pages; anything else is an error
            elif linked and _below_any(file.abs_src_path, linked):
                files.remove(file)  # MkDocs follows links; nothing behind one is published
        self.specs = {}
        theme_dirs = [Path(d) / "portal" for d in config.theme.dirs]
        self.renderer = PageRenderer(catalog, self.site, theme_dirs)
        self.serve.new_build()
        if serve:
            self.renderer.env.bytecode_cache = bytecode_cache()
        # The generated pages listed in mkdocs.yml's nav (the indexes); every other one is
        # reached by links (detail pages, pagination, legal pages in the footer), so no page
        # renders an O(n) nav. MkDocs takes a nav entry's title from mkdocs.yml; a page
        # created here must be given it, as MkDocs uses ``file.page`` as it is.
        nav_titles = dict(_nav_entries(config.nav))
        for spec in plan_pages(catalog, self.site, self.legal):
            self.specs[spec.src_uri] = spec
            in_nav = spec.src_uri in nav_titles
            if serve and self.serve.plan(spec, self.renderer.dependency_key(spec), in_nav):
                continue
            file = File.generated(
                config,
                spec.src_uri,
                content="",
                inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV,
            )
            internals.GeneratedPage(
                nav_titles.get(spec.src_uri), file, config, head.page_meta(spec)
            )
            files.append(file)
        for name in ASSETS:
            path = str(PACKAGE_ASSETS / name)
            files.append(File.generated(config, ASSET_DIR + name, abs_src_path=path))
        self.full_bodies = {}
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
        """The portal's addresses for the theme's templates (``portal_urls``). Serve only:
        MkDocs makes a new theme environment per rebuild; a bytecode cache spares compiling
        every theme template again."""
        env.globals["portal_urls"] = urls
        if self.command == "serve" and env.bytecode_cache is None:
            env.bytecode_cache = bytecode_cache()
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
        """Serve: the nav is part of every cached page's key. Build: hand the last half of
        the pages to a forked child (see :mod:`.parallel_pages`)."""
        if self.command == "serve":
            self.serve.set_nav(nav)
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
            shown = self.errors if self.command == "serve" or self.build_preview else []
            body = result = (
                head.error_banner(shown, live=self.command == "serve")
                + html
                + self.renderer.render_home(page.url)
            )
        if self.command == "serve":
            self.serve.check_page(page, body, self._head(page, spec), spec is not None)
        return result

    def _render_body(self, spec: PageSpec, page: Page) -> tuple[str, str | None]:
        """Body and compact search text of a generated page (reused during serve)."""
        assert self.renderer is not None
        cached = self.serve.body(spec.src_uri)
        if cached is not None:
            return cached
        inputs = self.renderer.inputs(spec)
        body = self.renderer.render(spec, page.url, inputs)
        compact = self.renderer.render_search(spec, inputs)
        self.serve.remember_body(spec.src_uri, body, compact)
        return body, compact

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """The page's Content-Security-Policy (:mod:`..outputs.csp`). Serve: put a cached
        page's HTML back, or remember fresh HTML. A build preview: folder links point at
        their ``index.html`` (a downloaded copy works offline)."""
        if not self.config.enabled:
            return None
        if self.command == "serve" and self.serve.reuses(page):
            return self.serve.page_output(page, output)  # the stand-in's previous HTML
        output = self._with_policy(output, page.content or "", config)
        if self.build_preview:
            return offline_links(output)
        if self.command != "serve":
            return output
        return self.serve.page_output(page, output) or output

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        """The 404 page (a theme template, no Markdown page) gets its policy, too."""
        if not self.config.enabled or not template_name.endswith(".html"):
            return None
        return self._with_policy(output_content, "", config)

    def _with_policy(self, html: str, content: str, config: MkDocsConfig) -> str:
        # The proposal form sends readers to the repository's issue page.
        forms = (csp.origin(config.repo_url or ""),)
        return csp.with_policy(html, content, forms, live_reload=self.command == "serve")

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
        markup = self.serve.take_head(page.file.src_uri) or self._head(
            page, self.specs.get(page.file.src_uri)
        )
        context["portal_head"] = markup  # type: ignore[typeddict-unknown-key]
        return context

    def _head(self, page: Page, spec: PageSpec | None) -> Markup:
        assert self.catalog is not None and self.site is not None
        return head.head_html(
            self.catalog, self.site, page.url, page.title, page.meta.get("description"), spec
        )

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
        serve = self.command == "serve"
        if serve:
            self.serve.restore_skipped(site_dir, self.specs)
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
            from ..outputs.publishing import write_outputs

            outputs = write_outputs(
                self.catalog, self.site, site_dir, self.config.feed_limit, serve=serve
            )
            log.info(
                f"oss-portal: {len(outputs)} Feeds, Kalender und Exporte in "
                f"{time.perf_counter() - waited:.1f} s geschrieben"
            )
            if serve:
                self.serve.remove_leftovers(site_dir, self.specs, outputs, self.files)
        self.atomic.finish(config)

    on_post_build = CombinedEvent(_finish_pages, _finish_site)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves the previous site untouched and removes the partial one."""
        self.serve.kept_roots = []
        if self.outputs is not None:
            self.outputs.cancel()
            self.outputs = None
        if self.share is not None:
            self.share.cancel()
            self.share = None
        self.atomic.abort()

    def on_shutdown(self) -> None:
        """Detach the warning counter (and remove a build folder left behind)."""
        self.atomic.abort()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Reload when data files change, not only the docs.

        MkDocs looks for changes every 0.5 s, which is a quarter of the two seconds a
        maintainer may wait between saving and seeing the change; the data folder (two
        files) is looked at every 0.1 s.
        """
        if self.loader is not None:
            with internals.polling_every(server, DATA_POLLING_S):
                for rel in (self.config.communities_file, self.config.events_file):
                    target = self.loader.paths.project_dir / rel
                    server.watch(str(target.parent))
        return server


def _write_outputs(
    catalog: Catalog, site: SiteInfo, site_dir: Path, limit: int
) -> tuple[int, float]:
    """Runs in the forked writer: the catalog arrives by fork, not by pickling.
    Returns how many files it wrote and how long that took."""
    start = time.perf_counter()
    from ..outputs.publishing import write_outputs  # loads in the worker only

    count = len(write_outputs(catalog, site, site_dir, limit))
    return count, time.perf_counter() - start


def _nav_entries(nav: Any) -> Iterator[tuple[str, str | None]]:
    """(path, title) of every page in a ``nav`` configuration (``None``: untitled)."""
    if isinstance(nav, str):
        yield nav, None
    elif isinstance(nav, list):
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
