"""The digest: for a window of time, the failures a tenant's channel would care about (how
many, by severity, the top root causes with counts, the newest high-severity ones), written
to the outbox as one message per channel. `ciwhy digest` and the daily schedule
(CIWHY_DIGEST_AT, see sender.py) enqueue them; the sender delivers them like any message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, true

from ciwhy import clock
from ciwhy.notify import rules
from ciwhy.store.db import writing
from ciwhy.store.outbox import insert_rows, new_row, short
from ciwhy.store.rollup import NOT_FAILURES
from ciwhy.store.tables import analyses
from ciwhy.store.tables_people import channels

TOP = 5


def digest_facts(
    conn: Connection,
    tenant_id: str,
    since: datetime,
    until: datetime,
    projects: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """The failures analysed among the runs received in [since, until): how many, by
    severity, the top root causes with counts, and the newest high-severity ones."""
    c = analyses.c
    where = [
        c.tenant_id == tenant_id,
        c.received_at >= since,
        c.received_at < until,
        c.state == "analyzed",
        c.status.not_in(NOT_FAILURES),
    ]
    if projects is not None:
        where.append(c.project.in_(projects))
    split = {
        str(s): int(n)
        for s, n in conn.execute(
            select(c.severity, func.count()).where(*where).group_by(c.severity)
        )
    }
    n = func.count().label("n")
    top = conn.execute(
        select(c.fingerprint, n, func.max(c.root_cause).label("root_cause"))
        .where(*where, c.fingerprint.is_not(None))
        .group_by(c.fingerprint)
        .order_by(n.desc(), c.fingerprint)
        .limit(TOP)
    ).all()
    newest = conn.execute(
        select(c.id, c.project, c.branch, c.root_cause)
        .where(*where, c.severity == "high")
        .order_by(c.received_at.desc(), c.id.desc())
        .limit(TOP)
    ).all()
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "failures": sum(split.values()),
        "severity": {s: split.get(s, 0) for s in rules.SEVERITIES},
        "top_causes": [{"root_cause": short(r.root_cause, 160), "n": int(r.n)} for r in top],
        "newest_high": [
            {
                "analysis_id": r.id,
                "project": r.project,
                "branch": r.branch,
                "root_cause": short(r.root_cause, 160),
            }
            for r in newest
        ],
    }


def enqueue_digest(
    engine: Engine,
    tenant_id: str,
    since: datetime,
    until: datetime | None = None,
    channel_id: str | None = None,
    dedupe_key: str | None = None,
) -> list[int]:
    """A digest of [since, until) (until: now) for each enabled channel of the tenant, or
    only `channel_id`; each channel's digest counts only its projects. `dedupe_key` (e.g.
    "digest:2026-11-25") makes a scheduled digest once per channel however many workers
    enqueue it. Returns the new outbox ids (none for an unknown or disabled channel)."""
    until = until or clock.now()
    with writing(engine) as conn:
        q = select(channels.c.id, channels.c.projects).where(
            channels.c.tenant_id == tenant_id, channels.c.enabled == true()
        )
        if channel_id is not None:
            q = q.where(channels.c.id == channel_id)
        rows = []
        for ch in conn.execute(q.order_by(channels.c.id)).all():
            projects = rules.rule_of("low", ch.projects, False).projects
            facts = digest_facts(conn, tenant_id, since, until, projects)
            rows.append(new_row(tenant_id, ch.id, "digest", facts, dedupe_key, clock.now()))
        return insert_rows(conn, rows)


def tenants_with_channels(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        q = select(channels.c.tenant_id).where(channels.c.enabled == true()).distinct()
        return sorted(str(t) for t in conn.execute(q).scalars())
