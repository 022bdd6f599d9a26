"""③ ⑦ Daily rollups of the analyses, for the stats reads.

Each tenant has one `daily_stats` row per UTC day of receipt, and a histogram of its times to
RCA in `daily_rca_buckets`. Both are incremented by upserts inside the very transactions that
store a run or its analysis, so they never drift from the rows they count; `rebuild` recomputes
them from the analyses (the migration that introduced them, and bulk imports, use it).

Histogram buckets are exact below one second (one bucket per millisecond) and logarithmic
above, each spanning 1 %, so a quantile read from them is within 0.5 % of the true value.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ciwhy.store.tables import analyses, daily_causes, daily_rca_buckets, daily_stats

EXACT_MS = 1000
_GROWTH = math.log(1.01)
#: Job statuses that are not failures (any other, including unknown vendor values, is one).
NOT_FAILURES = ("success", "running", "pending", "queued", "skipped", "blocked")
COUNTERS = ("received", "failures", "completed", "rca", "low", "medium", "high", "timed",
            "rca_ms_sum")  # fmt: skip
Key = tuple[str, date]


def bucket_of(ms: int) -> int:
    if ms < EXACT_MS:
        return max(0, ms)
    return EXACT_MS + int(math.log(ms / EXACT_MS) / _GROWTH)


def value_of(bucket: int) -> float:
    """A bucket's representative time in ms: itself when exact, else its geometric middle."""
    if bucket < EXACT_MS:
        return float(bucket)
    return EXACT_MS * math.exp((bucket - EXACT_MS + 0.5) * _GROWTH)


class Tally:
    """Changes to the rollups, gathered in memory and written with one upsert per table."""

    def __init__(self) -> None:
        self.days: dict[Key, Counter[str]] = defaultdict(Counter)
        self.buckets: Counter[tuple[str, date, int]] = Counter()
        self.causes: dict[tuple[str, date, str, str], tuple[int, datetime, datetime]] = {}

    def received(self, tenant_id: str, day: date, status: str, n: int = 1) -> None:
        """A newly stored run (`day`: the UTC date it was received)."""
        counts = self.days[(tenant_id, day)]
        counts["received"] += n
        counts["failures"] += n * (status not in NOT_FAILURES)

    def analysed(self, tenant_id: str, day: date, severity: str | None, has_cause: bool,
                 rca_ms: int, n: int = 1) -> None:  # fmt: skip
        """A stored analysis, counted on the day its run was received."""
        counts = self.days[(tenant_id, day)]
        counts["completed"] += n
        counts["rca"] += n * has_cause
        counts["timed"] += n
        counts["rca_ms_sum"] += n * rca_ms
        if severity in ("low", "medium", "high"):
            counts[severity] += n
        self.buckets[(tenant_id, day, bucket_of(rca_ms))] += n

    def cause(self, tenant_id: str, received: datetime, fingerprint: str, project: str,
              n: int = 1, last: datetime | None = None) -> None:  # fmt: skip
        """Analyses that found `fingerprint` in `project`, received at `received` (..`last`)."""
        key = (tenant_id, received.date(), fingerprint, project)
        last = last or received
        if key in self.causes:
            m, first, latest = self.causes[key]
            self.causes[key] = (m + n, min(first, received), max(latest, last))
        else:
            self.causes[key] = (n, received, last)

    def write(self, conn: Connection) -> None:
        """Add the changes within the caller's transaction. Rows are written in key order, so
        concurrent writers lock them in the same order (no deadlock)."""
        rows = [{"tenant_id": t, "day": d, **{c: self.days[(t, d)][c] for c in COUNTERS}}
                for t, d in sorted(self.days)]  # fmt: skip
        _upsert(conn, daily_stats, ["tenant_id", "day"], rows, COUNTERS)
        hist = [{"tenant_id": t, "day": d, "bucket": b, "n": n}
                for (t, d, b), n in sorted(self.buckets.items())]  # fmt: skip
        _upsert(conn, daily_rca_buckets, ["tenant_id", "day", "bucket"], hist, ["n"])
        causes = [{"tenant_id": t, "day": d, "fingerprint": f, "project": p, "n": n,
                   "first_seen": first, "last_seen": last}
                  for (t, d, f, p), (n, first, last) in sorted(self.causes.items())]  # fmt: skip
        _upsert(conn, daily_causes, ["tenant_id", "day", "fingerprint", "project"], causes,
                ["n"], least=["first_seen"], greatest=["last_seen"])  # fmt: skip


_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(conn: Connection, table: Table, keys: list[str], rows: list[dict[str, Any]],
            adds: Iterable[str], least: Iterable[str] = (),
            greatest: Iterable[str] = ()) -> None:  # fmt: skip
    """INSERT … ON CONFLICT DO UPDATE col = col + excluded.col (and the least or greatest of
    the two, for `least`/`greatest`), on SQLite and PostgreSQL alike. The statement is built
    once per dialect and table (building it costs more than running it)."""
    if not rows:
        return
    name = conn.dialect.name
    stmt = _UPSERTS.get((name, table.name))
    if stmt is None:
        pg = name == "postgresql"
        ins = (postgresql if pg else sqlite).insert(table)
        low, high = (func.least, func.greatest) if pg else (func.min, func.max)  # 2-arg scalars
        merge: dict[str, Any] = {c: table.c[c] + ins.excluded[c] for c in adds}
        merge |= {c: low(table.c[c], ins.excluded[c]) for c in least}
        merge |= {c: high(table.c[c], ins.excluded[c]) for c in greatest}
        stmt = ins.on_conflict_do_update(index_elements=keys, set_=merge)
        _UPSERTS[(name, table.name)] = stmt
    conn.execute(stmt, rows)


def day_of(value: Any) -> date:
    """func.date() gives a date on PostgreSQL and ISO text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def rebuild(conn: Connection, tenant_id: str | None = None, causes: bool = True) -> int:
    """Recompute the rollups from the analyses (one tenant, or all); returns the days.
    `causes=False` leaves the per-cause rollup alone (the migration that predates it)."""
    c = analyses.c
    for table in (daily_stats, daily_rca_buckets, *([daily_causes] if causes else [])):
        gone = delete(table)
        conn.execute(gone if tenant_id is None else gone.where(table.c.tenant_id == tenant_id))
    day, has_cause = func.date(c.received_at), c.root_cause.is_not(None)
    groups = (c.tenant_id, day, c.status, c.state, c.severity, has_cause, c.rca_ms)
    q = select(*groups, func.count()).group_by(*groups)
    if tenant_id is not None:
        q = q.where(c.tenant_id == tenant_id)
    tally = Tally()
    for tid, d, status, state, severity, cause, rca_ms, n in conn.execute(q):
        tally.received(tid, day_of(d), status, n)
        if state == "analyzed" and rca_ms is not None:
            tally.analysed(tid, day_of(d), severity, bool(cause), rca_ms, n)
    if not causes:
        tally.write(conn)
        return len(tally.days)
    cause_groups = (c.tenant_id, day, c.fingerprint, c.project)
    q = (
        select(*cause_groups, func.count(), func.min(c.received_at), func.max(c.received_at))
        .where(c.state == "analyzed", c.fingerprint.is_not(None))
        .group_by(*cause_groups)
    )
    if tenant_id is not None:
        q = q.where(c.tenant_id == tenant_id)
    for tid, _d, fp, project, n, first, last in conn.execute(q):
        tally.cause(tid, _utc(first), fp, project, n, _utc(last))
    tally.write(conn)
    return len(tally.days)


def _utc(value: Any) -> datetime:
    """Aggregates of timestamps: datetimes on PostgreSQL, text on SQLite."""
    at: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at if at.tzinfo else at.replace(tzinfo=UTC)
