"""⑦ Build analytics read API (``/api/v1``, ``read`` scope): runs by cursor pages and one run,
its stored log by range, per-pipeline stats, tests and agents. Another tenant's run is a 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ciwhy import clock
from ciwhy.store import reads, run_reads, run_stats, runs
from ciwhy.web import buildlogs
from ciwhy.web.errors import ApiError
from ciwhy.web.json import FastJSONResponse
from ciwhy.web.read_api import Days, Reader, TopN, time_window

Text = Annotated[str | None, Query(max_length=500)]


def install(app: FastAPI) -> None:
    r = APIRouter(prefix="/api/v1", tags=["build analytics"])

    @r.get("/runs", summary="Pipeline runs, newest first, by cursor pages")
    async def list_runs(
        request: Request, token: Reader, project: Text = None, pipeline: Text = None,
        branch: Text = None, status: Annotated[str | None, Query(max_length=100)] = None,
        since: str | None = None, until: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100, cursor: str | None = None,
    ) -> JSONResponse:  # fmt: skip
        t0, t1 = time_window(since, until)
        f = run_reads.RunFilters(project, pipeline, branch, status, t0, t1)
        try:
            items, nxt = await run_in_threadpool(
                run_reads.page, request.app.state.store.engine, token.tenant_id, f, limit, cursor
            )
        except reads.CursorError as exc:
            raise ApiError(400, "invalid_cursor", str(exc), {"field": "cursor"}) from None
        return FastJSONResponse({"items": items, "next_cursor": nxt, "limit": limit})

    @r.get("/runs/{run_id}", summary="One run: stages, jobs, tests, findings, analyses, log")
    async def get_run(request: Request, token: Reader, run_id: str) -> dict[str, Any]:
        try:
            found: dict[str, Any] = await run_in_threadpool(
                run_reads.detail, request.app.state.store.engine, token.tenant_id, run_id
            )
        except runs.UnknownRun:
            raise ApiError(404, "not_found", "no such run") from None
        return found

    r.add_api_route("/runs/{run_id}/log", buildlogs.get_log, methods=["GET"],
                    summary="A run's stored log (Range: bytes=a-b for part of it)")  # fmt: skip

    @r.get("/stats/pipelines", summary="Per pipeline: success rate, durations, queue, MTTR")
    async def pipelines(request: Request, token: Reader, days: Days = 30) -> dict[str, Any]:
        return await _call(request, run_stats.pipelines, token.tenant_id, days)

    @r.get("/tests", summary="Slowest, most failing and flaky tests")
    async def tests(
        request: Request, token: Reader, days: Days = 30, limit: TopN = 20
    ) -> dict[str, Any]:
        return await _call(request, run_stats.tests, token.tenant_id, days, limit)

    @r.get("/agents", summary="Agents: state, utilisation, queue wait")
    async def agents(request: Request, token: Reader, days: Days = 7) -> dict[str, Any]:
        return await _call(request, run_stats.agent_stats, token.tenant_id, days)

    app.include_router(r)


async def _call(request: Request, fn: Any, *args: Any) -> dict[str, Any]:
    result: dict[str, Any] = await run_in_threadpool(
        lambda: fn(request.app.state.store.engine, *args, now=clock.now())
    )
    return result
