"""The store: one engine, the spool, and the writes of the ingest → analyse flow."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from ciwhy import clock
from ciwhy.models import Analysis
from ciwhy.store import db, queue, rollup
from ciwhy.store.db import writing
from ciwhy.store.outbox import enqueue_for_analysis
from ciwhy.store.spool import DatabaseSpool, FileSpool, pack
from ciwhy.store.tables import analyses, jobs


class SubmissionLike(Protocol):
    source: str
    provider: str
    project: str
    status: str
    vendor_status: str | None
    log: str
    pipeline_id: str | None
    job_id: str | None
    job_name: str | None
    branch: str | None
    commit_sha: str | None
    pipeline_url: str | None
    job_url: str | None
    build_number: str | None

    def dedupe_key(self, tenant_id: str) -> str | None: ...


@dataclass
class Store:
    engine: Engine
    spool: FileSpool | DatabaseSpool

    @classmethod
    def open(cls, url: str, spool_dir: Any, fsync: bool = False, where: str = "auto") -> Store:
        """`where` the raw logs wait: "file" (the data directory), "database", or "auto" —
        files on SQLite (one host), the database on PostgreSQL (replicas on many hosts)."""
        engine = db.engine_for(url)
        if where == "auto":
            where = "file" if engine.dialect.name == "sqlite" else "database"
        if where not in ("file", "database"):
            raise ValueError(f"spool must be auto, file or database (not {where!r})")
        spool = FileSpool(spool_dir, fsync) if where == "file" else DatabaseSpool(engine)
        return cls(engine, spool)

    @classmethod
    def from_settings(cls, settings: Any) -> Store:
        return cls.open(
            settings.database_url, settings.spool_dir, bool(settings.spool_fsync), settings.spool
        )

    @property
    def parallel_writes(self) -> int:
        """Write transactions worth running at once: SQLite takes one at a time."""
        return 1 if self.engine.dialect.name == "sqlite" else 3

    def migrate(self) -> None:
        db.migrate(self.engine)

    def ready(self) -> bool:
        return db.ping(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ① ② ③ ingest ----------------------------------------------------------------------------

    def submit_many(
        self, items: Sequence[tuple[str, SubmissionLike]], packed: Sequence[bytes] | None = None
    ) -> list[tuple[str, bool]]:
        """Store runs and queue their logs in one transaction (a group commit): for each, the
        analysis id and whether it is new. The same pipeline and job (per tenant, provider and
        project) is one analysis, within a batch, across batches, and when another process
        races this one; a batch that meets such a race is stored again one run at a time.
        `packed`: the logs already packed for the spool (spool.pack), else packed here."""
        logs = list(packed) if packed is not None else [pack(s.log) for _, s in items]
        try:
            return self._insert(items, logs)
        except IntegrityError:
            if len(items) > 1:
                return [
                    self.submit_many([it], [log])[0] for it, log in zip(items, logs, strict=True)
                ]
            found = self._by_keys([items[0][1].dedupe_key(items[0][0])])
            if not found:
                raise
            return [(next(iter(found.values())), False)]

    def _insert(
        self, items: Sequence[tuple[str, SubmissionLike]], packed: list[bytes]
    ) -> list[tuple[str, bool]]:
        """One connection and one transaction for the batch (its dedupe lookup included)."""
        keys = [sub.dedupe_key(tenant_id) for tenant_id, sub in items]
        out: list[tuple[str, bool]] = []
        fresh: list[tuple[str, str, SubmissionLike, str | None]] = []
        logs: list[tuple[str, bytes]] = []
        try:
            with writing(self.engine) as conn:
                known = self._by_keys(keys, conn)
                for (tenant_id, sub), key, data in zip(items, keys, packed, strict=True):
                    if key is not None and key in known:
                        out.append((known[key], False))
                        continue
                    aid = str(uuid.uuid4())
                    if key is not None:
                        known[key] = aid  # a duplicate later in this batch is this run
                    out.append((aid, True))
                    fresh.append((aid, tenant_id, sub, key))
                    logs.append((aid, data))
                if not fresh:
                    return out
                now = clock.now()
                tally = rollup.Tally()
                for _, tenant_id, sub, _ in fresh:
                    tally.received(tenant_id, now.date(), sub.status)
                # A spool file commits first (each log must exist once its job does); the
                # database spool commits with the runs.
                self.spool.put_many(logs, conn if self.spool.transactional else None)
                # (in dedupe-key order: two replicas inserting overlapping batches then wait on
                # each other's keys in the same order instead of deadlocking)
                fresh.sort(key=lambda f: f[3] or "")
                conn.execute(insert(analyses), [_row(*f, now) for f in fresh])
                conn.execute(insert(jobs), [
                    {"analysis_id": aid, "state": "queued", "attempts": 0, "available_at": now}
                    for aid, *_ in fresh
                ])  # fmt: skip
                tally.write(conn)
        except BaseException:
            if not self.spool.transactional:
                for aid, _ in logs:
                    self.spool.delete(aid)
            raise
        return out

    def _by_keys(
        self, keys: Sequence[str | None], conn: Connection | None = None
    ) -> dict[str, str]:
        wanted = sorted({k for k in keys if k is not None})
        found: dict[str, str] = {}
        with nullcontext(conn) if conn is not None else self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(analyses.c.dedupe_key, analyses.c.id).where(
                    analyses.c.dedupe_key.in_(wanted[i : i + 500])
                )
                found.update({k: str(aid) for k, aid in conn.execute(q)})
        return found

    # ④ ⑤ analysis results ------------------------------------------------------------------------

    def complete(self, job: queue.Job, result: Analysis) -> None:
        detail = {
            "excerpt": [
                {"start_line": e.start_line, "end_line": e.end_line, "text": e.text}
                for e in result.excerpt
            ],
            "failing_tests": [
                {"name": t.name, "file": t.file, "line": t.line} for t in result.failing_tests
            ],
            "fingerprint": result.fingerprint.as_dict(),
            "failing_step": asdict(result.failing_step) if result.failing_step else None,
            "exit_code": result.exit_code,
            "lines": result.lines,
            "notes": list(result.notes),
        }
        now = clock.now()
        with writing(self.engine) as conn:
            tenant_id, received, project = conn.execute(
                select(analyses.c.tenant_id, analyses.c.received_at, analyses.c.project).where(
                    analyses.c.id == job.analysis_id
                )
            ).one()
            rca_ms = max(0, round((now - received).total_seconds() * 1000))
            conn.execute(
                update(analyses)
                .where(analyses.c.id == job.analysis_id)
                .values(
                    state="analyzed",
                    analyzed_at=now,
                    rca_ms=rca_ms,
                    root_cause=result.root_cause,
                    explanation=result.explanation,
                    fix_suggestion=result.fix_suggestion,
                    category=result.category,
                    domain=result.domain,
                    severity=result.severity,
                    confidence=result.confidence,
                    root_cause_line=result.root_cause_line,
                    signature=result.signature,
                    fingerprint=result.fingerprint.hash,
                    detail=json.dumps(detail),
                )
            )
            conn.execute(
                update(jobs).where(jobs.c.id == job.id).values(state="done", lease_until=None)
            )
            tally = rollup.Tally()
            tally.analysed(tenant_id, received.date(), result.severity,
                           result.root_cause is not None, rca_ms)  # fmt: skip
            tally.cause(tenant_id, received, result.fingerprint.hash, project)
            tally.write(conn)
            enqueue_for_analysis(conn, job.analysis_id)  # its notifications (failed runs only)
        self.spool.delete(job.analysis_id)  # the raw log goes as soon as its analysis is stored

    def fail(self, job: queue.Job, reason: str) -> None:
        now = clock.now()
        with writing(self.engine) as conn:
            conn.execute(
                update(analyses)
                .where(analyses.c.id == job.analysis_id)
                .values(state="failed", error=reason[:2000], analyzed_at=now)
            )
            conn.execute(
                update(jobs)
                .where(jobs.c.id == job.id)
                .values(state="failed", last_error=reason[:2000], lease_until=None)
            )
        self.spool.delete(job.analysis_id)

    def give_up_exhausted(self, max_attempts: int) -> list[str]:
        """Mark failed the jobs whose every attempt died with its worker; drop their logs."""
        ids = queue.give_up_exhausted(self.engine, max_attempts)
        for aid in ids:
            self.spool.delete(aid)
        return ids

    def sweep_spool(self) -> int:
        """Remove spooled log files that no queued or running job needs (after a crash)."""
        if self.spool.transactional:
            return 0
        return self.spool.sweep(queue.pending_analysis_ids(self.engine))


def _row(
    aid: str, tenant_id: str, sub: SubmissionLike, key: str | None, now: Any
) -> dict[str, Any]:
    return {
        "id": aid, "tenant_id": tenant_id, "source": sub.source, "provider": sub.provider,
        "project": sub.project, "status": sub.status, "vendor_status": sub.vendor_status,
        "ci_run_id": sub.pipeline_id, "ci_job_id": sub.job_id, "job_name": sub.job_name,
        "branch": sub.branch, "commit_sha": sub.commit_sha, "pipeline_url": sub.pipeline_url,
        "job_url": sub.job_url, "build_number": sub.build_number, "dedupe_key": key,
        "state": "queued", "received_at": now, "run_id": getattr(sub, "run_id", None),
    }  # fmt: skip
