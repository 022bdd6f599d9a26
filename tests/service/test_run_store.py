"""The build-analytics store on SQLite and PostgreSQL, without HTTP: upsert merging, values
fitted to columns, the pipeline/test/agent statistics against hand-computed answers, log
retention, and the schema the migrations build against the one queries are written for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ciwhy import clock
from ciwhy.config import Settings
from ciwhy.ingest.runs import JobUpsert, RunUpsert, TestCaseResult
from ciwhy.pipeline import Worker
from ciwhy.store import Store, logstore, run_reads, run_stats, runs, tables, tokens

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(url: str, tmp_path: Path) -> Iterator[Store]:
    s = Store.open(url, tmp_path / "spool")
    s.migrate()
    try:
        yield s
    finally:
        clock.freeze(None)
        s.close()


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make(key: str, status: str | None, start: float | None = None, end: float | None = None,
         branch: str = "main", pipeline: str = "CI", **kw: object) -> RunUpsert:  # fmt: skip
    return RunUpsert(
        source="test", key=key, provider="github", project="acme/app", pipeline=pipeline,
        status=status, vendor_status=status, branch=branch,
        started_at=at(start) if start is not None else None,
        completed_at=at(end) if end is not None else None,
        duration_ms=round((end - start) * 60_000) if start is not None and end is not None
        else None, **kw)  # type: ignore[arg-type]  # fmt: skip


def test_migrations_build_the_schema_queries_are_written_for(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), tables.metadata)
    # UTCDateTime is DateTime(timezone=True) in the migrations: not a difference.
    assert [d for d in diff if d[0] != "modify_type"] == []


def test_partial_reports_merge_into_one_run(store: Store) -> None:
    tid = tokens.ensure_tenant(store.engine, "t")
    job = JobUpsert(kind="job", name="test", key="7", status="failed", runner="r1")
    rid, new = runs.upsert_run(store.engine, tid, RunUpsert(
        source="github", key="k", provider="github", project="acme/app",
        pipeline="(unknown workflow)", branch="main", jobs=(job,)))  # fmt: skip
    assert new
    rid2, new2 = runs.upsert_run(store.engine, tid, RunUpsert(
        source="github", key="k", provider="github", project="acme/app", pipeline="CI",
        status="failed", vendor_status="failure", started_at=at(0)))  # fmt: skip
    assert (rid2, new2) == (rid, False)
    late = RunUpsert(
        source="github",
        key="k",
        provider="github",
        project="acme/app",
        pipeline="(unknown workflow)",
        status="running",
        jobs=(JobUpsert(kind="job", name="test", key="7", status="running"),),
    )
    runs.upsert_run(store.engine, tid, late)
    got = run_reads.detail(store.engine, tid, rid)
    assert (got["pipeline"], got["status"], got["branch"]) == ("CI", "failed", "main")
    assert got["started_at"] == at(0).isoformat()
    assert [(j["status"], j["runner"]) for j in got["jobs"]] == [("failed", "r1")]


def test_values_are_fitted_to_their_columns(store: Store) -> None:
    tid = tokens.ensure_tenant(store.engine, "t")
    long_key = "k" * 5000
    r = RunUpsert(source="github", key=long_key, provider="github", project="a\x00b" * 300,
                  pipeline="p" * 900, branch="\ud800", jobs=(
                      JobUpsert(kind="job", name="n" * 900, key="j" * 900, status="ok",
                                labels=("x" * 300,)),))  # fmt: skip
    rid, _ = runs.upsert_run(store.engine, tid, r)
    again, new = runs.upsert_run(store.engine, tid, r)
    assert again == rid and not new
    other, new = runs.upsert_run(
        store.engine,
        tid,
        RunUpsert(
            source="github", key=long_key[:-1] + "x", provider="github", project="p", pipeline="p"
        ),
    )
    assert new and other != rid  # a long key is cut with a hash of the whole: still unique
    got = run_reads.detail(store.engine, tid, rid)
    assert got["project"].startswith("a\ufffdb") and len(got["project"]) == 500
    assert len(got["jobs"][0]["name"]) == 500 and len(got["jobs"][0]["labels"][0]) == 200


def test_pipeline_stats_by_hand(store: Store) -> None:
    tid = tokens.ensure_tenant(store.engine, "t")
    clock.freeze(at(600))
    series = [  # main: ok, fail, fail, ok (red 10..40), fail (still red); dev: fail, ok
        ("a", "success", 0, 10, "main"),
        ("b", "failed", 5, 10, "main"),
        ("c", "failed", 20, 25, "main"),
        ("d", "success", 30, 40, "main"),
        ("e", "failed", 50, 60, "main"),
        ("f", "failed", 0, 2, "dev"),
        ("g", "success", 3, 4, "dev"),
        ("h", "cancelled", 5, 6, "dev"),
    ]
    for key, status, s, e, branch in series:
        runs.upsert_run(store.engine, tid, make(key, status, s, e, branch,
                                                compute_seconds=30.0))  # fmt: skip
    runs.upsert_run(store.engine, tid, make("z", "success", 0, 1, pipeline="Other"))
    out = run_stats.pipelines(store.engine, tid, 7, now=clock.now())
    ci = next(i for i in out["items"] if i["pipeline"] == "CI")
    assert (ci["runs"], ci["judged"], ci["failures"]) == (8, 7, 4)
    assert ci["success_rate"] == round(3 / 7, 4)
    # durations of judged runs (minutes): 10, 5, 5, 10, 10, 2, 1 -> sorted 1,2,5,5,10,10,10
    assert ci["duration_ms"] == {"p50": 300_000.0, "p90": 600_000.0, "p99": 600_000.0}
    assert ci["compute_seconds"] == 240.0
    # main: red from the end of b (10) to the end of d (40); dev: from 2 to 4
    assert ci["mttr_ms"]["recoveries"] == 2
    assert ci["mttr_ms"]["mean"] == round((30 + 2) / 2 * 60_000)
    assert ci["mttr_ms"]["still_failing_branches"] == 1
    assert [i["pipeline"] for i in out["items"]] == ["CI", "Other"]


def test_test_stats_by_hand(store: Store) -> None:
    tid = tokens.ensure_tenant(store.engine, "t")
    clock.freeze(at(600))
    r1, _ = runs.upsert_run(store.engine, tid, make("1", "failed", commit_sha="abc"))
    r2, _ = runs.upsert_run(store.engine, tid, make("2", "success", commit_sha="abc",
                                                     attempt=2))  # fmt: skip
    r3, _ = runs.upsert_run(store.engine, tid, make("3", "failed", commit_sha="def"))

    def tc(name: str, status: str, ms: int) -> TestCaseResult:
        return TestCaseResult(name=name, status=status, classname="t.C", duration_ms=ms)  # type: ignore[arg-type]

    runs.add_tests(store.engine, tid, r1, [tc("flappy", "failed", 10), tc("slow", "passed", 900),
                                           tc("broken", "failed", 5)])  # fmt: skip
    runs.add_tests(
        store.engine,
        tid,
        r2,
        [
            tc("flappy", "passed", 12),
            tc("slow", "passed", 1100),
            tc("broken", "failed", 5),
            tc("rerun", "flaky", 3),
        ],
    )
    runs.add_tests(store.engine, tid, r3, [tc("broken", "error", 5), tc("flappy", "failed", 9)])
    out = run_stats.tests(store.engine, tid, 7, 10, now=clock.now())
    assert out["slowest"][0]["name"] == "slow" and out["slowest"][0]["avg_ms"] == 1000
    failing = {t["name"]: (t["failures"], t["runs"]) for t in out["failing"]}
    assert failing == {"broken": (3, 3), "flappy": (2, 3)}
    assert out["failing"][0]["name"] == "broken"
    flaky = {t["name"]: (t["flaky_commits"], t["marked_flaky"]) for t in out["flaky"]}
    assert flaky == {"flappy": (1, 0), "rerun": (0, 1)}


def test_agent_utilisation_is_time_weighted(store: Store) -> None:
    tid = tokens.ensure_tenant(store.engine, "t")
    A = runs.AgentReport
    for minute, state in (
        (0, "busy"),
        (10, "idle"),
        (20, "idle"),
        (30, "idle"),
        (40, "busy"),
        (50, "offline"),
    ):
        clock.freeze(at(minute))
        runs.record_agents(store.engine, tid, None, [A("a1", state)], [])
    clock.freeze(at(70))
    runs.record_agents(store.engine, tid, None, [], [runs.QueuedJob("j", 1000),
                                                    runs.QueuedJob("k", 3000)])  # fmt: skip
    out = run_stats.agent_stats(store.engine, tid, 7, now=clock.now())
    # busy 0-10 and 40-50 (20 min) of 50 observed minutes; offline 50-70 not observed
    assert out["agents"][0]["utilisation"] == 0.4
    assert out["agents"][0]["state"] == "offline"
    assert out["queue"] == {"waiting_now": 2, "samples": 2,
                            "wait_ms": {"p50": 1000.0, "p90": 3000.0}}  # fmt: skip
    clock.freeze(at(90))
    runs.record_agents(store.engine, tid, None, [A("a1", "busy")], [])
    clock.freeze(at(200))  # silent since: the last sample stands for 15 minutes, no more
    out = run_stats.agent_stats(store.engine, tid, 7, now=clock.now())
    assert out["agents"][0]["utilisation"] == round(35 / 65, 4)


def test_expired_build_logs_are_deleted(store: Store, url: str, tmp_path: Path) -> None:
    tid = tokens.ensure_tenant(store.engine, "t")
    rid, _ = runs.upsert_run(store.engine, tid, make("x", "failed"))
    settings = Settings.from_env({"CIWHY_DATA_DIR": str(tmp_path), "CIWHY_DATABASE_URL": url})
    logs = logstore.open_store(settings)
    data = b"line one\nline two\n"
    loc = logs.put(tid, rid, logstore.compress(data))
    runs.attach_log(
        store.engine,
        tid,
        rid,
        location=loc,
        size=len(data),
        stored_size=1,
        lines=2,
        expires_at=clock.now() + timedelta(days=1),
        analysis_id=None,
    )
    assert logstore.read_range(logs.get(loc), 5, 8) == b"one"
    worker = Worker(store, settings)
    assert worker.expire_build_logs() == 0
    clock.freeze(clock.now() + timedelta(days=2))
    assert worker.expire_build_logs() == 1
    assert run_reads.log_meta(store.engine, tid, rid) is None
    assert not list((tmp_path / "build-logs").rglob("*.zst"))
    with pytest.raises(ValueError):
        logs.get("file:../../etc/passwd")
