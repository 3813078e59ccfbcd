"""Legal pages: operator data from mkdocs.yml, placeholders refused by --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import SAMPLE_BUILD_DATE, build_site


def _set_legal(project: Path, **changes: object) -> None:
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    head, _, _ = text.partition("  legal:\n")
    legal = yaml.safe_load(text.partition("extra:\n")[2])["legal"]
    legal.update(changes)
    block = yaml.safe_dump({"legal": legal}, allow_unicode=True, sort_keys=False)
    config_file.write_text(
        head + "".join(f"  {line}\n" for line in block.splitlines()), encoding="utf-8"
    )


def _build(project: Path, site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site), *args],
        cwd=project,
        env={
            "OSS_PORTAL_BUILD_DATE": SAMPLE_BUILD_DATE,
            "NO_MKDOCS_2_WARNING": "1",
            "PATH": "/usr/bin:/bin",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_legal_pages_show_operator_data_and_are_linked_from_every_page(sample_site: Path) -> None:
    impressum = (sample_site / "impressum" / "index.html").read_text(encoding="utf-8")
    assert "Musterbehörde für Digitales (Beispiel)" in impressum
    assert "Beispieldaten:" in impressum  # demo: true is visible
    privacy = (sample_site / "datenschutz" / "index.html").read_text(encoding="utf-8")
    assert "https://www.bfdi.bund.de/" in privacy
    statement = (sample_site / "barrierefreiheit" / "index.html").read_text(encoding="utf-8")
    assert "barrierefreiheit@example.org" in statement and "Schlichtungsstelle" in statement
    assert (sample_site / "leichte-sprache" / "index.html").exists()
    for page in sample_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for target in ("impressum/", "datenschutz/", "barrierefreiheit/", "leichte-sprache/"):
            assert f'{target}">' in html, f"{page}: no footer link to {target}"


def test_placeholders_warn_and_strict_refuses_to_publish(project: Path, tmp_path: Path) -> None:
    _set_legal(project, operator="[Name der Behörde]", demo=False)
    site = tmp_path / "public"
    build_site(project, site, strict=False)  # a previous good site exists
    before = (site / "impressum" / "index.html").read_text(encoding="utf-8")
    result = _build(project, site, "--strict")
    assert result.returncode == 1
    assert (
        "mkdocs.yml: extra.legal.operator: '[Name der Behörde]' ist noch ein Platzhalter"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (site / "impressum" / "index.html").read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob(".site-build-*"))
    relaxed = _build(project, site)
    assert relaxed.returncode == 0 and "WARNING" in relaxed.stderr


def test_missing_legal_data_is_a_clear_error(project: Path, tmp_path: Path) -> None:
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.partition("  legal:\n")[0], encoding="utf-8")
    result = _build(project, tmp_path / "s")
    assert result.returncode == 1
    assert "extra.legal fehlt" in result.stderr and "Traceback" not in result.stderr


def test_invalid_legal_field_names_the_field(project: Path, tmp_path: Path) -> None:
    _set_legal(project, email="keine-adresse")
    result = _build(project, tmp_path / "s")
    assert result.returncode == 1
    assert "mkdocs.yml: extra.legal.email:" in result.stderr


def test_demo_data_never_goes_live(project: Path, tmp_path: Path) -> None:
    """The build that is published (the pipeline sets OSS_PORTAL_PUBLISH=1 on the default
    branch) refuses example legal data; a preview with it builds and shows the notice."""
    assert yaml.safe_load((project / "mkdocs.yml").read_text("utf-8").partition("extra:\n")[2])[
        "legal"
    ]["demo"], "the sample's legal data are example data"
    published = _build(project, tmp_path / "public", "--strict", OSS_PORTAL_PUBLISH="1")
    assert published.returncode == 1
    assert "mkdocs.yml: extra.legal.demo: true – die Rechtsseiten zeigen Beispieldaten" in (
        published.stderr
    )
    assert "Traceback" not in published.stderr
    assert not (tmp_path / "public" / "index.html").exists()

    preview = _build(project, tmp_path / "preview", OSS_PORTAL_PREVIEW="1")
    assert preview.returncode == 0, preview.stderr
    impressum = (tmp_path / "preview" / "impressum" / "index.html").read_text(encoding="utf-8")
    assert "Beispieldaten:" in impressum
    assert "mkdocs.yml" not in impressum and "extra.legal" not in impressum

    _set_legal(project, demo=False)
    live = _build(project, tmp_path / "live", "--strict", OSS_PORTAL_PUBLISH="1")
    assert live.returncode == 0, live.stderr
    assert "data-portal-demo" not in (tmp_path / "live" / "impressum" / "index.html").read_text(
        encoding="utf-8"
    )


def test_placeholders_stop_the_published_build_too(project: Path, tmp_path: Path) -> None:
    _set_legal(project, representative="[Leitung]", demo=False)
    result = _build(project, tmp_path / "public", OSS_PORTAL_PUBLISH="1")  # even without --strict
    assert result.returncode == 1
    assert "extra.legal.representative: '[Leitung]' ist noch ein Platzhalter – die Website" in (
        result.stderr
    )
