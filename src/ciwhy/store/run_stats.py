"""⑦ Build analytics over a window of days: per-pipeline health (success rate, durations,
queue time, compute, time to green after a failure), tests (slowest, most failing, flaky) and
agents (state, utilisation, queue wait). Counts are SQL aggregates; the per-run series a
statistic needs (quantiles, time to green) are read once and reduced here."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, select

from ciwhy.store.reads import window
from ciwhy.store.tables import agent_samples, agents, queue_samples, run_jobs, runs, test_results

#: Statuses a success rate counts (cancelled and skipped runs say nothing about health).
JUDGED = ("success", "failed", "unstable", "aborted", "timeout")
FAILING = ("failed", "unstable", "aborted", "timeout")
#: A utilisation sample stands for at most this long (an agent that stops reporting is unknown).
SAMPLE_HOLD = timedelta(minutes=15)


def quantile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank quantile of sorted `values`; None when there are none."""
    if not values:
        return None
    return values[max(0, math.ceil(q * len(values)) - 1)]


def _qs(values: list[float], *qs: float) -> dict[str, float | None]:
    values.sort()
    return {f"p{round(q * 100)}": quantile(values, q) for q in qs}


def pipelines(engine: Engine, tenant_id: str, days: int, *, now: datetime) -> dict[str, Any]:
    start, end = window(days, now)
    q = (select(runs.c.id, runs.c.project, runs.c.pipeline, runs.c.branch, runs.c.status,
                runs.c.started_at, runs.c.completed_at, runs.c.created_at, runs.c.duration_ms,
                runs.c.queue_ms, runs.c.compute_seconds)
         .where(runs.c.tenant_id == tenant_id, runs.c.created_at >= start,
                runs.c.created_at <= end))  # fmt: skip
    jq = (select(run_jobs.c.run_id, func.sum(run_jobs.c.duration_ms), func.max(run_jobs.c.queue_ms))
          .join(runs, runs.c.id == run_jobs.c.run_id)
          .where(runs.c.tenant_id == tenant_id, runs.c.created_at >= start,
                 runs.c.created_at <= end, run_jobs.c.kind == "job")
          .group_by(run_jobs.c.run_id))  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(q).all()
        job_sums = {r[0]: (r[1], r[2]) for r in conn.execute(jq)}
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in rows:
        groups[(r.project, r.pipeline)].append(r)
    items = [_pipeline(key, group, job_sums) for key, group in groups.items()]
    items.sort(key=lambda i: (-i["runs"], i["project"], i["pipeline"]))
    return {"days": days, "since": start.isoformat(), "until": end.isoformat(), "items": items}


def _pipeline(key: tuple[str, str], rs: list[Any], jobs: dict[str, Any]) -> dict[str, Any]:
    judged = [r for r in rs if r.status in JUDGED]
    ok = sum(r.status == "success" for r in judged)
    durations = [float(r.duration_ms) for r in rs if r.duration_ms is not None
                 and r.status in JUDGED]  # fmt: skip
    queues = [float(r.queue_ms if r.queue_ms is not None else jobs.get(r.id, (None, None))[1])
              for r in rs if r.queue_ms is not None or jobs.get(r.id, (None, None))[1]
              is not None]  # fmt: skip
    compute = 0.0
    for r in rs:
        if r.compute_seconds is not None:
            compute += r.compute_seconds
        elif jobs.get(r.id, (None, None))[0] is not None:
            compute += jobs[r.id][0] / 1000
        elif r.duration_ms is not None:
            compute += r.duration_ms / 1000
    recoveries, open_failures = _time_to_green(rs)
    recoveries.sort()
    return {
        "project": key[0], "pipeline": key[1], "runs": len(rs), "judged": len(judged),
        "failures": sum(r.status in FAILING for r in rs),
        "success_rate": round(ok / len(judged), 4) if judged else None,
        "duration_ms": _qs(durations, 0.5, 0.9, 0.99),
        "queue_ms": _qs(queues, 0.5, 0.9),
        "compute_seconds": round(compute, 3),
        "mttr_ms": {"mean": round(sum(recoveries) / len(recoveries)) if recoveries else None,
                    "p50": quantile(recoveries, 0.5), "recoveries": len(recoveries),
                    "still_failing_branches": open_failures},
    }  # fmt: skip


def _time_to_green(rs: list[Any]) -> tuple[list[float], int]:
    """Per branch, in order: from the first failing run after a success (or the window's
    start) to the end of the next successful run. The durations, and how many branches are
    still red."""
    by_branch: dict[str | None, list[Any]] = defaultdict(list)
    for r in rs:
        if r.status in JUDGED:
            by_branch[r.branch].append(r)
    out: list[float] = []
    still_red = 0
    for seq in by_branch.values():
        seq.sort(key=lambda r: (r.started_at or r.created_at, r.created_at))
        red_since: datetime | None = None
        for r in seq:
            if r.status in FAILING and red_since is None:
                red_since = r.completed_at or r.started_at or r.created_at
            elif r.status == "success" and red_since is not None:
                green = r.completed_at or r.started_at or r.created_at
                out.append(max(0.0, (green - red_since).total_seconds() * 1000))
                red_since = None
        still_red += red_since is not None
    return out, still_red


def tests(
    engine: Engine, tenant_id: str, days: int, limit: int, *, now: datetime
) -> dict[str, Any]:
    start, end = window(days, now)
    t = test_results
    w = (t.c.tenant_id == tenant_id, t.c.created_at >= start, t.c.created_at <= end)
    failed = func.sum(case((t.c.status.in_(("failed", "error")), 1), else_=0))
    passed = func.sum(case((t.c.status == "passed", 1), else_=0))
    flaky_mark = func.sum(case((t.c.status == "flaky", 1), else_=0))
    ident = (t.c.test_key, func.max(t.c.classname).label("classname"),
             func.max(t.c.name).label("name"), func.max(t.c.file).label("file"))  # fmt: skip
    slow_q = (select(*ident, func.count().label("runs"),
                     func.avg(t.c.duration_ms).label("avg_ms"),
                     func.max(t.c.duration_ms).label("max_ms"),
                     func.max(t.c.created_at).label("last_seen"))
              .where(*w, t.c.duration_ms.is_not(None)).group_by(t.c.test_key)
              .order_by(func.avg(t.c.duration_ms).desc(), t.c.test_key).limit(limit))  # fmt: skip
    fail_q = (select(*ident, func.count().label("runs"), failed.label("failures"),
                     func.max(case((t.c.status.in_(("failed", "error")), t.c.created_at)))
                     .label("last_failed"), func.max(t.c.created_at).label("last_seen"))
              .where(*w).group_by(t.c.test_key).having(failed > 0)
              .order_by(failed.desc(), t.c.test_key).limit(limit))  # fmt: skip
    # Flaky: marked flaky by the runner (passed on a rerun), or passed and failed on one commit.
    per_commit = (select(t.c.test_key, t.c.commit_sha, passed.label("p"), failed.label("f"),
                         flaky_mark.label("m"), func.max(t.c.created_at).label("last"))
                  .where(*w).group_by(t.c.test_key, t.c.commit_sha).subquery())  # fmt: skip
    mixed = case(((per_commit.c.p > 0) & (per_commit.c.f > 0) &
                  per_commit.c.commit_sha.is_not(None), 1), else_=0)  # fmt: skip
    flaky_q = (select(per_commit.c.test_key, func.sum(mixed).label("commits"),
                      func.sum(per_commit.c.m).label("marked"),
                      func.sum(per_commit.c.f).label("failures"),
                      func.max(per_commit.c.last).label("last_seen"))
               .group_by(per_commit.c.test_key)
               .having((func.sum(mixed) > 0) | (func.sum(per_commit.c.m) > 0))
               .order_by((func.sum(mixed) + func.sum(per_commit.c.m)).desc(),
                         per_commit.c.test_key).limit(limit))  # fmt: skip
    with engine.connect() as conn:
        slow = conn.execute(slow_q).all()
        fail = conn.execute(fail_q).all()
        flaky = conn.execute(flaky_q).all()
        keys = [r.test_key for r in flaky]
        names = {r.test_key: r for r in conn.execute(
            select(*ident).where(*w, t.c.test_key.in_(keys)).group_by(t.c.test_key))
        } if keys else {}  # fmt: skip

    def who(r: Any) -> dict[str, Any]:
        return {"classname": r.classname, "name": r.name, "file": r.file}

    return {
        "days": days,
        "slowest": [{**who(r), "runs": r.runs, "avg_ms": round(float(r.avg_ms)),
                     "max_ms": r.max_ms, "last_seen": r.last_seen.isoformat()}
                    for r in slow],
        "failing": [{**who(r), "runs": r.runs, "failures": int(r.failures),
                     "failure_rate": round(int(r.failures) / r.runs, 4),
                     "last_failed": r.last_failed.isoformat() if r.last_failed else None,
                     "last_seen": r.last_seen.isoformat()} for r in fail],
        "flaky": [{**who(names[r.test_key]), "flaky_commits": int(r.commits),
                   "marked_flaky": int(r.marked), "failures": int(r.failures),
                   "last_seen": _iso(r.last_seen)} for r in flaky],
    }  # fmt: skip


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands an aggregate of a subquery back as text
        return datetime.fromisoformat(value).isoformat()
    return str(value.isoformat())


def agent_stats(engine: Engine, tenant_id: str, days: int, *, now: datetime) -> dict[str, Any]:
    start, end = window(days, now)
    with engine.connect() as conn:
        current = conn.execute(select(agents).where(agents.c.tenant_id == tenant_id)
                               .order_by(agents.c.name)).all()  # fmt: skip
        samples = conn.execute(
            select(agent_samples.c.name, agent_samples.c.state, agent_samples.c.at)
            .where(agent_samples.c.tenant_id == tenant_id, agent_samples.c.at >= start,
                   agent_samples.c.at <= end)
            .order_by(agent_samples.c.name, agent_samples.c.at)).all()  # fmt: skip
        waits = [float(w) for (w,) in conn.execute(
            select(queue_samples.c.wait_ms).where(
                queue_samples.c.tenant_id == tenant_id, queue_samples.c.at >= start,
                queue_samples.c.at <= end))]  # fmt: skip
        last_at = conn.execute(
            select(func.max(queue_samples.c.at)).where(queue_samples.c.tenant_id == tenant_id)
        ).scalar()
        waiting = conn.execute(select(func.count()).select_from(queue_samples).where(
            queue_samples.c.tenant_id == tenant_id, queue_samples.c.at == last_at)
        ).scalar_one() if last_at else 0  # fmt: skip
    util = _utilisation(samples, now)
    states: dict[str, int] = defaultdict(int)
    for a in current:
        states[a.state] += 1
    return {
        "days": days, "states": dict(states),
        "agents": [{"name": a.name, "state": a.state,
                    "labels": json.loads(a.labels) if a.labels else [],
                    "instance": a.instance, "executors": a.executors,
                    "busy_executors": a.busy_executors, "current_job": a.current_job,
                    "updated_at": a.updated_at.isoformat(), "utilisation": util.get(a.name)}
                   for a in current],
        "queue": {"waiting_now": waiting, "samples": len(waits),
                  "wait_ms": _qs(waits, 0.5, 0.9)},
    }  # fmt: skip


def _utilisation(samples: Sequence[Any], now: datetime) -> dict[str, float]:
    """Busy time over observed time per agent; each sample holds until the next one (at most
    SAMPLE_HOLD); offline time is not observed time."""
    busy: dict[str, float] = defaultdict(float)
    seen: dict[str, float] = defaultdict(float)
    for i, s in enumerate(samples):
        nxt = samples[i + 1] if i + 1 < len(samples) else None
        until = nxt.at if nxt is not None and nxt.name == s.name else now
        held = min((until - s.at).total_seconds(), SAMPLE_HOLD.total_seconds())
        if s.state == "offline" or held <= 0:
            continue
        seen[s.name] += held
        if s.state == "busy":
            busy[s.name] += held
    return {n: round(busy[n] / seen[n], 4) for n in seen if seen[n] > 0}
