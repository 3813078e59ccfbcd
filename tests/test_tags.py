"""Tags for people: ``data/tags.yaml`` gives each tag id the name readers see (pages, the
filters, feeds, calendars, search and JSON-LD show it), and a tag not listed there is a
``file:line`` error with the nearest listed one."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml
from conftest import REPO, SAMPLE, run_portal, run_validate
from jsonschema import Draft202012Validator


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_tag_pages_show_names(sample_site: Path) -> None:
    index = _page(sample_site, "tags")
    names = [
        html.unescape(n) for n in re.findall(r'<li><a href="[^"]+"[^>]*>([^<]+?) <span', index)
    ]
    assert names == sorted(names, key=str.casefold)  # in the order of the names
    assert "Kommunen und Kreise" in names and "Steuerung & Gremien" in names
    assert "#kommunen" not in index
    tag = _page(sample_site, "tags/governance")
    assert "<h1>Steuerung &amp; Gremien</h1>" in tag
    assert "Wer entscheidet, und nach welchen Regeln." in tag  # its description
    assert "<title>Schlagwort: Steuerung &amp; Gremien – " in tag


def test_entries_and_filters_show_names(sample_site: Path) -> None:
    event = _page(sample_site, "events/kommendes-treffen")
    assert '<a class="portal-tag" href="../../tags/kommunen/">Kommunen und Kreise</a>' in event
    events = _page(sample_site, "events")
    assert '<option value="kommunen">Kommunen und Kreise</option>' in events
    communities = _page(sample_site, "communities")
    assert '<option value="governance">Steuerung &amp; Gremien</option>' in communities


def test_search_and_structured_data_use_names(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text("utf-8"))
    texts = {d["location"]: d["text"] for d in index["docs"]}
    assert "Schlagwörter: Kommunen und Kreise" in texts["events/kommendes-treffen/"]
    event = _page(sample_site, "events/kommendes-treffen")
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', event, re.S).group(1))
    assert data["keywords"] == "Kommunen und Kreise"


def test_an_unknown_tag_is_an_error_with_the_nearest_one(project: Path) -> None:
    events = project / "data" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("tags: [kommunen]", "tags: [kommune]", 1), "utf-8")
    line = text.split("tags: [kommunen]")[0].count("\n") + 1
    result = run_validate(project)
    assert result.returncode == 1
    assert (
        f"data/events.yaml:{line}:10: events[0].tags[0]: Schlagwort 'kommune' gibt es nicht – "
        "bitte eine vorhandene Kennung verwenden (meinten Sie 'kommunen'?) oder es in "
        "data/tags.yaml ergänzen"
    ) in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_oss_portal_new_refuses_an_unknown_tag_and_keeps_the_file(project: Path) -> None:
    before = (project / "data" / "events.yaml").read_bytes()
    result = run_portal(
        project,
        "new",
        "event",
        "--no-input",
        "--title",
        "Treffen",
        "--start",
        "2026-09-01",
        "--format",
        "online",
        "--summary",
        "Ein Treffen.",
        "--tag",
        "Kommunnen",
    )
    assert result.returncode == 1
    assert "Schlagwort 'kommunnen' gibt es nicht" in result.stderr
    assert (project / "data" / "events.yaml").read_bytes() == before


def test_without_a_tag_list_any_tag_is_accepted(project: Path) -> None:
    (project / "data" / "tags.yaml").unlink()
    assert run_validate(project).returncode == 0


def test_the_tag_list_matches_its_schema() -> None:
    schema = json.loads((REPO / "schemas" / "tag.schema.json").read_text(encoding="utf-8"))
    tags = yaml.safe_load((SAMPLE / "data" / "tags.yaml").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(tags)) == []
    assert list(Draft202012Validator(schema).iter_errors([{"id": "x"}]))  # no name


def test_a_tag_listed_twice_is_an_error(project: Path) -> None:
    tags = project / "data" / "tags.yaml"
    tags.write_text(tags.read_text("utf-8") + "- id: kommunen\n  name: Noch einmal\n", "utf-8")
    result = run_validate(project)
    assert result.returncode == 1
    report = result.stdout + result.stderr
    assert "data/tags.yaml:" in report and "Kennung 'kommunen' ist doppelt" in report
