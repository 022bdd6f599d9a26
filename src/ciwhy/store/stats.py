"""⑦ The stats endpoints' queries: overview, per-day series, top projects, top root causes.

The overview, the series and the top root causes read the daily rollups (rollup.py); top
projects reads the analyses.

All over one tenant's analyses received in the last `days` days (UTC calendar days, today
included)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from ciwhy.store import rollup
from ciwhy.store.reads import window
from ciwhy.store.tables import analyses, daily_causes, daily_rca_buckets, daily_stats


def _scope(tenant_id: str, days: int, now: datetime) -> list[Any]:
    start, end = window(days, now)
    return [
        analyses.c.tenant_id == tenant_id,
        analyses.c.received_at >= start,
        analyses.c.received_at <= end,
    ]


def _days(table: Any, tenant_id: str, days: int, now: datetime) -> list[Any]:
    first = window(days, now)[0].date()
    return [table.c.tenant_id == tenant_id, table.c.day >= first, table.c.day <= now.date()]


def overview(engine: Engine, tenant_id: str, days: int, now: datetime) -> dict[str, Any]:
    """Sums of the daily rollups, and the time-to-RCA quantiles from their merged histogram
    (exact below one second, within 0.5 % above): one row a day, whatever the volume."""
    d = daily_stats.c
    sums = [func.coalesce(func.sum(d[k]), 0).label(k) for k in rollup.COUNTERS]
    b = daily_rca_buckets.c
    with engine.connect() as conn:
        row = conn.execute(select(*sums).where(*_days(daily_stats, tenant_id, days, now))).one()
        hist = conn.execute(
            select(b.bucket, func.sum(b.n))
            .where(*_days(daily_rca_buckets, tenant_id, days, now))
            .group_by(b.bucket)
            .order_by(b.bucket)
        ).all()
    timed = int(row.timed)

    def quantile(q: float) -> float | None:
        """The value at position (n-1)·q of the sorted times, read off the histogram."""
        if not timed:
            return None
        at, seen = int((timed - 1) * q), 0
        for bucket, n in hist:
            seen += int(n)
            if seen > at:
                return round(rollup.value_of(bucket)) / 1000
        return None

    return {
        "failures_detected": int(row.failures),
        "analyses_completed": int(row.completed),
        "rca_count": int(row.rca),
        "severity_counts": {"low": int(row.low), "medium": int(row.medium), "high": int(row.high)},
        "avg_time_to_rca_seconds": int(row.rca_ms_sum) / timed / 1000 if timed else None,
        "p50_time_to_rca_seconds": quantile(0.5),
        "p90_time_to_rca_seconds": quantile(0.9),
        "window_days": days,
    }


def timeseries(engine: Engine, tenant_id: str, days: int, now: datetime) -> dict[str, Any]:
    d = daily_stats.c
    with engine.connect() as conn:
        counts = {
            rollup.day_of(day): int(n)
            for day, n in conn.execute(
                select(d.day, d.failures).where(*_days(daily_stats, tenant_id, days, now))
            )
        }
    first: date = window(days, now)[0].date()
    points = []
    for k in range(days):
        day = first + timedelta(days=k)
        points.append({"date": day.isoformat(), "failures": counts.get(day, 0)})
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
    """Causes by how many analyses found them (the per-cause rollups), each with its latest
    root cause and category, up to 20 of its projects, and when it was first and last seen."""
    d = daily_causes.c
    w = _days(daily_causes, tenant_id, days, now)
    n = func.sum(d.n).label("n")
    a = analyses.c
    start, end = window(days, now)
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.fingerprint, n, func.min(d.first_seen).label("first"),
                   func.max(d.last_seen).label("last"))
            .where(*w)
            .group_by(d.fingerprint)
            .order_by(n.desc(), d.fingerprint)
            .limit(limit)
        ).all()  # fmt: skip
        fingerprints = [r.fingerprint for r in rows]
        projects: dict[str, list[str]] = {f: [] for f in fingerprints}
        for fp, project in conn.execute(
            select(d.fingerprint, d.project)
            .where(*w, d.fingerprint.in_(fingerprints))
            .group_by(d.fingerprint, d.project)
            .order_by(d.fingerprint, d.project)
        ):
            if len(projects[fp]) < 20:
                projects[fp].append(project)
        items = []
        for r in rows:
            latest = conn.execute(
                select(a.root_cause, a.category)
                .where(a.tenant_id == tenant_id, a.fingerprint == r.fingerprint,
                       a.received_at >= start, a.received_at <= end)
                .order_by(a.received_at.desc(), a.id.desc())
                .limit(1)
            ).first()  # fmt: skip
            items.append(
                {
                    "fingerprint": r.fingerprint,
                    "root_cause": latest.root_cause if latest else None,
                    "category": latest.category if latest else None,
                    "count": int(r.n),
                    "projects": projects[r.fingerprint],
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
