"""⑦ The HTTP application: `create_app(settings)` wires the store, the workers, the routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from ciwhy import __version__
from ciwhy.config import Settings
from ciwhy.pipeline import WorkerPool
from ciwhy.store import Store, logstore
from ciwhy.web import (
    auth,
    builds,
    channels_api,
    dashboard,
    errors,
    ingest,
    metrics,
    read_api,
    runs_api,
    runwatch,
    webhooks,
)
from ciwhy.web.guard import RateLimits, TokenCache
from ciwhy.web.intake import Intake
from ciwhy.web.json import FastJSONResponse


def create_app(
    settings: Settings, store: Store | None = None, workers: int | None = None
) -> FastAPI:
    n_workers = settings.workers if workers is None else workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        st = app.state.store
        st.sweep_spool()
        pool = WorkerPool(st, settings, n_workers) if n_workers else None
        app.state.workers = pool
        if pool:
            pool.start()
            app.state.intake.on_new = pool.nudge
        try:
            yield
        finally:
            await app.state.intake.close()
            if pool:
                pool.close()
            prep = getattr(app.state, "prep_pool", None)
            if prep is not None:  # the build-log preparation process (buildlogs.py)
                prep.shutdown(wait=True, cancel_futures=True)

    app = FastAPI(
        title="ciwhy",
        version=__version__,
        description="Why did CI fail? Root causes of failed CI logs, found on your own machines.",
        lifespan=lifespan,
        default_response_class=FastJSONResponse,
    )
    app.state.settings = settings
    app.state.store = store or Store.from_settings(settings)
    app.state.workers = None
    app.state.intake = Intake(app.state.store, writers=app.state.store.parallel_writes)
    app.state.tokens = TokenCache(app.state.store.engine, settings.token_cache_seconds)
    app.state.limits = RateLimits(
        settings.redis_url,
        ingest=settings.ingest_rate_limit,
        read=settings.read_rate_limit,
        login=settings.login_rate_limit,
    )
    app.state.logs = logstore.open_store(settings)
    app.state.openapi_models = []
    errors.install(app)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz(request: Request) -> JSONResponse:
        ok = await run_in_threadpool(request.app.state.store.ready)
        if ok:
            return JSONResponse({"status": "ready"})
        return JSONResponse(
            errors.body("not_ready", "the database is not reachable"), status_code=503
        )

    auth.install(app)
    ingest.install(app)
    builds.install(app)
    runwatch.install(app)
    webhooks.install(app)
    read_api.install(app)
    runs_api.install(app)
    metrics.install(app)
    channels_api.install(app)
    dashboard.install(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, plus the ingest bodies (read by hand, so declared here)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in app.state.openapi_models:
        js = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(js.pop("$defs", {}))
        components[model.__name__] = js
    app.openapi_schema = schema
    return schema
