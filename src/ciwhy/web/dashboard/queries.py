"""The few reads only the dashboard needs, over the per-cause rollup (`daily_causes`) and the
analyses of one cause. Everything else the pages show comes from `ciwhy.store`'s own reads."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from ciwhy.store.reads import item, window
from ciwhy.store.receivers import Receiver
from ciwhy.store.tables import analyses, daily_causes, tenants, webhook_receivers


def cause_series(
    engine: Engine, tenant_id: str, fingerprints: list[str], days: int, now: datetime
) -> dict[str, list[int]]:
    """Per fingerprint, analyses per UTC day over the window (oldest first, zero-filled)."""
    first: date = window(days, now)[0].date()
    out = {fp: [0] * days for fp in fingerprints}
    if not fingerprints:
        return out
    d = daily_causes.c
    q = (select(d.fingerprint, d.day, func.sum(d.n))
         .where(d.tenant_id == tenant_id, d.fingerprint.in_(fingerprints), d.day >= first,
                d.day <= now.date())
         .group_by(d.fingerprint, d.day))  # fmt: skip
    with engine.connect() as conn:
        for fp, day, n in conn.execute(q):
            k = (day - first).days if isinstance(day, date) else (
                date.fromisoformat(str(day)) - first).days  # fmt: skip
            if 0 <= k < days:
                out[fp][k] = int(n)
    return out


def cause_group(engine: Engine, tenant_id: str, fingerprint: str) -> dict[str, Any] | None:
    """One cause over all time: how many analyses found it, where, first and last seen."""
    d = daily_causes.c
    w = (d.tenant_id == tenant_id, d.fingerprint == fingerprint)
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.project, func.sum(d.n), func.min(d.first_seen), func.max(d.last_seen))
            .where(*w).group_by(d.project).order_by(func.sum(d.n).desc(), d.project)
        ).all()  # fmt: skip
    if not rows:
        return None
    return {
        "fingerprint": fingerprint,
        "count": sum(int(r[1]) for r in rows),
        "projects": [{"project": r[0], "count": int(r[1])} for r in rows],
        "first_seen": min(_time(r[2]) for r in rows),
        "last_seen": max(_time(r[3]) for r in rows),
    }


def cause_analyses(
    engine: Engine, tenant_id: str, fingerprint: str, limit: int = 50
) -> list[dict[str, Any]]:
    """The latest analyses that found this cause, as the API shows them."""
    q = (select(analyses)
         .where(analyses.c.tenant_id == tenant_id, analyses.c.fingerprint == fingerprint)
         .order_by(analyses.c.received_at.desc(), analyses.c.id.desc()).limit(limit))  # fmt: skip
    with engine.connect() as conn:
        result = conn.execute(q)
        keys = list(result.keys())
        return [item(dict(zip(keys, row, strict=True))) for row in result.all()]


def _time(v: Any) -> datetime:
    return datetime.fromisoformat(v) if isinstance(v, str) else v


def days_back(days: int, now: datetime) -> list[str]:
    """The window's days as ISO dates, oldest first."""
    first = window(days, now)[0].date()
    return [(first + timedelta(days=k)).isoformat() for k in range(days)]


def receivers_of(engine: Engine, tenant_id: str) -> dict[str, Any]:
    """The tenant's webhook receivers by provider (read only: none is created here)."""
    r = webhook_receivers.c
    q = (select(r.id, r.tenant_id, tenants.c.name, r.provider, r.secret)
         .join(tenants, tenants.c.id == r.tenant_id).where(r.tenant_id == tenant_id))  # fmt: skip
    with engine.connect() as conn:
        return {row.provider: Receiver(*row) for row in conn.execute(q)}
