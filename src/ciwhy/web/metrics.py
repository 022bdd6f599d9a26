"""⑦ ``GET /metrics``: the Prometheus text format (version 0.0.4) of the service's health and
of what CI did.

Two sources, one exposition:

- this process: HTTP requests by route template and status class, and their latency, counted
  by a small ASGI middleware into a registry of the app's own (several apps in one process do
  not share counters). A route is labelled by its path template, never the raw path, and
  anything no route matched is ``unmatched``, so the label sets stay bounded.
- the database, read at scrape time with cheap, indexed queries only: the analysis queue
  (``jobs``), the notification outbox, counters summed from the daily rollups, and gauges over
  the last 24 h of ``analyses`` and ``runs`` (range scans of ``ix_analyses_tenant_received``
  and ``ix_runs_tenant_created``). The time-to-RCA histogram merges ``daily_rca_buckets``:
  today and yesterday at every scrape, the older days once an hour (they no longer change).

Who may scrape: a token with the ``read`` scope sees its own tenant's CI metrics; the bearer
``CIWHY_METRICS_TOKEN`` (when set) sees every tenant's. The queue and outbox gauges are the
service's, whoever asks. Database figures are the same from every replica: aggregate them with
``max``, not ``sum``; the HTTP ones are per process.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from sqlalchemy import Engine, func, select

from ciwhy import __version__, clock
from ciwhy.store import rollup
from ciwhy.store.tables import (
    analyses,
    daily_rca_buckets,
    daily_stats,
    jobs,
    runs,
    tenants,
)
from ciwhy.store.tables_people import outbox
from ciwhy.web.guard import authorize, token_from

TOKEN_ENV = "CIWHY_METRICS_TOKEN"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: Time-to-RCA bucket bounds, seconds.
RCA_BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
#: Older days' time-to-RCA buckets are re-read at most this often.
HISTORY_TTL = 3600.0
RECENT = timedelta(hours=24)

ASGIApp = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]


@dataclass
class _History:
    """Per tenant, the time-to-RCA buckets and sum of the days before `before`."""

    before: date
    read_at: float
    buckets: dict[str, list[int]]
    sums: dict[str, int]


@dataclass
class Metrics:
    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    token: str | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    history: _History | None = None


def install(app: FastAPI) -> None:
    """Count HTTP requests and serve ``GET /metrics``. Reads ``CIWHY_METRICS_TOKEN`` now."""
    registry = CollectorRegistry(auto_describe=True)
    m = Metrics(
        registry=registry,
        requests=Counter("ciwhy_http_requests", "HTTP requests by route template and status "
                         "class", ["method", "route", "status"], registry=registry),
        latency=Histogram("ciwhy_http_request_duration_seconds", "HTTP request latency by "
                          "route template", ["method", "route"], registry=registry),
        token=getattr(app.state.settings, "metrics_token", None) or os.environ.get(TOKEN_ENV),
    )  # fmt: skip
    app.state.metrics = m
    app.add_middleware(HttpMetrics, metrics=m)

    @app.get("/metrics", tags=["health"], response_class=Response,
             summary="Prometheus metrics (read scope, or the CIWHY_METRICS_TOKEN bearer)",
             responses={200: {"content": {CONTENT_TYPE: {}}}})  # fmt: skip
    async def metrics(request: Request) -> Response:
        scope = await _scope(request, m)
        engine = request.app.state.store.engine
        body = await run_in_threadpool(exposition, m, engine, scope, clock.now())
        return Response(body, media_type=CONTENT_TYPE)


async def _scope(request: Request, m: Metrics) -> dict[str, str] | None:
    """The tenants (id: name) this scrape may see; None: all of them (the metrics token)."""
    secret = token_from(request)
    if m.token and secret and hmac.compare_digest(secret.encode(), m.token.encode()):
        return None
    tok = await authorize(request, "read")
    request.app.state.limits.check("read", tok.tenant_id)
    return {tok.tenant_id: tok.tenant}


class HttpMetrics:
    """Pure ASGI middleware: one count and one latency observation per HTTP request, labelled
    by the route the router matched (``scope["route"]``, set as it routes)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.m = app, metrics

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]

        async def counted_send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        start = time.perf_counter()
        try:
            await self.app(scope, receive, counted_send)
        finally:
            elapsed = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            method = scope.get("method", "")
            method = method if method in METHODS else "other"
            self.m.requests.labels(method, route, f"{status[0] // 100}xx").inc()
            self.m.latency.labels(method, route).observe(elapsed)


class _Scrape:
    """What one scrape exposes: the app's registry, then the database's figures."""

    def __init__(self, *parts: Callable[[], Iterable[Metric]]) -> None:
        self.parts = parts

    def collect(self) -> Iterator[Metric]:
        for part in self.parts:
            yield from part()


def exposition(m: Metrics, engine: Engine, scope: dict[str, str] | None, now: datetime) -> bytes:
    return generate_latest(_Scrape(m.registry.collect, lambda: _database(m, engine, scope, now)))  # type: ignore[arg-type]


def _database(
    m: Metrics, engine: Engine, scope: dict[str, str] | None, now: datetime
) -> list[Metric]:
    started = time.perf_counter()
    up = GaugeMetricFamily("ciwhy_metrics_database_up", "1 when the database figures below "
                           "were read, 0 when reading them failed")  # fmt: skip
    try:
        with engine.connect() as conn:
            names = scope if scope is not None else dict(conn.execute(
                select(tenants.c.id, tenants.c.name)).all())  # fmt: skip
            out = [*_service(conn, now), *_rollups(conn, names), *_recent(conn, names, now)]
        out.append(_rca_histogram(m, engine, names, now))
        up.add_metric([], 1)
    except Exception:  # a scrape reports the failure; the HTTP figures still go out
        out = []
        up.add_metric([], 0)
    took = GaugeMetricFamily("ciwhy_metrics_database_seconds", "Time spent reading the "
                             "database figures of this scrape")  # fmt: skip
    took.add_metric([], time.perf_counter() - started)
    info = GaugeMetricFamily("ciwhy_build_info", "The running ciwhy version", labels=["version"])
    info.add_metric([__version__], 1)
    return [info, up, took, *out]


def _service(conn: Any, now: datetime) -> list[Metric]:
    """The queue and the outbox: counts of index ranges over their `state` columns."""
    depth = GaugeMetricFamily("ciwhy_analysis_queue_jobs", "Analysis jobs waiting or being "
                              "worked on", labels=["state"])  # fmt: skip
    for state in ("queued", "running"):
        n = conn.execute(select(func.count()).select_from(jobs)
                         .where(jobs.c.state == state)).scalar_one()  # fmt: skip
        depth.add_metric([state], int(n))
    oldest = conn.execute(select(func.min(jobs.c.available_at)).where(
        jobs.c.state == "queued", jobs.c.available_at <= now)).scalar()  # fmt: skip
    age = GaugeMetricFamily("ciwhy_analysis_queue_oldest_seconds", "How long the oldest "
                            "analysis job ready to run has waited (0: none waits)")  # fmt: skip
    age.add_metric([], max(0.0, (now - _aware(oldest)).total_seconds()) if oldest else 0.0)
    box = GaugeMetricFamily(
        "ciwhy_outbox_messages",
        "Notifications not yet delivered: pending (to send or retry) and failed (given up)",
        labels=["state"],
    )
    for state in ("pending", "failed"):
        n = conn.execute(select(func.count()).select_from(outbox)
                         .where(outbox.c.state == state)).scalar_one()  # fmt: skip
        box.add_metric([state], int(n))
    return [depth, age, box]


def _rollups(conn: Any, names: dict[str, str]) -> list[Metric]:
    """All-time counters, summed over `daily_stats` (one row per tenant and day)."""
    d = daily_stats.c
    sums = [func.sum(d[k]) for k in ("received", "failures", "completed", "rca", "low",
                                     "medium", "high")]  # fmt: skip
    rows = conn.execute(select(d.tenant_id, *sums).where(d.tenant_id.in_(list(names)))
                        .group_by(d.tenant_id)).all()  # fmt: skip
    received = CounterMetricFamily("ciwhy_logs_received", "CI job logs received",
                                   labels=["tenant"])  # fmt: skip
    failures = CounterMetricFamily("ciwhy_failures", "Failed CI jobs received (any status "
                                   "but success, running, pending, queued, skipped, blocked)",
                                   labels=["tenant"])  # fmt: skip
    done = CounterMetricFamily("ciwhy_analyses", "Analyses completed, by the severity found "
                               "(none: no root cause)", labels=["tenant", "severity"])  # fmt: skip
    causes = CounterMetricFamily("ciwhy_root_causes", "Analyses that found a root cause",
                                 labels=["tenant"])  # fmt: skip
    for tid, rec, fail, comp, rca, low, med, high in rows:
        t = names[tid]
        received.add_metric([t], int(rec or 0))
        failures.add_metric([t], int(fail or 0))
        causes.add_metric([t], int(rca or 0))
        graded = {"low": int(low or 0), "medium": int(med or 0), "high": int(high or 0)}
        for sev, n in (*graded.items(), ("none", max(0, int(comp or 0) - sum(graded.values())))):
            done.add_metric([t, sev], n)
    return [received, failures, done, causes]


def _recent(conn: Any, names: dict[str, str], now: datetime) -> list[Metric]:
    """Gauges over the last 24 h: range scans of the (tenant_id, time) indexes."""
    since, a, r = now - RECENT, analyses.c, runs.c
    fails = GaugeMetricFamily(
        "ciwhy_failures_last_24h", "Failed CI jobs received in the last 24 h, by project, "
        "severity and category (unknown: not analysed yet, or no root cause)",
        labels=["tenant", "project", "severity", "category"])  # fmt: skip
    q = (select(a.tenant_id, a.project, a.severity, a.category, func.count())
         .where(a.tenant_id.in_(list(names)), a.received_at >= since,
                a.status.not_in(rollup.NOT_FAILURES))
         .group_by(a.tenant_id, a.project, a.severity, a.category))  # fmt: skip
    merged: dict[tuple[str, ...], int] = defaultdict(int)
    for tid, project, sev, cat, n in conn.execute(q):
        merged[(names[tid], project, sev or "unknown", cat or "unknown")] += int(n)
    for labels, n in sorted(merged.items()):
        fails.add_metric(list(labels), n)
    by_status = GaugeMetricFamily("ciwhy_runs_last_24h", "Pipeline runs created in the last "
                                  "24 h, by project and status",
                                  labels=["tenant", "project", "status"])  # fmt: skip
    q = (select(r.tenant_id, r.project, r.status, func.count())
         .where(r.tenant_id.in_(list(names)), r.created_at >= since)
         .group_by(r.tenant_id, r.project, r.status))  # fmt: skip
    merged.clear()
    for tid, project, status, n in conn.execute(q):
        merged[(names[tid], project, status or "unknown")] += int(n)
    for labels, n in sorted(merged.items()):
        by_status.add_metric(list(labels), n)
    return [fails, by_status]


def _rca_histogram(m: Metrics, engine: Engine, names: dict[str, str], now: datetime) -> Metric:
    """Time to RCA, all time, per tenant, from the rollup histogram (within 1 % of the exact
    bucket above one second). Days before yesterday are cached: one scrape reads two days."""
    recent_from = now.date() - timedelta(days=1)
    old = _history(m, engine, recent_from)
    new_buckets, new_sums = _rca_days(engine, list(names), since=recent_from)
    hist = HistogramMetricFamily("ciwhy_time_to_rca_seconds", "Time from a log's receipt to "
                                 "its analysis", labels=["tenant"])  # fmt: skip
    for tid in sorted(names, key=names.__getitem__):
        counts = [x + y for x, y in zip(old.buckets.get(tid, _zero()),
                                        new_buckets.get(tid, _zero()), strict=True)]  # fmt: skip
        if not counts[-1]:
            continue
        total_ms = old.sums.get(tid, 0) + new_sums.get(tid, 0)
        cumulative = [
            (_le(b), float(n)) for b, n in zip((*RCA_BOUNDS, "+Inf"), counts, strict=True)
        ]
        hist.add_metric([names[tid]], cumulative, sum_value=total_ms / 1000)
    return hist


def _history(m: Metrics, engine: Engine, before: date) -> _History:
    with m.lock:
        h = m.history
        if h is None or h.before != before or time.monotonic() - h.read_at > HISTORY_TTL:
            buckets, sums = _rca_days(engine, None, until=before)
            h = m.history = _History(before, time.monotonic(), buckets, sums)
        return h


def _rca_days(
    engine: Engine, tenant_ids: list[str] | None, *, since: date | None = None,
    until: date | None = None,
) -> tuple[dict[str, list[int]], dict[str, int]]:  # fmt: skip
    """Per tenant: cumulative counts at each bound of RCA_BOUNDS and +Inf, and the sum in ms,
    of the days in [since, until). The sum comes from `daily_stats` (same days, same rows)."""
    b, d = daily_rca_buckets.c, daily_stats.c
    hq = select(b.tenant_id, b.bucket, func.sum(b.n)).group_by(b.tenant_id, b.bucket)
    sq = select(d.tenant_id, func.sum(d.rca_ms_sum)).group_by(d.tenant_id)
    if tenant_ids is not None:
        hq, sq = hq.where(b.tenant_id.in_(tenant_ids)), sq.where(d.tenant_id.in_(tenant_ids))
    if since is not None:
        hq, sq = hq.where(b.day >= since), sq.where(d.day >= since)
    if until is not None:
        hq, sq = hq.where(b.day < until), sq.where(d.day < until)
    limits = [rollup.bucket_of(round(s * 1000)) for s in RCA_BOUNDS]
    counts: dict[str, list[int]] = defaultdict(_zero)
    with engine.connect() as conn:
        for tid, bucket, n in conn.execute(hq):
            row = counts[tid]
            for i, top in enumerate(limits):
                if bucket <= top:
                    row[i] += int(n)
            row[-1] += int(n)
        sums = {tid: int(s or 0) for tid, s in conn.execute(sq)}
    return dict(counts), sums


def _zero() -> list[int]:
    return [0] * (len(RCA_BOUNDS) + 1)


def _le(bound: float | str) -> str:
    return bound if isinstance(bound, str) else repr(float(bound))


def _aware(value: Any) -> datetime:
    """A min() of a timestamp: text on SQLite, a datetime on PostgreSQL; UTC either way."""
    at: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at if at.tzinfo else at.replace(tzinfo=UTC)
