"""⑦ The stats endpoints' queries: overview, per-day series, top projects, top root causes.

All over one tenant's analyses received in the last `days` days (UTC calendar days, today
included)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

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


def _percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def overview(engine: Engine, tenant_id: str, days: int, now: datetime) -> dict[str, Any]:
    w = _scope(tenant_id, days, now)
    with engine.connect() as conn:
        failures = conn.execute(
            select(func.count()).where(*w, analyses.c.status.not_in(NOT_FAILURES))
        ).scalar_one()
        completed = conn.execute(
            select(func.count()).where(*w, analyses.c.state == "analyzed")
        ).scalar_one()
        rca = conn.execute(
            select(func.count()).where(
                *w, analyses.c.state == "analyzed", analyses.c.root_cause.is_not(None)
            )
        ).scalar_one()
        severities = dict(
            conn.execute(
                select(analyses.c.severity, func.count())
                .where(*w, analyses.c.severity.is_not(None))
                .group_by(analyses.c.severity)
            ).all()
        )
        times = sorted(
            (r.analyzed_at - r.received_at).total_seconds()
            for r in conn.execute(
                select(analyses.c.received_at, analyses.c.analyzed_at).where(
                    *w, analyses.c.state == "analyzed"
                )
            )
        )
    avg = sum(times) / len(times) if times else None
    return {
        "failures_detected": failures,
        "analyses_completed": completed,
        "rca_count": rca,
        "severity_counts": {s: int(severities.get(s, 0)) for s in ("low", "medium", "high")},
        "avg_time_to_rca_seconds": avg,
        "p50_time_to_rca_seconds": _percentile(times, 0.5),
        "p90_time_to_rca_seconds": _percentile(times, 0.9),
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
        from datetime import UTC

        v = v.replace(tzinfo=UTC)
    return str(v.isoformat())
