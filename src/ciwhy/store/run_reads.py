"""⑦ Reads of build analytics: runs by keyset page (newest first, as analyses are), one run
with its stages, jobs, tests summary, findings summary, analyses and log link. Every query is
scoped to one tenant."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select

from ciwhy.ingest.normalise import FAILED_STATUSES
from ciwhy.store.reads import decode_cursor, encode_cursor
from ciwhy.store.runs import UnknownRun
from ciwhy.store.tables import (
    analyses,
    build_logs,
    run_jobs,
    runs,
    security_findings,
    test_results,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dicts(result: Any) -> list[dict[str, Any]]:
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def run_row(engine: Engine, tenant_id: str, run_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        found = _dicts(conn.execute(
            select(runs).where(runs.c.tenant_id == tenant_id, runs.c.id == run_id)))  # fmt: skip
    if not found:
        raise UnknownRun(run_id)
    return found[0]


def run_item(r: dict[str, Any]) -> dict[str, Any]:
    """A run as the v1 API shows it."""
    return {
        "id": r["id"], "source": r["source"], "provider": r["provider"],
        "project": r["project"], "pipeline": r["pipeline"], "status": r["status"] or "unknown",
        "vendor_status": r["vendor_status"], "run_number": r["run_number"],
        "attempt": r["attempt"], "branch": r["branch"], "commit_sha": r["commit_sha"],
        "trigger": r["trigger"], "actor": r["actor"], "url": r["url"],
        "instance": r["instance"], "external_id": r["external_id"],
        "started_at": _iso(r["started_at"]), "completed_at": _iso(r["completed_at"]),
        "duration_ms": r["duration_ms"], "queue_ms": r["queue_ms"],
        "compute_seconds": r["compute_seconds"],
        "extra": json.loads(r["extra"]) if r["extra"] else {},
        "created_at": _iso(r["created_at"]), "updated_at": _iso(r["updated_at"]),
    }  # fmt: skip


@dataclass(frozen=True)
class RunFilters:
    project: str | None = None
    pipeline: str | None = None
    branch: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def page(
    engine: Engine, tenant_id: str, f: RunFilters, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    w: list[Any] = [runs.c.tenant_id == tenant_id]
    for col, value in ((runs.c.project, f.project), (runs.c.pipeline, f.pipeline),
                       (runs.c.branch, f.branch), (runs.c.status, f.status)):  # fmt: skip
        if value is not None:
            w.append(col == value)
    if f.since is not None:
        w.append(runs.c.created_at >= f.since)
    if f.until is not None:
        w.append(runs.c.created_at <= f.until)
    if cursor:
        at, rid = decode_cursor(cursor)
        w.append(or_(runs.c.created_at < at, and_(runs.c.created_at == at, runs.c.id < rid)))
    q = (select(runs).where(*w).order_by(runs.c.created_at.desc(), runs.c.id.desc())
         .limit(limit + 1))  # fmt: skip
    with engine.connect() as conn:
        rows = _dicts(conn.execute(q))
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor(rows[-1]["created_at"], rows[-1]["id"]) if more and rows else None
    return [run_item(r) for r in rows], nxt


def detail(engine: Engine, tenant_id: str, run_id: str) -> dict[str, Any]:
    """One run with its stages and jobs, tests summary, findings, analyses and log link."""
    out = run_item(run_row(engine, tenant_id, run_id))
    with engine.connect() as conn:
        steps = _dicts(conn.execute(
            select(run_jobs).where(run_jobs.c.run_id == run_id)
            .order_by(run_jobs.c.kind, run_jobs.c.ordinal, run_jobs.c.started_at,
                      run_jobs.c.name)))  # fmt: skip
        by_status: dict[str, int] = dict(conn.execute(
            select(test_results.c.status, func.count()).where(test_results.c.run_id == run_id)
            .group_by(test_results.c.status)).all())  # fmt: skip
        failing = _dicts(conn.execute(
            select(test_results.c.classname, test_results.c.name, test_results.c.file,
                   test_results.c.line, test_results.c.status, test_results.c.message)
            .where(test_results.c.run_id == run_id,
                   test_results.c.status.in_(("failed", "error")))
            .order_by(test_results.c.id).limit(50)))  # fmt: skip
        sev: dict[str, int] = dict(conn.execute(
            select(security_findings.c.severity, func.count())
            .where(security_findings.c.run_id == run_id)
            .group_by(security_findings.c.severity)).all())  # fmt: skip
        found = _dicts(conn.execute(
            select(analyses.c.id, analyses.c.state, analyses.c.root_cause, analyses.c.severity,
                   analyses.c.category, analyses.c.fingerprint)
            .where(analyses.c.tenant_id == tenant_id, analyses.c.run_id == run_id)
            .order_by(analyses.c.received_at)))  # fmt: skip
        log = conn.execute(
            select(build_logs.c.size, build_logs.c.lines, build_logs.c.expires_at)
            .where(build_logs.c.run_id == run_id)).first()  # fmt: skip

    def job(j: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": j["name"], "key": j["job_key"], "stage": j["stage"],
            "order": j["ordinal"], "status": j["status"], "vendor_status": j["vendor_status"],
            "started_at": _iso(j["started_at"]), "completed_at": _iso(j["completed_at"]),
            "duration_ms": j["duration_ms"], "queue_ms": j["queue_ms"], "runner": j["runner"],
            "labels": json.loads(j["labels"]) if j["labels"] else [],
            "failure_reason": j["failure_reason"], "url": j["url"], "attempt": j["attempt"],
        }  # fmt: skip

    out["stages"] = [job(j) for j in steps if j["kind"] == "stage"]
    out["jobs"] = [job(j) for j in steps if j["kind"] == "job"]
    total = sum(by_status.values())
    out["tests"] = {"total": total, **{s: by_status.get(s, 0) for s in
                    ("passed", "failed", "error", "skipped", "flaky")},
                    "failing": failing}  # fmt: skip
    out["security"] = {"total": sum(sev.values()), "by_severity": sev}
    out["analyses"] = found
    out["log"] = (
        {"url": f"/api/v1/runs/{run_id}/log", "bytes": log.size, "lines": log.lines,
         "expires_at": _iso(log.expires_at)} if log else None
    )  # fmt: skip
    return out


def log_meta(engine: Engine, tenant_id: str, run_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(build_logs.c.location, build_logs.c.size)
            .where(build_logs.c.run_id == run_id, build_logs.c.tenant_id == tenant_id)
        ).first()  # fmt: skip
    return {"location": row.location, "size": row.size} if row else None


def unanalysed_log(
    engine: Engine, tenant_id: str, run_id: str
) -> tuple[dict[str, Any], str] | None:
    """The run and its stored log's location, when the run failed and its log has no analysis."""
    with engine.connect() as conn:
        row = conn.execute(
            select(build_logs.c.location).where(
                build_logs.c.run_id == run_id, build_logs.c.tenant_id == tenant_id,
                build_logs.c.analysis_id.is_(None))).first()  # fmt: skip
    if row is None:
        return None
    run = run_row(engine, tenant_id, run_id)
    if run["status"] not in FAILED_STATUSES:
        return None
    return run, row.location
