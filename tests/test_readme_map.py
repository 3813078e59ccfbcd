"""The README's module map ("Aufbau") names every module of the package and the
developer tools, so that it matches the tree."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _map() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Aufbau") :]
    return section[section.index("```text") : section.index("```\n", 8)]


def test_every_module_is_in_the_readme_map() -> None:
    listed = _map()
    missing = []
    for root in (REPO / "plugins" / "oss_portal", REPO / "devtools"):
        for module in sorted(root.rglob("*.py")):
            folder = module.parent.name + "/"
            if module.name == "__init__.py":
                continue
            if folder not in listed or not re.search(
                rf"(^|[ ,]){re.escape(module.name)}(,|\s)", listed, re.M
            ):
                missing.append(module.relative_to(REPO).as_posix())
    assert missing == []


def test_the_map_names_no_module_that_is_gone() -> None:
    names = set(re.findall(r"([a-z_]+\.py)\b", _map()))
    existing = {
        p.name for root in ("plugins/oss_portal", "devtools") for p in (REPO / root).rglob("*.py")
    }
    assert names - existing == set()
