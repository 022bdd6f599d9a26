"""When PostgreSQL goes away under a running server, requests are answered 503 with
Retry-After (never a bare 500), and /readyz says the database is not reachable."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.service.conftest import _drop_postgres, _postgres_database, make_server


def test_a_lost_database_is_a_503_not_a_500(tmp_path: Path) -> None:
    name = _postgres_database()
    assert name is not None, "PostgreSQL at 127.0.0.1:5432 is needed"
    srv = make_server(tmp_path, f"postgresql://postgres@127.0.0.1:5432/{name}")
    srv.start()
    try:
        key = srv.token("down", "ingest", "read")
        h = {"Authorization": f"Bearer {key}"}
        run = {"provider": "github", "repository": "a/b", "pipeline_name": "CI", "run_id": 1,
               "run_attempt": 1, "status": "failure", "started_at": "2026-11-20T10:00:00Z",
               "triggered_by": "push", "actor": "x"}  # fmt: skip
        assert httpx.post(srv.url + "/api/ingest/run", json=run, headers=h).status_code == 200
        _drop_postgres(name)
        name = None
        run["run_id"] = 2
        for path in ("/api/ingest/run", "/api/v1/runs"):
            r = (httpx.post(srv.url + path, json=run, headers=h) if "ingest" in path
                 else httpx.get(srv.url + path, headers=h))  # fmt: skip
            assert r.status_code == 503, (path, r.status_code, r.text)
            assert r.headers["retry-after"] == "5" and r.json()["code"] == "unavailable"
        assert httpx.get(srv.url + "/readyz").status_code == 503
    finally:
        srv.stop()
        if name:
            _drop_postgres(name)
