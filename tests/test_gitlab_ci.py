""".gitlab-ci.yml: its structure, GitLab's schema, its rules, and its jobs run for real.

The jobs run with gitlab-ci-local (pinned in ``tools/ci-local/package.json``) and its
shell executor in a clean copy of the working tree (tracked and untracked files, minus
ignored ones, committed into a fresh git repository), the way a runner would check out
the branch. gitlab-ci-local also evaluates the rules, so which jobs a merge request,
a push to the default branch or the daily schedule gets is checked by GitLab's semantics
as that tool implements them, not by re-reading the YAML here.

Locally, missing npm, git or rsync skip the tests that need them; with ``CI`` set they fail.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn
from xml.etree import ElementTree

import pytest
import yaml
from conftest import snapshot

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "fixtures" / "sample"
#: The line of mkdocs.yml that marks its legal data as example data.
DEMO = "    demo: true\n"
CI_FILE = REPO / ".gitlab-ci.yml"
CI_LOCAL = REPO / "tools" / "ci-local"
GCL = CI_LOCAL / "node_modules" / ".bin" / "gitlab-ci-local"
GCL_VERSION = "4.73.0"

#: Predefined variables the tests set on purpose (gitlab-ci-local warns about them).
_IGNORED_PREDEFINED = "CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_OPEN_MERGE_REQUESTS"


def unavailable(reason: str) -> NoReturn:
    """Skip locally, fail in CI (where every tool must be there)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# ------------------------------------------------------------------------------ loading


class Reference(list[Any]):
    """A ``!reference [job, key]`` tag, kept as data."""


class _CILoader(yaml.SafeLoader):
    """PyYAML's safe loader plus GitLab's ``!reference`` tag."""


_CILoader.add_constructor(
    "!reference",
    lambda loader, node: Reference(loader.construct_sequence(node)),  # type: ignore[arg-type]
)


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    """The pipeline definition as data."""
    data: dict[str, Any] = yaml.load(CI_FILE.read_text(encoding="utf-8"), Loader=_CILoader)
    return data


def jobs(ci: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Visible jobs (no templates, no global keywords)."""
    reserved = {"stages", "workflow", "variables", "default", "include", "image", "cache"}
    return {k: v for k, v in ci.items() if not k.startswith(".") and k not in reserved}


# ------------------------------------------------------------------------------ structure


def test_stages_and_jobs(ci: dict[str, Any]) -> None:
    assert ci["stages"] == ["validate", "test", "build", "deploy"]
    stages = {name: job["stage"] for name, job in jobs(ci).items()}
    assert stages == {
        "validate": "validate",
        "reuse": "validate",
        "test": "test",
        "lint": "test",
        "build": "build",
        "preview": "build",
        "properdocs": "build",
        "sbom": "build",
        "lock-update": "build",
        "pages": "deploy",
    }


def test_validate_job_reports_content_errors_as_junit(ci: dict[str, Any]) -> None:
    job = ci["validate"]
    assert "oss-portal validate --format junit --output reports/validate.xml" in job["script"]
    assert job["artifacts"]["reports"]["junit"] == "reports/validate.xml"
    assert job["artifacts"]["when"] == "always"


def test_test_job_reports_junit(ci: dict[str, Any]) -> None:
    job = ci["test"]
    assert any(
        line.startswith("pytest") and "--junitxml=reports/pytest.xml" in line
        for line in job["script"]
    )
    assert job["artifacts"]["reports"]["junit"] == "reports/pytest.xml"
    assert job["artifacts"]["when"] == "always"


def test_build_job_keeps_the_site_for_pages(ci: dict[str, Any]) -> None:
    job = ci["build"]
    assert "mkdocs build --strict --site-dir public" in job["script"]
    assert job["artifacts"]["paths"] == ["public/"]
    assert job["needs"] == ["validate"]
    # On the default branch the build is the one that goes live: no example legal data.
    assert job["rules"][0] == {"if": "$LOCK_UPDATE", "when": "never"}
    publish = job["rules"][1]
    assert publish["if"] == "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    assert publish["variables"] == {"OSS_PORTAL_PUBLISH": "1"}
    assert any("data-portal-demo" in line for line in ci["pages"]["script"])


def test_merge_requests_get_a_preview_even_with_content_errors(ci: dict[str, Any]) -> None:
    job = ci["preview"]
    assert job["needs"] == []  # does not wait for validate
    assert job["variables"]["OSS_PORTAL_PREVIEW"] == "1"
    assert "mkdocs build --site-dir preview" in job["script"]
    assert job["artifacts"]["paths"] == ["preview/"]  # trailing slash: needed by expose_as
    assert job["artifacts"]["expose_as"] == "Vorschau der Website"


def test_properdocs_job_builds_the_same_site(ci: dict[str, Any]) -> None:
    job = ci["properdocs"]
    assert not any("pip install" in line for line in job["script"])  # it is in the lock
    assert any(
        line.startswith("properdocs build --strict --config-file mkdocs.yml")
        for line in job["script"]
    )
    assert "allow_failure" not in job


def test_pages_deploys_the_built_site_from_the_default_branch(ci: dict[str, Any]) -> None:
    job = ci["pages"]
    assert job["artifacts"]["paths"] == ["public/"]
    assert {"job": "build"} in job["needs"]
    assert {"job": "test", "optional": True} in job["needs"]
    assert job["rules"] == [
        {"if": "$LOCK_UPDATE", "when": "never"},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
    ]


def test_image_is_pinned_and_pip_downloads_are_cached(ci: dict[str, Any]) -> None:
    image = ci["default"]["image"]
    name, _, tag = image.partition(":")
    assert name == "python" and tag.startswith("3.11.") and tag.endswith("-slim-bookworm")
    assert ci["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
    assert ci["default"]["cache"]["paths"] == [".cache/pip"]


def test_workflow_prefers_merge_request_pipelines(ci: dict[str, Any]) -> None:
    rules = ci["workflow"]["rules"]
    assert rules[0] == {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}
    assert rules[1]["when"] == "never" and "$CI_OPEN_MERGE_REQUESTS" in rules[1]["if"]


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.gitlab-ci",
            "--data-transform",
            "gitlab-ci",
            # GitLab expands variables in `environment:url` ($CI_PAGES_URL); the schema's
            # "uri" format, checked once rfc3987 is installed, cannot know that.
            "--disable-formats",
            "uri",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_file_matches_gitlabs_schema(tmp_path: Path) -> None:
    result = _check_jsonschema(CI_FILE)
    assert result.returncode == 0, result.stdout + result.stderr
    # A control: the same check rejects a misspelt keyword.
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text(
        CI_FILE.read_text(encoding="utf-8").replace("expose_as:", "expose:"), encoding="utf-8"
    )
    assert _check_jsonschema(broken).returncode == 1


# ------------------------------------------------------------------------------ gitlab-ci-local


def _installed() -> bool:
    return (
        GCL.is_file()
        and json.loads(
            (CI_LOCAL / "node_modules" / "gitlab-ci-local" / "package.json").read_text()
        )["version"]
        == GCL_VERSION
    )


@pytest.fixture(scope="session")
def gitlab_ci_local() -> Path:
    """The pinned gitlab-ci-local, installed into tools/ci-local/ on first use."""
    for tool in ("git", "rsync", "node"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not found; gitlab-ci-local needs it (apt-get install {tool})")
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm not found; it installs gitlab-ci-local into tools/ci-local/")
        with open(Path(tempfile.gettempdir()) / "oss-portal-ci-local.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not _installed():
                result = subprocess.run(
                    [npm, "ci", "--no-audit", "--no-fund"],
                    cwd=CI_LOCAL,
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=600,
                )
                if result.returncode != 0 or not _installed():
                    unavailable(f"npm ci in tools/ci-local failed:\n{result.stderr[-2000:]}")
    return GCL


def _sample_content(dest: Path) -> None:
    """The pipeline runs on the tests' own content: whatever the shipped content holds (a
    merge request with errors, say), these tests measure the pipeline."""
    for folder in ("data", "content"):
        shutil.rmtree(dest / folder)
        shutil.copytree(SAMPLE / folder, dest / folder)
    # An operator's real legal data (the default branch publishes; demo data would stop it).
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert DEMO in text
    config.write_text(text.replace(DEMO, "    demo: false\n"), encoding="utf-8")


def run_gcl(
    gcl: Path, cwd: Path, *args: str, timeout: float = 1200
) -> subprocess.CompletedProcess[str]:
    """Run gitlab-ci-local in ``cwd`` with the shell executor."""
    # When this suite itself runs in a GitLab job, that job's CI_*/GITLAB_* variables must
    # not leak into the simulated pipeline.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "GITLAB_"))}
    env["GCL_IGNORE_PREDEFINED_VARS"] = _IGNORED_PREDEFINED
    return subprocess.run(
        [str(gcl), "--force-shell-executor", "--no-color", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory, gitlab_ci_local: Path) -> Path:
    """A runner-like checkout of the current working tree."""
    return snapshot(tmp_path_factory.mktemp("ci") / "repo", _sample_content)


def listed_jobs(gcl: Path, cwd: Path, *variables: str) -> dict[str, str]:
    """Job name -> ``when`` after gitlab-ci-local evaluated the rules for these variables."""
    result = run_gcl(gcl, cwd, "--list-json", "--no-json-schema-validation", *variables)
    assert result.returncode == 0, result.stderr
    return {job["name"]: job["when"] for job in json.loads(result.stdout)}


#: gitlab-ci-local's variables for a merge-request pipeline.
MERGE_REQUEST = [
    "--variable",
    "CI_PIPELINE_SOURCE=merge_request_event",
    "--unset-variable",
    "CI_COMMIT_BRANCH",
]
ALL_JOBS = {
    "validate",
    "reuse",
    "test",
    "lint",
    "build",
    "preview",
    "properdocs",
    "sbom",
    "lock-update",
    "pages",
}

PIPELINES = {
    "push to the default branch": ([], ALL_JOBS - {"preview", "lock-update"}),
    "push to another branch": (
        ["--variable", "CI_COMMIT_BRANCH=feature"],
        ALL_JOBS - {"pages", "preview", "sbom", "lock-update"},
    ),
    "merge request": (MERGE_REQUEST, ALL_JOBS - {"pages", "sbom", "lock-update"}),
    "daily schedule": (
        ["--variable", "CI_PIPELINE_SOURCE=schedule"],
        {"validate", "build", "sbom", "pages"},
    ),
    "lock update schedule": (
        ["--variable", "CI_PIPELINE_SOURCE=schedule", "--variable", "LOCK_UPDATE=1"],
        {"lock-update"},
    ),
}


@pytest.mark.parametrize(("variables", "expected"), PIPELINES.values(), ids=PIPELINES.keys())
def test_jobs_per_pipeline(
    gitlab_ci_local: Path, checkout: Path, variables: list[str], expected: set[str]
) -> None:
    when = listed_jobs(gitlab_ci_local, checkout, *variables)
    assert set(when) == ALL_JOBS
    assert {name for name, value in when.items() if value != "never"} == expected


WORKFLOW = {
    "merge request": (
        [
            "--variable",
            "CI_PIPELINE_SOURCE=merge_request_event",
            "--unset-variable",
            "CI_COMMIT_BRANCH",
        ],
        True,
    ),
    "push with an open merge request": (
        ["--variable", "CI_OPEN_MERGE_REQUESTS=gruppe/portal!1"],
        False,
    ),
    "push without merge request": ([], True),
    "schedule": (["--variable", "CI_PIPELINE_SOURCE=schedule"], True),
    "tag": (["--unset-variable", "CI_COMMIT_BRANCH", "--variable", "CI_COMMIT_TAG=v1"], False),
}


@pytest.mark.parametrize(("variables", "runs"), WORKFLOW.values(), ids=WORKFLOW.keys())
def test_one_pipeline_per_change(
    gitlab_ci_local: Path, tmp_path: Path, ci: dict[str, Any], variables: list[str], runs: bool
) -> None:
    """The workflow rules, evaluated by gitlab-ci-local as the rules of a probe job."""
    probe = {
        "stages": ["test"],
        "probe": {"stage": "test", "script": ["true"], "rules": ci["workflow"]["rules"]},
    }
    (tmp_path / ".gitlab-ci.yml").write_text(yaml.safe_dump(probe), encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    when = listed_jobs(gitlab_ci_local, tmp_path, *variables)
    assert (when["probe"] != "never") is runs


#: The two ways a job may install: the lock with its hashes, and the project without
#: dependencies (and without fetching a build environment).
LOCKED_INSTALLS = (
    "pip install --quiet --require-hashes -r requirements.lock",
    "pip install --quiet --no-deps --no-build-isolation --editable .",
)


def test_every_install_reads_the_lock(gitlab_ci_local: Path, checkout: Path) -> None:
    """No job installs a Python package past requirements.lock."""
    result = run_gcl(gitlab_ci_local, checkout, "--preview")
    assert result.returncode == 0, result.stderr
    expanded = yaml.safe_load(result.stdout)
    installs = {
        line
        for name in ALL_JOBS
        for line in [*expanded[name].get("before_script", []), *expanded[name]["script"]]
        if "pip " in line or "pip3 " in line or "uv " in line
    }
    assert installs == set(LOCKED_INSTALLS)


def test_every_job_makes_its_own_venv(gitlab_ci_local: Path, checkout: Path) -> None:
    """The shell executor ignores ``image:``; scripts must not rely on a prepared one."""
    result = run_gcl(gitlab_ci_local, checkout, "--preview")
    assert result.returncode == 0, result.stderr
    expanded = yaml.safe_load(result.stdout)
    for name in ALL_JOBS - {"pages"}:
        lines = [*expanded[name].get("before_script", []), *expanded[name]["script"]]
        venv = lines.index("python -m venv .venv")
        first_use = next(
            i
            for i, line in enumerate(lines)
            if line.startswith(
                ("pip ", "oss-portal", "mkdocs", "pytest", "reuse", "cyclonedx", "scripts/")
            )
        )
        assert venv < lines.index(". .venv/bin/activate") < first_use, name


# ------------------------------------------------------------------------------ real runs


@pytest.fixture(scope="module")
def pip_cache() -> Path:
    """A pip cache shared by every run of these tests on this machine."""
    path = Path(
        os.environ.get(
            "OSS_PORTAL_CI_PIP_CACHE", Path(tempfile.gettempdir()) / "oss-portal-ci-pip-cache"
        )
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _log(result: subprocess.CompletedProcess[str]) -> str:
    """The end of a run's output, without pip's notes about this machine's package index."""
    lines = (result.stdout + result.stderr).splitlines()
    return "\n".join(line for line in lines if "WARNING: Location" not in line)[-6000:]


@pytest.fixture(scope="module")
def pipeline_run(gitlab_ci_local: Path, checkout: Path, pip_cache: Path) -> Iterator[Path]:
    """validate, build, properdocs and pages, run for real in the checkout.

    One job at a time: with the shell executor all jobs share the checkout (and so the
    virtual environment), where a runner would give each job its own.
    """
    result = run_gcl(
        gitlab_ci_local,
        checkout,
        "--concurrency",
        "1",
        "--variable",
        f"PIP_CACHE_DIR={pip_cache}",
        "validate",
        "build",
        "properdocs",
        "sbom",
        "pages",
    )
    assert result.returncode == 0, _log(result)
    yield checkout


@pytest.mark.slow
def test_jobs_run_and_build_the_site(pipeline_run: Path) -> None:
    site = pipeline_run / "public"
    assert (site / "index.html").is_file()
    assert "<html" in (site / "index.html").read_text(encoding="utf-8").lower()
    assert (pipeline_run / "public-properdocs" / "index.html").is_file()
    assert (pipeline_run / "reports" / "sbom.cdx.json").stat().st_size > 0  # see test_sbom.py
    report = ElementTree.parse(pipeline_run / "reports" / "validate.xml").getroot()
    cases = report.findall(".//testcase")
    assert {c.get("file") for c in cases} >= {"data/communities.yaml", "data/events.yaml"}
    assert report.findall(".//failure") == []


@pytest.mark.slow
def test_broken_content_fails_validate_with_file_and_line(
    gitlab_ci_local: Path, pipeline_run: Path, pip_cache: Path
) -> None:
    events = pipeline_run / "data" / "events.yaml"
    original = events.read_text(encoding="utf-8")
    broken = original.rstrip("\n") + (
        '\n\n- id: kaputtes-treffen\n  title: Kaputtes Treffen\n  start: "2026-02-30"\n'
        "  format: online\n  summary: Ein Eintrag mit einem Datum, das es nicht gibt.\n"
    )
    line = broken.split("\n").index('  start: "2026-02-30"') + 1
    events.write_text(broken, encoding="utf-8")
    try:
        result = run_gcl(
            gitlab_ci_local, pipeline_run, "--variable", f"PIP_CACHE_DIR={pip_cache}", "validate"
        )
        preview = run_gcl(
            gitlab_ci_local,
            pipeline_run,
            "--variable",
            f"PIP_CACHE_DIR={pip_cache}",
            *MERGE_REQUEST,
            "preview",
        )
    finally:
        events.write_text(original, encoding="utf-8")
    # The merge request still gets its preview: the valid entries, the error marked.
    assert preview.returncode == 0, _log(preview)
    home = (pipeline_run / "preview" / "index.html").read_text(encoding="utf-8")
    assert "Vorschau mit 1 Fehler im Inhalt." in home
    assert f"data/events.yaml:{line}:10: " in home
    assert (pipeline_run / "preview" / "events" / "kommendes-treffen" / "index.html").is_file()
    assert 'href="communities/index.html"' in home  # works from the downloaded archive
    assert result.returncode != 0, _log(result)
    report = ElementTree.parse(pipeline_run / "reports" / "validate.xml").getroot()
    failing = [c for c in report.findall(".//testcase") if c.find("failure") is not None]
    assert [c.get("file") for c in failing] == ["data/events.yaml"]
    failure = failing[0].find("failure")
    assert failure is not None
    assert f"data/events.yaml:{line}:10: " in (failure.get("message") or "")
    assert f"data/events.yaml:{line}:10: " in (failure.text or "")
    assert "'2026-02-30' ist kein gültiges Datum" in (failure.text or "")


@pytest.mark.slow
def test_demo_legal_data_stop_the_build_on_the_default_branch(
    gitlab_ci_local: Path, pipeline_run: Path, pip_cache: Path
) -> None:
    config = pipeline_run / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("    demo: false\n", DEMO), encoding="utf-8")
    try:
        result = run_gcl(
            gitlab_ci_local, pipeline_run, "--variable", f"PIP_CACHE_DIR={pip_cache}", "build"
        )
    finally:
        config.write_text(original, encoding="utf-8")
    assert result.returncode != 0, _log(result)
    assert "extra.legal.demo: true – die Rechtsseiten zeigen Beispieldaten" in _log(result)
