"""The Content-Security-Policy of every page (oss_portal.outputs.csp), read with lxml.

Chromium's side (no violation, a smuggled script blocked) is tests/browser/test_csp.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import make_project, serve_build
from oss_portal.outputs import csp

#: The inline scripts Material's templates write, with what varies per page (the base
#: address) cut out, by what they do. A theme update that adds or changes an inline script
#: fails :func:`test_the_theme_writes_only_known_inline_scripts` and names the script: it
#: then needs a look (does it run under the policy?) and an entry here.
KNOWN_SCRIPTS = {
    "cf17cd8f11fa1c19bb730e58b90fbeb0317e33931ad1b35ac9f74d02c0d02590": "storage helpers",
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e": "colour scheme",
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f": "anchor's tab",
}
_VARYING = re.compile(r'__md_scope=new URL\("[^"]*"')

REQUIRED = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https://gitlab.opencode.de"],
}


def _fingerprint(code: str) -> str:
    return hashlib.sha256(_VARYING.sub('__md_scope=new URL("…"', code).encode()).hexdigest()


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 25 and site / "404.html" in pages
    return pages


def _policy(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    head = tree.find("head")
    first, second = head[0], head[1]
    assert first.tag == "meta" and first.get("charset") == "utf-8"
    assert second.tag == "meta" and second.get("http-equiv") == "Content-Security-Policy"
    directives = [part.split() for part in second.get("content").split(";")]
    policy = {name: values for name, *values in directives}
    assert len(policy) == len(directives)  # no directive twice
    return policy


def _executable_scripts(tree: lxml.html.HtmlElement) -> list[str]:
    return [
        script.text or ""
        for script in tree.iter("script")
        if script.get("src") is None
        and (script.get("type") or "").lower() in ("", "text/javascript", "module")
    ]


def _hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def test_every_page_carries_the_policy_with_its_scripts_hashes(sample_site: Path) -> None:
    for page in _pages(sample_site):
        tree = lxml.html.fromstring(page.read_bytes())
        policy = _policy(tree)
        hashes = {_hash(code) for code in _executable_scripts(tree)}
        assert policy["script-src"][0] == "'self'", page
        assert hashes and set(policy["script-src"][1:]) == hashes, page
        for name, values in REQUIRED.items():
            assert policy[name] == values, (page, name)
        sources = [value for values in policy.values() for value in values]
        for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
            assert forbidden not in sources, (page, forbidden)
        assert all(not v.endswith(":") or v == "data:" for v in sources), page


def test_the_theme_writes_only_known_inline_scripts(sample_site: Path) -> None:
    unknown = {}
    for page in _pages(sample_site):
        for code in _executable_scripts(lxml.html.fromstring(page.read_bytes())):
            if _fingerprint(code) not in KNOWN_SCRIPTS:
                unknown[_fingerprint(code)] = f"{page.relative_to(sample_site)}: {code[:120]}"
    assert unknown == {}


def test_only_the_meta_element_is_new(sample_site: Path) -> None:
    page = (sample_site / "index.html").read_text(encoding="utf-8")
    element = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', page)
    assert element is not None
    assert page.index(element[0]) == page.index('<meta charset="utf-8">') + len(
        '<meta charset="utf-8">'
    )


def test_scripts_in_the_content_get_no_hash() -> None:
    theme = "var palette=1"
    smuggled = "alert(1)"
    content = f"<p>Text</p><script>{smuggled}</script>"
    page = (
        f'<html><head><meta charset="utf-8"><script>{theme}</script></head>'
        f'<body>{content}<script type="application/ld+json">{{}}</script></body></html>'
    )
    tree = lxml.html.fromstring(csp.with_policy(page, content))
    assert _policy(tree)["script-src"] == ["'self'", _hash(theme)]


def test_mkdocs_serve_allows_its_live_reload_script(tmp_path: Path) -> None:
    """The live-reload script's arguments change with every request: during ``mkdocs
    serve`` inline scripts run without hashes; everything else is as strict as built."""
    project = make_project(tmp_path / "project")
    serve_build(project, tmp_path / "site")
    tree = lxml.html.fromstring((tmp_path / "site" / "index.html").read_bytes())
    policy = _policy(tree)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    for name, values in REQUIRED.items():
        assert policy[name] == values, name


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://gitlab.opencode.de/group/project", "https://gitlab.opencode.de"),
        ("http://localhost:8080/x", "http://localhost:8080"),
        ("", ""),
        ("gitlab.opencode.de/x", ""),
    ],
)
def test_origin(url: str, expected: str) -> None:
    assert csp.origin(url) == expected
