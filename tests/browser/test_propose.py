"""The form "Eintrag vorschlagen" in Chromium: with JavaScript (fields checked against the
schema, YAML shown, the new-issue address on openCoDE, an entry ``oss-portal apply`` and
``validate`` accept), without JavaScript (the YAML template sent as it is), answers kept
across a reload, and accessible (axe) in both colour schemes and on a phone."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REPO, build_site, make_project, run_portal, run_validate

from .conftest import (
    ensure_node_tools,
    format_axe_violations,
    open_page,
    run_axe,
    serve_directory,
    settle,
)

pytestmark = pytest.mark.browser

PAGE = "mitmachen/vorschlagen/"
REPO_URL = "https://gitlab.opencode.de/open-source-portal/oss-portal"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("propose")
    return build_site(make_project(tmp / "project"), tmp / "site")


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    with serve_directory(site) as base:
        yield base + PAGE


class Issues:
    """New-issue addresses the page navigates to (answered here; nothing leaves)."""

    def __init__(self, page: Any) -> None:
        self.seen: list[str] = []
        page.route(f"{REPO_URL}/**", self._answer)

    def _answer(self, route: Any) -> None:
        self.seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>openCoDE</title>")

    def last(self) -> tuple[str, dict[str, str]]:
        assert self.seen, "no issue was opened"
        parts = urlsplit(self.seen[-1])
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        return f"{parts.scheme}://{parts.netloc}{parts.path}", query


def _errors(page: Any, kind: str) -> list[str]:
    return [
        text.strip()
        for text in page.locator(f"#{kind} .portal-form__error:not([hidden])").all_inner_texts()
    ]


def test_an_event_from_the_form_becomes_a_valid_entry(
    browser: Any, url: str, tmp_path: Path
) -> None:
    page, foreign, errors = open_page(browser, url + "#event")
    issues = Issues(page)
    try:
        assert page.locator("#event-title").is_visible()
        assert not page.locator("#event-issue-description").is_visible()
        assert page.locator("#community").is_hidden()  # one kind at a time

        page.click("#event button[type=submit]")
        summary = page.locator("#event [data-propose-summary]")
        assert summary.is_visible()
        assert page.evaluate("document.activeElement.hasAttribute('data-propose-summary')")
        text = summary.inner_text()
        for label in ("Titel", "Beginn", "Format", "Kurzbeschreibung"):
            assert f"{label}: Bitte ausfüllen" in text, text
        assert "Kennung" not in text  # derived from the title
        assert not issues.seen

        page.fill("#event-title", "Open-Source-Treffen „Kommunen“: Praxis")
        page.fill("#event-start input[data-part=date]", "2026-09-10")
        page.fill("#event-start input[data-part=time]", "10:00")
        page.select_option("#event-format", "onsite")
        page.fill("#event-registration", "anmeldung@amt.example")
        page.check("#event-communities input[value=alpha-community]")
        page.fill("#event-organizers", "Stadt Dortmund\nLand Berlin")
        page.fill("#event-summary", "Kommunen zeigen, was sie mit Open Source betreiben.")
        page.check("#event-tags input[value=kommunen]")  # the tag list offers its names
        assert "Kommunen und Kreise" in page.inner_text("#event-tags")
        page.fill("#event-recording", "keine adresse")
        page.click("#event button[type=submit]")
        assert _errors(page, "event") == [
            "Bitte ausfüllen – diese Angabe ist Pflicht.",  # Ort, bei „Vor Ort“
            "Bitte eine vollständige Webadresse angeben, beginnend mit https://",
        ]
        assert page.get_attribute("#event-location", "aria-invalid") == "true"
        page.fill("#event-recording", "")
        page.fill("#event-location", "Rathaus Dortmund, Friedensplatz 1")
        assert _errors(page, "event") == []

        shown = page.inner_text("#event [data-propose-yaml]")
        assert shown.startswith("id: open-source-treffen-kommunen-praxis-2026\n")
        assert "registration: mailto:anmeldung@amt.example" in shown
        assert "tags:\n  - kommunen" in shown

        page.click("#event button[type=submit]")
        page.wait_for_url(f"{REPO_URL}/**")
        address, query = issues.last()
        assert address == f"{REPO_URL}/-/issues/new"
        assert query["issuable_template"] == "Formular Veranstaltung"
        assert query["issue[title]"] == "Veranstaltung: Open-Source-Treffen „Kommunen“: Praxis"
        description = query["issue[description]"].replace("\r\n", "\n")
        assert f"```yaml\n{shown}\n```" in description
        assert '/label ~"Inhalt::Veranstaltung" ~"Vorschlag"' in description
        assert foreign == issues.seen  # nothing else left the page
        assert errors == []
    finally:
        page.context.close()

    project = make_project(tmp_path / "project")
    result = run_portal(project, "apply", "-", stdin=description)
    assert result.returncode == 0, result.stderr
    assert "Veranstaltung angelegt: data/events.yaml:" in result.stdout
    events = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    assert "- id: open-source-treffen-kommunen-praxis-2026" in events
    assert 'location: "Rathaus Dortmund, Friedensplatz 1"' in events
    assert run_validate(project).returncode == 0


@pytest.mark.parametrize(
    ("kind", "fill", "written"),
    [
        (
            "community",
            {
                "#community-name": "Netzwerk Offene Kommunen Nord",
                "#community-kind": ("select", "network"),
                "#community-level": ("select", "kommune"),
                "#community-summary": "Kommunen im Norden teilen Open-Source-Erfahrungen.",
                "#community-contact-email": "netzwerk@kommune.example",
            },
            "data/communities.yaml",
        ),
        (
            "news",
            {
                "#news-title": "Neue Arbeitsgruppe gegründet",
                "#news-summary": "Eine Arbeitsgruppe zu Fachverfahren beginnt.",
                "#news-text": "Sie trifft sich monatlich.\n\nMitmachen ist erwünscht.",
            },
            "content/news/",
        ),
    ],
)
def test_communities_and_news_from_the_form_are_accepted(
    browser: Any,
    url: str,
    tmp_path: Path,
    kind: str,
    fill: dict[str, Any],
    written: str,
) -> None:
    page, _foreign, errors = open_page(browser, f"{url}#{kind}")
    issues = Issues(page)
    try:
        for selector, value in fill.items():
            if isinstance(value, tuple):
                page.select_option(selector, value[1])
            else:
                page.fill(selector, value)
        page.click(f"#{kind} button[type=submit]")
        page.wait_for_url(f"{REPO_URL}/**")
        _address, query = issues.last()
        assert errors == []
    finally:
        page.context.close()
    project = make_project(tmp_path / "project")
    result = run_portal(project, "apply", "-", stdin=query["issue[description]"])
    assert result.returncode == 0, result.stderr
    assert written in result.stdout
    assert run_validate(project).returncode == 0


def test_without_javascript_the_template_is_sent(browser: Any, url: str, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    issues = Issues(page)
    try:
        page.goto(url)
        assert page.locator("#community-issue-description").is_visible()
        assert not page.locator("#community-name").is_visible()
        text = page.input_value("#community-issue-description")
        for blank, filled in {
            "name: ": "name: Runder Tisch Open Source",
            "kind: ": "kind: Gremium",
            "level: ": "level: Land",
            "summary: ": "summary: Ein Gremium des Landes zu Open Source.",
        }.items():
            assert f"\n{blank}\n" in text, blank
            text = text.replace(f"\n{blank}\n", f"\n{filled}\n", 1)
        page.fill("#community-issue-description", text)
        page.fill("#community-issue-title", "Community: Runder Tisch Open Source")
        page.click("#community button[type=submit]")
        page.wait_for_url(f"{REPO_URL}/**")
        address, query = issues.last()
    finally:
        context.close()
    assert address == f"{REPO_URL}/-/issues/new"
    assert query["issuable_template"] == "Formular Community"
    assert query["issue[title]"] == "Community: Runder Tisch Open Source"
    project = make_project(tmp_path / "project")
    result = run_portal(project, "apply", "-", stdin=query["issue[description]"])
    assert result.returncode == 0, result.stderr
    communities = (project / "data" / "communities.yaml").read_text(encoding="utf-8")
    assert "- id: runder-tisch-open-source" in communities
    assert "kind: board" in communities and "level: land" in communities


def test_answers_are_kept_until_discarded(browser: Any, url: str) -> None:
    page, _foreign, errors = open_page(browser, url + "#news")
    try:
        page.fill("#news-title", "Entwurf, der bleibt")
        page.reload()
        assert page.input_value("#news-title") == "Entwurf, der bleibt"
        assert "wiederhergestellt" in page.inner_text("#news [data-propose-status]")
        page.click("#news [data-propose-reset]")
        page.reload()
        assert page.input_value("#news-title") == ""
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 360)])
def test_the_form_with_errors_passes_axe(browser: Any, url: str, scheme: str, width: int) -> None:
    page, foreign, _errors = open_page(browser, url + "#event", color_scheme=scheme, width=width)
    try:
        page.fill("#event-title", "x" * 201)
        page.click("#event button[type=submit]")
        summary = page.inner_text("#event [data-propose-summary]")
        assert "höchstens 200 Zeichen, jetzt sind es 201" in summary
        settle(page)
        violations = run_axe(page)
        assert violations == [], format_axe_violations(violations, url=page.url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px wider than the screen at {width}px"
        assert foreign == []
    finally:
        page.context.close()


def test_the_bundled_validator_is_the_pinned_version() -> None:
    ensure_node_tools()
    result = subprocess.run(
        [str(REPO / "scripts" / "vendor-js"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"is current \(@cfworker/json-schema \d+\.\d+\.\d+\)", result.stdout)
