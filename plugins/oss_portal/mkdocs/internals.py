"""Every private interface of MkDocs, Material and watchdog the portal relies on.

MkDocs 1.6.1 is the last MkDocs 1.x release (ProperDocs continues the line), Material's
security fixes end on 2027-05-05. Whoever moves the portal to another version or another
generator starts here: each access below names the version it was checked against, and
``tests/test_internals.py`` fails, naming the access, when an installed version no longer
has it. Every use degrades safely where it can (the build then takes the documented path).

===========================  ==================================================  =========
What                         Used for                                            Checked
===========================  ==================================================  =========
``mkdocs.commands.build.``   :mod:`.parallel_pages`: a forked child prepares     MkDocs
``_populate_page``,          and renders part of the pages exactly as the build  1.6.1
``_build_page``              does. Missing: one process renders everything.
``PluginCollection.``        :mod:`.parallel_pages`: which plugin registered a   MkDocs
``_event_origins``           page event (only known plugins may run in the       1.6.1
                             child). Missing: one process renders everything.
``Page`` subclass            :class:`GeneratedPage`: ``read_source`` and         MkDocs
(``read_source``,            ``render`` are the only steps that read or convert  1.6.1
``render``)                  Markdown; Material's blog plugin does the same.
``Theme.get_env`` replaced   :func:`skip_hidden_theme_folders`: the listing of   MkDocs
on the instance              theme files skips hidden folders (Material's 14,000 1.6.1
                             icons); a test compares the files copied.
Material's search plugin:    :func:`search_entries`: the child's search entries  Material
``search_index.entries``     join the parent's index. Unknown make: one process  9.8.2
                             renders everything.
watchdog polling observer:   :func:`polling_every`: ``mkdocs serve`` polls the   watchdog
``_timeout``                 data folder more often. Missing: MkDocs' interval.  7.1.0
===========================  ==================================================  =========

Outside this package's MkDocs adapter, the portal relies on these (each is covered by
tests that fail when it changes):

* Material's templates: seven partials copied into ``overrides/partials/`` (content,
  copyright, header, search, source, tabs, toc) from Material 9.8, which ``pyproject.toml`` pins;
  ``tests/test_material_partials.py`` compares each copy with the installed original and
  allows only the intended changes. ``overrides/partials/portal-home.html`` splits
  ``page.content`` at ``<div class="portal-home"``, the first tag of
  ``outputs/templates/home.html``.
* pydantic 2: :mod:`..core.loading` builds ``NewsItem`` with ``model_construct`` from
  already validated front matter; :mod:`..outputs.exports` reads validated models'
  ``__dict__`` (both avoid validating the same values twice).
* PyYAML 6: :mod:`..core.sources` parses with ``yaml._yaml.CParser`` (libyaml, not
  re-exported by PyYAML; without it the pure-Python parser is used) and recognises
  libyaml's and PyYAML's problem texts to give German hints.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from mkdocs.commands import build as _mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme

#: MkDocs' own page functions (private, frozen with MkDocs 1.x; ProperDocs has them, too).
#: ``None`` without them: MkDocs' loop renders every page.
populate_page: Callable[..., None] | None = getattr(_mkdocs_build, "_populate_page", None)
build_page: Callable[..., None] | None = getattr(_mkdocs_build, "_build_page", None)


def event_origin(config: MkDocsConfig, method: Any) -> str:
    """The name of the plugin that registered ``method`` for an event (``<unknown>``)."""
    origins = getattr(config.plugins, "_event_origins", {})
    return str(origins.get(method, "<unknown>"))


def search_entries(config: MkDocsConfig) -> list[Any] | None:
    """The entries list of Material's search index, or ``None`` without search.

    Raises ``LookupError`` for a search plugin of unknown make."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is None or not getattr(plugin.config, "enabled", True):
            continue
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if not isinstance(entries, list):
            raise LookupError(f"search plugin {name!r} of unknown make")
        return entries
    return None


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


def skip_hidden_theme_folders(theme: Theme) -> None:
    """Let the theme's Jinja environment list its files without hidden folders.

    On every build (and every ``mkdocs serve`` rebuild) MkDocs lists all files of the
    theme to copy its static ones, then drops every path with a hidden folder in it.
    Material's ``.icons`` holds some 14,000 SVGs. Pruning hidden folders while walking
    gives the same files (a test compares them); templates are still loaded from
    anywhere, icons included.
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


@contextlib.contextmanager
def polling_every(server: Any, seconds: float) -> Iterator[None]:
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
