"""① ② BuildButler's ingest routes (``POST /ingest/...``), thin: authorise, read with a cap,
parse, call one store function, answer. ``Authorization: Bearer`` or ``X-API-Key``, with the
``ingest`` scope. Bad input is a 400 naming the fields, an unknown ``buildId`` a 404, a body
over its cap a 413; nothing is stored from a refused request."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ciwhy.ingest import buildbutler as bb
from ciwhy.ingest.junit import JUnitError, parse_junit
from ciwhy.ingest.sarif import SarifError, parse_sarif
from ciwhy.store import run_reads, runs
from ciwhy.web import buildlogs
from ciwhy.web.errors import ApiError
from ciwhy.web.guard import authorize
from ciwhy.web.ingest import parse_body, read_capped

JSON_CAP = 5 << 20  # builds, stages, agents: small documents


async def _begin(request: Request, cap: int) -> tuple[str, bytes]:
    token = await authorize(request, "ingest")
    request.app.state.limits.check("ingest", token.tenant_id)
    return token.tenant_id, await read_capped(request, cap)


def _store(request: Request) -> Any:
    return request.app.state.store.engine


async def _call(fn: Any, *args: Any) -> Any:
    try:
        return await run_in_threadpool(fn, *args)
    except runs.UnknownRun:
        raise ApiError(404, "unknown_build", "no build with this buildId") from None


def _is_json(request: Request) -> bool:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


def _build_id(request: Request) -> str:
    bid = request.query_params.get("buildId", "")
    if not bid or len(bid) > 36:
        detail = [{"field": "buildId", "message": "required", "type": "missing"}]
        raise ApiError(400, "invalid_request", "the buildId query parameter is required", detail)
    return bid


async def post_build(request: Request) -> JSONResponse:
    tenant, raw = await _begin(request, JSON_CAP)
    model = parse_body(bb.Build, raw)
    try:
        run_id, created = await run_in_threadpool(
            runs.upsert_run, _store(request), tenant, bb.build_to_run(model)
        )
    except runs.QuotaExceeded as exc:
        raise ApiError(402, "quota_exceeded", str(exc)) from None
    await buildlogs.analyse_stored_log_if_failed(request.app, tenant, run_id)
    row = await run_in_threadpool(run_reads.run_row, _store(request), tenant, run_id)
    return JSONResponse(bb.run_to_build(row), status_code=201 if created else 200)


async def post_stages(request: Request) -> dict[str, Any]:
    tenant, raw = await _begin(request, JSON_CAP)
    model = parse_body(bb.Stages, raw)
    await _call(runs.add_stages, _store(request), tenant, model.buildId,
                bb.stages_to_jobs(model))  # fmt: skip
    return {"buildId": model.buildId, "received": len(model.stages)}


async def post_tests(request: Request) -> dict[str, Any]:
    cap = request.app.state.settings.max_upload_bytes
    tenant, raw = await _begin(request, cap)
    if _is_json(request):
        model = await run_in_threadpool(parse_body, bb.Tests, raw)
        build_id, results = model.buildId, bb.tests_to_results(model)
    else:
        build_id = _build_id(request)
        try:
            results = await run_in_threadpool(parse_junit, raw, max_bytes=cap)
        except JUnitError as exc:
            status = 413 if exc.kind == "too_large" else 400
            raise ApiError(status, f"junit_{exc.kind}", str(exc)) from None
    counts = await _call(runs.add_tests, _store(request), tenant, build_id, results)
    return {"buildId": build_id, "received": len(results), "byStatus": counts}


async def post_agents(request: Request) -> dict[str, Any]:
    tenant, raw = await _begin(request, JSON_CAP)
    model = parse_body(bb.Agents, raw)
    reported = [
        runs.AgentReport(
            a.name, a.state, tuple(a.labels), a.executors, a.busyExecutors, a.currentBuild
        )
        for a in model.agents
    ]
    queue = [runs.QueuedJob(q.jobName, q.wait(), q.reason) for q in model.queue]
    await run_in_threadpool(runs.record_agents, _store(request), tenant,
                            model.jenkinsInstanceId, reported, queue)  # fmt: skip
    return {"agents": len(reported), "queued": len(queue)}


async def post_security(request: Request) -> dict[str, Any]:
    tenant, raw = await _begin(request, request.app.state.settings.max_upload_bytes)
    try:
        doc = await run_in_threadpool(json.loads, raw)
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "the body is not valid JSON") from None
    try:
        if isinstance(doc, dict) and "runs" in doc and "buildId" not in doc:
            build_id, found = _build_id(request), await run_in_threadpool(parse_sarif, doc)
        else:
            model = parse_body(bb.SecurityReport, raw)
            build_id = model.buildId
            found = (await run_in_threadpool(parse_sarif, model.sarif) if model.sarif
                     else bb.findings_of(model))  # fmt: skip
    except SarifError as exc:
        raise ApiError(400, "invalid_sarif", str(exc)) from None
    n = await _call(runs.add_findings, _store(request), tenant, build_id, found)
    return {"buildId": build_id, "received": n}


ROUTES = {
    "builds": (post_build, bb.Build, "Create or update a build (upsert on externalRunId)"),
    "pipeline-stages": (post_stages, bb.Stages, "Record a build's stages"),
    "tests": (post_tests, bb.Tests, "Record test results (JSON, or JUnit XML with ?buildId=)"),
    "agents": (post_agents, bb.Agents, "Report agents and the build queue"),
    "build-logs": (buildlogs.post_build_log, bb.BuildLog,
                   "Store a build's console log (JSON, or the text with ?buildId=)"),
    "security-reports": (post_security, bb.SecurityReport,
                         "Record security findings (JSON, or SARIF 2.1.0 with ?buildId=)"),
}  # fmt: skip


def install(app: FastAPI) -> None:
    router = APIRouter(tags=["build analytics ingest"])
    for name, (handler, schema, summary) in ROUTES.items():
        router.add_api_route(
            f"/ingest/{name}", handler, methods=["POST"], summary=summary,
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}
            }}},
        )  # fmt: skip
        app.state.openapi_models.append(schema)
    app.include_router(router)
