"""The synthetic content generator and the floor project used by ``scripts/bench``."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from oss_portal.core import recurrence
from oss_portal.core.catalog import Catalog
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import BERLIN, Event

from devtools.synthetic import (
    REFERENCE_DATE,
    TAGS,
    floor_config,
    generate_project,
    project_root,
    split_counts,
    write_floor_project,
)

NOW = datetime.combine(REFERENCE_DATE, datetime.min.time(), BERLIN)


def _load(project: Path) -> Catalog:
    catalog, errors = ContentLoader(ContentPaths(project)).load(NOW)
    assert [str(e) for e in errors] == []
    return catalog


def _words(*texts: str) -> int:
    return sum(len(t.split()) for t in texts)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def content_500(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, dict[str, int]]:
    project = tmp_path_factory.mktemp("synthetic-500")
    counts = generate_project(project, 500)
    return _load(project), counts


@pytest.mark.parametrize(
    ("total", "communities", "events", "news"),
    [(10, 2, 3, 5), (57, 11, 17, 29), (500, 100, 150, 250), (1001, 200, 300, 501)],
)
def test_counts_follow_the_mix_and_everything_validates(
    tmp_path: Path, total: int, communities: int, events: int, news: int
) -> None:
    counts = generate_project(tmp_path, total)
    catalog = _load(tmp_path)
    assert split_counts(total) == {"communities": communities, "events": events, "news": news}
    assert (counts["communities"], counts["events"], counts["news"]) == (communities, events, news)
    assert len(catalog.communities) == communities
    assert len(catalog.events) == events
    assert len(catalog.news) + len(catalog.drafts) == news
    assert len(catalog.drafts) == counts["drafts"]
    assert len(list((tmp_path / "content" / "news").glob("*.md"))) == news


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate_project(tmp_path / "a", 120, seed=7)
    generate_project(tmp_path / "b", 120, seed=7)
    generate_project(tmp_path / "c", 120, seed=8)
    first = _tree(tmp_path / "a")
    assert len(first) == 2 + 60
    assert first == _tree(tmp_path / "b")
    assert first != _tree(tmp_path / "c")


def test_refuses_to_write_over_content(tmp_path: Path) -> None:
    generate_project(tmp_path, 10)
    with pytest.raises(FileExistsError):
        generate_project(tmp_path, 10)


def test_items_carry_about_150_words(content_500: tuple[Catalog, dict[str, int]]) -> None:
    catalog, _counts = content_500
    words = [_words(c.summary, c.description) for c in catalog.communities]
    words += [_words(e.summary, e.description) for e in catalog.events]
    words += [_words(n.summary, n.body) for n in catalog.news]
    assert 135 <= statistics.mean(words) <= 165
    assert min(words) >= 120


def test_content_has_the_variety_a_real_portal_has(
    content_500: tuple[Catalog, dict[str, int]],
) -> None:
    catalog, counts = content_500
    statuses = Counter(e.status for e in catalog.events)
    assert statuses["cancelled"] > 0 and statuses["postponed"] > 0
    assert counts["drafts"] > 0
    assert any(n.deadline for n in catalog.news)
    assert any(c.membership.deadline for c in catalog.communities)
    assert any(e.all_day for e in catalog.events) and not all(e.all_day for e in catalog.events)
    # Events on both sides of the reference date, news up to it.
    assert catalog.past_events and catalog.upcoming_events
    assert max(n.published_at for n in catalog.news) < NOW + timedelta(days=1)
    # References: events -> communities, news -> communities and events, all resolved
    # (the loader reports dangling ones as errors, and there are none).
    assert sum(bool(e.communities) for e in catalog.events) == len(catalog.events)
    assert sum(bool(n.events) for n in catalog.news) > len(catalog.news) / 2
    assert sum(bool(n.communities) for n in catalog.news) > len(catalog.news) / 2
    # Tags from a vocabulary of 50, nearly all of it used.
    assert len(TAGS) == len(set(TAGS)) == 50
    assert set(catalog.tags) <= set(TAGS)
    assert len(catalog.tags) >= 45
    # Regions, and series with the recurring cases: weekly ones across both changes of
    # summer time, each with an excepted, a cancelled and a moved date; some without end.
    assert sum(bool(e.regions) for e in catalog.events) > len(catalog.events) / 2
    series = [e for e in catalog.events if e.repeat is not None]
    assert series and any(e.repeat.until is None for e in series)  # type: ignore[union-attr]
    assert all(e.repeat.except_ and e.repeat.cancelled and e.repeat.moved for e in series)  # type: ignore[union-attr]

    def offsets(event: Event) -> set[timedelta | None]:
        dates = itertools.islice(recurrence.occurrences(event), 60)
        return {o.starts_at.utcoffset() for o in dates if o.status == "scheduled"}

    weekly = [e for e in series if e.repeat.every == "week"]  # type: ignore[union-attr]
    assert any(len(offsets(e)) == 2 and _crosses_both_changes(e) for e in weekly), (
        "a weekly series over both changes of summer time"
    )


def _crosses_both_changes(event: Event) -> bool:
    """Whether a series has dates before and after a change to summer time and one back."""
    dates = [o.starts_at for o in itertools.islice(recurrence.occurrences(event), 60)]
    kinds = [bool(d.dst()) for d in dates]
    return any(a != b and b for a, b in itertools.pairwise(kinds)) and any(
        a != b and not b for a, b in itertools.pairwise(kinds)
    )


FAKE_CONFIG = """\
site_name: Probe
site_url: https://example.org/
docs_dir: inhalt
theme:
  name: material
  custom_dir: overrides
  language: de
plugins:
  - search
  - oss-portal:
      news_per_page: 10
  - tags
watch:
  - data
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
extra:
  version: !ENV [PORTAL_VERSION, "1.0"]
nav:
  - Start: index.md
  - Bereich:
      - bereich/index.md
      - Extern: https://example.org/extern/
"""


@pytest.mark.parametrize("plugins", ["list", "mapping"])
def test_floor_config_drops_our_plugin_and_keeps_everything_else(
    tmp_path: Path, plugins: str
) -> None:
    text = FAKE_CONFIG
    if plugins == "mapping":
        text = text.replace(
            "  - search\n  - oss-portal:\n      news_per_page: 10\n  - tags\n",
            "  search: {}\n  oss-portal:\n    news_per_page: 10\n  tags: {}\n",
        )
    source = tmp_path / "real" / "mkdocs.yml"
    source.parent.mkdir()
    (source.parent / "overrides").mkdir()
    source.write_text(text, encoding="utf-8")

    floor = floor_config(source)

    assert floor.nav_files == ["bereich/index.md", "index.md"]
    assert floor.real_docs_dir == source.parent / "inhalt"
    written = tmp_path / "floor" / "mkdocs.yml"
    (tmp_path / "floor" / "docs").mkdir(parents=True)
    written.write_text(floor.text, encoding="utf-8")
    # MkDocs itself must accept the result: tags resolved, paths existing, plugins loadable.
    config = load_config(str(written))
    assert list(config.plugins) == ["material/search", "material/tags"]
    assert config.theme.custom_dir == str(source.parent / "overrides")
    assert config.watch == []
    assert config.extra["version"] == "1.0"
    assert config.docs_dir == str(tmp_path / "floor" / "docs")


def test_floor_project_builds_with_pages_outside_the_nav(tmp_path: Path) -> None:
    config_path = write_floor_project(tmp_path / "floor", 30, config=FLOOR_SOURCE)
    docs = tmp_path / "floor" / "docs"
    pages = sorted((docs / "seiten").glob("*.md"))
    assert len(pages) == 30
    assert 130 <= statistics.mean(len(p.read_text().split()) for p in pages) <= 175
    raw = yaml.compose(config_path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    # No plugin entry (the repository's address may contain the name).
    assert not re.search(r"^\s*-\s*oss-portal\b", yaml.serialize(raw), re.MULTILINE)

    config = load_config(str(config_path), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()

    built = sorted((tmp_path / "site" / "seiten").glob("*/index.html"))
    assert len(built) == 30
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "seiten/" not in home  # the pages are not in the nav


FLOOR_SOURCE = project_root() / "mkdocs.yml"
