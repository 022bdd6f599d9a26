"""① ② RunWatch's ingest route: ``POST /functions/v1/ingest`` and its alias
``/api/ingest/run``. ``X-API-Key`` (or a bearer token) with the ``ingest`` scope.

Answers ``200 {"success": true, "pipeline_run_id": "<uuid>"}``; errors carry ``{"error":
"..."}`` (with ciwhy's ``code`` and ``details`` beside it): 400 naming the invalid fields, 401,
402 when a tenant quota is used up, 413, 429. Any origin may call it from a browser: CORS
preflights are answered on these paths only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from ciwhy.ingest import runwatch
from ciwhy.store import runs
from ciwhy.web.errors import ApiError
from ciwhy.web.guard import authorize
from ciwhy.web.ingest import parse_body, read_capped

PATHS = ("/functions/v1/ingest", "/api/ingest/run")
CAP = 5 << 20


async def ingest_run(request: Request) -> dict[str, Any]:
    token = await authorize(request, "ingest")
    request.app.state.limits.check("ingest", token.tenant_id)
    raw = await read_capped(request, CAP)
    model = parse_body(runwatch.PipelineRun, raw)
    try:
        run_id, _created = await run_in_threadpool(
            runs.upsert_run, request.app.state.store.engine, token.tenant_id,
            runwatch.to_run(model),
        )  # fmt: skip
    except runs.QuotaExceeded as exc:
        raise ApiError(402, "quota_exceeded", str(exc)) from None
    return {"success": True, "pipeline_run_id": run_id}


class PathCORS:
    """CORS (any origin, preflight answered) on `paths` only; other routes are untouched."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...]) -> None:
        self.app, self.paths = app, paths
        self.cors = CORSMiddleware(
            app, allow_origins=["*"], allow_methods=["POST", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-api-key", "x-client-info",
                           "apikey"], max_age=86400,
        )  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") in self.paths:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    router = APIRouter(tags=["build analytics ingest"])
    for path in PATHS:
        router.add_api_route(
            path, ingest_run, methods=["POST"], summary="Record a pipeline run (upsert)",
            openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/PipelineRun"}}}}},
        )  # fmt: skip
    app.state.openapi_models.append(runwatch.PipelineRun)
    app.include_router(router)
    app.add_middleware(PathCORS, paths=PATHS)
