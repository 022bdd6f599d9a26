"""The overview (`/`): failures, the severity split, time to RCA, failures per day, and the top
projects and root causes, all from `ciwhy.store.stats` over a window of days."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ciwhy.store import stats
from ciwhy.web.dashboard import charts
from ciwhy.web.dashboard.common import Viewer, call, days_param, now, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request, user: Viewer, days: int | None = None) -> HTMLResponse:
    days = days_param(days)
    at = now()
    tid = user.tenant_id
    # Four independent reads, side by side on the thread pool (each its own connection).
    summary, series, projects, causes = await asyncio.gather(
        call(request, stats.overview, tid, days, at),
        call(request, stats.timeseries, tid, days, at),
        call(request, stats.top_projects, tid, days, 10, at),
        call(request, stats.top_root_causes, tid, days, 10, at),
    )
    points = [(p["date"][5:], p["failures"]) for p in series["points"]]
    chart = charts.chart(
        points, label=f"Failures per day, last {days} days", unit="failures", kind="bar"
    )
    sev = summary["severity_counts"]
    total = sum(sev.values())
    split = [
        {"name": k, "n": v, "share": v / total if total else 0.0}
        for k, v in (("high", sev["high"]), ("medium", sev["medium"]), ("low", sev["low"]))
    ]
    return render(request, user, "dashboard/overview.html", days=days, summary=summary,
                  split=split, chart=chart, projects=projects["items"],
                  causes=causes["items"])  # fmt: skip
