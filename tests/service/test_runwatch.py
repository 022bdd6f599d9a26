"""RunWatch-shaped ingest over real HTTP: the documented answer shapes, updates in place,
400 naming the fields, 401, quotas (402), CORS from any origin."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.service.conftest import Server


def run(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "provider": "github", "repository": "acme/web", "pipeline_name": "CI",
        "run_id": 9001, "run_attempt": 1, "status": "running",
        "started_at": "2026-11-20T10:00:00Z", "triggered_by": "push", "actor": "octocat",
        "branch": "main", "run_url": "https://github.com/acme/web/actions/runs/9001",
        "jobs": [{"name": "build", "status": "success", "job_id": 1,
                  "started_at": "2026-11-20T10:00:05Z", "completed_at": "2026-11-20T10:02:05Z"},
                 {"name": "test", "status": "running", "job_id": 2}],
    }  # fmt: skip
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def keys(server: Server) -> tuple[str, httpx.Client]:
    name = f"r-{uuid.uuid4().hex[:8]}"
    return server.token(name, "ingest"), server.client(server.token(name, "read"))


@pytest.mark.parametrize("path", ["/functions/v1/ingest", "/api/ingest/run"])
def test_running_then_failure_is_one_run(server: Server, keys, path) -> None:
    key, rd = keys
    rid = uuid.uuid4().hex
    h = {"X-API-Key": key}
    a = httpx.post(server.url + path, json=run(run_id=rid), headers=h)
    assert a.status_code == 200 and a.json()["success"] is True
    assert set(a.json()) == {"success", "pipeline_run_id"}
    jobs = [
        {"name": "build", "status": "success", "job_id": 1},
        {"name": "test", "status": "failure", "job_id": 2, "duration_seconds": 61.5},
    ]
    b = httpx.post(
        server.url + path,
        headers=h,
        json=run(
            run_id=rid,
            status="failure",
            completed_at="2026-11-20T10:05:00Z",
            jobs=jobs,
            commit_sha="3f4e1a9c",
            pull_request=42,
        ),
    )
    assert b.json()["pipeline_run_id"] == a.json()["pipeline_run_id"]
    got = rd.get(f"/api/v1/runs/{a.json()['pipeline_run_id']}").json()
    assert got["status"] == "failed" and got["vendor_status"] == "failure"
    assert got["duration_ms"] == 300_000  # derived from the timestamps
    assert got["commit_sha"] == "3f4e1a9c" and got["extra"]["pull_request"] == "42"
    assert {j["name"]: j["status"] for j in got["jobs"]} == {"build": "success", "test": "failed"}
    assert {j["name"]: j["duration_ms"] for j in got["jobs"]}["test"] == 61_500
    # A second attempt is a run of its own.
    c = httpx.post(server.url + path, json=run(run_id=rid, run_attempt=2), headers=h)
    assert c.json()["pipeline_run_id"] != a.json()["pipeline_run_id"]


@pytest.mark.parametrize(("body", "field"), [
    (run(provider="jenkins"), "provider"), (run(status="exploded"), "status"),
    (run(repository="no-slash"), "repository"), (run(run_attempt=0), "run_attempt"),
    (run(started_at="soon"), "started_at"), (run(actor=None), "actor"),
    ({k: v for k, v in run().items() if k != "pipeline_name"}, "pipeline_name"),
    (run(jobs=[{"name": "x"}]), "jobs.0.status"), (run(compute_seconds=-4), "compute_seconds"),
])  # fmt: skip
def test_invalid_fields_are_named(server: Server, keys, body, field) -> None:
    key, _ = keys
    r = httpx.post(server.url + "/functions/v1/ingest", json=body, headers={"X-API-Key": key})
    assert r.status_code == 400 and field in r.json()["error"], r.text


def test_auth_and_garbage(server: Server, keys) -> None:
    key, _ = keys
    url = server.url + "/functions/v1/ingest"
    assert httpx.post(url, json=run()).status_code == 401
    assert "error" in httpx.post(url, json=run(), headers={"X-API-Key": "nope"}).json()
    for raw in (b"", b"null", b"{", b"\x00\xff", b"[" * 100_000):
        r = httpx.post(url, content=raw, headers={"X-API-Key": key})
        assert r.status_code == 400 and r.json()["error"]


def test_cors_any_origin(server: Server, keys) -> None:
    key, _ = keys
    pre = httpx.options(server.url + "/functions/v1/ingest", headers={
        "Origin": "https://dash.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-api-key, content-type"})  # fmt: skip
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "x-api-key" in pre.headers["access-control-allow-headers"].lower()
    r = httpx.post(server.url + "/functions/v1/ingest", json=run(run_id=uuid.uuid4().hex),
                   headers={"X-API-Key": key, "Origin": "https://dash.example"})  # fmt: skip
    assert r.headers["access-control-allow-origin"] == "*"
    other = httpx.options(
        server.url + "/api/v1/runs",
        headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in other.headers


def test_quotas_answer_402(server: Server) -> None:
    name = f"q-{uuid.uuid4().hex[:8]}"
    key = server.token(name, "ingest")
    server.cli("quotas", "set", "--tenant", name, "--runs-per-day", "2", "--repositories", "1")
    url, h = server.url + "/api/ingest/run", {"X-API-Key": key}
    first = httpx.post(url, json=run(run_id="1"), headers=h)
    assert first.status_code == 200
    other_repo = httpx.post(url, json=run(run_id="2", repository="acme/other"), headers=h)
    assert other_repo.status_code == 402 and "repositories" in other_repo.json()["error"]
    assert httpx.post(url, json=run(run_id="2"), headers=h).status_code == 200
    third = httpx.post(url, json=run(run_id="3"), headers=h)
    assert third.status_code == 402 and "runs a day" in third.json()["error"]
    # Updating a known run is never refused.
    again = httpx.post(url, json=run(run_id="1", status="success"), headers=h)
    assert again.status_code == 200
    server.cli("quotas", "set", "--tenant", name)
    assert httpx.post(url, json=run(run_id="3"), headers=h).status_code == 200
