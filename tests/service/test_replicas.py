"""Two `ciwhy serve` replicas on one PostgreSQL database share their rate limits through Redis
(CIWHY_REDIS_URL), and either replica serves what the other accepted."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.service.conftest import _drop_postgres, _postgres_database, make_server, wait_analysed

REDIS = "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_timeout=2).ping())
    except Exception:
        if os.environ.get("CIWHY_TEST_REQUIRE_POSTGRES") == "1":
            raise
        return False


def test_replicas_share_limits_and_data(tmp_path: Path) -> None:
    if not _redis_answers():
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    db = _postgres_database()
    if db is None:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    url = f"postgresql://postgres@127.0.0.1:5432/{db}"
    env = {"CIWHY_REDIS_URL": REDIS, "CIWHY_INGEST_RATE_LIMIT": "3/minute"}
    a = make_server(tmp_path / "a", url, **env)
    b = make_server(tmp_path / "b", url, **env, CIWHY_WORKERS="0")
    a.start()
    b.start()
    try:
        tenant = f"replicas-{uuid.uuid4().hex[:8]}"  # fresh Redis keys: the tenant id is new
        secret = a.token(tenant, "ingest", "read")
        body = {"provider": "x", "project": "p", "status": "failed", "log": "error: boom\n"}
        ca, cb = a.client(secret), b.client(secret)
        codes = [c.post("/api/ingest/log", json=body).status_code for c in (ca, cb, ca, cb)]
        assert codes == [202, 202, 202, 429]  # three in all, whichever replica took them
        accepted = cb.get("/api/v1/analyses").json()["items"]
        assert len(accepted) == 3
        for item in accepted:  # analysed by replica a's workers, read through replica b
            assert wait_analysed(cb, item["id"])["state"] == "analyzed"
    finally:
        a.stop()
        b.stop()
        _drop_postgres(db)
