"""⑦ Read API v1 (Exlogare's shapes) and the legacy offset list. Tenants are isolated in every
query: another tenant's analysis is a 404, never a 403."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ciwhy import clock
from ciwhy.store import reads, stats, tokens
from ciwhy.web.errors import ApiError
from ciwhy.web.guard import authorize, require, token_from
from ciwhy.web.json import FastJSONResponse
from ciwhy.web.session import SESSION_COOKIE, current_user

MAX_WINDOW = timedelta(days=365)
Days = Annotated[int, Query(ge=1, le=365, description="Window in days, today included")]
TopN = Annotated[int, Query(ge=1, le=50)]


ReadToken = Annotated[tokens.Token, Depends(require("read"))]


def _reader(request: Request, token: ReadToken) -> tokens.Token:
    request.app.state.limits.check("read", token.tenant_id)
    return token


Reader = Annotated[tokens.Token, Depends(_reader)]


async def _reader_or_user(request: Request) -> str:
    """The tenant of a signed-in browser (session cookie, no token sent) or of a read token."""
    if request.cookies.get(SESSION_COOKIE) and not token_from(request):
        user = await current_user(request)
        if user is None:
            raise ApiError(401, "unauthorized", "the session has ended; sign in again")
        request.app.state.limits.check("read", user.tenant_id)
        return user.tenant_id
    tok = await authorize(request, "read")
    request.app.state.limits.check("read", tok.tenant_id)
    return tok.tenant_id


def parse_time(name: str, value: str | None) -> datetime | None:
    """ISO 8601; a naive value is UTC; a bare date is its midnight."""
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(
            400, "invalid_query", f"{name}: not an ISO 8601 date or time", {"field": name}
        ) from None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def time_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`since` and `until` as times; 400 when they are unreadable, reversed or over a year."""
    t0, t1 = parse_time("since", since), parse_time("until", until)
    if t0 and t1 and t0 > t1:
        raise ApiError(400, "invalid_query", "since is after until")
    if t0 and t1 and t1 - t0 > MAX_WINDOW:
        raise ApiError(400, "invalid_query", "the since..until window exceeds 365 days")
    return t0, t1


def install(app: FastAPI) -> None:
    r = APIRouter(prefix="/api/v1", tags=["read"])

    @r.get("/analyses", summary="Analyses, newest first, by cursor pages")
    async def list_analyses(
        request: Request,
        token: Reader,
        since: str | None = None,
        until: str | None = None,
        severity: Literal["low", "medium", "high"] | None = None,
        project: str | None = None,
        source: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        cursor: str | None = None,
    ) -> JSONResponse:
        t0, t1 = time_window(since, until)
        f = reads.Filters(t0, t1, severity, project, source)
        try:
            items, nxt = await run_in_threadpool(
                reads.page, request.app.state.store.engine, token.tenant_id, f, limit, cursor
            )
        except reads.CursorError as exc:
            raise ApiError(400, "invalid_cursor", str(exc), {"field": "cursor"}) from None
        # Straight to JSON: the items are plain dicts already (no response-model pass).
        return FastJSONResponse({"items": items, "next_cursor": nxt, "limit": limit})

    @r.get("/analyses/{analysis_id}", summary="One analysis")
    async def get_analysis(request: Request, token: Reader, analysis_id: str) -> dict[str, Any]:
        found = await run_in_threadpool(
            reads.one, request.app.state.store.engine, token.tenant_id, analysis_id
        )
        if found is None:
            raise ApiError(404, "not_found", "no such analysis")
        return found

    @r.get("/stats/overview")
    async def overview(request: Request, token: Reader, days: Days = 30) -> dict[str, Any]:
        return await _stats(request, stats.overview, token, days)

    @r.get("/stats/timeseries")
    async def timeseries(request: Request, token: Reader, days: Days = 30) -> dict[str, Any]:
        return await _stats(request, stats.timeseries, token, days)

    @r.get("/stats/top-projects")
    async def top_projects(
        request: Request, token: Reader, days: Days = 30, limit: TopN = 10
    ) -> dict[str, Any]:
        return await _stats(request, stats.top_projects, token, days, limit)

    @r.get("/stats/top-root-causes")
    async def top_root_causes(
        request: Request, token: Reader, days: Days = 30, limit: TopN = 10
    ) -> dict[str, Any]:
        return await _stats(request, stats.top_root_causes, token, days, limit)

    @r.get("/auth/whoami", summary="The token this request carries: tenant, name, scopes")
    async def whoami(
        token: Annotated[tokens.Token, Depends(require(None))],
    ) -> dict[str, Any]:
        return {
            "tenant": token.tenant,
            "token_id": token.id,
            "name": token.name,
            "scopes": sorted(token.scopes),
        }

    legacy = APIRouter(tags=["legacy"])

    @legacy.get("/api/analyses", summary="Analyses by offset (legacy; prefer /api/v1)")
    async def legacy_list(
        request: Request,
        tenant_id: Annotated[str, Depends(_reader_or_user)],
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        items, total = await run_in_threadpool(
            reads.offset_page, request.app.state.store.engine, tenant_id, offset, limit
        )
        return {"items": items, "total": total, "offset": offset, "limit": limit}

    app.include_router(r)
    app.include_router(legacy)


async def _stats(request: Request, fn: Any, token: tokens.Token, *args: int) -> dict[str, Any]:
    engine = request.app.state.store.engine
    result: dict[str, Any] = await run_in_threadpool(
        fn, engine, token.tenant_id, *args, now=clock.now()
    )
    return result
