"""The SBOM of the pipeline's job `sbom`: cyclonedx-py over this environment, as the job
runs it, validates against the CycloneDX 1.6 JSON schema and lists mkdocs-material at
its locked version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from test_lock import _locked

REPO = Path(__file__).resolve().parents[1]


def _job_arguments(output: Path) -> list[str]:
    """The arguments of the job's cyclonedx-py line: this interpreter for the job's
    .venv/bin/python, the output in a temporary folder."""
    text = (REPO / ".gitlab-ci.yml").read_text(encoding="utf-8").replace("!reference", "")
    (line,) = [line for line in yaml.safe_load(text)["sbom"]["script"] if "cyclonedx" in line]
    replaced = {
        ".venv/bin/python": sys.executable,
        "pyproject.toml": str(REPO / "pyproject.toml"),
        "reports/sbom.cdx.json": str(output),
    }
    program, *arguments = line.split()
    assert program == "cyclonedx-py"
    return [replaced.get(argument, argument) for argument in arguments]


def test_the_sbom_validates_and_names_the_locked_theme(tmp_path: Path) -> None:
    output = tmp_path / "sbom.cdx.json"
    result = subprocess.run(
        [sys.executable, "-m", "cyclonedx_py", *_job_arguments(output)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = output.read_text(encoding="utf-8")
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, error
    sbom = json.loads(text)
    assert sbom["bomFormat"] == "CycloneDX" and sbom["specVersion"] == "1.6"
    assert sbom["metadata"]["component"]["name"] == "oss-portal"
    versions = {c["name"]: c["version"] for c in sbom["components"]}
    assert versions["mkdocs-material"] == _locked()["mkdocs-material"][0]
    material = next(c for c in sbom["components"] if c["name"] == "mkdocs-material")
    assert material["purl"] == f"pkg:pypi/mkdocs-material@{versions['mkdocs-material']}"
