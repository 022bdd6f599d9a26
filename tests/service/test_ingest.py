"""Ingest over real HTTP: 202 and the analysis read back, auth, bad input, size, dedupe,
and the privacy promise (no trace of the raw log under the data directory)."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.service.conftest import Server, make_server, wait_analysed

LOG = """\
$ npm test
> jest
 FAIL  src/cart.test.js
  ● cart › adds an item
    expect(received).toBe(expected)
    Expected: 2
    Received: 1
      at Object.<anonymous> (src/cart.test.js:14:23)
Tests: 1 failed, 12 passed, 13 total
npm ERR! code ELIFECYCLE
npm ERR! Test failed.  See above for more details.
##[error]Process completed with exit code 1.
"""


def payload(**extra: object) -> dict[str, object]:
    return {
        "provider": "GitHub Actions",
        "project": "acme/shop",
        "status": "failed",
        "log": LOG,
    } | extra


def test_ingest_then_read_back(server: Server) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    ing = server.client(server.token(tenant, "ingest"))
    rd = server.client(server.token(tenant, "read"))
    r = ing.post(
        "/api/ingest/log",
        json=payload(branch="main", commit_sha="abc123", pipeline_id=7, job_id="9"),
    )
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] == "accepted" and uuid.UUID(body["analysis_id"])
    a = wait_analysed(rd, body["analysis_id"])
    assert a["state"] == "analyzed"
    assert a["provider"] == "github_actions" and a["source"] == "generic_ingest"
    assert a["project_path"] == "acme/shop" and a["status"] == "failed"
    assert a["ci_run_id"] == "7" and a["ci_job_id"] == "9" and a["branch"] == "main"
    assert "Expected: 2" in json.dumps(a["excerpt"]) or "toBe" in a["root_cause"]
    assert a["category"] == "test" and a["severity"] in ("low", "medium", "high")
    assert a["analyzed_at"] >= a["created_at"]
    assert a["fingerprint"]["hash"]


def test_auth_errors(server: Server) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    anon = server.client()
    assert anon.post("/api/ingest/log", json=payload()).status_code == 401
    bad = server.client("cwy_not-a-real-token")
    r = bad.post("/api/ingest/log", json=payload())
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    reader = server.client(server.token(tenant, "read"))
    r = reader.post("/api/ingest/log", json=payload())
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    ingester = server.client(server.token(tenant, "ingest"))
    assert ingester.get("/api/v1/analyses").status_code == 403
    # a revoked token is refused from then on
    out = server.cli("tokens", "create", "--tenant", tenant, "--name", "gone", "--scope", "ingest")
    secret = out.stdout.strip().splitlines()[-1]
    token_id = out.stdout.split()[1]
    assert server.client(secret).post("/api/ingest/log", json=payload()).status_code == 202
    server.cli("tokens", "revoke", token_id)
    # servers trust a checked token for CIWHY_TOKEN_CACHE_SECONDS (1 s by default), no longer
    revoked_at = time.monotonic()
    while server.client(secret).post("/api/ingest/log", json=payload()).status_code == 202:
        assert time.monotonic() - revoked_at < 1.5, "a revoked token still works after 1.5 s"
        time.sleep(0.05)
    assert server.client(secret).post("/api/ingest/log", json=payload()).status_code == 401
    listed = json.loads(server.cli("tokens", "list", "--tenant", tenant, "--json").stdout)
    assert any(t["id"] == token_id and t["revoked_at"] for t in listed)
    assert secret not in json.dumps(listed)


def test_bad_input_is_400_naming_each_field(server: Server) -> None:
    c = server.client(server.token(f"t-{uuid.uuid4().hex[:8]}", "ingest"))
    cases = [
        (b"{not json", "invalid_json"),
        (b"", "invalid_json"),
        (b"\x00\xff\xfe binary", "invalid_json"),
        (b"[1, 2]", "invalid_request"),
        (json.dumps({"provider": "x"}).encode(), "invalid_request"),
        (json.dumps(payload(log=12)).encode(), "invalid_request"),
        (json.dumps(payload(provider="///")).encode(), "invalid_request"),
    ]
    for body, code in cases:
        r = c.post("/api/ingest/log", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 400, (body, r.text)
        j = r.json()
        assert j["code"] == code and j["error"] and "details" in j, (body, j)
    r = c.post("/api/ingest/log", json={"provider": "x"})
    fields = {d["field"] for d in r.json()["details"]}
    assert {"project", "status", "log"} <= fields


def test_oversized_log_is_413_while_reading(server: Server) -> None:
    c = server.client(server.token(f"t-{uuid.uuid4().hex[:8]}", "ingest"))
    big = "x" * (10 * 1024 * 1024 + 1)
    r = c.post("/api/ingest/log", json=payload(log=big))
    assert r.status_code == 413 and r.json()["code"] in ("log_too_large", "payload_too_large")

    def endless():  # a chunked body with no length: refused once past the cap
        chunk = b"x" * (1 << 20)
        yield b'{"provider":"a","project":"b","status":"failed","log":"'
        for _ in range(64):
            yield chunk

    r = c.post("/api/ingest/log", content=endless(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    just = "y" * (10 * 1024 * 1024 - 100)
    assert c.post("/api/ingest/log", json=payload(log=just)).status_code == 202


def test_duplicates_analyse_once_also_concurrently(server: Server) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    c = server.client(server.token(tenant, "ingest"))
    body = payload(pipeline_id="p-1", job_id="j-1")
    with ThreadPoolExecutor(8) as ex:
        ids = list(
            ex.map(lambda _: c.post("/api/ingest/log", json=body).json()["analysis_id"], range(16))
        )
    assert len(set(ids)) == 1
    assert c.post("/api/ingest/log", json=body).json()["analysis_id"] == ids[0]
    other = c.post("/api/ingest/log", json=payload(pipeline_id="p-1", job_id="j-2"))
    assert other.json()["analysis_id"] != ids[0]
    rd = server.client(server.token(tenant, "read"))
    items = rd.get("/api/v1/analyses").json()["items"]
    assert sorted(i["ci_job_id"] for i in items) == ["j-1", "j-2"]


def test_no_trace_of_the_raw_log_after_analysis(server: Server) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    marker = f"PRIVATE-{uuid.uuid4().hex}"
    log = (
        f"setting up {marker} environment\n"
        + "\n".join(f"step {i} ok" for i in range(200))
        + "\n"
        + LOG
    )
    c = server.client(server.token(tenant, "ingest"))
    aid = c.post("/api/ingest/log", json=payload(log=log)).json()["analysis_id"]
    a = wait_analysed(server.client(server.token(tenant, "read")), aid)
    assert marker not in json.dumps(a)
    hits = subprocess.run(
        ["grep", "-rla", marker, str(server.data_dir)], capture_output=True, text=True
    )
    assert hits.stdout == "", f"the raw log survives in {hits.stdout}"
    assert aid not in server.spooled()


def test_rate_limit_is_429_with_retry_after(tmp_path: Path) -> None:
    srv = make_server(tmp_path, None, CIWHY_INGEST_RATE_LIMIT="3/minute", CIWHY_WORKERS="0")
    srv.start()
    try:
        c = srv.client(srv.token("limited", "ingest"))
        codes = [c.post("/api/ingest/log", json=payload()).status_code for _ in range(4)]
        assert codes == [202, 202, 202, 429]
        r = c.post("/api/ingest/log", json=payload())
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert r.json()["code"] == "rate_limited"
        other = srv.client(srv.token("another", "ingest"))  # per tenant
        assert other.post("/api/ingest/log", json=payload()).status_code == 202
    finally:
        srv.stop()


def test_health(server: Server) -> None:
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
    assert httpx.get(server.url + "/readyz").status_code == 200


def test_hostile_metadata_is_stored_or_refused_never_a_500(server: Server) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    c = server.client(server.token(tenant, "ingest"))
    weird = payload(project="acme/\x00shop\ud800", branch="feat/\u202e\U0001f600", job_name="\x07x")
    raw = json.dumps(weird).encode()  # json escapes the lone surrogate as \\ud800
    r = c.post("/api/ingest/log", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 202, r.text
    a = wait_analysed(server.client(server.token(tenant, "read")), r.json()["analysis_id"])
    assert a["project_path"] == "acme/\ufffdshop\ufffd" and a["branch"] == "feat/\u202e\U0001f600"
    r = c.post("/api/ingest/log", json=payload(branch="b" * 501))
    assert r.status_code == 400 and r.json()["details"][0]["field"] == "branch"
    raw = json.dumps(payload(log="x\x00y\ud800z" * 1000)).encode()
    r = c.post("/api/ingest/log", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 202
