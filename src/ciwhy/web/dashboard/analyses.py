"""Analyses: the filtered list by cursor pages (`/analyses`, on `ciwhy.store.reads.page`) and
one analysis (`/analyses/{id}`) with its excerpt, failing tests, CI links and cause group."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ciwhy.models import SEVERITIES
from ciwhy.store import reads
from ciwhy.web.dashboard import queries
from ciwhy.web.dashboard.common import Viewer, call, render

router = APIRouter(include_in_schema=False)
PAGE = 50
Text = Annotated[str, Query(max_length=500)]


def _day(value: str, end: bool) -> datetime | None:
    """A `YYYY-MM-DD` from a date input as the start (or end) of that UTC day."""
    if not value:
        return None
    day = datetime.strptime(value, "%Y-%m-%d").date()
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


@router.get("/analyses", response_class=HTMLResponse)
async def list_analyses(
    request: Request, user: Viewer, severity: Text = "", project: Text = "", source: Text = "",
    since: Text = "", until: Text = "", cursor: Text = "",
    limit: Annotated[int, Query(ge=1, le=200)] = PAGE,
) -> HTMLResponse:  # fmt: skip
    form = {"severity": severity, "project": project.strip(), "source": source.strip(),
            "since": since, "until": until}  # fmt: skip
    problems: list[str] = []
    if severity and severity not in SEVERITIES:
        problems.append("Severity must be low, medium or high.")
        severity = ""
    try:
        t0, t1 = _day(since, end=False), _day(until, end=True)
    except ValueError:
        problems.append("Dates must be written as YYYY-MM-DD.")
        t0 = t1 = None
    if t0 and t1 and t0 > t1:
        problems.append("“From” is after “to”.")
    items: list[dict[str, Any]] = []
    nxt = None
    if not problems:
        f = reads.Filters(t0, t1, severity or None, form["project"] or None,
                          form["source"] or None)  # fmt: skip
        try:
            items, nxt = await call(request, reads.page, user.tenant_id, f, limit, cursor or None)
        except reads.CursorError:
            problems.append("That page link is stale; showing the first page.")
            items, nxt = await call(request, reads.page, user.tenant_id, f, limit, None)
    status = 400 if problems and not items else 200
    return render(request, user, "dashboard/analyses.html", status, items=items, next_cursor=nxt,
                  form=form, severities=SEVERITIES, problems=problems,
                  paged=bool(cursor))  # fmt: skip


def numbered(excerpt: list[dict[str, Any]], cause: int | None) -> list[dict[str, Any]]:
    """The excerpt's blocks as numbered lines, the cause line marked; a gap between blocks."""
    blocks = []
    for block in excerpt:
        start = int(block.get("start_line") or 1)
        lines = str(block.get("text") or "").split("\n")
        blocks.append([{"n": start + k, "text": t, "cause": start + k == cause}
                       for k, t in enumerate(lines)])  # fmt: skip
    return blocks


@router.get("/analyses/{analysis_id}", response_class=HTMLResponse)
async def analysis(request: Request, user: Viewer, analysis_id: str) -> HTMLResponse:
    found = await call(request, reads.one, user.tenant_id, analysis_id[:64])
    if found is None:
        return render(request, user, "dashboard/not_found.html", 404, what="analysis")
    fp = found.get("fingerprint") or {}
    group = None
    if fp.get("hash"):
        group = await call(request, queries.cause_group, user.tenant_id, fp["hash"])
    return render(request, user, "dashboard/analysis.html", a=found, fingerprint=fp,
                  group=group, blocks=numbered(found["excerpt"],
                                               found["root_cause_line"]))  # fmt: skip
