"""④ The worker: claim a queued log, analyse it (pure engine, in a process pool), store the
result and drop the spooled log. Idempotent: a job is claimed under a lease, and a worker
that dies mid-analysis only delays it (another worker takes it when the lease ends)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from ciwhy.analysis import analyse
from ciwhy.config import Settings
from ciwhy.models import Analysis
from ciwhy.notify.sender import Sender
from ciwhy.store import Store, queue

log = logging.getLogger("ciwhy.worker")


def _analyse(data: bytes) -> Analysis:
    return analyse(data)


def _warm() -> None:
    """Import the engine and load the signature library (a fraction of a second) before the
    first log arrives, not while it waits."""
    analyse(b"warming up\n")


def _process_pool(n: int) -> Executor:
    return ProcessPoolExecutor(
        max_workers=max(1, n), mp_context=get_context("spawn"), initializer=_warm
    )


class AnalysisPool:
    """Analysis is CPU work: separate processes keep it off the server's event loop and GIL
    (`spawn`, because forking a threaded server is unsafe; each process is warmed at start).
    A process killed from outside (the kernel's OOM killer, say) breaks a process pool for
    good: the pool is then replaced, and the job that was running is retried."""

    def __init__(self, n: int) -> None:
        self.n = max(1, n)
        self._lock = threading.Lock()
        self._pool = _process_pool(self.n)

    def analyse(self, data: bytes) -> Analysis:
        pool = self._pool
        try:
            return pool.submit(_analyse, data).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    log.warning("an analysis process died; starting a new pool")
                    self._pool = _process_pool(self.n)
            raise

    def warm(self) -> None:
        """Start every process now rather than on the first logs."""
        for f in [self._pool.submit(_warm) for _ in range(self.n)]:
            f.result()

    def shutdown(self) -> None:
        """Stop the processes and wait for them (not waiting left them orphaned, alive)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def process_pool(n: int) -> AnalysisPool:
    return AnalysisPool(n)


class Worker:
    def __init__(
        self, store: Store, settings: Settings, pool: AnalysisPool | None = None, name: str = ""
    ) -> None:
        self.store = store
        self.settings = settings
        self.pool = pool
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.wake = threading.Event()
        self._last_sweep = 0.0
        self._last_expiry = 0.0
        self._logs: Any = None
        self.sender = Sender(store.engine, settings, self.name, settings.lease_seconds)

    def expire_build_logs(self) -> int:
        """Delete the kept build logs whose retention has passed; how many went."""
        from ciwhy.store import logstore, runs

        if self._logs is None:
            self._logs = logstore.open_store(self.settings)
        gone = 0
        for run_id, location in runs.expired_logs(self.store.engine):
            self._logs.delete(location)
            runs.forget_log(self.store.engine, run_id, location)
            gone += 1
        return gone

    def run_once(self) -> bool:
        """Handle one job if there is one; True when one was handled."""
        s = self.settings
        now = time.monotonic()
        if now - self._last_sweep > min(5.0, s.lease_seconds / 2):  # not a write every poll
            self._last_sweep = now
            self.store.give_up_exhausted(s.max_attempts)
        if now - self._last_expiry > 60.0:
            self._last_expiry = now
            self.expire_build_logs()
        job = queue.claim(self.store.engine, self.name, s.lease_seconds, s.max_attempts)
        if job is None:  # no analysis to do: deliver a notification, if one is due
            return self.sender.run_once()
        data = self.store.spool.get(job.analysis_id)
        if data is None:
            self.store.fail(job, "the spooled log was missing (removed before its analysis)")
            return True
        try:
            result = self.pool.analyse(data) if self.pool is not None else analyse(data)
        except Exception as exc:  # the engine must not fail; if it does, retry, then give up
            reason = f"{type(exc).__name__}: {exc}"
            log.exception("analysis %s failed (attempt %d)", job.analysis_id, job.attempts)
            if job.attempts >= s.max_attempts:
                self.store.fail(job, reason)
            else:
                queue.retry_later(self.store.engine, job, reason, 2.0 * job.attempts)
            return True
        self.store.complete(job, result)
        return True

    def run(self, stop: threading.Event, idle: float = 0.2) -> None:
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database went away: wait and try again
                log.exception("worker loop")
                busy = False
            if not busy:
                self.wake.wait(idle)
                self.wake.clear()


class WorkerPool:
    """The in-process workers of `ciwhy serve` (threads that wait on the database; analysis
    runs in a shared process pool)."""

    def __init__(self, store: Store, settings: Settings, n: int) -> None:
        self.stop = threading.Event()
        self.pool = process_pool(n) if n else None
        self.workers = [Worker(store, settings, self.pool) for _ in range(n)]
        self.threads = [
            threading.Thread(target=w.run, args=(self.stop,), daemon=True, name=f"ciwhy-worker-{i}")
            for i, w in enumerate(self.workers)
        ]

    def start(self) -> None:
        if self.pool is not None:  # start (and warm) every analysis process now
            self.pool.warm()
        for t in self.threads:
            t.start()

    def nudge(self) -> None:
        for w in self.workers:
            w.wake.set()

    def close(self) -> None:
        self.stop.set()
        self.nudge()
        for t in self.threads:
            t.join(timeout=10)
        if self.pool is not None:
            self.pool.shutdown()
