"""requirements.lock: every package pinned with hashes, everything pyproject.toml asks for
is in it, and every documented install reads it (README's two commands, .ci/run; the
pipeline's jobs are checked in test_gitlab_ci.py)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
INSTALL = (
    "pip install --require-hashes -r requirements.lock && "
    "pip install --no-deps --no-build-isolation -e ."
)


def _locked() -> dict[str, tuple[str, list[str]]]:
    """Package name -> (version, hashes)."""
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    locked = {}
    for line in text.splitlines():
        if not line or line.startswith(("#", " ")):
            continue
        requirement, *options = line.split()
        name, sep, version = requirement.partition("==")
        assert sep, f"not pinned: {line}"
        hashes = [o.removeprefix("--hash=") for o in options if o.startswith("--hash=sha256:")]
        assert hashes and len(hashes) == len(options), f"without hashes: {line[:80]}"
        locked[canonicalize_name(name)] = (version, hashes)
    return locked


def test_every_package_is_pinned_with_hashes() -> None:
    locked = _locked()
    assert len(locked) > 50
    assert "setuptools" in locked  # the project installs with --no-build-isolation


def test_the_lock_satisfies_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [
        *project["project"]["dependencies"],
        *(r for extra in project["project"]["optional-dependencies"].values() for r in extra),
        *project["build-system"]["requires"],
    ]
    locked = _locked()
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} fehlt in requirements.lock: scripts/update-lock"
        assert requirement.specifier.contains(locked[name][0]), (text, locked[name][0])


def test_readme_and_ci_install_from_the_lock() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(python3 -m venv[^\n]*)\n```", readme)
    assert len(blocks) == 2
    for command in blocks:
        assert f". .venv/bin/activate && {INSTALL} && " in command
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci_run  # .ci/run runs the README's test command
    assert [line for line in ci_run.splitlines() if "pip install" in line] == [blocks[1]]


def test_this_environment_is_the_locked_one() -> None:
    """Installed by the README's command, every locked package is here at its locked
    version (the tests run with what the site is built with)."""
    differing = {
        name: (version, _installed(name))
        for name, (version, _hashes) in _locked().items()
        if _installed(name) != version
    }
    assert differing == {}


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
