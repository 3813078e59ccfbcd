"""The form "Eintrag vorschlagen" as the build generates it (the browser tests drive it):
fields follow the models, the embedded schema is the published one, the no-JS template is
YAML that ``oss-portal apply`` takes, and every issue template it names exists."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, run_portal, run_validate
from oss_portal.cli.entry_kinds import KINDS as CLI_KINDS
from oss_portal.core.models import Community, Event, NewsFrontMatter
from oss_portal.outputs import proposal
from oss_portal.outputs.proposal import KINDS, NOT_ASKED, Choice, proposal_forms
from oss_portal.outputs.schemas import content_schemas
from pydantic import Field

PAGE = "mitmachen/vorschlagen/index.html"
_SCRIPT = re.compile(r'<script type="application/json" id="(\w+)-schema">(.*?)</script>', re.S)
_TEXTAREA = re.compile(r'<textarea id="(\w+)-issue-description"[^>]*>(.*?)</textarea>', re.S)


def _page(site: Path) -> str:
    return (site / PAGE).read_text(encoding="utf-8")


def _field_names(fields: Any) -> list[str]:
    names = []
    for f in fields:
        names.append(f.name)
        names.extend(_field_names(f.fields))
    return names


def test_every_model_field_is_in_its_form_with_its_german_title() -> None:
    forms = {form.key: form for form in proposal_forms({}, "https://example.org/")}
    for kind in KINDS:
        schema = proposal.item_schema(kind)
        root = proposal.resolve(schema, schema.get("$defs", {}))
        expected = [name for name in root["properties"] if name not in NOT_ASKED]
        names = _field_names(forms[kind.key].fields)
        assert set(expected) <= set(names), kind.key
        model = {"event": Event, "community": Community, "news": NewsFrontMatter}[kind.key]
        for f in forms[kind.key].fields:
            if not f.extra:
                assert f.label == model.model_fields[f.name].title, f.name


def test_oss_portal_apply_takes_every_field_the_form_sends() -> None:
    for form in proposal_forms({}, "https://example.org/"):
        questions = {q.name for q in CLI_KINDS[form.key].questions}
        sent = [f.name for f in _leaves(form.fields) if not f.extra]
        assert set(sent) <= questions, form.key


def _leaves(fields: Any) -> list[Any]:
    return [leaf for f in fields for leaf in (_leaves(f.fields) if f.fields else [f])]


def test_a_new_model_field_appears_in_the_form_by_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class WithStream(Event):
        stream: str | None = Field(None, title="Livestream", description="Adresse (https://…)")

    schemas = content_schemas()
    event = WithStream.model_json_schema(mode="validation")
    defs = event.pop("$defs", {})
    schemas["event.schema.json"] = {
        **schemas["event.schema.json"],
        "$defs": {**defs, "Event": event},
    }
    monkeypatch.setattr(proposal, "content_schemas", lambda: schemas)
    form = proposal_forms({}, "https://example.org/")[0]
    stream = next(f for f in form.fields if f.name == "stream")
    assert (stream.label, stream.widget) == ("Livestream", "text")
    assert "stream: " in form.description


def test_references_offer_the_existing_entries() -> None:
    many = [Choice(f"e{i}", f"Event {i}") for i in range(proposal.MAX_CHECKBOXES + 1)]
    forms = {f.key: f for f in proposal_forms({"community": [Choice("a", "A")], "event": many}, "")}
    by_name = {f.name: f for f in forms["news"].fields}
    assert by_name["communities"].widget == "references"
    assert by_name["communities"].choices == (Choice("a", "A"),)
    assert by_name["events"].widget == "reference-list"  # too many for checkboxes
    assert by_name["tags"].widget == "slugs"  # no tag list: free tags, written as slugs
    with_tags = proposal_forms({"tag": [Choice("kommunen", "Kommunen")]}, "")
    tags = next(f for f in with_tags[0].fields if f.name == "tags")
    assert (tags.widget, tags.choices) == ("references", (Choice("kommunen", "Kommunen"),))


def test_the_page_embeds_the_published_schemas(sample_site: Path) -> None:
    page = _page(sample_site)
    embedded = {key: json.loads(text) for key, text in _SCRIPT.findall(page)}
    assert set(embedded) == {"event", "community", "news"}
    for kind in KINDS:
        published = json.loads((sample_site / "schemas" / kind.schema_file).read_text("utf-8"))
        committed = json.loads((REPO / "schemas" / kind.schema_file).read_text("utf-8"))
        assert published == committed
        schema = embedded[kind.key]
        if published.get("type") == "array":
            assert schema["$defs"] == published["$defs"]
            assert schema["$ref"] == published["items"]["$ref"]
        else:
            assert schema == published


def test_the_page_loads_only_its_own_scripts(sample_site: Path) -> None:
    page = _page(sample_site)
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert "../../assets/portal/json-schema.js" in sources
    assert "../../assets/portal/propose.js" in sources
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources)
    for name in ("json-schema.js", "propose.js"):
        script = (sample_site / "assets" / "portal" / name).read_text(encoding="utf-8")
        # CSP-friendly: nothing evaluates strings as code (issue 23 adds the policy).
        assert "eval(" not in script and "new Function" not in script, name
    # Other pages do not load them.
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "propose.js" not in home and "json-schema.js" not in home


def test_the_form_is_left_out_of_the_search_index(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text("utf-8"))
    texts = [d["text"] for d in index["docs"] if d["location"].startswith("mitmachen/vorschlagen/")]
    assert texts, "the page itself can be found"
    assert not any("$defs" in text or "bitte wählen" in text for text in texts)


def test_issue_templates_named_by_the_forms_exist_with_their_labels() -> None:
    for kind in KINDS:
        template = REPO / ".gitlab" / "issue_templates" / f"{kind.template}.md"
        text = template.read_text(encoding="utf-8")
        labels = " ".join(f'~"{label}"' for label in kind.labels)
        assert f"/label {labels}" in text, template.name


def _no_js_description(site: Path, kind: str) -> str:
    return html.unescape(dict(_TEXTAREA.findall(_page(site)))[kind])


def test_the_template_without_javascript_is_yaml_with_every_field(sample_site: Path) -> None:
    for form in proposal_forms({}, "https://example.org/"):
        text = _no_js_description(sample_site, form.key)
        block = re.search(r"```yaml\n(.*?)```", text, re.S)
        assert block, form.key
        data = yaml.safe_load(block.group(1))
        top = {f.name for f in form.fields if "." not in f.name}
        assert set(data) == top, form.key
        assert '/label ~"Vorschlag"' in text or '~"Vorschlag"' in text


@pytest.mark.parametrize(
    ("kind", "answers", "written"),
    [
        (
            "event",
            {
                "title: ": "title: Netzwerktreffen Nord",
                "start: ": "start: 2026-09-10",
                "format: ": "format: vor Ort",
                "location: ": "location: Rathaus Kiel",
                "summary: ": "summary: Austausch der Kommunen im Norden.",
                "tags: []": "tags: [Kommunen]",  # written as a German word, read as the id
            },
            ("data/events.yaml", "id: netzwerktreffen-nord-2026", "- kommunen"),
        ),
        (
            "news",
            {
                "title: ": "title: Neue Arbeitsgruppe",
                "date: ": "date: 2026-05-20",
                "summary: ": "summary: Eine Arbeitsgruppe beginnt.",
                "text: |\n": "text: |\n  Sie trifft sich monatlich.\n",
            },
            ("content/news/2026-05-20-neue-arbeitsgruppe.md", "Sie trifft sich monatlich."),
        ),
    ],
)
def test_a_filled_template_without_javascript_is_applied(
    sample_site: Path, project: Path, kind: str, answers: dict[str, str], written: tuple[str, ...]
) -> None:
    text = _no_js_description(sample_site, kind)
    for blank, filled in answers.items():
        assert f"\n{blank}" in text, blank
        text = text.replace(f"\n{blank}", f"\n{filled}", 1)
    result = run_portal(project, "apply", "-", stdin=text.replace("\n", "\r\n"))
    assert result.returncode == 0, result.stderr
    path, *snippets = written
    content = (project / path).read_text(encoding="utf-8")
    for snippet in snippets:
        assert snippet in content
    assert run_validate(project).returncode == 0
