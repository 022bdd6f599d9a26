"""Build logs kept in S3-compatible storage: a real HTTP S3 endpoint (moto's server) on
loopback, the real `ciwhy serve` configured with CIWHY_BUILD_LOG_STORE=s3://..."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from ciwhy.store import logstore
from tests.service.conftest import _free_port, make_server

CREDS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
         "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip


@pytest.fixture(scope="module")
def s3(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:
    for k, v in CREDS.items():
        monkeypatch_module.setenv(k, v)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=url).create_bucket(Bucket="logs")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_s3_store_roundtrip(s3: str) -> None:
    store = logstore.S3LogStore.from_url("s3://logs/ci/", s3)
    data = "".join(f"line {k}\n" for k in range(100_000)).encode()
    loc = store.put("tenant", "run", logstore.compress(data))
    assert loc.startswith("s3://logs/ci/tenant/run-")
    blob = store.get(loc)
    assert len(blob) < len(data) / 5
    assert logstore.read_range(blob, 0, None) == data
    assert logstore.read_range(blob, 5, 11) == b"0\nline"
    assert logstore.read_range(blob, len(data) - 12, None) == b"\nline 99999\n"
    store.delete(loc)
    with pytest.raises(Exception):  # noqa: B017 - botocore's NoSuchKey
        store.get(loc)


def test_server_keeps_build_logs_in_s3(s3: str, tmp_path: Path) -> None:
    srv = make_server(tmp_path, None, CIWHY_BUILD_LOG_STORE="s3://logs/kept",
                      CIWHY_S3_ENDPOINT_URL=s3, **CREDS)  # fmt: skip
    srv.start()
    try:
        ing = srv.client(srv.token("s3t", "ingest"))
        rd = srv.client(srv.token("s3t", "read"))
        bid = ing.post("/ingest/builds", json={
            "jobName": "j", "buildNumber": 1, "status": "success", "duration": 1,
            "startedAt": 0, "completedAt": 1000, "jenkinsInstanceId": "i",
            "externalRunId": uuid.uuid4().hex}).json()["id"]  # fmt: skip
        r = ing.post("/ingest/build-logs", params={"buildId": bid},
                     content=b"hello\nworld\n")  # fmt: skip
        assert r.status_code == 200 and r.json()["stored"] is True
        assert rd.get(f"/api/v1/runs/{bid}/log").text == "hello\nworld\n"
        keys = [o["Key"] for o in boto3.client("s3", endpoint_url=s3)
                .list_objects_v2(Bucket="logs", Prefix="kept/")["Contents"]]  # fmt: skip
        assert len(keys) == 1 and keys[0].endswith(".log.zst")
        assert not (srv.data_dir / "build-logs").exists()
    finally:
        srv.stop()
