"""The store on SQLite and PostgreSQL, without the server: runs stored in batches (dedupe
within a batch, across batches and across racing processes), and the daily rollups that the
stats read, checked against the analyses they summarise."""

from __future__ import annotations

import dataclasses
import random
import statistics
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from ciwhy import clock
from ciwhy.analysis.engine import analyse
from ciwhy.ingest.submission import Submission
from ciwhy.store import Store, queue, rollup, stats, tokens
from ciwhy.store.spool import pack
from ciwhy.store.tables import analyses, daily_causes, daily_rca_buckets, daily_stats

RESULT = analyse("npm ERR! code ELIFECYCLE\nnpm ERR! Test failed.\n")


def _store(url: str, tmp_path: Path) -> Store:
    store = Store.open(url, tmp_path / "spool")
    store.migrate()
    return store


def _sub(job: str | None, status: str = "failed", project: str = "acme/app") -> Submission:
    return Submission(source="generic_ingest", provider="ci", project=project, status=status,
                      vendor_status=status, log=f"log of {job}\nnpm ERR! Test failed.\n",
                      pipeline_id="p1" if job else None, job_id=job)  # fmt: skip


def test_a_batch_dedupes_within_itself_and_against_stored_runs(url: str, tmp_path: Path) -> None:
    store = _store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "t")
    ((first, new),) = store.submit_many([(tid, _sub("a"))])
    assert new
    out = store.submit_many([(tid, _sub("b")), (tid, _sub("a")), (tid, _sub("b")),
                             (tid, _sub(None)), (tid, _sub(None))])  # fmt: skip
    assert out[1] == (first, False)
    assert out[0][1] and out[2] == (out[0][0], False)
    assert out[3][1] and out[4][1] and out[3][0] != out[4][0]  # no job id: never deduped
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(analyses)).scalar() == 4
    assert store.spool.keys() >= {first, out[0][0], out[3][0], out[4][0]}
    store.close()


def test_racing_stores_keep_one_run_per_job(url: str, tmp_path: Path) -> None:
    """Two stores (as two replicas would) post overlapping batches at the same time."""
    stores = [_store(url, tmp_path)] + [Store.open(url, tmp_path / "spool") for _ in range(2)]
    tid = tokens.ensure_tenant(stores[0].engine, "race")
    jobs = [f"j{i}" for i in range(40)]
    results: list[list[tuple[str, bool]]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(stores))

    def post(store: Store, seed: int) -> None:
        mine = jobs[:]
        random.Random(seed).shuffle(mine)
        barrier.wait()
        try:
            for i in range(0, len(mine), 8):
                results.append(store.submit_many([(tid, _sub(j)) for j in mine[i : i + 8]]))
        except BaseException as exc:  # a thread's error must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with stores[0].engine.connect() as conn:
        rows = dict(conn.execute(select(analyses.c.ci_job_id, analyses.c.id)).all())
    assert sorted(rows) == sorted(jobs)
    flat = [r for batch in results for r in batch]
    assert sum(new for _, new in flat) == len(jobs)
    assert {aid for aid, _ in flat} == set(rows.values())
    assert stores[0].spool.keys() >= set(rows.values())
    for s in stores:
        s.close()


def _claim_and_complete(
    store: Store, at: datetime, rca_ms: int, severity: str, cause: int = 0
) -> None:
    job = queue.claim(store.engine, "test", 60, 3)
    assert job is not None
    fingerprint = dataclasses.replace(RESULT.fingerprint, hash=f"{cause:064x}")
    result = dataclasses.replace(RESULT, severity=severity, fingerprint=fingerprint,
                                 root_cause=f"cause {cause} at {at.isoformat()}")  # fmt: skip
    clock.freeze(at + timedelta(milliseconds=rca_ms))
    try:
        store.complete(job, result)
    finally:
        clock.freeze(None)


def test_rollups_match_the_analyses_they_summarise(url: str, tmp_path: Path) -> None:
    store = _store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "roll")
    other = tokens.ensure_tenant(store.engine, "other")
    rng = random.Random(3)
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    times: list[int] = []
    for k in range(120):
        at = now - timedelta(days=rng.randrange(0, 12), minutes=rng.randrange(0, 600))
        status = rng.choice(["failed", "failed", "success", "timeout", "weird-vendor-state"])
        clock.freeze(at)
        try:
            project = rng.choice(["acme/app", "acme/web", "beta/api"])
            store.submit_many([(rng.choice([tid, tid, other]), _sub(f"j{k}", status, project))])
        finally:
            clock.freeze(None)
        if rng.random() < 0.8:
            ms = rng.choice([rng.randrange(0, 999), rng.randrange(1000, 600_000)])
            _claim_and_complete(store, at, ms, rng.choice(["low", "medium", "high"]),
                                rng.randrange(4))  # fmt: skip
    view = stats.overview(store.engine, tid, 30, now)
    with store.engine.connect() as conn:
        rows = conn.execute(select(analyses).where(analyses.c.tenant_id == tid)).all()
    times = sorted(r.rca_ms for r in rows if r.rca_ms is not None)
    assert view["failures_detected"] == sum(r.status not in rollup.NOT_FAILURES for r in rows)
    assert view["analyses_completed"] == len(times) == view["rca_count"]
    assert view["severity_counts"] == {s: sum(r.severity == s for r in rows)
                                       for s in ("low", "medium", "high")}  # fmt: skip
    assert view["avg_time_to_rca_seconds"] == pytest.approx(statistics.fmean(times) / 1000)
    for q, key in ((0.5, "p50_time_to_rca_seconds"), (0.9, "p90_time_to_rca_seconds")):
        exact = times[int((len(times) - 1) * q)] / 1000
        assert view[key] == pytest.approx(exact, rel=0.005, abs=0.0011)
    series = stats.timeseries(store.engine, tid, 14, now)["points"]
    for p in series:
        day = datetime.fromisoformat(p["date"]).date()
        expected = sum(r.received_at.date() == day and r.status not in rollup.NOT_FAILURES
                       for r in rows)  # fmt: skip
        assert p["failures"] == expected
    # top root causes: counts, projects and first/last seen, as the analyses say
    causes = stats.top_root_causes(store.engine, tid, 30, 50, now)["items"]
    found = [r for r in rows if r.fingerprint is not None]
    assert sum(c["count"] for c in causes) == len(found)
    for c in causes:
        mine = sorted((r for r in found if r.fingerprint == c["fingerprint"]),
                      key=lambda r: (r.received_at, r.id))  # fmt: skip
        assert c["count"] == len(mine)
        assert c["projects"] == sorted({r.project for r in mine})
        assert c["first_seen"] == mine[0].received_at.isoformat()
        assert c["last_seen"] == mine[-1].received_at.isoformat()
        assert c["root_cause"] == mine[-1].root_cause
    # rebuilding from the analyses gives the very same rollups
    tables = (daily_stats, daily_rca_buckets, daily_causes)
    with store.engine.connect() as conn:
        before = [conn.execute(select(t).order_by(*t.primary_key.columns)).all() for t in tables]
    with store.engine.begin() as conn:
        rollup.rebuild(conn)
    with store.engine.connect() as conn:
        after = [conn.execute(select(t).order_by(*t.primary_key.columns)).all() for t in tables]
    assert before == after and before[0] and before[2]
    store.close()


@given(st.integers(min_value=0, max_value=10**10))
def test_histogram_buckets_are_exact_then_within_half_a_percent(ms: int) -> None:
    value = rollup.value_of(rollup.bucket_of(ms))
    if ms < rollup.EXACT_MS:
        assert value == ms
    else:
        assert abs(value - ms) <= 0.005 * ms
    assert rollup.bucket_of(ms) <= rollup.bucket_of(ms + 1)  # ordered, so quantiles walk them


def test_the_rollup_migration_backfills_stored_analyses(url: str, tmp_path: Path) -> None:
    """A database from before the rollups: upgrading fills them from the analyses it holds."""
    from alembic import command
    from alembic.config import Config

    from ciwhy.store import db

    engine = db.engine_for(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "2026_11_23_spool")
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'old', '2026-11-01')"
        )
        for k, (status, state, rca) in enumerate(
            [("failed", "analyzed", 40), ("failed", "analyzed", 2500), ("success", "queued", None)]
        ):
            conn.execute(analyses.insert().values(
                id=f"a{k}", tenant_id="t1", source="generic_ingest", provider="ci",
                project="acme/app", status=status, state=state, received_at=at,
                rca_ms=rca, severity="high" if rca else None,
                root_cause="x" if rca else None,
            ))  # fmt: skip
    db.migrate(engine)
    view = stats.overview(engine, "t1", 30, at + timedelta(days=1))
    assert view["failures_detected"] == 2 and view["analyses_completed"] == 2
    assert view["severity_counts"]["high"] == 2 and view["rca_count"] == 2
    # (n-1)·q positions: both quantiles of two times are the first; the mean holds both
    assert view["p50_time_to_rca_seconds"] == view["p90_time_to_rca_seconds"] == 0.04
    assert view["avg_time_to_rca_seconds"] == pytest.approx(1.27)
    assert stats.timeseries(engine, "t1", 7, at + timedelta(days=1))["points"][-2]["failures"] == 2
    engine.dispose()


def test_a_run_the_database_refuses_fails_alone(url: str, tmp_path: Path) -> None:
    """Through the real intake: a batch holding one run the database refuses (PostgreSQL
    refuses NUL in text; the web layer replaces it, a caller of the store might not) stores
    the others and fails only that one."""
    import asyncio

    from ciwhy.web.intake import Intake

    if url.startswith("sqlite"):
        pytest.skip("SQLite stores NUL; PostgreSQL is the database that refuses it")
    store = _store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "mixed")
    subs = [_sub("ok1"), _sub("bad", project="acme/\x00app"), _sub("ok2")]

    async def post_together() -> list[object]:
        intake = Intake(store)
        outcomes = await asyncio.gather(
            *(intake.submit(tid, s, pack(s.log)) for s in subs), return_exceptions=True
        )
        await intake.close()
        return outcomes

    ok1, bad, ok2 = asyncio.run(post_together())
    assert isinstance(bad, Exception)
    assert isinstance(ok1, tuple) and isinstance(ok2, tuple) and ok1[1] and ok2[1]
    with store.engine.connect() as conn:
        stored = set(conn.execute(select(analyses.c.ci_job_id)).scalars())
    assert stored == {"ok1", "ok2"}
    assert store.spool.keys() == {ok1[0], ok2[0]}  # the refused run left no log behind
    store.close()
