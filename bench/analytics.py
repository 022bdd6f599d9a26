"""Build-analytics ingest benchmark, on SQLite and PostgreSQL: runs with 20 jobs each
(RunWatch shape) and a 5,000-testcase JUnit XML file, beside the bare endpoint measured in
the same run.

    .venv/bin/python bench/analytics.py [--backends sqlite,postgresql] [--seconds 10]

Load comes from wrk in a separate process. Human-readable lines first, then one JSON object
with every figure on the last line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from service import Server, wrk

RUN_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "{token}"
local head = '{{"provider":"github","repository":"acme/load","pipeline_name":"CI","run_id":"'
local tail = [==[{tail}]==]
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, head .. n .. '-' .. math.random(1, 1e9) .. tail)
end
"""
XML_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/xml"
wrk.headers["Authorization"] = "Bearer {token}"
local f = io.open("{path}", "rb")
wrk.body = f:read("*a")
f:close()
"""


def run_tail(jobs: int = 20) -> str:
    js = [{"name": f"job-{k}", "job_id": k, "status": "failure" if k == 7 else "success",
           "started_at": "2026-11-20T10:00:00Z", "completed_at": "2026-11-20T10:03:00Z",
           "runner_name": f"runner-{k % 4}", "labels": ["linux", "x64"]}
          for k in range(jobs)]  # fmt: skip
    rest = {"run_attempt": 1, "status": "failure", "started_at": "2026-11-20T10:00:00Z",
            "completed_at": "2026-11-20T10:04:00Z", "triggered_by": "push", "actor": "bench",
            "branch": "main", "jobs": js}  # fmt: skip
    return '",' + json.dumps(rest)[1:]


def junit(cases: int = 5000) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<testsuites><testsuite name="pytest" tests="{cases}">']  # fmt: skip
    for k in range(cases):
        body = ""
        if k % 50 == 0:
            body = ('<failure message="AssertionError: assert 1 == 2">def test():\n'
                    ">       assert 1 == 2\nE       assert 1 == 2</failure>")  # fmt: skip
        elif k % 97 == 0:
            body = '<skipped type="pytest.skip" message="needs network"/>'
        out.append(f'<testcase classname="tests.test_mod{k % 40}" name="test_case_{k}" '
                   f'time="0.{k % 1000:03d}">{body}</testcase>')  # fmt: skip
    out.append("</testsuite></testsuites>")
    return "\n".join(out).encode()


def bench(srv: Server, seconds: int) -> dict[str, Any]:
    bare = wrk(srv.url + "/healthz", seconds)
    runs = wrk(srv.url + "/api/ingest/run", seconds,
               RUN_LUA.format(token=srv.token, tail=run_tail()))  # fmt: skip
    c = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {srv.token}"},
                     timeout=120)  # fmt: skip
    build = c.post("/ingest/builds", json={
        "jobName": "bench", "buildNumber": 1, "status": "failure", "duration": 1,
        "startedAt": "2026-11-20T10:00:00Z", "completedAt": "2026-11-20T10:00:01Z",
        "jenkinsInstanceId": "bench"}).json()["id"]  # fmt: skip
    data = junit()
    path = srv.tmp / "junit.xml"
    path.write_bytes(data)
    single = []
    for _ in range(5):
        t0 = time.perf_counter()
        r = c.post("/ingest/tests", params={"buildId": build}, content=data,
                   headers={"Content-Type": "application/xml"})  # fmt: skip
        single.append(time.perf_counter() - t0)
        assert r.status_code == 200 and r.json()["received"] == 5000, r.text
    # Two uploads at a time (CI jobs finishing together), each of the whole file.
    files = wrk(srv.url + f"/ingest/tests?buildId={build}", seconds,
                XML_LUA.format(token=srv.token, path=path), connections=2)  # fmt: skip
    best = min(single)
    print(
        f"  runs with 20 jobs: {runs:7.0f} req/s ({runs * 20:,.0f} jobs/s)   bare endpoint "
        f"{bare:7.0f} req/s   ratio {runs / bare:.3f}"
    )
    print(f"  5,000-case JUnit ({len(data) / 1e6:.2f} MB): one upload {best * 1000:.0f} ms "
          f"({5000 / best:,.0f} cases/s); under load {files:.1f} files/s "
          f"({files * 5000:,.0f} cases/s)")  # fmt: skip
    return {"bare_rps": round(bare), "runs_20_jobs_rps": round(runs),
            "runs_ratio": round(runs / bare, 4), "junit_5000_single_ms": round(best * 1000),
            "junit_5000_files_per_s": round(files, 2),
            "junit_cases_per_s": round(files * 5000)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk not installed (apt-get install wrk): nothing measured")
        print(json.dumps({"skipped": "wrk not installed"}))
        return
    report: dict[str, Any] = {}
    for backend in args.backends.split(","):
        print(f"{backend}:")
        srv = Server(backend, workers=0)
        try:
            report[backend] = bench(srv, args.seconds)
        finally:
            srv.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
