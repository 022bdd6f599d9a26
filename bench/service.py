"""Service benchmark, on SQLite and PostgreSQL: ingest throughput, time-to-RCA, read latency.

    .venv/bin/python bench/service.py [--backends sqlite,postgresql] [--rows 1000000]

Load comes from a separate process on loopback (wrk when installed, else a threaded httpx
client, which tops out far lower and says so). Human-readable lines first, then one JSON
object with every figure on the last line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CIWHY = str(Path(sys.executable).with_name("ciwhy"))
LOGS = ROOT / ".." / "shared" / "benchmarks" / "logchunks" / "logs"
BENCH_DIR = ROOT / ".bench"
PG = "postgresql://postgres@127.0.0.1:5432"
WRK_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
local head = '{{"provider":"bench","project":"acme/load","status":"failed","job_id":"'
local tail = '","log":' .. [==[{log}]==] .. '}}'
local n = 0
request = function()
  n = n + 1
  local body = head .. n .. '-' .. math.random(1, 1e9) .. tail
  return wrk.format(nil, nil, nil, body)
end
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, backend: str, workers: int) -> None:
        # Beside the project, on the disk a data directory normally lives on (the default is
        # under $XDG_DATA_HOME): on some machines /tmp creates files ten times slower.
        BENCH_DIR.mkdir(exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix="ciwhy-bench-", dir=BENCH_DIR))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = None
        self.env = os.environ | {
            "CIWHY_DATA_DIR": str(self.tmp),
            "CIWHY_PORT": str(self.port),
            "CIWHY_WORKERS": str(workers),
            "CIWHY_INGEST_RATE_LIMIT": "10000000/minute",
            "CIWHY_READ_RATE_LIMIT": "10000000/minute",
        }
        if backend == "postgresql":
            import psycopg

            self.db = f"ciwhy_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{PG}/postgres", autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{self.db}"')
            self.env["CIWHY_DATABASE_URL"] = f"{PG}/{self.db}"
        else:
            self.env.pop("CIWHY_DATABASE_URL", None)
        out = subprocess.run(
            [CIWHY, "tokens", "create", "--tenant", "bench", "--name", "bench",
             "--scope", "ingest", "--scope", "read"],
            env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        self.token = out.stdout.strip().splitlines()[-1]
        self.proc = subprocess.Popen(
            [CIWHY, "serve"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(600):
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.db:
            import psycopg

            with psycopg.connect(f"{PG}/postgres", autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


def wrk(url: str, seconds: int, script: str | None = None, connections: int = 32) -> float:
    threads = min(2, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        if script:
            f.write(script)
            args[1:1] = ["-s", f.name]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"    ({non2xx.group(1)} non-2xx responses)")
    return rps


def ingest_throughput(srv: Server, seconds: int) -> dict[str, Any]:
    log = json.dumps(("error: the build failed in step 3\n" * 700)[: 20 * 1024])
    if not shutil.which("wrk"):
        print("    wrk not installed (apt-get install wrk): skipping ingest req/s")
        return {"skipped": "wrk not installed"}
    bare = wrk(srv.url + "/healthz", seconds)
    ing = wrk(srv.url + "/api/ingest/log", seconds, WRK_LUA.format(token=srv.token, log=log))
    print(f"  ingest of 20 KiB logs: {ing:8.0f} req/s accepted   bare endpoint {bare:8.0f} req/s"
          f"   ratio {ing / bare:.2f}   (target >= 1000 req/s)")  # fmt: skip
    return {"ingest_rps": round(ing), "bare_rps": round(bare), "ratio": round(ing / bare, 3)}


def real_logs(limit_bytes: int = 1 << 20) -> list[str]:
    out = []
    for p in sorted(LOGS.glob("*/*/failed/*.log.gz")):
        data = gzip.decompress(p.read_bytes())
        if len(data) <= limit_bytes:
            out.append(data.decode("utf-8", "replace"))
    return out


def time_to_rca(srv: Server, rate: float, count: int) -> dict[str, Any]:
    logs = real_logs()
    random.Random(7).shuffle(logs)
    ids = []
    with httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {srv.token}"}) as c:
        t0 = time.perf_counter()
        for k in range(count):
            time.sleep(max(0.0, t0 + k / rate - time.perf_counter()))
            body = {"provider": "bench", "project": "acme/rca", "status": "failed",
                    "log": logs[k % len(logs)]}  # fmt: skip
            ids.append(c.post("/api/ingest/log", json=body).json()["analysis_id"])
        secs = []
        for aid in ids:
            while (a := c.get(f"/api/v1/analyses/{aid}").json())["state"] == "queued":
                time.sleep(0.05)
            created = datetime.fromisoformat(a["created_at"])
            secs.append((datetime.fromisoformat(a["analyzed_at"]) - created).total_seconds())
    q = statistics.quantiles(secs, n=100)
    p50, p90, p99 = q[49] * 1000, q[89] * 1000, q[98] * 1000
    print(f"  time to RCA at {rate:g} req/s of real logs <= 1 MiB ({count}): p50 {p50:.0f} ms"
          f"  p90 {p90:.0f} ms  p99 {p99:.0f} ms   (target p50 <= 50, p99 <= 500)")  # fmt: skip
    return {"p50_ms": round(p50, 1), "p90_ms": round(p90, 1), "p99_ms": round(p99, 1), "n": count}


def fill(srv: Server, rows: int) -> float:
    """Insert `rows` analysed rows for the bench tenant straight into the database."""
    from sqlalchemy import select

    from ciwhy.store import rollup
    from ciwhy.store.db import engine_for
    from ciwhy.store.tables import analyses, tenants

    url = srv.env.get("CIWHY_DATABASE_URL") or f"sqlite:///{srv.tmp / 'ciwhy.db'}"
    eng = engine_for(url)
    with eng.connect() as c:
        tid = c.execute(select(tenants.c.id).where(tenants.c.name == "bench")).scalar_one()
    now = datetime.now(UTC)
    rng = random.Random(1)
    t0 = time.perf_counter()
    batch = []
    for k in range(rows):
        at = now - timedelta(seconds=k * 30 + rng.random())
        batch.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128))), "tenant_id": tid,
            "source": "generic_ingest", "provider": "bench", "project": f"acme/p{k % 50}",
            "status": "failed", "state": "analyzed", "received_at": at,
            "analyzed_at": at + timedelta(milliseconds=20), "rca_ms": 20 + k % 50,
            "root_cause": f"cause {k % 300}",
            "severity": ("low", "medium", "high")[k % 3], "category": "test",
            "confidence": 0.5, "fingerprint": f"{k % 300:064x}", "detail": "{}",
        })  # fmt: skip
        if len(batch) == 10_000:
            with eng.begin() as c:
                c.execute(analyses.insert(), batch)
            batch = []
    if batch:
        with eng.begin() as c:
            c.execute(analyses.insert(), batch)
    with eng.begin() as c:  # rows inserted behind the store's back: recompute their rollups
        rollup.rebuild(c, tid)
    with eng.begin() as c:  # the statistics a database keeps up to date itself as it grows
        c.exec_driver_sql("ANALYZE")
    eng.dispose()
    return time.perf_counter() - t0


def latency(c: httpx.Client, path: str, params: dict[str, Any], n: int = 50) -> float:
    c.get(path, params=params)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = c.get(path, params=params)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text
    return statistics.median(times) * 1000


def reads(srv: Server, rows: int) -> dict[str, Any]:
    took = fill(srv, rows)
    print(f"  filled {rows} analyses in {took:.0f} s")
    with httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {srv.token}"}) as c:
        page = latency(c, "/api/v1/analyses", {"limit": 100})
        filtered = latency(c, "/api/v1/analyses", {"limit": 100, "severity": "high",
                                                   "project": "acme/p7"})  # fmt: skip
        cur = c.get("/api/v1/analyses", params={"limit": 100}).json()["next_cursor"]
        deep = latency(c, "/api/v1/analyses", {"limit": 100, "cursor": cur})
        overview = latency(c, "/api/v1/stats/overview", {"days": 30}, n=5)
        top = latency(c, "/api/v1/stats/top-root-causes", {"days": 30}, n=5)
    print(f"  at {rows} analyses: list page p50 {page:.1f} ms, filtered {filtered:.1f} ms, next"
          f" page {deep:.1f} ms (target <= 10); overview {overview:.0f} ms (target <= 100);"
          f" top root causes {top:.0f} ms")  # fmt: skip
    return {"rows": rows, "list_p50_ms": round(page, 2), "filtered_p50_ms": round(filtered, 2),
            "next_page_p50_ms": round(deep, 2), "overview_p50_ms": round(overview, 1),
            "top_root_causes_p50_ms": round(top, 1)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rca-requests", type=int, default=200)
    args = ap.parse_args()
    report: dict[str, Any] = {}
    for backend in args.backends.split(","):
        print(f"{backend}:")
        out: dict[str, Any] = {}
        srv = Server(backend, workers=0)
        try:
            out["ingest"] = ingest_throughput(srv, args.seconds)
        finally:
            srv.close()
        srv = Server(backend, workers=2)
        try:
            out["time_to_rca"] = time_to_rca(srv, 20, args.rca_requests)
            out["reads"] = reads(srv, args.rows)
        finally:
            srv.close()
        report[backend] = out
    print(json.dumps(report))


if __name__ == "__main__":
    main()
