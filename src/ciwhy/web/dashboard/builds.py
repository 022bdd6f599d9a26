"""Build analytics pages: pipelines (`/pipelines`), runs (`/runs`, `/runs/{id}`), tests
(`/tests`) and agents (`/agents`), on `ciwhy.store.run_reads` and `ciwhy.store.run_stats`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ciwhy.store import reads, run_reads, run_stats, runs
from ciwhy.web.dashboard.common import Viewer, call, days_param, now, render

router = APIRouter(include_in_schema=False)
PAGE = 50
Text = Annotated[str, Query(max_length=500)]


@router.get("/pipelines", response_class=HTMLResponse)
async def pipelines(request: Request, user: Viewer, days: int | None = None) -> HTMLResponse:
    days = days_param(days)
    found = await call(request, run_stats.pipelines, user.tenant_id, days, now=now())
    return render(request, user, "dashboard/pipelines.html", items=found["items"], days=days)


@router.get("/runs", response_class=HTMLResponse)
async def list_runs(
    request: Request, user: Viewer, project: Text = "", pipeline: Text = "", branch: Text = "",
    status: Text = "", cursor: Text = "",
) -> HTMLResponse:  # fmt: skip
    form = {"project": project.strip(), "pipeline": pipeline.strip(), "branch": branch.strip(),
            "status": status.strip()}  # fmt: skip
    f = run_reads.RunFilters(**{k: v or None for k, v in form.items()})
    problems = []
    try:
        items, nxt = await call(request, run_reads.page, user.tenant_id, f, PAGE, cursor or None)
    except reads.CursorError:
        problems.append("That page link is stale; showing the first page.")
        items, nxt = await call(request, run_reads.page, user.tenant_id, f, PAGE, None)
    return render(request, user, "dashboard/runs.html", items=items, next_cursor=nxt, form=form,
                  problems=problems, paged=bool(cursor))  # fmt: skip


@router.get("/runs/{run_id}", response_class=HTMLResponse)
async def run(request: Request, user: Viewer, run_id: str) -> HTMLResponse:
    try:
        found: dict[str, Any] = await call(request, run_reads.detail, user.tenant_id, run_id[:64])
    except runs.UnknownRun:
        return render(request, user, "dashboard/not_found.html", 404, what="run")
    return render(request, user, "dashboard/run.html", r=found)


@router.get("/tests", response_class=HTMLResponse)
async def tests(request: Request, user: Viewer, days: int | None = None) -> HTMLResponse:
    days = days_param(days)
    found = await call(request, run_stats.tests, user.tenant_id, days, 25, now=now())
    return render(request, user, "dashboard/tests.html", t=found, days=days)


@router.get("/agents", response_class=HTMLResponse)
async def agents(request: Request, user: Viewer, days: int | None = None) -> HTMLResponse:
    days = days if days in (1, 7, 30) else 7
    found = await call(request, run_stats.agent_stats, user.tenant_id, days, now=now())
    return render(request, user, "dashboard/agents.html", a=found, days=days)
