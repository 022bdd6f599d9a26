"""Read API v1 over real HTTP: cursor pages, filters, errors, stats, tenant isolation."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.service.conftest import Server, wait_analysed
from tests.service.test_ingest import LOG, payload

LINT_LOG = (
    "$ ruff check .\nsrc/app.py:3:1: F401 `os` imported but unused\nFound 1 error.\n"
    "##[error]Process completed with exit code 1.\n"
)


@pytest.fixture(scope="module")
def tenant(server: Server) -> tuple[httpx.Client, list[str]]:
    """A tenant with 7 analyses over two projects and two sources."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    ing = server.client(server.token(name, "ingest"))
    rd = server.client(server.token(name, "read"))
    ids = []
    for k in range(5):
        ids.append(
            ing.post("/api/ingest/log", json=payload(job_id=str(k), pipeline_id="1")).json()[
                "analysis_id"
            ]
        )
    for k in range(2):
        body = {"job": "lint", "build_number": 40 + k, "status": "FAILURE", "project": "acme/api",
                "build_url": f"https://ci.example/job/lint/{40 + k}/", "log": LINT_LOG}  # fmt: skip
        r = ing.post("/api/ingest/jenkins", json=body)
        assert r.status_code == 202, r.text
        ids.append(r.json()["analysis_id"])
    for aid in ids:
        wait_analysed(rd, aid)
    return rd, ids


def test_cursor_pages_walk_everything_newest_first(tenant) -> None:
    rd, ids = tenant
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = rd.get("/api/v1/analyses", params=params).json()
        assert page["limit"] == 3 and len(page["items"]) <= 3
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(i["id"] for i in seen) == sorted(ids)
    stamps = [(i["created_at"], i["id"]) for i in seen]
    assert stamps == sorted(stamps, reverse=True)
    first = seen[0]
    for key in ("id", "provider", "source", "ci_run_id", "ci_job_id", "project_id", "project_path",
                "project_web_url", "pipeline_url", "job_url", "mr_iid", "root_cause", "explanation",
                "fix_suggestion", "severity", "confidence", "created_at", "status", "branch",
                "commit_sha", "category", "domain", "excerpt", "failing_tests", "fingerprint",
                "analyzed_at"):  # fmt: skip
        assert key in first, key


def test_filters(tenant) -> None:
    rd, _ = tenant
    jenkins = rd.get("/api/v1/analyses", params={"source": "jenkins_ingest"}).json()["items"]
    assert len(jenkins) == 2 and {i["project_path"] for i in jenkins} == {"acme/api"}
    assert {i["status"] for i in jenkins} == {"failed"} and jenkins[0]["build_number"] in (
        "40",
        "41",
    )
    assert len(rd.get("/api/v1/analyses", params={"project": "acme/shop"}).json()["items"]) == 5
    lows = rd.get("/api/v1/analyses", params={"severity": "low"}).json()["items"]
    assert all(i["severity"] == "low" for i in lows) and len(lows) == 2  # lint is low
    assert rd.get("/api/v1/analyses", params={"since": "2999-01-01"}).json()["items"] == []
    naive = rd.get(
        "/api/v1/analyses", params={"since": "2000-01-01T00:00:00", "until": "2000-06-01"}
    )
    assert naive.status_code == 200 and naive.json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"since": "2024-02-01", "until": "2024-01-01"},
        {"since": "2022-01-01", "until": "2024-01-01"},
        {"severity": "critical"},
        {"limit": 0},
        {"limit": 501},
        {"since": "yesterday-ish"},
    ],
)
def test_bad_queries_are_400(tenant, params) -> None:
    rd, _ = tenant
    r = rd.get("/api/v1/analyses", params=params)
    assert r.status_code == 400, r.text
    assert set(r.json()) == {"error", "code", "details"}


def test_stats(tenant) -> None:
    rd, _ = tenant
    ov = rd.get("/api/v1/stats/overview").json()
    assert ov["failures_detected"] == 7 and ov["analyses_completed"] == 7 and ov["rca_count"] == 7
    assert sum(ov["severity_counts"].values()) == 7 and ov["window_days"] == 30
    assert 0 <= ov["p50_time_to_rca_seconds"] <= ov["p90_time_to_rca_seconds"] < 30
    ts = rd.get("/api/v1/stats/timeseries", params={"days": 7}).json()
    assert len(ts["points"]) == 7 and ts["points"][-1]["failures"] == 7
    assert sum(p["failures"] for p in ts["points"]) == 7
    top = rd.get("/api/v1/stats/top-projects").json()["items"]
    assert [(t["project_path"], t["failures"]) for t in top] == [("acme/shop", 5), ("acme/api", 2)]
    causes = rd.get("/api/v1/stats/top-root-causes", params={"limit": 5}).json()["items"]
    assert causes[0]["count"] == 5 and causes[0]["projects"] == ["acme/shop"]
    assert (
        sum(c["count"] for c in causes) == 7 and causes[0]["first_seen"] <= causes[0]["last_seen"]
    )
    for path, params in [("overview", {"days": 0}), ("overview", {"days": 366}),
                         ("top-projects", {"limit": 51})]:  # fmt: skip
        assert rd.get(f"/api/v1/stats/{path}", params=params).status_code == 400


def test_tenants_are_isolated(server: Server, tenant) -> None:
    rd, ids = tenant
    stranger = server.client(server.token(f"t-{uuid.uuid4().hex[:8]}", "read"))
    assert stranger.get(f"/api/v1/analyses/{ids[0]}").status_code == 404
    assert stranger.get("/api/v1/analyses").json()["items"] == []
    assert stranger.get("/api/v1/stats/overview").json()["failures_detected"] == 0
    assert rd.get(f"/api/v1/analyses/{uuid.uuid4()}").status_code == 404
    assert rd.get(f"/api/v1/analyses/{ids[0]}").json()["id"] == ids[0]


def test_legacy_offset_list(tenant) -> None:
    rd, _ = tenant
    page = rd.get("/api/analyses", params={"offset": 2, "limit": 2}).json()
    assert page["total"] == 7 and len(page["items"]) == 2 and page["offset"] == 2


def test_openapi_and_docs(server: Server) -> None:
    spec = httpx.get(server.url + "/openapi.json").json()
    assert "/api/ingest/jenkins" in spec["paths"] and "/api/v1/analyses" in spec["paths"]
    assert "LogIngest" in spec["components"]["schemas"]
    assert httpx.get(server.url + "/docs").status_code == 200


def test_log_analysis_reads_like_the_offline_command(tenant) -> None:
    rd, ids = tenant
    a = rd.get(f"/api/v1/analyses/{ids[0]}").json()
    assert a["root_cause"] and a["category"] == "test" and a["excerpt"]
    cause_line = LOG.splitlines()[a["root_cause_line"] - 1]
    assert any(cause_line in block["text"] for block in a["excerpt"])
