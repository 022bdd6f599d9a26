"""`ciwhy report` against the real server (SQLite and PostgreSQL): a failed GitHub Actions job
reports its run, a JUnit file and its log; the run reads back from the analytics API with its
job, its test summary and the log's analysis."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.service.conftest import Server
from tests.service.test_ingest import LOG

JUNIT = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="cart" tests="3" failures="1">
    <testcase classname="cart" name="adds an item" time="0.01">
      <failure message="expected 2, got 1">expect(received).toBe(expected)</failure>
    </testcase>
    <testcase classname="cart" name="removes an item" time="0.01"/>
    <testcase classname="cart" name="empties" time="0.02"/>
  </testsuite>
</testsuites>
"""


def test_report_a_failed_github_job(server: Server, tmp_path: Path) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    token = server.token(tenant, "ingest", "read")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "junit.xml").write_text(JUNIT)
    (tmp_path / "build.log").write_text(LOG)
    run_id = str(uuid.uuid4().int % 10**10)
    env = {k: v for k, v in server.env.items() if not k.startswith(("GITHUB_", "GITLAB", "CI"))}
    env |= {
        "CIWHY_URL": server.url,
        "CIWHY_TOKEN": token,
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "HOME": str(tmp_path),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/report-shop",
        "GITHUB_RUN_ID": run_id,
        "GITHUB_RUN_NUMBER": "7",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_WORKFLOW": "CI",
        "GITHUB_JOB": "test",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_ACTOR": "alice",
    }
    args = ["--status", "failure", "--junit", str(tmp_path / "reports" / "*.xml")]
    out = server.cli("report", *args, "--log-file", str(tmp_path / "build.log"), "--json",
                     env=env, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert token not in out.stdout + out.stderr
    summary = json.loads(out.stdout)
    assert summary["ok"] is True
    prid = summary["run"]["pipeline_run_id"]
    assert summary["tests"][0]["answer"]["received"] == 3
    assert summary["log"]["answer"]["stored"] in (True, False)
    aid = summary["log"]["answer"].get("analysis_id")

    with server.client(token) as c:
        r = c.get(f"/api/v1/runs/{prid}")
        assert r.status_code == 200, r.text
        run = r.json()
    assert run["id"] == prid
    assert run["status"] == "failed"
    assert isinstance(run["jobs"], list) and len(run["jobs"]) == 1
    assert run["tests"]["total"] == 3 and run["tests"]["failed"] == 1
    assert isinstance(run["analyses"], list) and run["analyses"]
    if aid:
        ids = [a["id"] if isinstance(a, dict) else a for a in run["analyses"]]
        assert aid in ids


def test_hostile_environment_is_accepted(server: Server, tmp_path: Path) -> None:
    """What the CLI cuts and cleans, the server's schema takes (no 400)."""
    token = server.token(f"t-{uuid.uuid4().hex[:8]}", "ingest")
    env: dict = {k: v for k, v in server.env.items() if not k.startswith(("GITHUB_", "CI"))}
    env |= {
        "CIWHY_URL": server.url, "CIWHY_TOKEN": token, "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "acme/" + "r" * 5000, "GITHUB_RUN_ID": "9" * 500,
        "GITHUB_WORKFLOW": b"CI \xff\xfe\x01\x1b[31m", "GITHUB_JOB": "j" * 900,
        "GITHUB_ACTOR": "a" * 900, "GITHUB_EVENT_NAME": "e" * 900,
        "GITHUB_SERVER_URL": "https://github.com/" + "u" * 3000, "RUNNER_NAME": "\u00e9" * 900,
        "GITHUB_HEAD_REF": "b" * 900, "GITHUB_RUN_ATTEMPT": "123456789",
    }  # fmt: skip
    out = server.cli("report", "--status", "failure", "--json", env=env, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["run"]["pipeline_run_id"]
