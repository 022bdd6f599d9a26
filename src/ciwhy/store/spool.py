"""The raw-log spool: each log compressed in its own file until a worker has analysed it.

Written to a temporary name, then renamed, so a file under its final name is always complete.
It survives the server or a worker being killed (the kernel holds it); like SQLite's NORMAL
synchronous mode, a power cut may lose the last moments (`fsync=True` closes that gap at about
half a millisecond a log). Removed as soon as the analysis is stored; a log never lingers
past its analysis.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select

from ciwhy.store.db import writing
from ciwhy.store.tables import spool


def pack(text: str) -> bytes:
    """A log as the spool keeps it: UTF-8 (errors replaced), gzip level 1 (it is short-lived)."""
    return gzip.compress(text.encode("utf-8", "replace"), compresslevel=1, mtime=0)


class FileSpool:
    transactional = False

    def __init__(self, directory: Path, fsync: bool = False) -> None:
        self.dir = directory
        self.fsync = fsync
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)

    def _path(self, key: str) -> Path:
        if not key.replace("-", "").isalnum():
            raise ValueError(f"bad spool key {key!r}")
        return self.dir / f"{key}.log.gz"

    def put(self, key: str, data: bytes, conn: Connection | None = None) -> None:
        """Write a packed log before the run's transaction (`conn` is not needed: a file
        outlives it)."""
        final = self._path(key)
        tmp = final.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            if self.fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)

    def put_many(self, logs: Sequence[tuple[str, bytes]], conn: Connection | None = None) -> None:
        written: list[str] = []
        try:
            for key, data in logs:
                self.put(key, data)
                written.append(key)
        except BaseException:
            for key in written:
                self.delete(key)
            raise

    def get(self, key: str) -> bytes | None:
        """The spooled log, still gzip-compressed (the engine reads gzip), or None."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> set[str]:
        return {p.name.removesuffix(".log.gz") for p in self.dir.glob("*.log.gz")}

    def sweep(self, keep: set[str]) -> int:
        """Remove logs no queued job needs, and leftovers of interrupted writes."""
        n = 0
        for p in self.dir.iterdir():
            key = p.name.removesuffix(".log.gz")
            if p.name.endswith(".tmp") or (p.name.endswith(".log.gz") and key not in keep):
                p.unlink(missing_ok=True)
                n += 1
        return n


class DatabaseSpool:
    """The same spool in the database, for replicas on several hosts that share only it
    (PostgreSQL). Rows are deleted as soon as the analysis is stored; the database reclaims
    their space on its own schedule (VACUUM), outside ciwhy's data directory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, key: str, data: bytes, conn: Connection | None = None) -> None:
        """Within the run's own transaction when `conn` is given: the log and its job appear
        together or not at all (no orphan for a sweep to race with)."""
        self.put_many([(key, data)], conn)

    def put_many(self, logs: Sequence[tuple[str, bytes]], conn: Connection | None = None) -> None:
        rows = [{"key": key, "data": data} for key, data in logs]
        if conn is not None:
            conn.execute(insert(spool), rows)
            return
        with writing(self.engine) as own:
            own.execute(insert(spool), rows)

    def get(self, key: str) -> bytes | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(spool.c.data).where(spool.c.key == key)).scalar()
        return bytes(found) if found is not None else None

    def delete(self, key: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(delete(spool).where(spool.c.key == key))

    def keys(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(spool.c.key)).scalars())

    #: Written in the same transaction as their jobs, rows never need sweeping (a sweep on one
    #: replica could race another's insert); the method keeps the spool interface whole.
    transactional = True

    def sweep(self, keep: set[str]) -> int:
        gone = self.keys() - keep
        for key in gone:
            self.delete(key)
        return len(gone)
