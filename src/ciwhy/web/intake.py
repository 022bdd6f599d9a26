"""① → ③ Group commit for the ingest routes.

Each accepted request hands its run to the intake and waits. A writer stores whatever has
gathered in a single transaction (one commit, one executemany per table) on a worker thread,
then answers every request of the batch. Requests that arrive while a batch is being written
gather for the next one, so a batch is as large as the load makes it and never waits on a
timer: alone, a request is written at once. Each request still gets its 202 only once its run
and log are stored. SQLite takes one writer at a time; PostgreSQL gets a few, so that one
batch is prepared while another waits on the database."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from typing import Any

from fastapi.concurrency import run_in_threadpool

from ciwhy.ingest.submission import Submission

#: A batch holds at most this many runs, and this many packed log bytes (at least one run).
MAX_RUNS = 256
MAX_BYTES = 32 << 20


class Intake:
    def __init__(
        self, store: Any, on_new: Callable[[], None] | None = None, writers: int = 1
    ) -> None:
        self.store = store
        self.on_new = on_new
        self.n_writers = writers
        self._pending: deque[tuple[str, Submission, bytes, asyncio.Future[Any]]] = deque()
        self._wake = asyncio.Event()
        self._writers: list[asyncio.Task[None]] = []
        self._busy = 0

    async def submit(self, tenant_id: str, sub: Submission, packed: bytes) -> tuple[str, bool]:
        """Store the run and queue its packed log: (analysis id, whether it is new)."""
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((tenant_id, sub, packed, fut))
        self._wake.set()
        self._writers = [w for w in self._writers if not w.done()]
        while len(self._writers) < self.n_writers:
            self._writers.append(asyncio.create_task(self._write_batches()))
        # A request whose client goes away is still stored: shield the write from the cancel.
        result: tuple[str, bool] = await asyncio.shield(fut)
        return result

    def _take(self) -> list[tuple[str, Submission, bytes, asyncio.Future[Any]]]:
        batch, size = [], 0
        while self._pending and len(batch) < MAX_RUNS:
            if batch and size + len(self._pending[0][2]) > MAX_BYTES:
                break
            batch.append(self._pending.popleft())
            size += len(batch[-1][2])
        return batch

    async def _write_batches(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while batch := self._take():
                if self._pending:
                    self._wake.set()  # another writer may take the rest meanwhile
                self._busy += 1
                items = [(tenant_id, sub) for tenant_id, sub, _, _ in batch]
                packed = [data for _, _, data, _ in batch]
                try:
                    try:
                        outcomes = await run_in_threadpool(self.store.submit_many, items, packed)
                    except Exception:
                        # One bad run must not fail the others: store them one at a time, so
                        # that only the run the database refuses gets the error.
                        outcomes = await run_in_threadpool(self._one_by_one, items, packed)
                finally:
                    self._busy -= 1
                for (*_, fut), outcome in zip(batch, outcomes, strict=True):
                    if fut.done():
                        continue
                    if isinstance(outcome, BaseException):
                        fut.set_exception(outcome)
                    else:
                        fut.set_result(outcome)
                if self.on_new and any(isinstance(o, tuple) and o[1] for o in outcomes):
                    self.on_new()

    def _one_by_one(self, items: list[Any], packed: list[bytes]) -> list[Any]:
        outcomes: list[Any] = []
        for item, data in zip(items, packed, strict=True):
            try:
                outcomes.append(self.store.submit_many([item], [data])[0])
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    async def close(self) -> None:
        """Store what is pending, then stop the writer."""
        while (self._pending or self._busy) and any(not w.done() for w in self._writers):
            await asyncio.sleep(0.01)
        for w in self._writers:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
