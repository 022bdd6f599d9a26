"""``POST /ingest/build-logs``: a build's whole console log, redacted, kept compressed for
``CIWHY_BUILD_LOG_RETENTION_DAYS`` (0: not kept) and, when the build failed, analysed like
any failed log (the analysis is linked to the build). ``GET /api/v1/runs/{id}/log`` serves it
back, whole or by byte range (``Range: bytes=a-b``) for a viewer.

A log larger than ``CIWHY_MAX_LOG_BYTES`` is analysed on its last that-many bytes (a failure is
reported at the end of a log); the whole log is kept. Binary bytes are kept as U+FFFD."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import timedelta
from multiprocessing import get_context
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ciwhy import clock
from ciwhy.analysis.redact import redact
from ciwhy.ingest import buildbutler as bb
from ciwhy.ingest.normalise import FAILED_STATUSES
from ciwhy.ingest.submission import Submission
from ciwhy.store import logstore, run_reads, runs
from ciwhy.store.spool import pack
from ciwhy.web.errors import ApiError
from ciwhy.web.guard import authorize
from ciwhy.web.ingest import parse_body, read_capped


def _prepare(raw: bytes, as_json: bool, keep: bool) -> tuple[str | None, bytes, bytes | None, int]:
    """The body's buildId (JSON form), the redacted log as UTF-8, compressed (None unless
    `keep`: retention is off), and its line count."""
    if as_json:
        model = parse_body(bb.BuildLog, raw)
        build_id, text = model.buildId, model.log
    else:
        build_id, text = None, raw.decode("utf-8", "replace")
    data = redact(text).encode("utf-8", "surrogatepass")
    blob = logstore.compress(data) if keep else None
    return build_id, data, blob, logstore.count_lines(data)


#: Logs larger than this are redacted and compressed in a separate process: redaction runs
#: at a few MB/s, and on a server thread it would hold the GIL the event loop needs.
PROCESS_BYTES = 1 << 20


def _prep_pool(app: FastAPI) -> Executor:
    pool = getattr(app.state, "prep_pool", None)
    if pool is None:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        app.state.prep_pool = pool
    return pool


async def _prepared(app: FastAPI, raw: bytes, as_json: bool, keep: bool) -> tuple[Any, ...]:
    if len(raw) <= PROCESS_BYTES:
        return await run_in_threadpool(_prepare, raw, as_json, keep)
    future = _prep_pool(app).submit(_prepare, raw, as_json, keep)
    return await asyncio.wrap_future(future)


def _tail(text: str, limit: int) -> str:
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text
    cut = data[-limit:]
    nl = cut.find(b"\n")
    return cut[nl + 1 :].decode("utf-8", "replace") if nl >= 0 else cut.decode("utf-8", "replace")


async def post_build_log(request: Request) -> dict[str, Any]:
    token = await authorize(request, "ingest")
    app = request.app
    settings = app.state.settings
    app.state.limits.check("ingest", token.tenant_id)
    raw = await read_capped(request, settings.max_build_log_bytes + (1 << 20))
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    days = settings.build_log_retention_days
    build_id, data, blob, lines = await _prepared(app, raw, ctype == "application/json", days > 0)
    if build_id is None:
        build_id = request.query_params.get("buildId") or ""
        if not build_id or len(build_id) > 36:
            raise ApiError(400, "invalid_request", "the buildId query parameter is required")
    if len(data) > settings.max_build_log_bytes:
        raise ApiError(413, "log_too_large",
                       f"the log exceeds {settings.max_build_log_bytes} bytes")  # fmt: skip
    engine = app.state.store.engine
    try:
        run = await run_in_threadpool(run_reads.run_row, engine, token.tenant_id, build_id)
    except runs.UnknownRun:
        raise ApiError(404, "unknown_build", "no build with this buildId") from None
    stored = blob is not None
    location = None
    if blob is not None:
        location = await run_in_threadpool(app.state.logs.put, token.tenant_id, build_id, blob)
        old = await run_in_threadpool(
            lambda: runs.attach_log(
                engine, token.tenant_id, build_id, location=location, size=len(data),
                stored_size=len(blob), lines=lines,
                expires_at=clock.now() + timedelta(days=days), analysis_id=None,
            )
        )  # fmt: skip
        if old:
            await run_in_threadpool(app.state.logs.delete, old)
    aid = None
    if run["status"] in FAILED_STATUSES:
        aid = await _analyse(app, token.tenant_id, run, data.decode("utf-8", "replace"))
    return {"buildId": build_id, "stored": stored, "bytes": len(data), "lines": lines,
            "analysis_id": aid}  # fmt: skip


async def _analyse(app: FastAPI, tenant_id: str, run: dict[str, Any], text: str) -> str:
    settings = app.state.settings
    log = _tail(text, settings.max_log_bytes)
    sub = Submission(
        source="build_log", provider=run["provider"], project=run["project"][:500],
        status=run["status"], vendor_status=run["vendor_status"] or run["status"], log=log,
        pipeline_id=run["id"], job_id="build-log", job_name=run["pipeline"][:500],
        branch=run["branch"], commit_sha=run["commit_sha"], pipeline_url=run["url"],
        build_number=run["run_number"], run_id=run["id"],
    )  # fmt: skip
    aid, _new = await app.state.intake.submit(tenant_id, sub, await run_in_threadpool(pack, log))
    await run_in_threadpool(runs.link_analysis, app.state.store.engine, run["id"], aid)
    return str(aid)


async def analyse_stored_log_if_failed(app: FastAPI, tenant_id: str, run_id: str) -> None:
    """A log stored before its build was known to fail is analysed when the failure arrives."""
    engine = app.state.store.engine
    pending = await run_in_threadpool(run_reads.unanalysed_log, engine, tenant_id, run_id)
    if pending is None:
        return
    run, location = pending
    blob = await run_in_threadpool(app.state.logs.get, location)
    data = await run_in_threadpool(logstore.read_range, blob, 0, None)
    await _analyse(app, tenant_id, run, data.decode("utf-8", "replace"))


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """`bytes=a-b`, `bytes=a-`, `bytes=-n` to [start, end); None: the whole log; 416 when the
    range is malformed or starts past the end."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    first, dash, last = spec.strip().partition("-")
    if unit.strip() != "bytes" or not dash or "," in spec:
        raise ApiError(416, "bad_range", "only one range of the form bytes=a-b is served")
    try:
        if not first:
            start, end = max(0, size - int(last)), size
        else:
            start = int(first)
            end = min(size, int(last) + 1) if last else size
    except ValueError:
        raise ApiError(416, "bad_range", "the range is not numeric") from None
    if start >= size or end <= start:
        raise ApiError(416, "bad_range", f"the log has {size} bytes",
                       headers={"Content-Range": f"bytes */{size}"})  # fmt: skip
    return start, end


async def get_log(request: Request, run_id: str) -> Response:
    token = await authorize(request, "read")
    request.app.state.limits.check("read", token.tenant_id)
    engine = request.app.state.store.engine
    meta = await run_in_threadpool(run_reads.log_meta, engine, token.tenant_id, run_id)
    if meta is None:
        raise ApiError(404, "not_found", "this run has no stored log")
    span = parse_range(request.headers.get("range"), meta["size"])
    blob = await run_in_threadpool(request.app.state.logs.get, meta["location"])
    start, end = span or (0, meta["size"])
    body = await run_in_threadpool(logstore.read_range, blob, start, end)
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, no-store"}
    if span is None:
        return Response(body, media_type="text/plain; charset=utf-8", headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end - 1}/{meta['size']}"
    return Response(body, status_code=206, media_type="text/plain; charset=utf-8",
                    headers=headers)  # fmt: skip
