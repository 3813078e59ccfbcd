"""The generated site: every entity has its page, sections are right, links resolve."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from conftest import SAMPLE, SAMPLE_BUILD_DATE, build_site, make_project, serve_build
from oss_portal.core.loading import load_catalog
from oss_portal.core.models import BERLIN


class _Collector(HTMLParser):
    """Collects links, ids and the text of selected elements from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            value = values.get(name)
            if value and tag in ("a", "link", "script", "img"):
                self.links.append(value)
        if tag == "h1":
            self._in_h1 += 1
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 -= 1

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def page(site: Path, url: str) -> Path:
    return site / url / "index.html"


def section(html: str, name: str) -> str:
    match = re.search(rf'<section[^>]*data-section="{name}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"section {name} missing"
    return match.group(1)


def test_every_entity_has_its_page(sample_site: Path) -> None:
    catalog, errors = load_catalog(SAMPLE)
    assert errors == []
    assert catalog.communities and catalog.events and catalog.news
    for community in catalog.communities:
        assert parse(page(sample_site, f"communities/{community.id}")).h1 == [community.name]
    for event in catalog.events:
        assert parse(page(sample_site, f"events/{event.id}")).h1 == [event.title]
    for item in catalog.news:
        assert parse(page(sample_site, f"news/{item.slug}")).h1 == [item.title]
    for tag in catalog.tags:
        assert page(sample_site, f"tags/{tag}").exists()
    for index in ("communities", "events", "news", "tags"):
        assert len(parse(page(sample_site, index)).h1) == 1


def test_news_slug_with_and_without_date_prefix(sample_site: Path) -> None:
    assert page(sample_site, "news/2026-05-01-offener-aufruf").exists()
    assert page(sample_site, "news/abgelaufener-aufruf").exists()


def test_upcoming_and_past_events_for_the_build_date(sample_site: Path) -> None:
    html = page(sample_site, "events").read_text(encoding="utf-8")
    upcoming, past = section(html, "upcoming"), section(html, "past")
    order = re.findall(r'href="(?:\.\./)*events/([a-z0-9-]+)/"', upcoming)
    # The series at their next date (2 June; equal times by title), then the others.
    assert order == [
        "monatsrunde",
        "sprechstunde",
        "kommendes-treffen",
        "verschobener-workshop",
        "abgesagte-konferenz",
    ]
    past_order = re.findall(r'href="(?:\.\./)*events/([a-z0-9-]+)/"', past)
    assert past_order == ["ganztags-2025", "sommertreffen-2023", "wintertreffen-2023"]
    years = re.findall(r'<h3 id="jahr-(\d{4})">', past)
    assert years == ["2025", "2023"]
    assert "Abgesagt" in upcoming and "Verschoben" in upcoming


def test_cancelled_and_postponed_are_marked(sample_site: Path) -> None:
    cancelled = page(sample_site, "events/abgesagte-konferenz").read_text(encoding="utf-8")
    assert "Diese Veranstaltung wurde abgesagt." in cancelled
    postponed = page(sample_site, "events/verschobener-workshop").read_text(encoding="utf-8")
    assert "Diese Veranstaltung wurde verschoben." in postponed


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        ("kommendes-treffen", "Mittwoch, 8. Juli 2026, 16:00–17:30 Uhr"),
        ("wintertreffen-2023", "Mittwoch, 11. Januar 2023, 16:00–17:00 Uhr"),
        ("abgesagte-konferenz", "Dienstag, 1. September 2026 bis Mittwoch, 2. September 2026"),
        ("ganztags-2025", "Dienstag, 20. Mai 2025"),
    ],
)
def test_german_dates(sample_site: Path, event_id: str, expected: str) -> None:
    assert expected in page(sample_site, f"events/{event_id}").read_text(encoding="utf-8")


def test_registration_link_only_for_upcoming_events(sample_site: Path) -> None:
    upcoming = page(sample_site, "events/kommendes-treffen").read_text(encoding="utf-8")
    assert 'href="https://alpha.example.org/anmeldung"' in upcoming
    assert "Zur Anmeldung" in upcoming
    past = page(sample_site, "events/wintertreffen-2023").read_text(encoding="utf-8")
    assert "Zur Anmeldung" not in past
    assert 'href="https://alpha.example.org/winter"' not in past


def test_drafts_appear_nowhere(sample_site: Path) -> None:
    for path in sample_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".ics", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Geheimer Entwurf" not in text, path
            assert "2024-03-03-entwurf" not in text, path
            # The form offers the whole tag list (data/tags.yaml, public vocabulary); the
            # draft's tag gets no page, feed or mention anywhere else.
            if path.parent.name != "vorschlagen":
                assert "entwurfsthema" not in text, path
    assert not (sample_site / "news" / "2024-03-03-entwurf").exists()
    assert not (sample_site / "tags" / "entwurfsthema").exists()


def test_open_calls_and_deadlines(sample_site: Path) -> None:
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    calls = home.split('id="aufrufe"', 1)[1].split("</section>", 1)[0]
    assert "Offener Aufruf zum Mitmachen" in calls and "Frist: 30. Juni 2026" in calls
    assert "Beta-Gremium" in calls and "Bewerbung bis 30. Juni 2026" in calls
    assert "Abgelaufener Aufruf" not in calls and "Gamma-Netzwerk" not in calls
    communities = page(sample_site, "communities").read_text(encoding="utf-8")
    assert "Bewerbungsfrist abgelaufen" in communities  # gamma
    expired = page(sample_site, "news/abgelaufener-aufruf").read_text(encoding="utf-8")
    assert "Die Frist ist am 1. Februar 2025 abgelaufen." in expired


def test_community_page_lists_its_events_and_news(sample_site: Path) -> None:
    html = page(sample_site, "communities/alpha-community").read_text(encoding="utf-8")
    upcoming = html.split('id="termine"', 1)[1].split("</section>", 1)[0]
    past = html.split('id="vergangen"', 1)[1].split("</section>", 1)[0]
    assert "Kommendes Treffen" in upcoming and "Wintertreffen 2023" not in upcoming
    assert past.index("Sommertreffen 2023") < past.index("Wintertreffen 2023")
    board = page(sample_site, "communities/beta-board").read_text(encoding="utf-8")
    assert "Offener Aufruf zum Mitmachen" in board


def test_organizers_link_to_their_website_when_given(sample_site: Path) -> None:
    html = page(sample_site, "communities/alpha-community").read_text(encoding="utf-8")
    (facts,) = lxml.html.fromstring(html).xpath('//dt[.="Getragen von"]/following-sibling::dd[1]')
    assert facts.text_content() == "Stadt Alpha, Land Beta"
    assert [(a.text, a.get("href")) for a in facts.iter("a")] == [
        ("Land Beta", "https://land-beta.example")
    ]


def _resolve(site: Path, page_file: Path, link: str) -> Path | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "data:")):
        return None
    if not parts.path:
        return None
    # The 404 page links from the site root (it is served at any path).
    base = site if parts.path.startswith("/") else page_file.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_no_broken_internal_link_in_the_whole_site(sample_site: Path) -> None:
    broken = []
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) >= 20
    for html_file in pages:
        for link in parse(html_file).links:
            target = _resolve(sample_site, html_file, link)
            if target is not None and not target.exists():
                broken.append(f"{html_file.relative_to(sample_site)} -> {link}")
    assert broken == []


def test_generated_pages_in_sitemap_and_search(sample_site: Path) -> None:
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/events/kommendes-treffen/" in sitemap and "/communities/alpha-community/" in sitemap
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "events/kommendes-treffen/" in locations
    text = " ".join(
        doc["text"] for doc in index["docs"] if doc["location"].startswith("events/kommendes")
    )
    assert "Nachnutzung von Fachverfahren" in text


def test_nav_lists_only_index_pages(sample_site: Path) -> None:
    html = page(sample_site, "events/kommendes-treffen").read_text(encoding="utf-8")
    nav = re.findall(r'<a href="([^"]+)" class="md-tabs__link', html)
    assert len(nav) == 7


def test_no_request_to_another_origin_in_markup(sample_site: Path) -> None:
    for html_file in sample_site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for src in re.findall(r'<(?:script|img|link)[^>]+(?:src|href)="(https?://[^"]+)"', text):
            assert 'rel="alternate"' in text and src.startswith("https://oss-verwaltung"), src


def _run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "OSS_PORTAL_BUILD_DATE": SAMPLE_BUILD_DATE,
        "NO_MKDOCS_2_WARNING": "1",
        "PATH": "/usr/bin:/bin",
        "HOME": str(project),
    }
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_content_error_fails_build_with_the_same_messages(project: Path, tmp_path: Path) -> None:
    events = project / "data" / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace(
            'start: "2026-07-08T16:00"', 'start: "2026-13-08T16:00"'
        ),
        encoding="utf-8",
    )
    site = tmp_path / "out"
    result = _run_mkdocs(project, "--strict", "-d", str(site))
    assert result.returncode == 1
    expected = (
        "data/events.yaml:3:10: events[0].start: '2026-13-08T16:00' ist kein gültiges "
        "Datum (erwartet: JJJJ-MM-TT oder JJJJ-MM-TTThh:mm)"
    )
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    cli = subprocess.run(
        [sys.executable, "-m", "oss_portal.cli", "validate"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 1 and expected in cli.stderr
    assert not site.exists()
    assert not list(tmp_path.glob(".site-build-*"))


def test_failed_build_keeps_the_previous_site(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "public"
    build_site(project, site)
    before = (site / "index.html").read_text(encoding="utf-8")
    (project / "data" / "communities.yaml").write_text("- id: [kaputt\n", encoding="utf-8")
    result = _run_mkdocs(project, "-d", str(site))
    assert result.returncode == 1
    assert (site / "index.html").read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob(".site-build-*"))


def test_missing_site_url_is_a_clear_error(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url:.*$", "", config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    result = _run_mkdocs(project, "-d", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "site_url fehlt" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["news_per_page", "feed_limit"])
def test_page_sizes_below_one_are_a_clear_error(project: Path, tmp_path: Path, option: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert f"      {option}: " in text
    config.write_text(re.sub(rf"(?m)^(      {option}:).*$", r"\1 0", text), encoding="utf-8")
    result = _run_mkdocs(project, "-d", str(tmp_path / "s"))
    assert result.returncode == 1
    assert f"{option} muss mindestens 1 sein (ist 0)" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_date_is_berlin_time() -> None:
    from datetime import datetime

    assert datetime.fromisoformat(SAMPLE_BUILD_DATE).replace(tzinfo=BERLIN).utcoffset() is not None


def test_page_and_feed_render_contributor_markdown_alike(project: Path, tmp_path: Path) -> None:
    """One Markdown dialect everywhere: what the page shows, the feed entry shows too."""
    import feedparser

    (project / "content" / "news" / "2026-05-20-markdown.md").write_text(
        '---\ntitle: Markdown-Probe\ndate: "2026-05-20"\nsummary: Probe.\n---\n\n'
        "## Ablauf\n\n```python\nprint('hallo')\n```\n\n~~alt~~ neu\n\n"
        "| a | b |\n|---|--:|\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    site = build_site(project, tmp_path / "site")
    html = page(site, "news/2026-05-20-markdown").read_text(encoding="utf-8")
    feed = feedparser.parse((site / "atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Markdown-Probe")
    content = entry.content[0].value
    for fragment in (
        '<h2 id="ablauf">Ablauf</h2>',
        "<pre><code class=\"language-python\">print('hallo')\n</code></pre>",
        "<del>alt</del>",
        '<td align="right">2</td>',
    ):
        assert fragment in html, fragment
        assert fragment in content, fragment


def test_a_configuration_never_built_leaves_nothing_to_the_next(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs keeps one plugin instance per process: a build configuration that was loaded
    but never built must not send the next build's site into its own folder."""
    from mkdocs.config import load_config

    monkeypatch.setenv("OSS_PORTAL_BUILD_DATE", SAMPLE_BUILD_DATE)
    unused = load_config(str(project / "mkdocs.yml"))
    unused.plugins.on_startup(command="build", dirty=False)
    unused.plugins.on_config(unused)
    site = tmp_path / "served"
    serve_build(project, site)
    assert (site / "events" / "index.html").is_file()
    assert not (project / "site").exists()
    assert not list(project.glob(".site-build-*"))


def test_theme_files_copied_are_the_same_without_listing_hidden_folders(project: Path) -> None:
    """The plugin lets the theme listing skip hidden folders (Material's 14,000 icons):
    MkDocs must still pick exactly the same static theme files as without it."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files
    from mkdocs.theme import Theme

    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    assert getattr(config.theme.get_env, "_oss_portal", False)
    plain, pruned = Files([]), Files([])
    plain.add_files_from_theme(Theme.get_env(config.theme), config)  # MkDocs' own listing
    pruned.add_files_from_theme(config.theme.get_env(), config)
    assert len(plain) > 20
    assert sorted(f.src_uri for f in pruned) == sorted(f.src_uri for f in plain)
    assert sorted(f.abs_src_path for f in pruned) == sorted(f.abs_src_path for f in plain)


def test_without_upcoming_events_the_pages_say_what_to_do(tmp_path: Path) -> None:
    """After the sample's last event: home, /events/ and a community page offer the
    calendar, the communities and the form instead of an empty list. (The series without
    an end, which never runs out, is left out.)"""
    project = make_project(tmp_path / "project")
    events = project / "data" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text[: text.index("- id: monatsrunde")], encoding="utf-8")
    site = build_site(project, tmp_path / "site", build_date="2027-01-15T12:00")
    pages = {
        "index.html": "webcal://oss-verwaltung.example.org/events.ics",
        "events/index.html": "webcal://oss-verwaltung.example.org/events.ics",
        "communities/alpha-community/index.html": (
            "webcal://oss-verwaltung.example.org/communities/alpha-community/events.ics"
        ),
        "communities/gamma-netz/index.html": "webcal://oss-verwaltung.example.org/events.ics",
    }
    for path, calendar in pages.items():
        html = (site / path).read_text(encoding="utf-8")
        assert "keine Veranstaltung angekündigt" in html, path
        assert f'href="{calendar}">Kalender abonnieren</a>' in html, path
        assert "mitmachen/vorschlagen/#event" in html and ">Veranstaltung melden<" in html
    alpha = (site / "communities/alpha-community/index.html").read_text(encoding="utf-8")
    assert "Gerade ist bei Alpha-Community keine Veranstaltung angekündigt." in alpha
