"""Links where people look: every community, event and news page leads to its file on
openCoDE ("Diesen Eintrag bearbeiten", at its line), /mitmachen/ to the issue templates
and editors, and the header's repository link makes no request to another origin."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml
from conftest import REPO, SAMPLE

REPO_URL = yaml.safe_load(
    "\n".join(
        line
        for line in (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if line.startswith("repo_url:")
    )
)["repo_url"]
EDIT = re.compile(
    r'<p class="portal-edit"><a href="([^"]+)">Diesen Eintrag bearbeiten</a>(.*?)</p>'
)


def _edit_link(page: Path) -> tuple[str, str]:
    match = EDIT.search(page.read_text(encoding="utf-8"))
    assert match, page
    return match.group(1), match.group(2)


def _line_of(path: Path, entry_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line == f"- id: {entry_id}")


def test_the_project_is_the_one_in_publiccode() -> None:
    publiccode = yaml.safe_load((REPO / "publiccode.yml").read_text(encoding="utf-8"))
    assert publiccode["url"].removesuffix(".git") == REPO_URL


def test_every_entry_page_links_to_its_file_and_line(sample_site: Path) -> None:
    for kind, folder, data in (
        ("events", "events", "data/events.yaml"),
        ("communities", "communities", "data/communities.yaml"),
    ):
        entries = yaml.safe_load((SAMPLE / data).read_text(encoding="utf-8"))
        assert entries, kind
        for entry in entries:
            page = sample_site / folder / entry["id"] / "index.html"
            if not page.exists():  # an entry with errors in the sample is not published
                continue
            href, where = _edit_link(page)
            assert href == f"{REPO_URL}/-/edit/main/{data}"
            line = _line_of(SAMPLE / data, entry["id"])
            assert f'href="{REPO_URL}/-/blob/main/{data}#L{line}">Zeile {line}</a>' in where
    for news in sorted((SAMPLE / "content" / "news").glob("*.md")):
        page = sample_site / "news" / news.stem / "index.html"
        if page.exists():
            href, _where = _edit_link(page)
            assert href == f"{REPO_URL}/-/edit/main/content/news/{news.name}"


def test_contribute_links_to_templates_and_editors_that_exist(sample_site: Path) -> None:
    html = (sample_site / "mitmachen" / "index.html").read_text(encoding="utf-8")
    hrefs = [h for h in re.findall(r'href="([^"]+)"', html) if h.startswith(REPO_URL)]
    templates = [
        parse_qs(urlsplit(h).query)["issuable_template"][0] for h in hrefs if "/issues/new" in h
    ]
    assert len(templates) == 3
    for name in templates:
        assert (REPO / ".gitlab" / "issue_templates" / f"{name}.md").is_file(), name
    files = [unquote(h.split("/-/edit/main/", 1)[1]) for h in hrefs if "/-/edit/main/" in h]
    files += [unquote(h.split("/-/blob/main/", 1)[1]) for h in hrefs if "/-/blob/main/" in h]
    assert files and all((REPO / f).is_file() for f in files), files
    folders = [h.split("/-/new/main/", 1)[1] for h in hrefs if "/-/new/main/" in h]
    assert folders == ["content/news/"]
    for word in ("Issue", "Merge Request", "Repository", "YAML"):
        assert f"<dt>{word}" in html


def test_no_page_asks_the_repository_for_its_facts(sample_site: Path) -> None:
    pages = list(sample_site.rglob("*.html"))
    assert any('class="md-source"' in p.read_text(encoding="utf-8") for p in pages)
    assert not any('data-md-component="source"' in p.read_text(encoding="utf-8") for p in pages)
