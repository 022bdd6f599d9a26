"""The jobs queue in the database: claimed with a lease, retried a bounded number of times.

PostgreSQL claims with `FOR UPDATE SKIP LOCKED` (many workers, no double work); SQLite runs
the same single UPDATE statement under its write lock. A worker that dies keeps its job only
until the lease ends; then another worker takes it, up to `max_attempts` attempts in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, and_, or_, select, update

from ciwhy import clock
from ciwhy.store.db import writing
from ciwhy.store.tables import analyses, jobs


@dataclass(frozen=True)
class Job:
    id: int
    analysis_id: str
    attempts: int


def claim(engine: Engine, worker: str, lease_seconds: int, max_attempts: int) -> Job | None:
    now = clock.now()
    claimable = or_(
        jobs.c.state == "queued",
        and_(jobs.c.state == "running", jobs.c.lease_until < now),
    )
    pick = (
        select(jobs.c.id)
        .where(claimable, jobs.c.available_at <= now, jobs.c.attempts < max_attempts)
        .order_by(jobs.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    with writing(engine) as conn:
        row = conn.execute(
            update(jobs)
            .where(jobs.c.id == pick)
            .values(
                state="running",
                attempts=jobs.c.attempts + 1,
                lease_until=now + timedelta(seconds=lease_seconds),
                worker=worker,
            )
            .returning(jobs.c.id, jobs.c.analysis_id, jobs.c.attempts)
        ).first()
    return Job(row.id, row.analysis_id, row.attempts) if row else None


def give_up_exhausted(engine: Engine, max_attempts: int) -> list[str]:
    """Jobs whose every attempt died with its worker: marked failed. Their analysis ids."""
    now = clock.now()
    with writing(engine) as conn:
        ids = [
            r.analysis_id
            for r in conn.execute(
                update(jobs)
                .where(
                    jobs.c.state == "running",
                    jobs.c.lease_until < now,
                    jobs.c.attempts >= max_attempts,
                )
                .values(state="failed", last_error="the worker stopped during every attempt")
                .returning(jobs.c.analysis_id)
            )
        ]
        if ids:
            conn.execute(
                update(analyses)
                .where(analyses.c.id.in_(ids))
                .values(
                    state="failed",
                    error=f"analysis did not finish in {max_attempts} attempts (worker lost)",
                    analyzed_at=now,
                )
            )
    return ids


def retry_later(engine: Engine, job: Job, error: str, delay_seconds: float) -> None:
    with writing(engine) as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job.id)
            .values(
                state="queued",
                last_error=error[:2000],
                lease_until=None,
                available_at=clock.now() + timedelta(seconds=delay_seconds),
            )
        )


def pending_analysis_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(
            conn.execute(
                select(jobs.c.analysis_id).where(jobs.c.state.in_(("queued", "running")))
            ).scalars()
        )
