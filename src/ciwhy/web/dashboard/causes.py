"""Root causes: recurring causes grouped by fingerprint (`/causes`, from
`ciwhy.store.stats.top_root_causes`) with a per-day sparkline, and one cause
(`/causes/{fingerprint}`) with its projects and latest analyses."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ciwhy.store import stats
from ciwhy.web.dashboard import charts, queries
from ciwhy.web.dashboard.common import Viewer, call, days_param, now, render

router = APIRouter(include_in_schema=False)
LIMIT = 50


@router.get("/causes", response_class=HTMLResponse)
async def causes(request: Request, user: Viewer, days: int | None = None) -> HTMLResponse:
    days = days_param(days)
    at = now()
    top = await call(request, stats.top_root_causes, user.tenant_id, days, LIMIT, at)
    items = top["items"]
    series = await call(request, queries.cause_series, user.tenant_id,
                        [c["fingerprint"] for c in items], days, at)  # fmt: skip
    for c in items:
        c["spark"] = charts.sparkline(
            series[c["fingerprint"]], label=f"{c['count']} in {days} days, per day"
        )
    return render(request, user, "dashboard/causes.html", items=items, days=days)


@router.get("/causes/{fingerprint}", response_class=HTMLResponse)
async def cause(request: Request, user: Viewer, fingerprint: str) -> HTMLResponse:
    fingerprint = fingerprint[:64]
    group = await call(request, queries.cause_group, user.tenant_id, fingerprint)
    if group is None:
        return render(request, user, "dashboard/not_found.html", 404, what="root cause")
    at = now()
    found = await call(request, queries.cause_analyses, user.tenant_id, fingerprint)
    per_day = (await call(request, queries.cause_series, user.tenant_id, [fingerprint], 90,
                          at))[fingerprint]  # fmt: skip
    days = queries.days_back(90, at)
    chart = charts.chart([(d[5:], n) for d, n in zip(days, per_day, strict=True)],
                         label="Analyses with this cause per day, last 90 days",
                         unit="analyses", label_every=15)  # fmt: skip
    latest = found[0] if found else None
    return render(request, user, "dashboard/cause.html", group=group, analyses=found,
                  latest=latest, chart=chart)  # fmt: skip
