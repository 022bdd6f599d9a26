"""`ciwhy report`, run as the real CLI in a constructed environment: the body it builds for each
CI vendor (--dry-run), the overrides, hostile environment values, usage errors, and the real
sending path against a small stand-in for the server's three ingest routes."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CIWHY = str(Path(sys.executable).with_name("ciwhy"))
SHA = "3f4e1a9c2b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f"
SECRET = "cwy_test_secret_value_123"
JUNIT = b"""<?xml version="1.0"?>
<testsuite name="s" tests="2"><testcase classname="a" name="ok"/>
<testcase classname="a" name="bad"><failure message="boom">trace</failure></testcase></testsuite>
"""

GITHUB = {
    "CI": "true",
    "GITHUB_ACTIONS": "true",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/shop",
    "GITHUB_RUN_ID": "9876543210",
    "GITHUB_RUN_NUMBER": "412",
    "GITHUB_RUN_ATTEMPT": "2",
    "GITHUB_WORKFLOW": "CI",
    "GITHUB_JOB": "unit-tests",
    "GITHUB_EVENT_NAME": "pull_request",
    "GITHUB_REF": "refs/pull/42/merge",
    "GITHUB_HEAD_REF": "feature/x",
    "GITHUB_SHA": SHA,
    "GITHUB_ACTOR": "alice",
    "GITHUB_TRIGGERING_ACTOR": "alice-retry",
    "RUNNER_NAME": "GitHub Actions 7",
}


def run(
    env: dict[str, Any], *args: str, tmp: Path, token: str | None = SECRET
) -> subprocess.CompletedProcess[str]:
    """The real `ciwhy report` with only ``env`` (plus PATH and a private HOME)."""
    base: dict[str, Any] = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "cfg"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "CIWHY_URL": "http://127.0.0.1:9",
    }
    if token:
        base["CIWHY_TOKEN"] = token
    return subprocess.run(
        [CIWHY, "report", *args], env=base | env, capture_output=True, text=True, timeout=60,
        cwd=tmp,
    )  # fmt: skip


def dry(env: dict[str, Any], *args: str, tmp: Path) -> tuple[dict[str, Any], str]:
    out = run(env, "--dry-run", "--json", *args, tmp=tmp)
    assert out.returncode == 0, out.stderr
    assert SECRET not in out.stdout + out.stderr
    plan = json.loads(out.stdout)
    return plan, out.stderr


def body_of(env: dict[str, Any], *args: str, tmp: Path) -> dict[str, Any]:
    plan, _ = dry(env, *args, tmp=tmp)
    req = plan["requests"][0]
    assert (req["method"], req["path"]) == ("POST", "/api/ingest/run")
    assert req["headers"]["X-API-Key"] == "<redacted>"
    return dict(req["json"])


def test_github_actions(tmp_path: Path) -> None:
    b = body_of(GITHUB, "--status", "failure", tmp=tmp_path)
    job = b.pop("jobs")
    assert len(job) == 1
    started, completed = b.pop("started_at"), b.pop("completed_at")
    assert started.endswith("Z") and completed.endswith("Z") and started <= completed
    url = "https://github.com/acme/shop/actions/runs/9876543210/attempts/2"
    assert b == {
        "provider": "github", "ci_vendor": "github_actions", "repository": "acme/shop",
        "pipeline_name": "CI", "run_id": "9876543210", "run_attempt": 2, "status": "failure",
        "triggered_by": "pull_request", "actor": "alice-retry", "branch": "feature/x",
        "run_url": url, "run_name": "412",
        "commit_sha": "3f4e1a9c2b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f", "pull_request": "42",
    }  # fmt: skip
    assert job[0] == {
        "job_id": None, "name": "unit-tests", "status": "failure", "started_at": started,
        "completed_at": completed, "runner_name": "GitHub Actions 7", "url": url,
    }  # fmt: skip


def test_github_without_status_is_running_and_warns(tmp_path: Path) -> None:
    plan, err = dry(GITHUB, tmp=tmp_path)
    assert plan["requests"][0]["json"]["status"] == "running"
    assert "--status" in err


@pytest.mark.parametrize(
    ("status", "wire"),
    [("FAILURE", "failure"), ("UNSTABLE", "failure"), ("SUCCESS", "success"), ("0", "success"),
     ("1", "failure"), ("canceled", "cancelled"), ("timed_out", "timed_out"),
     ("Succeeded", "success"), ("skipped", "skipped")],
)  # fmt: skip
def test_status_words_and_exit_codes(tmp_path: Path, status: str, wire: str) -> None:
    b = body_of(GITHUB, "--status", status, tmp=tmp_path)
    assert b["status"] == wire and b["jobs"][0]["status"] == wire


VENDORS: dict[str, tuple[dict[str, str], dict[str, Any]]] = {
    "gitlab": (
        {
            "CI": "true", "GITLAB_CI": "true", "CI_PROJECT_PATH": "grp/sub/app",
            "CI_PROJECT_URL": "https://gitlab.com/grp/sub/app", "CI_PIPELINE_ID": "555",
            "CI_PIPELINE_IID": "12", "CI_JOB_ID": "777", "CI_JOB_NAME": "rspec 1/2",
            "CI_COMMIT_REF_NAME": "main", "CI_COMMIT_SHA": SHA,
            "CI_PIPELINE_URL": "https://gitlab.com/grp/sub/app/-/pipelines/555",
            "CI_JOB_URL": "https://gitlab.com/grp/sub/app/-/jobs/777", "CI_JOB_STATUS": "failed",
            "GITLAB_USER_LOGIN": "bob", "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_MERGE_REQUEST_IID": "9", "CI_RUNNER_DESCRIPTION": "shared-1",
            "CI_PIPELINE_CREATED_AT": "2024-05-01T09:59:00Z",
            "CI_JOB_STARTED_AT": "2024-05-01T10:00:00Z",
        },
        {
            "provider": "gitlab", "ci_vendor": "gitlab", "repository": "grp/sub/app",
            "pipeline_name": "grp/sub/app", "run_id": "555", "run_attempt": 1,
            "status": "failure", "triggered_by": "merge_request_event", "actor": "bob",
            "branch": "main", "run_url": "https://gitlab.com/grp/sub/app/-/pipelines/555",
            "run_name": "12", "started_at": "2024-05-01T09:59:00Z",
            "job": {"job_id": "777", "name": "rspec 1/2", "runner_name": "shared-1",
                    "url": "https://gitlab.com/grp/sub/app/-/jobs/777",
                    "started_at": "2024-05-01T10:00:00Z"},
        },
    ),
    "jenkins": (
        {
            "JENKINS_URL": "https://ci.example.com/", "BUILD_ID": "42", "BUILD_NUMBER": "42",
            "BUILD_TAG": "jenkins-shop-main-42", "JOB_NAME": "shop/main",
            "GIT_URL": "https://github.com/acme/shop.git", "GIT_COMMIT": SHA,
            "GIT_BRANCH": "origin/main", "NODE_NAME": "agent-3", "CHANGE_AUTHOR": "ivan",
            "BUILD_URL": "https://ci.example.com/job/shop/job/main/42/",
        },
        {
            "provider": "other", "ci_vendor": "jenkins", "repository": "acme/shop",
            "pipeline_name": "shop/main", "run_id": "jenkins-shop-main-42", "run_attempt": 1,
            "status": "running", "triggered_by": "unknown", "actor": "ivan", "branch": "main",
            "run_url": "https://ci.example.com/job/shop/job/main/42/", "run_name": "42",
            "job": {"job_id": None, "name": "shop/main", "runner_name": "agent-3",
                    "url": "https://ci.example.com/job/shop/job/main/42/"},
        },
    ),
    "circleci": (
        {
            "CI": "true", "CIRCLECI": "true", "CIRCLE_PROJECT_USERNAME": "acme",
            "CIRCLE_PROJECT_REPONAME": "shop", "CIRCLE_WORKFLOW_ID": "wf-uuid",
            "CIRCLE_BUILD_NUM": "88", "CIRCLE_WORKFLOW_JOB_ID": "job-uuid", "CIRCLE_JOB": "build",
            "CIRCLE_BRANCH": "dev", "CIRCLE_SHA1": SHA, "CIRCLE_USERNAME": "carol",
            "CIRCLE_BUILD_URL": "https://circleci.com/gh/acme/shop/88",
            "CIRCLE_PULL_REQUEST": "https://github.com/acme/shop/pull/17",
        },
        {
            "provider": "circleci", "ci_vendor": "circleci", "repository": "acme/shop",
            "pipeline_name": "acme/shop", "run_id": "wf-uuid", "status": "running",
            "actor": "carol", "branch": "dev", "run_name": "88",
            "run_url": "https://app.circleci.com/pipelines/workflows/wf-uuid",
            "job": {"job_id": "job-uuid", "name": "build",
                    "url": "https://circleci.com/gh/acme/shop/88"},
        },
    ),
    "buildkite": (
        {
            "CI": "true", "BUILDKITE": "true", "BUILDKITE_ORGANIZATION_SLUG": "acme",
            "BUILDKITE_PIPELINE_SLUG": "shop", "BUILDKITE_PIPELINE_NAME": "Shop CI",
            "BUILDKITE_BUILD_ID": "build-uuid", "BUILDKITE_BUILD_NUMBER": "7",
            "BUILDKITE_JOB_ID": "job-uuid", "BUILDKITE_LABEL": ":pytest: tests",
            "BUILDKITE_BRANCH": "main", "BUILDKITE_COMMIT": "HEAD",
            "BUILDKITE_BUILD_URL": "https://buildkite.com/acme/shop/builds/7",
            "BUILDKITE_COMMAND_EXIT_STATUS": "2", "BUILDKITE_PULL_REQUEST": "false",
            "BUILDKITE_BUILD_CREATOR": "Dave", "BUILDKITE_SOURCE": "webhook",
            "BUILDKITE_AGENT_NAME": "agent-1",
        },
        {
            "provider": "other", "ci_vendor": "buildkite", "repository": "acme/shop",
            "pipeline_name": "Shop CI", "run_id": "build-uuid", "status": "failure",
            "triggered_by": "webhook", "actor": "Dave", "branch": "main", "run_name": "7",
            "run_url": "https://buildkite.com/acme/shop/builds/7",
            "job": {"job_id": "job-uuid", "name": ":pytest: tests", "runner_name": "agent-1",
                    "url": "https://buildkite.com/acme/shop/builds/7#job-uuid"},
        },
    ),
    "azure_pipelines": (
        {
            "TF_BUILD": "True", "BUILD_REPOSITORY_NAME": "acme/shop", "BUILD_BUILDID": "314",
            "BUILD_BUILDNUMBER": "20240501.3", "SYSTEM_JOBID": "jid",
            "SYSTEM_JOBDISPLAYNAME": "Run tests", "BUILD_SOURCEVERSION": SHA,
            "BUILD_SOURCEBRANCH": "refs/heads/release/1.2", "AGENT_JOBSTATUS": "Canceled",
            "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/acme/",
            "SYSTEM_TEAMPROJECT": "Shop", "BUILD_DEFINITIONNAME": "shop-ci",
            "BUILD_REQUESTEDFOR": "Frank", "BUILD_REASON": "IndividualCI",
            "SYSTEM_JOBATTEMPT": "3", "AGENT_NAME": "Hosted Agent",
            "SYSTEM_PIPELINESTARTTIME": "2024-05-01 10:00:00+00:00",
        },
        {
            "provider": "other", "ci_vendor": "azure_pipelines", "repository": "acme/shop",
            "pipeline_name": "shop-ci", "run_id": "314", "run_attempt": 3,
            "status": "cancelled", "triggered_by": "IndividualCI", "actor": "Frank",
            "branch": "release/1.2", "run_name": "20240501.3",
            "run_url": "https://dev.azure.com/acme/Shop/_build/results?buildId=314",
            "started_at": "2024-05-01T10:00:00Z",
            "job": {"job_id": "jid", "name": "Run tests", "runner_name": "Hosted Agent"},
        },
    ),
    "drone": (
        {
            "CI": "true", "DRONE": "true", "DRONE_REPO": "acme/shop", "DRONE_BUILD_NUMBER": "55",
            "DRONE_STEP_NUMBER": "3", "DRONE_STAGE_NAME": "default", "DRONE_STEP_NAME": "test",
            "DRONE_BRANCH": "main", "DRONE_COMMIT_SHA": SHA, "DRONE_BUILD_STATUS": "failure",
            "DRONE_BUILD_LINK": "https://drone.example.com/acme/shop/55",
            "DRONE_BUILD_EVENT": "push", "DRONE_COMMIT_AUTHOR": "gina",
            "DRONE_BUILD_STARTED": "1714557600",
        },
        {
            "provider": "other", "ci_vendor": "drone", "repository": "acme/shop",
            "run_id": "55", "status": "failure", "triggered_by": "push", "actor": "gina",
            "branch": "main", "started_at": "2024-05-01T10:00:00Z",
            "run_url": "https://drone.example.com/acme/shop/55",
            "job": {"job_id": "3", "name": "default/test"},
        },
    ),
    "woodpecker": (
        {
            "CI": "woodpecker", "CI_REPO": "acme/shop", "CI_PIPELINE_NUMBER": "21",
            "CI_STEP_NUMBER": "2", "CI_WORKFLOW_NAME": "build", "CI_STEP_NAME": "test",
            "CI_COMMIT_SHA": SHA, "CI_COMMIT_BRANCH": "main", "CI_PIPELINE_STATUS": "success",
            "CI_PIPELINE_URL": "https://wp.example.com/repos/1/pipeline/21",
            "CI_PIPELINE_EVENT": "pull_request", "CI_COMMIT_PULL_REQUEST": "5",
            "CI_COMMIT_AUTHOR": "hank", "CI_PIPELINE_STARTED": "1714557600",
        },
        {
            "provider": "other", "ci_vendor": "woodpecker", "repository": "acme/shop",
            "run_id": "21", "status": "success", "triggered_by": "pull_request",
            "actor": "hank", "started_at": "2024-05-01T10:00:00Z",
            "job": {"job_id": "2", "name": "build/test"},
        },
    ),
}  # fmt: skip


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_vendor_bodies(tmp_path: Path, vendor: str) -> None:
    env, expected = VENDORS[vendor]
    b = body_of(env, tmp=tmp_path)
    expected = dict(expected)
    job = expected.pop("job")
    assert {k: b[k] for k in expected} == expected
    assert len(b["jobs"]) == 1 and {k: b["jobs"][0][k] for k in job} == job
    assert b["jobs"][0]["status"] == b["status"]


def test_teamcity_reads_its_properties_files(tmp_path: Path) -> None:
    config = tmp_path / "config.properties"
    config.write_text(
        "#TeamCity config\nteamcity.serverUrl=https\\://tc.example.com\n"
        "teamcity.build.branch=main\nteamcity.build.triggeredBy.username=erin\n"
    )
    build = tmp_path / "build.properties"
    escaped = str(config).replace(":", "\\:")
    build.write_text(f"teamcity.build.id=12345\nteamcity.configuration.properties.file={escaped}\n")
    env = {
        "TEAMCITY_VERSION": "2024.03", "TEAMCITY_PROJECT_NAME": "Shop",
        "TEAMCITY_BUILDCONF_NAME": "Build", "BUILD_NUMBER": "101", "BUILD_VCS_NUMBER": SHA,
        "TEAMCITY_BUILD_PROPERTIES_FILE": str(build),
    }  # fmt: skip
    out = run(env, "--dry-run", tmp=tmp_path)  # "Shop" is no owner/repo: the server refuses it
    assert out.returncode == 2 and "--project" in out.stderr
    env["TEAMCITY_PROJECT_NAME"] = "acme/shop"
    b = body_of(env, "--status", "success", tmp=tmp_path)
    assert (b["ci_vendor"], b["repository"], b["pipeline_name"]) == (
        "teamcity",
        "acme/shop",
        "Build",
    )
    assert (b["run_id"], b["run_name"], b["status"]) == ("12345", "101", "success")
    assert (b["branch"], b["actor"]) == ("main", "erin")
    assert b["run_url"] == "https://tc.example.com/viewLog.html?buildId=12345"
    # without the files, the build number stands in for the run id
    del env["TEAMCITY_BUILD_PROPERTIES_FILE"]
    b = body_of(env, "--status", "success", tmp=tmp_path)
    assert (b["run_id"], b["run_url"], b["actor"]) == ("101", None, "unknown")


def test_overrides(tmp_path: Path) -> None:
    b = body_of(GITHUB, "--project", "other/repo", "--pipeline", "Nightly", "--run-id", "77",
                "--status", "cancelled", tmp=tmp_path)  # fmt: skip
    assert (b["repository"], b["pipeline_name"], b["run_id"]) == ("other/repo", "Nightly", "77")
    assert b["status"] == "cancelled" and b["jobs"][0]["status"] == "cancelled"


def test_outside_ci(tmp_path: Path) -> None:
    out = run({}, "--dry-run", tmp=tmp_path)
    assert out.returncode == 2 and "--project" in out.stderr and "--run-id" in out.stderr
    b = body_of({}, "--project", "a/b", "--run-id", "1", "--status", "1", tmp=tmp_path)
    assert (b["provider"], b["ci_vendor"], b["pipeline_name"]) == ("other", "other", "a/b")
    assert b["status"] == "failure" and b["actor"] == "unknown" and b["branch"] is None
    # CI=false switches detection off even inside a job
    out = run(GITHUB | {"CI": "false"}, "--dry-run", tmp=tmp_path)
    assert out.returncode == 2


def test_bad_status_is_a_usage_error(tmp_path: Path) -> None:
    out = run(GITHUB, "--dry-run", "--status", "sort-of", tmp=tmp_path)
    assert out.returncode == 2 and "--status" in out.stderr


def test_hostile_environment_is_cut_and_cleaned(tmp_path: Path) -> None:
    env: dict[str, Any] = GITHUB | {
        "GITHUB_REPOSITORY": "acme/" + "r" * 5000,
        "GITHUB_WORKFLOW": b"CI \xff\xfe\x01\x1b[31m red",
        "GITHUB_SERVER_URL": "https://github.com/" + "u" * 3000,
        "GITHUB_ACTOR": "x" * 10_000,
        "GITHUB_TRIGGERING_ACTOR": "",
        "GITHUB_HEAD_REF": "b\nranch",
        "RUNNER_NAME": "javascript:alert(1)",
        "GITHUB_RUN_ATTEMPT": "99999999999999999999",
    }
    b = body_of(env, tmp=tmp_path)
    assert len(b["repository"]) == 500 and b["repository"].startswith("acme/rrr")
    assert len(b["actor"]) == 200  # the server's limit for actors and ids
    assert b["pipeline_name"].startswith("CI \ufffd\ufffd") and "\x1b" not in b["pipeline_name"]
    assert b["branch"] == "b ranch" and b["run_attempt"] == 1
    assert b["run_url"].startswith("https://github.com/uuu") and len(b["run_url"]) == 2000
    json.dumps(b, ensure_ascii=False).encode("utf-8")  # sendable as UTF-8
    env["GITHUB_SERVER_URL"] = "javascript:alert(1)"
    assert body_of(env, tmp=tmp_path)["run_url"] is None  # not http(s): dropped


def test_files_in_the_plan(tmp_path: Path) -> None:
    for rel in ("reports/a/x.xml", "reports/b/c/y.xml", "reports/z.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(JUNIT)
    log = tmp_path / "build.log.gz"
    log.write_bytes(gzip.compress(b"error: boom\n" * 100))
    plan, err = dry(GITHUB, "--junit", "reports/**/*.xml", "--junit", "reports/a/x.xml",
                    "--junit", "nothing/*.xml", "--log-file", str(log), tmp=tmp_path)  # fmt: skip
    assert "'nothing/*.xml' matched no file" in err
    reqs = plan["requests"]
    assert [r["path"] for r in reqs] == ["/api/ingest/run"] + [
        "/ingest/tests?buildId=<pipeline_run_id>"] * 2 + [
        "/ingest/build-logs?buildId=<pipeline_run_id>"]  # fmt: skip
    assert [r["file"]["path"] for r in reqs[1:3]] == ["reports/a/x.xml", "reports/b/c/y.xml"]
    assert reqs[1]["file"]["size"] == len(JUNIT)
    assert reqs[1]["headers"] == {"Content-Type": "application/xml",
                                  "Authorization": "Bearer <redacted>"}  # fmt: skip
    assert reqs[3]["file"] == {"path": str(log), "size": log.stat().st_size, "decompressed": True}
    assert reqs[3]["headers"]["Content-Type"] == "text/plain; charset=utf-8"
    assert plan["token_from"] == "env" and SECRET not in json.dumps(plan)


def test_unreadable_files_are_usage_errors(tmp_path: Path) -> None:
    out = run(GITHUB, "--log-file", str(tmp_path / "missing.log"), tmp=tmp_path)
    assert out.returncode == 2 and "missing.log" in out.stderr
    out = run(GITHUB, "--dry-run", "--log-file", str(tmp_path), tmp=tmp_path)
    assert out.returncode == 2
    out = run(GITHUB, "--status", "failure", tmp=tmp_path, token=None)  # no token, not dry
    assert out.returncode == 2 and "CIWHY_TOKEN" in out.stderr


# --- the sending path, against a stand-in server -----------------------------------------


class Stub(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []  # noqa: RUF012 (shared on purpose, reset per test)
    run_status = 200

    def log_message(self, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding") == "chunked":
            data = b""
            while size := int(self.rfile.readline().split(b";")[0], 16):
                data += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
            return data
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _reply(self, code: int, obj: Any) -> None:
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = self._body()
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if self.path == "/api/ingest/run":
            if self.run_status != 200:
                return self._reply(self.run_status, {"error": "invalid API key"})
            return self._reply(200, {"success": True, "pipeline_run_id": "run-1"})
        if self.path.startswith("/ingest/tests?buildId=run-1"):
            if b"BAD" in body:
                return self._reply(400, {"error": "not JUnit XML", "code": "bad_junit"})
            return self._reply(200, {"buildId": "run-1", "received": body.count(b"<testcase")})
        if self.path.startswith("/ingest/build-logs?buildId=run-1"):
            return self._reply(200, {"buildId": "run-1", "stored": True, "analysis_id": "an-1"})
        return self._reply(404, {"error": "no such route"})

    def do_GET(self) -> None:
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": b""})
        self._reply(200, {"id": "an-1", "state": "analyzed", "root_cause": "boom: it broke",
                          "fix_suggestion": "fix it"})  # fmt: skip


@pytest.fixture
def stub() -> Iterator[str]:
    Stub.requests = []
    Stub.run_status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_sends_run_tests_and_log(tmp_path: Path, stub: str) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.xml").write_bytes(JUNIT)
    (tmp_path / "reports" / "b.xml").write_bytes(b"BAD")
    log_text = b"".join(b"line %d \xff ok\n" % i for i in range(100_000)) + b"error: boom\n"
    (tmp_path / "build.log.gz").write_bytes(gzip.compress(log_text))
    out = run(GITHUB, "--server", stub, "--status", "failure", "--junit", "reports/*.xml",
              "--log-file", "build.log.gz", "--json", tmp=tmp_path)  # fmt: skip
    assert out.returncode == 1, out.stderr  # b.xml was refused
    assert SECRET not in out.stdout + out.stderr
    assert f"{stub}/ingest/tests refused it: 400 not JUnit XML" in out.stderr
    sent = {r["path"].split("?")[0]: r for r in Stub.requests}
    paths = [r["path"] for r in Stub.requests]
    assert paths == ["/api/ingest/run", "/ingest/tests?buildId=run-1",
                     "/ingest/tests?buildId=run-1", "/ingest/build-logs?buildId=run-1",
                     "/api/v1/analyses/an-1"]  # fmt: skip
    run_req = sent["/api/ingest/run"]
    assert run_req["headers"]["X-API-Key"] == SECRET
    assert json.loads(run_req["body"])["status"] == "failure"
    tests = Stub.requests[1]
    assert tests["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert tests["headers"]["Content-Type"] == "application/xml" and tests["body"] == JUNIT
    log = sent["/ingest/build-logs"]
    assert log["body"] == log_text  # sent decompressed, streamed
    assert log["headers"]["Content-Type"] == "text/plain; charset=utf-8"
    summary = json.loads(out.stdout)
    assert summary["ok"] is False and summary["run"]["pipeline_run_id"] == "run-1"
    assert [t.get("answer", {}).get("received") for t in summary["tests"]] == [2, None]
    assert summary["analysis"]["root_cause"] == "boom: it broke"
    assert out.stderr.count("\n") == 1  # no progress bar in --json mode


def test_human_output_and_plain_log(tmp_path: Path, stub: str) -> None:
    (tmp_path / "build.log").write_bytes(b"error: boom\n")
    out = run(GITHUB, "--server", stub, "--status", "failure", "--log-file", "build.log",
              tmp=tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "run-1" in out.stdout and "Root cause: boom: it broke" in out.stdout
    assert Stub.requests[1]["headers"]["Content-Length"] == "12"
    quiet = run(GITHUB, "--server", stub, "--status", "success", "--log-file", "build.log",
                "--quiet", tmp=tmp_path)  # fmt: skip
    assert quiet.returncode == 0 and quiet.stdout == quiet.stderr == ""
    assert not any("analyses" in r["path"] for r in Stub.requests[3:])  # success: no wait


def test_refusals_and_unreachable_server(tmp_path: Path, stub: str) -> None:
    Stub.run_status = 401
    out = run(GITHUB, "--server", stub, "--status", "failure", tmp=tmp_path)
    assert out.returncode == 1 and f"{stub}/api/ingest/run refused it: 401" in out.stderr
    assert len(Stub.requests) == 1 and SECRET not in out.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    other = "cwy_other_" + uuid.uuid4().hex
    out = run(GITHUB, "--server", f"http://127.0.0.1:{port}", "--token", other,
              "--status", "success", tmp=tmp_path)  # fmt: skip
    assert out.returncode == 1 and f"cannot reach http://127.0.0.1:{port}" in out.stderr
    assert other not in out.stderr
