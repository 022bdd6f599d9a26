"""GET /metrics over real HTTP, on SQLite and PostgreSQL: who may scrape, the text format, and
the figures a dashboard needs (requests by route template, queue depth, failures by project
and severity, runs by status, time to RCA)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from tests.service.conftest import Server, make_server, wait_analysed
from tests.service.test_ingest import payload


def families(text: str) -> dict[str, Metric]:
    return {f.name: f for f in text_string_to_metric_families(text)}


def samples(fams: dict[str, Metric], name: str, sample: str | None = None) -> list[dict]:
    """Each sample of family `name` (the sample's own name `sample`) as its labels + value."""
    return [
        {**s.labels, "value": s.value} for s in fams[name].samples if s.name == (sample or name)
    ]


@pytest.fixture(scope="module")
def tenant(server: Server) -> tuple[str, httpx.Client, str]:
    """A tenant with one analysed failed log and one run: (name, read client, analysis id)."""
    name = f"m-{uuid.uuid4().hex[:8]}"
    ing = server.client(server.token(name, "ingest"))
    rd = server.client(server.token(name, "read"))
    r = ing.post("/api/ingest/log", json=payload(project="acme/metrics"))
    assert r.status_code == 202, r.text
    aid = r.json()["analysis_id"]
    assert wait_analysed(rd, aid)["state"] == "analyzed"
    run = {"provider": "github", "repository": "acme/metrics", "pipeline_name": "ci",
           "run_id": "77", "run_attempt": 1, "status": "failure", "actor": "dev",
           "started_at": "2026-01-01T00:00:00Z", "triggered_by": "push"}  # fmt: skip
    r = ing.post("/api/ingest/run", json=run)
    assert r.status_code in (200, 201, 202), r.text
    return name, rd, aid


def test_refused_without_a_token(server: Server) -> None:
    r = httpx.get(server.url + "/metrics")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


def test_refused_to_an_ingest_only_token(server: Server) -> None:
    tok = server.token(f"m-{uuid.uuid4().hex[:6]}", "ingest")
    assert server.client(tok).get("/metrics").status_code == 403


def test_read_token_scrapes_its_tenant(server: Server, tenant: tuple) -> None:
    name, rd, aid = tenant
    assert rd.get(f"/api/v1/analyses/{aid}").status_code == 200
    assert rd.get("/no/such/route").status_code == 404
    r = rd.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    fams = families(r.text)

    reqs = samples(fams, "ciwhy_http_requests", "ciwhy_http_requests_total")
    routes = {(s["method"], s["route"], s["status"]) for s in reqs}
    assert ("GET", "/api/v1/analyses/{analysis_id}", "2xx") in routes
    assert ("GET", "unmatched", "4xx") in routes
    assert not any(aid in s["route"] for s in reqs)  # a template, never the raw path
    lat = samples(fams, "ciwhy_http_request_duration_seconds",
                  "ciwhy_http_request_duration_seconds_count")  # fmt: skip
    assert any(s["route"] == "/api/v1/analyses/{analysis_id}" and s["value"] >= 1 for s in lat)

    depth = {s["state"]: s["value"] for s in samples(fams, "ciwhy_analysis_queue_jobs")}
    assert set(depth) == {"queued", "running"} and all(v >= 0 for v in depth.values())
    assert {s["state"] for s in samples(fams, "ciwhy_outbox_messages")} == {"pending", "failed"}
    assert samples(fams, "ciwhy_metrics_database_up")[0]["value"] == 1

    recent = samples(fams, "ciwhy_failures_last_24h")
    mine = [s for s in recent if s["project"] == "acme/metrics"]
    assert mine and {s["tenant"] for s in recent} == {name}  # its own tenant only
    assert mine[0]["severity"] in ("low", "medium", "high")
    assert mine[0]["category"] == "test" and mine[0]["value"] == 1

    failures = samples(fams, "ciwhy_failures", "ciwhy_failures_total")
    assert failures == [{"tenant": name, "value": 1.0}]  # the failed log
    graded = samples(fams, "ciwhy_analyses", "ciwhy_analyses_total")
    assert sum(s["value"] for s in graded) == 1 and {s["tenant"] for s in graded} == {name}

    runs = samples(fams, "ciwhy_runs_last_24h")
    assert any(s["project"] == "acme/metrics" and s["status"] == "failed" for s in runs), runs

    rca = samples(fams, "ciwhy_time_to_rca_seconds", "ciwhy_time_to_rca_seconds_bucket")
    inf = [s for s in rca if s["le"] == "+Inf"]
    assert inf == [{"tenant": name, "le": "+Inf", "value": 1.0}]
    les = [s["value"] for s in rca]
    assert les == sorted(les)  # cumulative


def test_metrics_token(tmp_path: Path) -> None:
    secret = "prom-" + uuid.uuid4().hex
    srv = make_server(tmp_path, None, CIWHY_METRICS_TOKEN=secret)
    srv.start()
    try:
        a, b = (f"m-{uuid.uuid4().hex[:6]}" for _ in range(2))
        for name in (a, b):
            ing = srv.client(srv.token(name, "ingest", "read"))
            aid = ing.post("/api/ingest/log", json=payload()).json()["analysis_id"]
            wait_analysed(ing, aid)
        assert httpx.get(srv.url + "/metrics").status_code == 401
        wrong = {"Authorization": f"Bearer {secret}x"}
        assert httpx.get(srv.url + "/metrics", headers=wrong).status_code == 401
        r = httpx.get(srv.url + "/metrics", headers={"Authorization": f"Bearer {secret}"})
        assert r.status_code == 200, r.text
        fams = families(r.text)
        tenants = {s["tenant"] for s in samples(fams, "ciwhy_failures", "ciwhy_failures_total")}
        assert tenants == {a, b}  # the operator's token sees every tenant
        # a read token still works, scoped to its tenant
        r = srv.client(srv.token(a, "ingest", "read")).get("/metrics")
        tenants = {s["tenant"] for s in samples(families(r.text), "ciwhy_failures_last_24h")}
        assert r.status_code == 200 and tenants == {a}
    finally:
        srv.stop()
