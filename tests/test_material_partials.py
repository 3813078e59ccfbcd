"""The Material partials copied into ``overrides/partials/`` differ from the installed
Material's own files only by the intended changes, kept in ``tests/material_partials/``.

A Material update that changes one of these partials, or an edit of a copy, fails here
with the new difference: check it, carry Material's change into the copy where it is
needed, then record the difference with ``python tests/test_material_partials.py --write``.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import material
import pytest

REPO = Path(__file__).resolve().parents[1]
OVERRIDES = REPO / "overrides" / "partials"
INTENDED = Path(__file__).resolve().parent / "material_partials"
MATERIAL = Path(material.__file__).resolve().parent / "templates" / "partials"
#: The partials that are copies of Material's (the others in overrides/ are the portal's).
COPIED = ("content", "copyright", "header", "search", "source", "tabs", "toc")


def current_diff(name: str) -> str:
    """The difference from Material's installed partial to the portal's copy."""
    original = (MATERIAL / f"{name}.html").read_text(encoding="utf-8").splitlines(keepends=True)
    copy = (OVERRIDES / f"{name}.html").read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(
            original,
            copy,
            f"material/templates/partials/{name}.html",
            f"overrides/partials/{name}.html",
        )
    )


@pytest.mark.parametrize("name", COPIED)
def test_copy_differs_from_material_only_as_intended(name: str) -> None:
    intended = (INTENDED / f"{name}.html.diff").read_text(encoding="utf-8")
    assert current_diff(name) == intended, (
        f"overrides/partials/{name}.html and Material's {name}.html differ otherwise than "
        f"recorded in tests/material_partials/{name}.html.diff"
    )


def test_every_material_partial_in_overrides_is_checked() -> None:
    """A partial that shares its name with one of Material's is a copy: it must be listed."""
    shadowing = {p.stem for p in OVERRIDES.glob("*.html") if (MATERIAL / p.name).exists()}
    assert shadowing == set(COPIED)


def test_pinned_material_is_the_version_the_copies_came_from() -> None:
    """pyproject.toml pins Material to the minor version the copies were taken from."""
    from importlib.metadata import version

    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"mkdocs-material>=9.8,<9.9"' in pyproject
    assert version("mkdocs-material").startswith("9.8.")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    INTENDED.mkdir(exist_ok=True)
    for partial in COPIED:
        (INTENDED / f"{partial}.html.diff").write_text(current_diff(partial), encoding="utf-8")
        print(f"tests/material_partials/{partial}.html.diff")
