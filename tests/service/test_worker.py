"""Workers: a worker killed with SIGKILL mid-analysis loses nothing (the job is retried, then
given up with a reason), and concurrent workers never analyse one job twice."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.service.conftest import CIWHY, Server, make_server, wait_analysed
from tests.service.test_ingest import payload

# A log of nothing but error lines is the engine's slowest input: seconds, not milliseconds.
SLOW_LOG = "".join(
    f"error: thing {i} went wrong in module_{i % 97}.c:{i}\n" for i in range(150_000)
)


def _db(srv: Server):  # type: ignore[no-untyped-def]
    url = srv.env.get("CIWHY_DATABASE_URL") or f"sqlite:///{srv.data_dir / 'ciwhy.db'}"
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def _worker(srv: Server, *args: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [CIWHY, "worker", *args], env=srv.env | env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for(check, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def queued_only(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server without in-process workers: jobs wait for `ciwhy worker`."""
    srv = make_server(tmp_path, None, CIWHY_WORKERS="0", CIWHY_LEASE_SECONDS="2")
    srv.start()
    yield srv
    srv.stop()


def _job(engine, aid: str):  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return c.execute(
            text("SELECT state, attempts, last_error FROM jobs WHERE analysis_id = :a"), {"a": aid}
        ).first()


def _kill_when_running(engine, aid: str, proc: subprocess.Popen[bytes]) -> None:  # type: ignore[no-untyped-def]
    _wait_for(lambda: (j := _job(engine, aid)) is not None and j.state == "running")
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)  # the worker and its analysis processes
    proc.wait()


def _analysed_by_a_new_worker(srv: Server, rd, aid: str, timeout: float, **env: str) -> dict:  # type: ignore[no-untyped-def]
    w = _worker(srv, **env)
    try:
        return wait_analysed(rd, aid, timeout=timeout)
    finally:
        os.killpg(w.pid, signal.SIGTERM)
        w.wait()


def test_a_killed_worker_loses_nothing(queued_only: Server) -> None:
    srv = queued_only
    ing = srv.client(srv.token("k", "ingest"))
    rd = srv.client(srv.token("k", "read"))
    aid = ing.post("/api/ingest/log", json=payload(log=SLOW_LOG)).json()["analysis_id"]
    engine = _db(srv)
    _kill_when_running(engine, aid, _worker(srv))
    assert rd.get(f"/api/v1/analyses/{aid}").json()["state"] == "queued"
    assert aid in srv.spooled(), "the log must still be spooled"
    a = _analysed_by_a_new_worker(srv, rd, aid, 120)
    assert a["state"] == "analyzed" and a["root_cause"]
    assert _job(engine, aid).attempts == 2
    assert aid not in srv.spooled()


def test_attempts_are_bounded_and_the_reason_is_kept(queued_only: Server) -> None:
    srv = queued_only
    ing = srv.client(srv.token("b", "ingest"))
    rd = srv.client(srv.token("b", "read"))
    aid = ing.post("/api/ingest/log", json=payload(log=SLOW_LOG)).json()["analysis_id"]
    engine = _db(srv)
    _kill_when_running(engine, aid, _worker(srv, CIWHY_MAX_ATTEMPTS="1"))
    time.sleep(2.5)  # the lease ends
    a = _analysed_by_a_new_worker(srv, rd, aid, 60, CIWHY_MAX_ATTEMPTS="1")
    assert a["state"] == "failed" and "attempt" in a["error"]
    assert aid not in srv.spooled()


def test_concurrent_workers_never_share_a_job(server: Server) -> None:
    """Against the shared server (SQLite and PostgreSQL): its in-process workers plus three
    more processes race for the same queue."""
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    ing = server.client(server.token(tenant, "ingest"))
    rd = server.client(server.token(tenant, "read"))
    workers = [_worker(server, "--concurrency", "2") for _ in range(3)]
    try:
        ids = [
            ing.post("/api/ingest/log", json=payload(job_id=str(k), pipeline_id="c")).json()[
                "analysis_id"
            ]
            for k in range(40)
        ]
        for aid in ids:
            assert wait_analysed(rd, aid, timeout=120)["state"] == "analyzed"
    finally:
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)
            w.wait()
    engine = _db(server)
    attempts = [_job(engine, aid).attempts for aid in ids]
    assert attempts == [1] * len(ids)


def _children(pid: int) -> set[int]:
    kids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            kids.add(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_stopped_server_or_worker_leaves_no_process_behind(tmp_path: Path, command: str) -> None:
    """SIGTERM (what a service manager sends) stops the analysis processes too."""
    srv = make_server(tmp_path, None, CIWHY_WORKERS="2")
    if command == "serve":
        srv.start()
        assert srv.proc is not None
        proc: subprocess.Popen[bytes] = srv.proc
    else:
        srv.cli("migrate")
        proc = _worker(srv, "--concurrency", "2")
    _wait_for(lambda: len(_children(proc.pid)) >= 2, 60)
    kids = _children(proc.pid)
    proc.terminate()
    proc.wait(timeout=30)
    _wait_for(lambda: not any(_alive(k) for k in kids), 15)
