"""⑦ The stats endpoints' queries: overview, per-day series, top projects, top root causes.

All over one tenant's analyses received in the last `days` days (UTC calendar days, today
included)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, select

from ciwhy.store.reads import window
from ciwhy.store.tables import analyses

#: Job statuses that are not failures (any other, including unknown vendor values, is one).
NOT_FAILURES = ("success", "running", "pending", "queued", "skipped", "blocked")


def _scope(tenant_id: str, days: int, now: datetime) -> list[Any]:
    start, end = window(days, now)
    return [
        analyses.c.tenant_id == tenant_id,
        analyses.c.received_at >= start,
        analyses.c.received_at <= end,
    ]


def overview(engine: Engine, tenant_id: str, days: int, now: datetime) -> dict[str, Any]:
    """One pass over the window for the counts, then the time-to-RCA quantiles by position."""
    w = _scope(tenant_id, days, now)
    c = analyses.c
    analysed = c.state == "analyzed"

    def count_if(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    with engine.connect() as conn:
        row = conn.execute(
            select(
                count_if(c.status.not_in(NOT_FAILURES)).label("failures"),
                count_if(analysed).label("completed"),
                count_if(analysed & c.root_cause.is_not(None)).label("rca"),
                count_if(c.severity == "low").label("low"),
                count_if(c.severity == "medium").label("medium"),
                count_if(c.severity == "high").label("high"),
                func.count(c.rca_ms).label("timed"),
                func.avg(c.rca_ms).label("avg_ms"),
            ).where(*w)
        ).one()
        timed = int(row.timed)

        def quantile(q: float) -> float | None:
            if not timed:
                return None
            at = conn.execute(
                select(c.rca_ms)
                .where(*w, c.rca_ms.is_not(None))
                .order_by(c.rca_ms)
                .offset(int((timed - 1) * q))
                .limit(1)
            ).scalar()
            return None if at is None else at / 1000

        p50, p90 = quantile(0.5), quantile(0.9)
    return {
        "failures_detected": int(row.failures),
        "analyses_completed": int(row.completed),
        "rca_count": int(row.rca),
        "severity_counts": {"low": int(row.low), "medium": int(row.medium), "high": int(row.high)},
        "avg_time_to_rca_seconds": None if row.avg_ms is None else float(row.avg_ms) / 1000,
        "p50_time_to_rca_seconds": p50,
        "p90_time_to_rca_seconds": p90,
        "window_days": days,
    }


def timeseries(engine: Engine, tenant_id: str, days: int, now: datetime) -> dict[str, Any]:
    w = _scope(tenant_id, days, now)
    day = func.date(analyses.c.received_at)
    with engine.connect() as conn:
        counts = {
            str(d): int(n)
            for d, n in conn.execute(
                select(day, func.count())
                .where(*w, analyses.c.status.not_in(NOT_FAILURES))
                .group_by(day)
            )
        }
    first: date = window(days, now)[0].date()
    points = []
    for k in range(days):
        d = (first + timedelta(days=k)).isoformat()
        points.append({"date": d, "failures": counts.get(d, 0)})
    return {"points": points, "window_days": days}


def top_projects(
    engine: Engine, tenant_id: str, days: int, limit: int, now: datetime
) -> dict[str, Any]:
    w = _scope(tenant_id, days, now)
    n = func.count().label("n")
    with engine.connect() as conn:
        rows = conn.execute(
            select(analyses.c.project, n, func.max(analyses.c.received_at).label("last"))
            .where(*w)
            .group_by(analyses.c.project)
            .order_by(n.desc(), analyses.c.project)
            .limit(limit)
        ).all()
    items = [
        {"project_path": r.project, "failures": int(r.n), "last_seen": _iso(r.last)} for r in rows
    ]
    return {"items": items, "window_days": days}


def top_root_causes(
    engine: Engine, tenant_id: str, days: int, limit: int, now: datetime
) -> dict[str, Any]:
    w = [*_scope(tenant_id, days, now), analyses.c.fingerprint.is_not(None)]
    n = func.count().label("n")
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                analyses.c.fingerprint,
                n,
                func.min(analyses.c.received_at).label("first"),
                func.max(analyses.c.received_at).label("last"),
                func.max(analyses.c.root_cause).label("root_cause"),
                func.max(analyses.c.category).label("category"),
            )
            .where(*w)
            .group_by(analyses.c.fingerprint)
            .order_by(n.desc(), analyses.c.fingerprint)
            .limit(limit)
        ).all()
        items = []
        for r in rows:
            projects = conn.execute(
                select(analyses.c.project)
                .where(*w, analyses.c.fingerprint == r.fingerprint)
                .group_by(analyses.c.project)
                .order_by(analyses.c.project)
                .limit(20)
            ).scalars()
            items.append(
                {
                    "fingerprint": r.fingerprint,
                    "root_cause": r.root_cause,
                    "category": r.category,
                    "count": int(r.n),
                    "projects": list(projects),
                    "first_seen": _iso(r.first),
                    "last_seen": _iso(r.last),
                }
            )
    return {"items": items, "window_days": days}


def _iso(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):  # SQLite aggregates come back as text
        v = datetime.fromisoformat(v)
    if v.tzinfo is None:
        v = v.replace(tzinfo=UTC)
    return str(v.isoformat())
