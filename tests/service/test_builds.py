"""BuildButler-shaped ingest over real HTTP on SQLite and PostgreSQL: builds (upserts, also
under concurrent posts), stages, tests (JSON and JUnit XML), agents, build logs, security
reports; hostile inputs answered with a clear 4xx and nothing stored."""

from __future__ import annotations

import gzip
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import Server, wait_analysed

FIXTURES = Path(__file__).parents[1] / "fixtures"
FAILED_LOG = (
    "Started by user admin\n[Pipeline] sh\n+ pip install -r requirements.txt\n"
    "ERROR: Could not find a version that satisfies the requirement leftpad==9.9.9\n"
    "ERROR: No matching distribution found for leftpad==9.9.9\n"
    "export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
    "Finished: FAILURE\n"
)


def build(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "jobName": "acme/api/main", "buildNumber": 41, "status": "failure",
        "duration": 93_000, "startedAt": "2026-11-20T10:00:00Z",
        "completedAt": "2026-11-20T10:01:33Z", "jenkinsInstanceId": "jenkins-1",
    }  # fmt: skip
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def tenant(server: Server) -> tuple[httpx.Client, httpx.Client]:
    name = f"b-{uuid.uuid4().hex[:8]}"
    return (server.client(server.token(name, "ingest")),
            server.client(server.token(name, "read")))  # fmt: skip


def new_build(ing: httpx.Client, **extra: object) -> str:
    r = ing.post("/ingest/builds", json=build(externalRunId=uuid.uuid4().hex, **extra))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_build_is_created_then_updated_in_place(tenant) -> None:
    ing, rd = tenant
    ext = uuid.uuid4().hex
    r1 = ing.post("/ingest/builds", json=build(status="in_progress", externalRunId=ext,
                                                completedAt=None, duration=None))  # fmt: skip
    assert r1.status_code == 201, r1.text
    b = r1.json()
    assert uuid.UUID(b["id"]) and b["status"] == "in_progress" and b["externalRunId"] == ext
    assert b["completedAt"] is None
    r2 = ing.post("/ingest/builds", json=build(externalRunId=ext, branch="main", cause="push"))
    assert r2.status_code == 200 and r2.json()["id"] == b["id"]
    assert r2.json()["status"] == "failure" and r2.json()["duration"] == 93_000
    run = rd.get(f"/api/v1/runs/{b['id']}").json()
    assert run["status"] == "failed" and run["vendor_status"] == "failure"
    assert run["branch"] == "main" and run["trigger"] == "push"
    assert run["started_at"].startswith("2026-11-20T10:00:00")
    # A late "in_progress" (out of order) does not turn a finished build back.
    r3 = ing.post("/ingest/builds", json=build(status="in_progress", externalRunId=ext))
    assert r3.json()["id"] == b["id"]
    assert rd.get(f"/api/v1/runs/{b['id']}").json()["status"] == "failed"
    listed = rd.get("/api/v1/runs", params={"pipeline": "acme/api/main"}).json()["items"]
    assert [i["id"] for i in listed].count(b["id"]) == 1


def test_concurrent_posts_of_one_build_make_one_build(tenant) -> None:
    ing, _ = tenant
    ext = uuid.uuid4().hex

    def post(k: int) -> tuple[int, str]:
        with httpx.Client(base_url=str(ing.base_url), headers=ing.headers, timeout=30) as c:
            r = c.post("/ingest/builds", json=build(externalRunId=ext, buildNumber=k % 3))
            return r.status_code, r.json()["id"]

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(post, range(48)))
    assert {s for s, _ in results} <= {200, 201}
    assert len({i for _, i in results}) == 1
    assert sum(s == 201 for s, _ in results) == 1


def test_without_external_id_the_jenkins_key_upserts(tenant) -> None:
    ing, _ = tenant
    job = f"solo-{uuid.uuid4().hex[:6]}"
    a = ing.post("/ingest/builds", json=build(jobName=job, buildNumber=7))
    b = ing.post("/ingest/builds", json=build(jobName=job, buildNumber="7"))
    c = ing.post("/ingest/builds", json=build(jobName=job, buildNumber=8))
    assert (a.status_code, b.status_code, c.status_code) == (201, 200, 201)
    assert a.json()["id"] == b.json()["id"] != c.json()["id"]


@pytest.mark.parametrize(("given", "expected"), [
    ("2026-11-20T10:00:00Z", "2026-11-20T10:00:00+00:00"),
    ("2026-11-20T11:00:00+01:00", "2026-11-20T10:00:00+00:00"),
    ("2026-11-20T10:00:00.250Z", "2026-11-20T10:00:00.250000+00:00"),
    ("2026-11-20 10:00:00 UTC", "2026-11-20T10:00:00+00:00"),
    ("20261120T110000+0100", "2026-11-20T10:00:00+00:00"),
    (1795168800000, "2026-11-20T10:00:00+00:00"),
    (1795168800, "2026-11-20T10:00:00+00:00"),
    ("1795168800000", "2026-11-20T10:00:00+00:00"),
])  # fmt: skip
def test_timestamps_in_every_documented_format(tenant, given, expected) -> None:
    ing, rd = tenant
    bid = new_build(ing, startedAt=given, completedAt=None, status="in_progress")
    assert rd.get(f"/api/v1/runs/{bid}").json()["started_at"] == expected


@pytest.mark.parametrize(("body", "fields"), [
    ({"jobName": "x"}, {"buildNumber", "status", "duration", "startedAt", "completedAt",
                        "jenkinsInstanceId"}),
    (build(status="exploded"), {"status"}),
    (build(duration="93s"), {"duration"}),
    (build(duration=-1), {"duration"}),
    (build(startedAt="yesterday"), {"startedAt"}),
    (build(startedAt=True), {"startedAt"}),
    (build(jobName=""), {"jobName"}),
    (build(jobName="j" * 501), {"jobName"}),
    (build(buildNumber=None), {"buildNumber"}),
    (build(completedAt="2026-11-20T09:00:00Z"), {"body"}),
])  # fmt: skip
def test_bad_builds_are_refused_naming_fields(tenant, body, fields) -> None:
    ing, rd = tenant
    before = len(rd.get("/api/v1/runs", params={"limit": 500}).json()["items"])
    r = ing.post("/ingest/builds", json=body)
    assert r.status_code == 400, r.text
    got = {d["field"].split(".")[0] for d in r.json()["details"] or [{"field": "body"}]}
    assert fields <= got | {"body"} and r.json()["error"]
    assert len(rd.get("/api/v1/runs", params={"limit": 500}).json()["items"]) == before


@pytest.mark.parametrize("raw", [b"", b"[]", b"{", b"\xff\xfe\x00junk", b'"string"'])
def test_malformed_bodies(tenant, raw) -> None:
    ing, _ = tenant
    r = ing.post("/ingest/builds", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] in ("invalid_json", "invalid_request")


def test_auth_with_x_api_key_and_scope(server: Server, tenant) -> None:
    _, rd = tenant
    name = f"k-{uuid.uuid4().hex[:6]}"
    key = server.token(name, "ingest")
    r = httpx.post(server.url + "/ingest/builds", json=build(), headers={"X-API-Key": key})
    assert r.status_code == 201
    theirs = r.json()["id"]
    assert httpx.post(server.url + "/ingest/builds", json=build()).status_code == 401
    read_only = server.token(name, "read")
    r = httpx.post(server.url + "/ingest/builds", json=build(),
                   headers={"Authorization": f"Bearer {read_only}"})  # fmt: skip
    assert r.status_code == 403
    # Tenants are apart: another tenant's build is unknown.
    assert rd.get(f"/api/v1/runs/{theirs}").status_code == 404


def test_stages(tenant) -> None:
    ing, rd = tenant
    bid = new_build(ing)
    stages = [{"stageName": "Checkout", "stageOrder": 1, "status": "success", "duration": 900},
              {"stageName": "Test", "stageOrder": 2, "status": "failure", "duration": 80_000},
              {"stageName": "Deploy", "stageOrder": 3, "status": "skipped"}]  # fmt: skip
    r = ing.post("/ingest/pipeline-stages", json={"buildId": bid, "stages": stages})
    assert r.status_code == 200 and r.json()["received"] == 3
    got = rd.get(f"/api/v1/runs/{bid}").json()["stages"]
    assert [(s["name"], s["order"], s["status"]) for s in got] == [
        ("Checkout", 1, "success"),
        ("Test", 2, "failed"),
        ("Deploy", 3, "skipped"),
    ]
    bad = ing.post("/ingest/pipeline-stages", json={"buildId": str(uuid.uuid4()), "stages": stages})
    assert bad.status_code == 404
    bad = ing.post(
        "/ingest/pipeline-stages",
        json={
            "buildId": bid,
            "stages": [
                {"stageName": "X", "stageOrder": 4, "status": "success"},
                {"stageName": "Y"},
            ],
        },
    )
    assert bad.status_code == 400
    assert len(rd.get(f"/api/v1/runs/{bid}").json()["stages"]) == 3  # nothing half-stored


def test_tests_as_json(tenant) -> None:
    ing, rd = tenant
    bid = new_build(ing)
    tests = [
        {
            "suite": "api",
            "classname": "tests.test_api",
            "name": f"test_{k}",
            "status": "passed",
            "duration": 12,
        }
        for k in range(20)
    ]
    tests.append(
        {
            "classname": "tests.test_api",
            "name": "test_login",
            "status": "failed",
            "duration": 40,
            "message": "AssertionError: 401 != 200\n  at line 3",
        }
    )
    r = ing.post("/ingest/tests", json={"buildId": bid, "tests": tests})
    assert r.status_code == 200 and r.json()["received"] == 21
    summary = rd.get(f"/api/v1/runs/{bid}").json()["tests"]
    assert (summary["total"], summary["passed"], summary["failed"]) == (21, 20, 1)
    assert summary["failing"][0]["message"] == "AssertionError: 401 != 200"
    # Sent again: replaced, not doubled.
    ing.post("/ingest/tests", json={"buildId": bid, "tests": tests})
    assert rd.get(f"/api/v1/runs/{bid}").json()["tests"]["total"] == 21
    bad = ing.post(
        "/ingest/tests", json={"buildId": bid, "tests": [{"name": "t", "status": "meh"}]}
    )
    assert bad.status_code == 400 and "tests.0.status" in bad.text


@pytest.mark.parametrize(
    "path",
    [
        "pytest.xml",
        "jest-junit.xml",
        "go-junit-report.xml",
        "gotestsum.xml",
        "phpunit.xml",
        "pytest_xunit1.xml",
    ],
)
def test_tests_as_junit_xml(tenant, path) -> None:
    ing, rd = tenant
    bid = new_build(ing)
    data = (FIXTURES / "junit" / path).read_bytes()
    r = ing.post("/ingest/tests", params={"buildId": bid}, content=data,
                 headers={"Content-Type": "application/xml"})  # fmt: skip
    assert r.status_code == 200, r.text
    n = r.json()["received"]
    assert n > 0
    summary = rd.get(f"/api/v1/runs/{bid}").json()["tests"]
    assert summary["total"] == n
    assert summary["failed"] + summary["error"] > 0


def test_surefire_reports(tenant) -> None:
    ing, rd = tenant
    bid = new_build(ing)
    for f in sorted((FIXTURES / "junit" / "surefire").glob("*.xml")):
        r = ing.post("/ingest/tests", params={"buildId": bid}, content=f.read_bytes(),
                     headers={"Content-Type": "text/xml"})  # fmt: skip
        assert r.status_code == 200, r.text
    assert rd.get(f"/api/v1/runs/{bid}").json()["tests"]["flaky"] >= 1


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<testsuite name="x"><testcase name="&lol3;"/></testsuite>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<testsuite name="x"><testcase name="&x;"/></testsuite>"""


@pytest.mark.parametrize(("data", "status"), [
    (BOMB, 400), (XXE, 400), (b"<testsuite name='x'><testcase", 400), (b"", 400),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", 400), (b"<html><body>hi</body></html>", 400),
])  # fmt: skip
def test_hostile_junit(tenant, data, status) -> None:
    ing, rd = tenant
    bid = new_build(ing)
    r = ing.post("/ingest/tests", params={"buildId": bid}, content=data,
                 headers={"Content-Type": "application/xml"})  # fmt: skip
    assert r.status_code == status, r.text
    assert r.json()["code"].startswith("junit_")
    assert rd.get(f"/api/v1/runs/{bid}").json()["tests"]["total"] == 0
    no_id = ing.post("/ingest/tests", content=b"<testsuite/>",
                     headers={"Content-Type": "application/xml"})  # fmt: skip
    assert no_id.status_code == 400


def test_100_mb_body_is_refused_early(tenant) -> None:
    ing, _ = tenant
    bid = new_build(ing)

    def chunks():
        block = b"<testcase name='x'/>" * 50_000
        for _ in range(100 * 1024 * 1024 // len(block) + 1):
            yield block

    r = ing.post("/ingest/tests", params={"buildId": bid}, content=chunks(),
                 headers={"Content-Type": "application/xml"})  # fmt: skip
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    big = ing.post("/ingest/builds", content=b" " * (6 << 20),
                   headers={"Content-Type": "application/json"})  # fmt: skip
    assert big.status_code == 413


def test_agents(tenant) -> None:
    ing, rd = tenant
    body = {
        "jenkinsInstanceId": "jenkins-1",
        "agents": [
            {
                "name": "linux-1",
                "state": "busy",
                "labels": ["linux", "docker"],
                "executors": 2,
                "busyExecutors": 2,
                "currentBuild": "acme/api/main #41",
            },
            {"name": "linux-2", "state": "idle", "labels": ["linux"]},
            {"name": "mac-1", "state": "offline"},
        ],
        "queue": [
            {"jobName": "acme/web", "waitMs": 60_000},
            {"jobName": "acme/api", "waitMs": 120_000, "reason": "Waiting for linux"},
        ],
    }
    r = ing.post("/ingest/agents", json=body)
    assert r.status_code == 200 and r.json() == {"agents": 3, "queued": 2}
    got = rd.get("/api/v1/agents").json()
    assert got["states"] == {"busy": 1, "idle": 1, "offline": 1}
    by = {a["name"]: a for a in got["agents"]}
    assert by["linux-1"]["labels"] == ["linux", "docker"] and by["linux-1"]["utilisation"] == 1.0
    assert by["linux-2"]["utilisation"] == 0.0 and by["mac-1"]["utilisation"] is None
    assert got["queue"]["waiting_now"] == 2
    assert got["queue"]["wait_ms"] == {"p50": 60_000.0, "p90": 120_000.0}
    bad = ing.post("/ingest/agents", json={"agents": [{"name": "x", "state": "asleep"}]})
    assert bad.status_code == 400 and "agents.0.state" in bad.text


def test_build_log_of_a_failed_build_is_kept_redacted_and_analysed(server: Server, tenant):
    ing, rd = tenant
    bid = new_build(ing)
    r = ing.post("/ingest/build-logs", params={"buildId": bid}, content=FAILED_LOG.encode(),
                 headers={"Content-Type": "text/plain"})  # fmt: skip
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["stored"] is True and out["lines"] == 7 and out["analysis_id"]
    a = wait_analysed(rd, out["analysis_id"])
    assert "leftpad" in a["root_cause"]
    run = rd.get(f"/api/v1/runs/{bid}").json()
    assert [x["id"] for x in run["analyses"]] == [out["analysis_id"]]
    assert run["log"]["lines"] == 7
    text = rd.get(f"/api/v1/runs/{bid}/log").text
    assert "Finished: FAILURE" in text and "ghp_abcdefghij" not in text
    part = rd.get(f"/api/v1/runs/{bid}/log", headers={"Range": "bytes=0-6"})
    assert part.status_code == 206 and part.text == "Started"
    assert part.headers["content-range"] == f"bytes 0-6/{run['log']['bytes']}"
    tail = rd.get(f"/api/v1/runs/{bid}/log", headers={"Range": "bytes=-18"})
    assert tail.text == "Finished: FAILURE\n"
    assert rd.get(f"/api/v1/runs/{bid}/log", headers={"Range": "bytes=99999-"}).status_code == 416
    # On disk: compressed, and no secret in any stored file.
    files = list((server.data_dir / "build-logs").rglob("*.zst"))
    assert files and all(b"ghp_abcdefghij" not in f.read_bytes() for f in files)
    assert server.spooled() == set() or out["analysis_id"] not in server.spooled()


def test_build_log_as_json_and_before_the_failure_is_known(tenant) -> None:
    ing, rd = tenant
    ext = uuid.uuid4().hex
    bid = ing.post("/ingest/builds", json=build(externalRunId=ext, status="in_progress")).json()[
        "id"
    ]
    r = ing.post("/ingest/build-logs", json={"buildId": bid, "log": FAILED_LOG})
    assert r.status_code == 200 and r.json()["analysis_id"] is None  # not failed (yet)
    ing.post("/ingest/builds", json=build(externalRunId=ext))  # now it failed
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = rd.get(f"/api/v1/runs/{bid}").json()["analyses"]
        if found:
            break
        time.sleep(0.1)
    assert found and "leftpad" in wait_analysed(rd, found[0]["id"])["root_cause"]


def test_build_log_errors(tenant) -> None:
    ing, _ = tenant
    assert ing.post("/ingest/build-logs", content=b"x").status_code == 400  # no buildId
    r = ing.post("/ingest/build-logs", params={"buildId": str(uuid.uuid4())}, content=b"x")
    assert r.status_code == 404
    assert ing.post("/ingest/build-logs", json={"log": "x"}).status_code == 400
    bid = new_build(ing, status="success")
    binary = gzip.compress(b"\x00\x01" * 1000)
    r = ing.post("/ingest/build-logs", params={"buildId": bid}, content=binary)
    assert r.status_code == 200 and r.json()["analysis_id"] is None


def test_security_reports(tenant) -> None:
    ing, rd = tenant
    bid = new_build(ing)
    findings = [
        {
            "tool": "bandit",
            "rule": "B105",
            "severity": "high",
            "file": "app/settings.py",
            "line": 12,
            "message": "Possible hardcoded password",
        },
        {"tool": "bandit", "rule": "B101", "severity": "low", "message": "assert used"},
    ]
    r = ing.post("/ingest/security-reports", json={"buildId": bid, "findings": findings})
    assert r.status_code == 200 and r.json()["received"] == 2
    sarif = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep", "rules": []}},
             "results": [{"ruleId": "python.sqli", "level": "error",
                          "message": {"text": "SQL built from user input"},
                          "locations": [{"physicalLocation": {
                              "artifactLocation": {"uri": "app/db.py"},
                              "region": {"startLine": 40}}}]}]}]}  # fmt: skip
    r = ing.post("/ingest/security-reports", params={"buildId": bid}, json=sarif)
    assert r.status_code == 200 and r.json()["received"] == 1
    r = ing.post("/ingest/security-reports", json={"buildId": bid, "sarif": sarif})
    assert r.status_code == 200
    sec = rd.get(f"/api/v1/runs/{bid}").json()["security"]
    assert sec["total"] == 4 and sec["by_severity"] == {"high": 3, "low": 1}
    for bad in (
        {"buildId": bid},
        {"buildId": bid, "findings": [{"tool": "x"}]},
        {"buildId": bid, "sarif": {"runs": "nope"}},
    ):
        assert ing.post("/ingest/security-reports", json=bad).status_code == 400
    assert (
        ing.post("/ingest/security-reports", json={"version": "2.1.0", "runs": []}).status_code
        == 400
    )  # SARIF without ?buildId=


def test_openapi_documents_the_routes(server: Server) -> None:
    spec = httpx.get(server.url + "/openapi.json").json()
    for path in (
        "/ingest/builds",
        "/ingest/tests",
        "/ingest/agents",
        "/ingest/build-logs",
        "/ingest/security-reports",
        "/ingest/pipeline-stages",
        "/functions/v1/ingest",
        "/api/ingest/run",
        "/api/v1/runs",
        "/api/v1/runs/{run_id}",
        "/api/v1/stats/pipelines",
        "/api/v1/tests",
        "/api/v1/agents",
    ):
        assert path in spec["paths"], path
    assert json.dumps(spec)


REAL_SUITE = """
import pytest

def test_ok():
    assert 1 + 1 == 2

def test_fails():
    assert {"a": 1} == {"a": 2}

@pytest.mark.parametrize("n", [1, 2, 3])
def test_param(n):
    assert n != 2

@pytest.mark.skip(reason="needs the network")
def test_skipped():
    pass

@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")

def test_setup_error(broken):
    pass
"""


@pytest.mark.parametrize("family", ["xunit2", "xunit1"])
def test_real_pytest_junit_file(tenant, tmp_path: Path, family: str) -> None:
    """A JUnit file written by the real pytest, not by hand."""
    import subprocess
    import sys

    (tmp_path / "test_real.py").write_text(REAL_SUITE)
    xml = tmp_path / "junit.xml"
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--junitxml={xml}", "-o", f"junit_family={family}", "test_real.py"],
                   cwd=tmp_path, capture_output=True, check=False, timeout=120)  # fmt: skip
    ing, rd = tenant
    bid = new_build(ing)
    r = ing.post("/ingest/tests", params={"buildId": bid}, content=xml.read_bytes(),
                 headers={"Content-Type": "application/xml"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["byStatus"] == {"passed": 3, "failed": 2, "skipped": 1, "error": 1}
    run = rd.get(f"/api/v1/runs/{bid}").json()
    failing = {t["name"]: t for t in run["tests"]["failing"]}
    assert set(failing) == {"test_fails", "test_param[2]", "test_setup_error"}
    assert failing["test_fails"]["classname"] == "test_real"
    assert "assert" in failing["test_fails"]["message"].lower()
    if family == "xunit1":
        assert failing["test_fails"]["file"] == "test_real.py"
        assert failing["test_fails"]["line"] is not None


def test_a_large_build_log_is_prepared_in_another_process(tenant) -> None:
    """Over 1 MiB, redaction and compression run in a separate process: same results, and
    errors found there come back as the same answers."""
    ing, rd = tenant
    bid = new_build(ing)
    filler = "".join(f"[{k:06d}] compiling module_{k}.c\n" for k in range(60_000))
    log = filler + FAILED_LOG
    assert len(log) > 1 << 20
    r = ing.post("/ingest/build-logs", params={"buildId": bid}, content=log.encode(),
                 headers={"Content-Type": "text/plain"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["lines"] == 60_007 and r.json()["analysis_id"]
    tail = rd.get(f"/api/v1/runs/{bid}/log", headers={"Range": "bytes=-400"}).text
    assert "Finished: FAILURE" in tail and "ghp_abcdefghij" not in tail
    assert "leftpad" in wait_analysed(rd, r.json()["analysis_id"])["root_cause"]
    bad = ing.post("/ingest/build-logs", json={"log": filler})  # no buildId, > 1 MiB
    assert bad.status_code == 400 and "buildId" in bad.text


def test_with_retention_off_a_failed_log_is_analysed_and_not_kept(tmp_path: Path) -> None:
    from tests.service.conftest import make_server

    srv = make_server(tmp_path, None, CIWHY_BUILD_LOG_RETENTION_DAYS="0")
    srv.start()
    try:
        ing = srv.client(srv.token("noretain", "ingest"))
        rd = srv.client(srv.token("noretain", "read"))
        bid = new_build(ing)
        r = ing.post("/ingest/build-logs", params={"buildId": bid}, content=FAILED_LOG.encode())
        assert r.status_code == 200 and r.json()["stored"] is False and r.json()["analysis_id"]
        assert "leftpad" in wait_analysed(rd, r.json()["analysis_id"])["root_cause"]
        assert rd.get(f"/api/v1/runs/{bid}").json()["log"] is None
        assert rd.get(f"/api/v1/runs/{bid}/log").status_code == 404
        assert not list(srv.data_dir.rglob("*.zst"))
        assert srv.spooled() == set()  # the raw log is gone once analysed
    finally:
        srv.stop()
