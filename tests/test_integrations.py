"""The CI integrations (integrations/github-action, integrations/gitlab): their YAML holds
together, every input they use is declared, and the commands they run are real `ciwhy report`
invocations: each script is run with a stand-in `ciwhy` that records its arguments, which the
real command's parser must then accept."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from ciwhy.cli.main import app

ROOT = Path(__file__).parents[1] / "integrations"
ACTION = ROOT / "github-action" / "action.yml"
GITLAB = ROOT / "gitlab" / "ciwhy.gitlab-ci.yml"
#: Set by the user as CI/CD variables, read by `ciwhy report` itself.
GITLAB_USER_VARIABLES = {"CIWHY_URL", "CIWHY_TOKEN"}


def report_command() -> Any:
    """The real command, as Typer builds it (a click-style command: params, make_context)."""
    return typer.main.get_command(app).commands["report"]  # type: ignore[attr-defined]


def report_options() -> set[str]:
    return {o for p in report_command().params for o in (*p.opts, *p.secondary_opts)}


def accepts(argv: list[str]) -> None:
    """The real `ciwhy report` parser takes `argv` (it raises a usage error otherwise)."""
    assert argv[0] == "report", argv
    with report_command().make_context("report", argv[1:], resilient_parsing=False) as ctx:
        assert ctx.params is not None


def options_in(script: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", script))


def fake_ciwhy(tmp: Path) -> tuple[Path, Path]:
    """A `ciwhy` that writes its arguments, one a line, to a file; (bin dir, that file)."""
    out = tmp / "argv.txt"
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "ciwhy"
    exe.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "{out}"\n')
    exe.chmod(0o755)
    return bin_dir, out


# --- GitHub Actions -------------------------------------------------------------------------


def action() -> dict[str, Any]:
    return dict(yaml.safe_load(ACTION.read_text()))


def report_step() -> dict[str, Any]:
    [step] = [s for s in action()["runs"]["steps"] if "report" in s.get("run", "")]
    return dict(step)


def test_action_is_a_composite_action_with_its_required_keys() -> None:
    a = action()
    assert {"name", "description", "inputs", "runs"} <= set(a)
    assert a["runs"]["using"] == "composite"
    for name, spec in a["inputs"].items():
        assert spec.get("description"), name
        assert "required" in spec, name
    assert a["inputs"]["server-url"]["required"] is True
    assert a["inputs"]["token"]["required"] is True
    for step in a["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")
            # inputs reach scripts through env:, never pasted into the script's text
            assert "${{" not in step["run"], step.get("name")
        else:
            assert "uses" in step, step


def test_action_uses_exactly_the_inputs_it_declares() -> None:
    declared = set(action()["inputs"])
    used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", ACTION.read_text()))
    assert used - declared == set(), "used but not declared"
    assert declared - used == set(), "declared but never used"


def test_action_runs_only_real_report_options() -> None:
    script = report_step()["run"]
    assert '"$CIWHY_BIN" report' in script
    assert options_in(script) <= report_options(), options_in(script) - report_options()
    assert "--token" not in script  # the token goes by CIWHY_TOKEN, not the command line
    env = report_step()["env"]
    assert env["CIWHY_TOKEN"] == "${{ inputs.token }}"
    assert env["CIWHY_URL"] == "${{ inputs.server-url }}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize(
    "inputs",
    [
        {"status": "failure", "junit": "reports/**/*.xml\nmore/*.xml\n", "log-file": "b.log",
         "project": "acme/shop", "pipeline": "ci", "wait": "10"},
        {"status": "", "junit": "", "log-file": "", "project": "", "pipeline": "", "wait": "0"},
    ],
)  # fmt: skip
def test_action_report_step_runs_a_command_ciwhy_accepts(
    tmp_path: Path, inputs: dict[str, str]
) -> None:
    bin_dir, out = fake_ciwhy(tmp_path)
    step = report_step()
    env = {**os.environ, "CIWHY_BIN": str(bin_dir / "ciwhy")}
    for key, value in step["env"].items():
        m = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        assert m, (key, value)
        env[key] = inputs.get(m.group(1), action()["inputs"][m.group(1)].get("default", ""))
    r = subprocess.run(["bash", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True,
                       text=True, timeout=30)  # fmt: skip
    assert r.returncode == 0, r.stderr
    argv = out.read_text().splitlines()
    accepts(argv)
    if inputs["status"]:
        assert argv[argv.index("--status") + 1] == "failure"
        assert [argv[i + 1] for i, a in enumerate(argv) if a == "--junit"] == [
            "reports/**/*.xml", "more/*.xml"]  # fmt: skip
        assert argv[argv.index("--log-file") + 1] == "b.log"
    else:
        assert argv == ["report", "--wait", "0"]


def test_action_readme_example_passes_declared_inputs() -> None:
    text = (ROOT / "github-action" / "README.md").read_text()
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "jobs:" in b]
    steps = yaml.safe_load(block)["jobs"]["test"]["steps"]
    [step] = [s for s in steps if "github-action" in s.get("uses", "")]
    assert step["if"] == "always()"
    assert set(step["with"]) <= set(action()["inputs"])
    assert step["with"]["status"] == "${{ job.status }}"


# --- GitLab CI ------------------------------------------------------------------------------


def gitlab_job() -> dict[str, Any]:
    doc = yaml.safe_load(GITLAB.read_text())
    assert list(doc) == [".ciwhy-report"]  # one hidden job, nothing that runs by itself
    return dict(doc[".ciwhy-report"])


def test_gitlab_template_reports_from_after_script_with_the_job_status() -> None:
    job = gitlab_job()
    assert "script" not in job  # the extending job brings its own
    script = "\n".join(job["after_script"])
    assert '--status "$CI_JOB_STATUS"' in script
    args = "\n".join(line for line in script.splitlines() if "set -- " in line)  # not pip's
    assert options_in(args) <= report_options(), options_in(args) - report_options()
    used = set(re.findall(r"\$\{?(CIWHY_\w+)", script))
    assert used - GITLAB_USER_VARIABLES <= set(job["variables"]), used - set(job["variables"])
    assert set(job["variables"]) <= used, "declared but never used"


@pytest.mark.parametrize("status", ["failed", "success", "canceled"])
def test_gitlab_after_script_runs_a_command_ciwhy_accepts(tmp_path: Path, status: str) -> None:
    bin_dir, out = fake_ciwhy(tmp_path)
    job = gitlab_job()
    (tmp_path / "ciwhy-build.log").write_text("boom\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.xml").write_text("<testsuite/>")
    env = {**os.environ, **job["variables"], "CI_JOB_STATUS": status,
           "CIWHY_JUNIT": "reports/**/*.xml other/*.xml",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    for line in job["after_script"]:
        r = subprocess.run(["sh", "-c", line], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=30)  # fmt: skip
        assert r.returncode == 0, r.stderr
    argv = out.read_text().splitlines()
    accepts(argv)
    assert argv[argv.index("--status") + 1] == status
    assert argv[argv.index("--log-file") + 1] == "ciwhy-build.log"
    # the globs reach ciwhy unexpanded (its ** is recursive; the shell's is not)
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--junit"] == [
        "reports/**/*.xml", "other/*.xml"]  # fmt: skip


def test_gitlab_readme_example_extends_the_template() -> None:
    text = (ROOT / "gitlab" / "README.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)
              if "include:" in b]  # fmt: skip
    [doc] = blocks
    assert doc["test"]["extends"] == ".ciwhy-report"
    assert set(doc["test"]["variables"]) <= set(gitlab_job()["variables"])
    assert any("tee -a ciwhy-build.log" in line for line in doc["test"]["script"])
