"""⑥ The durable outbox of notifications (the `outbox` and `deliveries` tables).

Messages are written in the transaction that decides them: `enqueue_for_analysis` runs
inside `Store.complete`, so an analysis and its notifications commit together (nothing is
lost when the server dies just after). Senders `claim` a row under a lease (PostgreSQL:
`FOR UPDATE SKIP LOCKED`; SQLite: the same UPDATE under its write lock, as in queue.py),
send it, then record the attempt: `delivered`, or `retry_later` with exponential backoff
(10 s, 30 s, 90 s ... capped at one hour) until `max_attempts`, when the row is `failed`
with the last error. Every attempt leaves a row in `deliveries`.

Delivery is at least once: a sender that dies after sending but before recording loses its
lease and the message is sent again (Matrix and the generic webhook carry the outbox id so
receivers can drop the repeat). A row's payload holds the message's facts, not its text.
Digests are gathered and enqueued by `ciwhy.notify.digest`, through `insert_rows`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from ciwhy import clock
from ciwhy.notify import rules
from ciwhy.store.db import writing
from ciwhy.store.rollup import NOT_FAILURES
from ciwhy.store.tables import analyses
from ciwhy.store.tables_people import channels, deliveries, outbox

MAX_ATTEMPTS = 8
FIRST_DELAY = 10.0
MAX_DELAY = 3600.0
ROOT_CAUSE_CHARS = 300
LOST = "the sender stopped during the last attempt"


@dataclass(frozen=True)
class Item:
    """A claimed outbox row and the channel it goes to."""

    id: int
    tenant_id: str
    channel_id: str
    kind: str  # analysis | digest | test
    payload: dict[str, Any]
    attempts: int  # this attempt's number, from 1
    channel_kind: str
    channel_name: str
    config: dict[str, Any]
    enabled: bool


def backoff(attempts: int) -> float:
    """Seconds to wait after failed attempt number `attempts` (1-based): 10, 30, 90 ... 3600."""
    return min(MAX_DELAY, FIRST_DELAY * 3.0 ** max(0, attempts - 1))


def insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert outbox rows; one whose (channel, dedupe_key) exists already is skipped."""
    if not rows:
        return []
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(outbox)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["channel_id", "dedupe_key"])
        .returning(outbox.c.id)
    )
    return [int(i) for i in conn.execute(stmt).scalars()]


def new_row(
    tenant_id: str,
    channel_id: str,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "channel_id": channel_id,
        "kind": kind,
        "payload": json.dumps(payload),
        "dedupe_key": dedupe_key,
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def short(text: str | None, n: int = ROOT_CAUSE_CHARS) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- enqueue ------------------------------------------------------------------------------


def previous_sighting(
    conn: Connection, tenant_id: str, fingerprint: str, received_at: datetime, analysis_id: str
) -> datetime | None:
    """When the tenant last received an analysis with this fingerprint before this one (ties
    on received_at broken by id); one probe of ix_analyses_tenant_fingerprint_received."""
    c = analyses.c
    q = (
        select(c.received_at)
        .where(
            c.tenant_id == tenant_id,
            c.fingerprint == fingerprint,
            c.id != analysis_id,
            or_(
                c.received_at < received_at, and_(c.received_at == received_at, c.id < analysis_id)
            ),
        )
        .order_by(c.received_at.desc())
        .limit(1)
    )
    found: datetime | None = conn.execute(q).scalar()
    return found


def enqueue_for_analysis(conn: Connection, analysis_id: str) -> list[int]:
    """Within the caller's transaction: an outbox row for each enabled channel of the
    analysis's tenant whose rule wants it. Nothing when the run did not fail, when the
    analysis is unknown, or when no channel wants it. Idempotent per (channel, analysis).
    Returns the new outbox ids."""
    c = analyses.c
    a = conn.execute(
        select(
            c.tenant_id,
            c.status,
            c.severity,
            c.project,
            c.branch,
            c.fingerprint,
            c.received_at,
            c.root_cause,
            c.category,
            c.job_name,
        ).where(c.id == analysis_id)
    ).first()
    if a is None or a.status in NOT_FAILURES:
        return []
    chans = conn.execute(
        select(
            channels.c.id, channels.c.min_severity, channels.c.projects, channels.c.new_causes_only
        )
        .where(channels.c.tenant_id == a.tenant_id, channels.c.enabled == true())
        .order_by(channels.c.id)
    ).all()
    if not chans:
        return []
    new_cause: bool | None = None
    payload = {
        "analysis_id": analysis_id,
        "project": a.project,
        "branch": a.branch,
        "severity": a.severity,
        "category": a.category,
        "job_name": a.job_name,
        "root_cause": short(a.root_cause),
    }
    now = clock.now()
    rows = []
    for ch in chans:
        rule = rules.rule_of(ch.min_severity, ch.projects, ch.new_causes_only)
        if rule.new_causes_only and new_cause is None:
            prev = (
                previous_sighting(conn, a.tenant_id, a.fingerprint, a.received_at, analysis_id)
                if a.fingerprint
                else None
            )
            new_cause = rules.is_new_cause(a.received_at, prev)
        if rules.wants(rule, a.severity, a.project, True if new_cause is None else new_cause):
            rows.append(
                new_row(a.tenant_id, ch.id, "analysis", payload, f"analysis:{analysis_id}", now)
            )
    return insert_rows(conn, rows)


def enqueue_test(engine: Engine, tenant_id: str, channel_id: str) -> int | None:
    """A test message for the channel (sent even while it is disabled); None when the tenant
    has no such channel."""
    with writing(engine) as conn:
        found = conn.execute(
            select(channels.c.id).where(
                channels.c.id == channel_id, channels.c.tenant_id == tenant_id
            )
        ).first()
        if found is None:
            return None
        ids = insert_rows(conn, [new_row(tenant_id, channel_id, "test", {}, None, clock.now())])
    return ids[0]


# --- send ---------------------------------------------------------------------------------


def _claimable(now: datetime, max_attempts: int) -> list[Any]:
    o = outbox.c
    return [
        o.state == "pending",
        o.next_attempt_at <= now,
        o.attempts < max_attempts,
        or_(o.lease_until.is_(None), o.lease_until < now),
    ]


def has_due(engine: Engine, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Whether a row is ready to claim: a read, so idle senders do not take the write lock."""
    with engine.connect() as conn:
        q = select(outbox.c.id).where(*_claimable(clock.now(), max_attempts)).limit(1)
        return conn.execute(q).first() is not None


def claim(
    engine: Engine,
    worker: str,
    lease_seconds: float,
    max_attempts: int = MAX_ATTEMPTS,
    only: list[int] | None = None,
) -> Item | None:
    """The oldest due row (or one of `only`), leased to `worker` for `lease_seconds`; its
    attempt counted. None when nothing is due."""
    del worker  # the lease is the claim; the name is for the caller's logs
    now = clock.now()
    where = _claimable(now, max_attempts)
    if only is not None:
        where.append(outbox.c.id.in_(only))
    pick = (
        select(outbox.c.id)
        .where(*where)
        .order_by(outbox.c.next_attempt_at, outbox.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    o = outbox.c
    with writing(engine) as conn:
        row = conn.execute(
            update(outbox)
            .where(o.id == pick)
            .values(attempts=o.attempts + 1, lease_until=now + timedelta(seconds=lease_seconds))
            .returning(o.id, o.tenant_id, o.channel_id, o.kind, o.payload, o.attempts)
        ).first()
        if row is None:
            return None
        ch = conn.execute(
            select(channels.c.kind, channels.c.name, channels.c.config, channels.c.enabled).where(
                channels.c.id == row.channel_id
            )
        ).one()
    return Item(
        int(row.id),
        row.tenant_id,
        row.channel_id,
        row.kind,
        json.loads(row.payload),
        int(row.attempts),
        ch.kind,
        ch.name,
        json.loads(ch.config),
        bool(ch.enabled),
    )


def _log(
    conn: Connection,
    item: Item,
    ok: bool,
    status_code: int | None,
    error: str | None,
    duration_ms: int | None,
) -> None:
    conn.execute(
        insert(deliveries).values(
            outbox_id=item.id,
            channel_id=item.channel_id,
            attempt=item.attempts,
            at=clock.now(),
            ok=ok,
            status_code=status_code,
            error=error[:2000] if error else None,
            duration_ms=duration_ms,
        )
    )


def _mine(item: Item) -> Any:
    """This attempt's row (not one another sender has claimed since our lease ran out)."""
    return and_(outbox.c.id == item.id, outbox.c.attempts == item.attempts)


def delivered(engine: Engine, item: Item, status_code: int | None, duration_ms: int) -> None:
    with writing(engine) as conn:
        _log(conn, item, True, status_code, None, duration_ms)
        conn.execute(
            update(outbox)
            .where(_mine(item))
            .values(state="delivered", delivered_at=clock.now(), lease_until=None, last_error=None)
        )


def retry_later(
    engine: Engine,
    item: Item,
    error: str,
    status_code: int | None,
    duration_ms: int | None,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """Log the failed attempt; schedule the next after `backoff`, or mark the row failed
    when this was attempt `max_attempts`. The row's new state: "pending" or "failed"."""
    now = clock.now()
    state = "failed" if item.attempts >= max_attempts else "pending"
    with writing(engine) as conn:
        _log(conn, item, False, status_code, error, duration_ms)
        conn.execute(
            update(outbox)
            .where(_mine(item))
            .values(
                state=state,
                last_error=error[:2000],
                lease_until=None,
                next_attempt_at=now + timedelta(seconds=backoff(item.attempts)),
            )
        )
    return state


def drop(engine: Engine, item: Item, reason: str) -> None:
    """Mark the row failed without sending (its channel was disabled); no delivery row."""
    with writing(engine) as conn:
        conn.execute(
            update(outbox)
            .where(_mine(item))
            .values(state="failed", last_error=reason[:2000], lease_until=None)
        )


def give_up_exhausted(engine: Engine, max_attempts: int = MAX_ATTEMPTS) -> int:
    """Rows whose every attempt died with its sender (lease over, attempts used): failed."""
    o = outbox.c
    with writing(engine) as conn:
        return conn.execute(
            update(outbox)
            .where(o.state == "pending", o.attempts >= max_attempts, o.lease_until < clock.now())
            .values(
                state="failed",
                lease_until=None,
                last_error=func.coalesce(o.last_error + "; " + LOST, LOST),
            )
        ).rowcount
