"""③ Writes of build analytics: runs and their jobs (upserts), test results, agents and the
queue, security findings, stored build logs, quotas. Reads are in run_reads.py."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update

from ciwhy import clock
from ciwhy.ingest.runs import Finding, JobUpsert, RunUpsert, TestCaseResult
from ciwhy.store.db import writing
from ciwhy.store.tables import (
    agent_samples,
    agents,
    build_logs,
    queue_samples,
    quotas,
    run_jobs,
    runs,
    security_findings,
    test_results,
)
from ciwhy.store.upsert import unless_final, upsert

#: Statuses after which a run or job does not change state again: a late "running" (webhooks
#: arrive out of order) never replaces one of them.
FINAL = ("success", "failed", "unstable", "aborted", "cancelled", "timeout", "skipped")

_RUN_KEEP = ("provider", "project", "vendor_status", "run_number", "attempt", "branch",
             "commit_sha", "trigger", "actor", "url", "instance", "external_id", "started_at",
             "completed_at", "duration_ms", "queue_ms", "compute_seconds", "extra")  # fmt: skip
_JOB_KEEP = ("name", "stage", "ordinal", "vendor_status", "started_at", "completed_at",
             "duration_ms", "queue_ms", "runner", "labels", "failure_reason", "url",
             "attempt")  # fmt: skip
UNKNOWN_PIPELINE = ("(unknown workflow)", "(unknown pipeline)")


class QuotaExceeded(Exception):
    """The tenant's quota (runs per day, repositories) refuses a new run."""


class UnknownRun(LookupError):
    """No run with this id for this tenant."""


def fit(run: RunUpsert) -> RunUpsert:
    """`run` as every database stores it: NUL and lone surrogates become U+FFFD, text is cut
    to its column, a too-long key keeps a hash of the whole (webhook payloads are not bounded
    by a wire schema). Unchanged parts are not copied."""
    jobs = tuple(_fitted(j, _JOB_LIMITS) for j in run.jobs)
    fitted: RunUpsert = _fitted(run, _RUN_LIMITS)
    if any(a is not b for a, b in zip(jobs, run.jobs, strict=True)):
        fitted = replace(fitted, jobs=jobs)
    return fitted


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _limits(table: Any, names: Any, key_column: str) -> dict[str, int]:
    out = {n: getattr(table.c[n].type, "length", None) for n in names if n in table.c}
    out["key"] = table.c[key_column].type.length
    return {n: int(v) for n, v in out.items() if v}


_RUN_LIMITS = _limits(runs, [f.name for f in fields(RunUpsert)], "run_key")
_JOB_LIMITS = _limits(run_jobs, [f.name for f in fields(JobUpsert)], "job_key")


def _bad(value: Any, limit: int) -> bool:
    return isinstance(value, str) and (len(value) > limit or bool(_UNSTORABLE.search(value)))


def _fitted(obj: Any, limits: dict[str, int]) -> Any:
    changes: dict[str, Any] = {}
    for name, limit in limits.items():
        value = getattr(obj, name)
        if _bad(value, limit):
            changes[name] = (_fit_key(value, limit) if name == "key"
                             else _UNSTORABLE.sub("\ufffd", value)[:limit])  # fmt: skip
    labels = getattr(obj, "labels", ())
    if len(labels) > 200 or any(_bad(x, 200) for x in labels):
        changes["labels"] = tuple(_UNSTORABLE.sub("\ufffd", x)[:200] for x in labels[:200])
    return replace(obj, **changes) if changes else obj


def _fit_key(key: str, limit: int) -> str:
    """A key too long for its column: its start and a hash of the whole (still unique)."""
    if len(key) <= limit and not _UNSTORABLE.search(key):
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return _UNSTORABLE.sub("\ufffd", key)[: limit - 65] + "#" + digest


def upsert_run(engine: Engine, tenant_id: str, run: RunUpsert) -> tuple[str, bool]:
    """Store `run` and its jobs in one transaction: (run id, whether it is new)."""
    run = fit(run)
    now = clock.now()
    with writing(engine) as conn:
        _check_quota(conn, tenant_id, run, now)
        row = _run_row(tenant_id, run, now)
        res = upsert(
            conn, runs, row, ("tenant_id", "source", "run_key"),
            replace=("updated_at",), keep=_RUN_KEEP,
            custom={"status": unless_final(runs, "status", FINAL), "pipeline": _pipeline},
            returning=(runs.c.id, runs.c.created_at),
        ).one()  # fmt: skip
        run_id, created = str(res.id), res.created_at == now
        if run.jobs:
            upsert_jobs(conn, run_id, run.jobs)
    return run_id, created


def _pipeline(ex: Any) -> Any:
    """A job event's placeholder pipeline name never replaces a real one."""
    return case((ex.pipeline.in_(UNKNOWN_PIPELINE), runs.c.pipeline), else_=ex.pipeline)


def _run_row(tenant_id: str, run: RunUpsert, now: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "tenant_id": tenant_id, "source": run.source,
        "run_key": run.key, "provider": run.provider, "project": run.project,
        "pipeline": run.pipeline, "status": run.status, "vendor_status": run.vendor_status,
        "run_number": run.run_number, "attempt": run.attempt, "branch": run.branch,
        "commit_sha": run.commit_sha, "trigger": run.trigger, "actor": run.actor,
        "url": run.url, "instance": run.instance, "external_id": run.external_id,
        "started_at": run.started_at, "completed_at": run.completed_at,
        "duration_ms": run.duration_ms, "queue_ms": run.queue_ms,
        "compute_seconds": run.compute_seconds,
        "extra": json.dumps(run.extra) if run.extra else None,
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def upsert_jobs(conn: Connection, run_id: str, items: Sequence[JobUpsert]) -> None:
    rows = {}
    # The last report of one key in a batch wins; rows go in key order, so two requests
    # upserting the same jobs lock them in the same order (no deadlock on PostgreSQL).
    for j in items:
        rows[(j.kind, j.key)] = {
            "id": str(uuid.uuid4()), "run_id": run_id, "kind": j.kind, "job_key": j.key,
            "name": j.name, "stage": j.stage, "ordinal": j.ordinal, "status": j.status,
            "vendor_status": j.vendor_status, "started_at": j.started_at,
            "completed_at": j.completed_at, "duration_ms": j.duration_ms,
            "queue_ms": j.queue_ms, "runner": j.runner,
            "labels": json.dumps(list(j.labels)) if j.labels else None,
            "failure_reason": j.failure_reason, "url": j.url, "attempt": j.attempt,
        }  # fmt: skip
    upsert(
        conn, run_jobs, [rows[k] for k in sorted(rows)], ("run_id", "kind", "job_key"),
        keep=_JOB_KEEP,
        custom={"status": unless_final(run_jobs, "status", FINAL)},
    )  # fmt: skip


def run_of(conn: Connection, tenant_id: str, run_id: str) -> Any:
    row = conn.execute(
        select(runs.c.id, runs.c.commit_sha, runs.c.status, runs.c.project, runs.c.provider,
               runs.c.pipeline, runs.c.branch, runs.c.run_number, runs.c.url)
        .where(runs.c.tenant_id == tenant_id, runs.c.id == run_id)
    ).first()  # fmt: skip
    if row is None:
        raise UnknownRun(run_id)
    return row


def add_stages(engine: Engine, tenant_id: str, run_id: str, stages: Sequence[JobUpsert]) -> None:
    with writing(engine) as conn:
        run_of(conn, tenant_id, run_id)
        if stages:
            upsert_jobs(conn, run_id, stages)


def test_key(classname: str | None, name: str, file: str | None) -> str:
    packed = json.dumps([classname or "", name, file or ""], ensure_ascii=True)
    return hashlib.sha256(packed.encode("ascii")).hexdigest()


def add_tests(
    engine: Engine, tenant_id: str, run_id: str, results: Sequence[TestCaseResult]
) -> dict[str, int]:
    """Store a run's test results (a test reported again for the same run replaces its row):
    the count per status of what was received."""
    now = clock.now()
    counts: dict[str, int] = {}
    rows: dict[str, dict[str, Any]] = {}
    for t in results:
        counts[t.status] = counts.get(t.status, 0) + 1
        key = test_key(t.classname, t.name, t.file)
        rows[key] = {
            "tenant_id": tenant_id, "run_id": run_id, "test_key": key, "suite": t.suite,
            "classname": t.classname, "name": t.name, "file": t.file, "line": t.line,
            "status": t.status, "duration_ms": t.duration_ms, "message": t.message,
            "details": t.details, "attempts": t.attempts, "created_at": now,
        }  # fmt: skip
    with writing(engine) as conn:
        sha = run_of(conn, tenant_id, run_id).commit_sha
        batch = [{**r, "commit_sha": sha} for r in rows.values()]  # the report's own order
        for i in range(0, len(batch), 2000):
            upsert(
                conn, test_results, batch[i : i + 2000], ("run_id", "test_key"),
                replace=("suite", "classname", "name", "file", "line", "status", "duration_ms",
                         "message", "details", "attempts", "commit_sha", "created_at"),
            )  # fmt: skip
    return counts


def add_findings(engine: Engine, tenant_id: str, run_id: str, found: Sequence[Finding]) -> int:
    now = clock.now()
    with writing(engine) as conn:
        run_of(conn, tenant_id, run_id)
        if found:
            conn.execute(insert(security_findings), [
                {"tenant_id": tenant_id, "run_id": run_id, "tool": f.tool, "rule": f.rule,
                 "severity": f.severity, "file": f.file, "line": f.line, "message": f.message,
                 "created_at": now} for f in found
            ])  # fmt: skip
    return len(found)


@dataclass(frozen=True, slots=True)
class AgentReport:
    name: str
    state: str  # idle | busy | offline
    labels: tuple[str, ...] = ()
    executors: int | None = None
    busy_executors: int | None = None
    current_job: str | None = None


@dataclass(frozen=True, slots=True)
class QueuedJob:
    job_name: str
    wait_ms: int
    reason: str | None = None


def record_agents(
    engine: Engine, tenant_id: str, instance: str | None,
    reported: Sequence[AgentReport], queue: Sequence[QueuedJob],
) -> None:  # fmt: skip
    """The agents' current state (upserted), a utilisation sample per agent, and the queue."""
    now = clock.now()
    with writing(engine) as conn:
        if reported:
            upsert(conn, agents, [
                {"tenant_id": tenant_id, "name": a.name, "state": a.state,
                 "labels": json.dumps(list(a.labels)), "instance": instance,
                 "executors": a.executors, "busy_executors": a.busy_executors,
                 "current_job": a.current_job, "updated_at": now} for a in reported
            ], ("tenant_id", "name"), replace=("state", "labels", "instance", "executors",
                "busy_executors", "current_job", "updated_at"))  # fmt: skip
            conn.execute(insert(agent_samples), [
                {"tenant_id": tenant_id, "name": a.name, "state": a.state, "at": now}
                for a in reported
            ])  # fmt: skip
        if queue:
            conn.execute(insert(queue_samples), [
                {"tenant_id": tenant_id, "job_name": q.job_name, "wait_ms": q.wait_ms,
                 "reason": q.reason, "at": now} for q in queue
            ])  # fmt: skip


def attach_log(
    engine: Engine, tenant_id: str, run_id: str, *, location: str, size: int,
    stored_size: int, lines: int, expires_at: datetime | None, analysis_id: str | None,
) -> str | None:  # fmt: skip
    """Record a run's stored log; the location of the log it replaces, if any (to delete)."""
    now = clock.now()
    with writing(engine) as conn:
        run_of(conn, tenant_id, run_id)
        old = conn.execute(
            select(build_logs.c.location).where(build_logs.c.run_id == run_id)
        ).scalar()
        row = {"run_id": run_id, "tenant_id": tenant_id, "location": location, "size": size,
               "stored_size": stored_size, "lines": lines, "analysis_id": analysis_id,
               "created_at": now, "expires_at": expires_at}  # fmt: skip
        upsert(conn, build_logs, row, ("run_id",),
               replace=("location", "size", "stored_size", "lines", "created_at", "expires_at"),
               keep=("analysis_id",))  # fmt: skip
    return old if old and old != location else None


def expired_logs(engine: Engine, now: datetime | None = None, limit: int = 500) -> list[Any]:
    now = now or clock.now()
    with engine.connect() as conn:
        return list(conn.execute(
            select(build_logs.c.run_id, build_logs.c.location)
            .where(build_logs.c.expires_at <= now).limit(limit)
        ))  # fmt: skip


def forget_log(engine: Engine, run_id: str, location: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(build_logs).where(
            build_logs.c.run_id == run_id, build_logs.c.location == location))  # fmt: skip


def _check_quota(conn: Connection, tenant_id: str, run: RunUpsert, now: datetime) -> None:
    q = conn.execute(select(quotas).where(quotas.c.tenant_id == tenant_id)).first()
    if q is None or (q.runs_per_day is None and q.repositories is None):
        return
    exists = conn.execute(select(runs.c.id).where(
        runs.c.tenant_id == tenant_id, runs.c.source == run.source, runs.c.run_key == run.key
    )).first()  # fmt: skip
    if exists is not None:
        return  # an update of a known run is never refused
    if q.runs_per_day is not None:
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        n = conn.execute(select(func.count()).select_from(runs).where(
            runs.c.tenant_id == tenant_id, runs.c.created_at >= day,
            runs.c.created_at < day + timedelta(days=1))).scalar_one()  # fmt: skip
        if n >= q.runs_per_day:
            raise QuotaExceeded(f"this tenant's quota of {q.runs_per_day} runs a day is used up")
    if q.repositories is not None:
        known = conn.execute(
            select(runs.c.id)
            .where(runs.c.tenant_id == tenant_id, runs.c.project == run.project)
            .limit(1)
        ).first()
        if known is None:
            n = conn.execute(select(func.count(func.distinct(runs.c.project))).where(
                runs.c.tenant_id == tenant_id)).scalar_one()  # fmt: skip
            if n >= q.repositories:
                raise QuotaExceeded(
                    f"this tenant's quota of {q.repositories} repositories is used up"
                )


def set_quota(
    engine: Engine, tenant_id: str, runs_per_day: int | None, repositories: int | None
) -> None:
    with writing(engine) as conn:
        upsert(conn, quotas, {"tenant_id": tenant_id, "runs_per_day": runs_per_day,
                              "repositories": repositories},
               ("tenant_id",), replace=("runs_per_day", "repositories"))  # fmt: skip


def link_analysis(engine: Engine, run_id: str, analysis_id: str) -> None:
    """The stored log of `run_id` (if kept) was analysed as `analysis_id`."""
    with writing(engine) as conn:
        conn.execute(update(build_logs).where(build_logs.c.run_id == run_id)
                     .values(analysis_id=analysis_id))  # fmt: skip
