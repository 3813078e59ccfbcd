"""The package's layers, checked with import-linter (contracts in pyproject.toml).

core/ imports neither outputs/, mkdocs/ nor cli/; outputs/ imports neither mkdocs/ nor
cli/; only mkdocs/ imports MkDocs or Material. The second test proves that a violating
import is caught, so the first one can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = [
    sys.executable,
    "-c",
    "from importlinter.cli import lint_imports_command; lint_imports_command()",
]


def _lint(config_dir: Path, package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [*LINT_IMPORTS, "--no-cache"],
        cwd=config_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_import_contracts_are_kept() -> None:
    result = _lint(REPO, REPO / "plugins")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout, result.stdout


def test_a_core_module_importing_mkdocs_breaks_the_contracts(tmp_path: Path) -> None:
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    package = tmp_path / "src" / "oss_portal"
    shutil.copytree(REPO / "plugins" / "oss_portal", package)
    models = package / "core" / "models.py"
    models.write_text(
        models.read_text(encoding="utf-8") + "\nfrom mkdocs.plugins import BasePlugin\n"
        "from ..outputs import pages\n",
        encoding="utf-8",
    )
    result = _lint(tmp_path, tmp_path / "src")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert "oss_portal.core.models -> mkdocs (l." in result.stdout
    assert "oss_portal.core.models -> oss_portal.outputs.pages (l." in result.stdout
