"""Every private interface listed in ``oss_portal.mkdocs.internals`` exists in the installed
MkDocs, Material and watchdog. After an update (or a move to ProperDocs), a failure here
names the access to look at; the portal would otherwise fall back silently."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.pages import Page
from oss_portal.mkdocs import internals

REPO = Path(__file__).resolve().parents[1]


def test_mkdocs_page_functions_exist() -> None:
    assert callable(internals.populate_page)
    assert callable(internals.build_page)


def test_plugin_event_origins_name_the_plugins() -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    origins = {
        internals.event_origin(config, method)
        for methods in config.plugins.events.values()
        for method in methods
    }
    assert {"oss-portal", "material/search"} <= origins


def test_material_search_index_has_an_entries_list() -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins.on_config(config)
    assert internals.search_entries(config) == []


def test_generated_page_overrides_the_methods_mkdocs_calls() -> None:
    for name in ("read_source", "render"):
        assert callable(getattr(Page, name))
        assert name in vars(internals.GeneratedPage)


def test_watchdog_observer_keeps_its_interval_in_timeout(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert isinstance(getattr(server.observer, "_timeout", None), int | float)
