"""The outbox on SQLite and PostgreSQL with real receivers: which failures each channel's
rule lets through, retries with backoff and their delivery log, a receiver that is down and
comes back, a sender that dies (its messages delivered once by the next), giving up, the
digest and its daily schedule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select

from ciwhy import clock
from ciwhy.notify import digest, manage
from ciwhy.notify.sender import Sender
from ciwhy.store import Store, outbox, tokens
from ciwhy.store.tables_people import deliveries
from ciwhy.store.tables_people import outbox as outbox_t
from tests.service import test_notify as kit
from tests.service.test_notify import BASE, SECRET, T0, Receiver, analysed, drain, open_store


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    clock.freeze(T0)
    yield
    clock.freeze(None)


def advance(seconds: float) -> None:
    clock.freeze(clock.now() + timedelta(seconds=seconds))


def rows(store: Store, table: Table = outbox_t) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))


def hook(store: Store, tid: str, receiver: Receiver, **rule: Any) -> str:
    config = {"url": receiver.url + "/in", "secret": SECRET}
    return manage.create_channel(store.engine, tid, "hook", "webhook", config, **rule)


def test_rules_pick_the_failures_each_channel_wants(url: str, tmp_path: Path) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "rules")
    r = Receiver()
    try:
        high = hook(store, tid, r, min_severity="high")
        api = hook(store, tid, r, projects=["acme/api"])
        new = hook(store, tid, r, new_causes_only=True)
        every = hook(store, tid, r)
        other = tokens.ensure_tenant(store.engine, "other")
        hook(store, other, r)  # another tenant's channel hears nothing of this one

        def sent() -> dict[str, set[str]]:
            out: dict[str, set[str]] = {}
            for row in rows(store):
                out.setdefault(row.channel_id, set()).add(json.loads(row.payload)["analysis_id"])
            return out

        a1 = analysed(store, tid, severity="medium", project="acme/app", fp="f1")
        advance(86400)
        a2 = analysed(store, tid, severity="high", project="acme/api", fp="f1")  # a repeat
        advance(6 * 86400)
        a3 = analysed(store, tid, severity="low", project="acme/app", fp="f1")  # 6 days on
        advance(8 * 86400)
        a4 = analysed(store, tid, severity="low", project="acme/app", fp="f1")  # 8 quiet days
        a5 = analysed(store, tid, severity="high", project="acme/api", fp="f2")  # a new cause
        ok = analysed(store, tid, severity="high", status="success", fp="f3")  # not a failure
        got = sent()
        assert got[high] == {a2, a5}
        assert got[api] == {a2, a5}
        assert got[new] == {a1, a4, a5}
        assert got[every] == {a1, a2, a3, a4, a5} and ok not in got[every]
        assert len(got) == 4
        # the rows are delivered: each channel's receiver gets them once
        assert drain(Sender(store.engine, base=BASE)) == 2 + 2 + 3 + 5
        assert len(r.requests) == 12
        # a disabled channel gets nothing new
        assert manage.set_enabled(store.engine, tid, every, False)
        analysed(store, tid, fp="f4")
        assert every not in {row.channel_id for row in rows(store)[12:]}
    finally:
        r.close()
        store.close()


def test_retries_with_backoff_until_delivered(url: str, tmp_path: Path) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "retry")
    r = Receiver(statuses=(500, 500))
    try:
        config = {"homeserver": r.url, "room_id": "!r:example.org", "access_token": "tok-123"}
        cid = manage.create_channel(store.engine, tid, "mx", "matrix", config)
        analysed(store, tid)
        sender = Sender(store.engine, base=BASE)
        assert sender.run_once()  # attempt 1: 500
        assert not sender.run_once()  # not due for 10 s
        advance(9)
        assert not sender.run_once()
        advance(1)
        assert sender.run_once()  # attempt 2: 500
        advance(29)
        assert not sender.run_once()
        advance(1)
        assert sender.run_once()  # attempt 3: 200
        (row,) = rows(store)
        assert row.state == "delivered" and row.attempts == 3
        log = manage.deliveries(store.engine, tid, cid)
        assert log is not None
        assert [(d["attempt"], d["ok"], d["status_code"]) for d in reversed(log)] == [
            (1, False, 500), (2, False, 500), (3, True, 200)]  # fmt: skip
        assert "HTTP 500" in log[-1]["error"] and all(d["duration_ms"] >= 0 for d in log)
        # every retry carries the same Matrix transaction id: the homeserver drops repeats
        assert len(r.requests) == 3 and len({q.path for q in r.requests}) == 1
        assert manage.deliveries(store.engine, "another-tenant", cid) is None
    finally:
        r.close()
        store.close()


def test_a_receiver_that_is_down_gets_it_when_back(url: str, tmp_path: Path) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "down")
    port = kit.closed_port()
    config = {"url": f"http://127.0.0.1:{port}/in", "secret": SECRET}
    cid = manage.create_channel(store.engine, tid, "hook", "webhook", config)
    analysed(store, tid)
    sender = Sender(store.engine, base=BASE)
    assert sender.run_once()
    (failed,) = manage.deliveries(store.engine, tid, cid) or []
    assert not failed["ok"] and failed["status_code"] is None and "Connect" in failed["error"]
    r = Receiver(port=port)
    try:
        advance(10)
        assert sender.run_once()
        assert len(r.requests) == 1 and rows(store)[0].state == "delivered"
    finally:
        r.close()
        store.close()


def test_a_new_sender_delivers_what_a_dead_one_left_exactly_once(url: str, tmp_path: Path) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "restart")
    r = Receiver()
    try:
        hook(store, tid, r)
        for fp in ("a", "b", "c"):
            analysed(store, tid, fp=fp)
        # a sender claims one and dies before sending it
        dead = outbox.claim(store.engine, "dead", lease_seconds=30)
        assert dead is not None
        fresh = Sender(store.engine, base=BASE, name="fresh", lease_seconds=30)
        assert drain(fresh) == 2  # the others at once; the dead one's under its lease
        advance(31)
        assert drain(fresh) == 1
        advance(3600)
        assert drain(fresh) == 0
        ids = sorted(int(q.headers["x-ciwhy-delivery"]) for q in r.requests)
        assert ids == sorted(row.id for row in rows(store))
        assert {row.state for row in rows(store)} == {"delivered"}
        assert len(rows(store, deliveries)) == 3
    finally:
        r.close()
        store.close()


def test_gives_up_after_max_attempts(url: str, tmp_path: Path) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "give-up")
    r = Receiver(statuses=(503,) * 10)
    try:
        hook(store, tid, r)
        analysed(store, tid)
        sender = Sender(store.engine, base=BASE, max_attempts=3)
        for _ in range(3):
            assert sender.run_once()
            advance(outbox.MAX_DELAY)
        assert not sender.run_once()
        (row,) = rows(store)
        assert row.state == "failed" and row.attempts == 3 and "HTTP 503" in row.last_error
        assert len(rows(store, deliveries)) == 3 and len(r.requests) == 3
    finally:
        r.close()
        store.close()


def test_digest_and_its_daily_schedule(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "digest")
    r = Receiver()
    try:
        hook(store, tid, r, min_severity="high")
        for fp, sev in (("x", "high"), ("x", "high"), ("y", "low"), ("z", "medium")):
            analysed(store, tid, fp=fp, severity=sev)
        analysed(store, tid, fp="x", status="success")
        advance(3600)
        ids = digest.enqueue_digest(store.engine, tid, clock.now() - timedelta(hours=24))
        assert len(ids) == 1
        Sender(store.engine, base=BASE).deliver(ids)
        msg = r.wait(lambda q: q.json()["event"] == "digest").json()["message"]
        assert msg["lines"][0] == "4 failures: 2 high, 1 medium, 1 low"
        assert msg["lines"][1] == "Top root causes:" and msg["lines"][2].startswith("2× ")
        assert sum(line.startswith("acme/app (main): ") for line in msg["lines"]) == 2

        monkeypatch.setenv("CIWHY_DIGEST_AT", "08:00")
        clock.freeze(T0.replace(hour=7, minute=59) + timedelta(days=1))
        a, b = Sender(store.engine, base=BASE), Sender(store.engine, base=BASE)
        assert a.scheduled_digest(clock.now()) == 0  # not yet
        advance(120)
        assert a.scheduled_digest(clock.now()) == 1
        assert b.scheduled_digest(clock.now()) == 0  # another worker: once a day
        assert a.scheduled_digest(clock.now()) == 0
        monkeypatch.setenv("CIWHY_DIGEST_AT", "25:00")
        assert Sender(store.engine, base=BASE).digest_at is None
    finally:
        r.close()
        store.close()
