"""The raw-log spool: each log, compressed, waits here until a worker has analysed it, and is
removed as soon as its analysis is stored; a log never lingers past its analysis.

Two homes: a spool file in the data directory (one host), or a table in the main database,
written in the run's own transaction (replicas on several hosts that share only PostgreSQL).
"""

from __future__ import annotations

import gzip
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select

from ciwhy.store.db import WriteLock, writing
from ciwhy.store.tables import spool


def pack(text: str) -> bytes:
    """A log as the spool keeps it: UTF-8 (errors replaced), gzip level 1 (it is short-lived)."""
    return gzip.compress(text.encode("utf-8", "replace"), compresslevel=1, mtime=0)


class FileSpool:
    """The spool as one SQLite file of its own in the data directory (not the main database:
    its write-ahead log would keep copies of each log until a checkpoint). A rollback journal
    that is truncated at each commit, and `secure_delete`, which zeroes a deleted log's pages:
    once removed, a log is in no file. Its pages are reused by the next logs, so a busy spool
    costs no file creation a log (which some filesystems make expensive).

    Written before the run's transaction in the main database: a crash between the two leaves
    an orphan, which `sweep` removes. Without `fsync` it survives the server or a worker being
    killed (the kernel holds it) but a power cut may lose the last moments, like SQLite's
    NORMAL mode; with it, each commit reaches the disk first."""

    transactional = False

    def __init__(self, directory: Path, fsync: bool = False) -> None:
        self.dir = directory
        self.path = directory / "spool.db"
        self.fsync = fsync
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        self._local = threading.local()
        self._lock = WriteLock(self.dir / "spool.db-writelock")
        with self._write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS spool (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
            )
        self._adopt_files()

    def _adopt_files(self) -> None:
        """Logs that earlier versions spooled one file each move into the spool file."""
        for p in self.dir.glob("*.log.gz"):
            with self._write() as conn:
                conn.execute("INSERT OR IGNORE INTO spool (key, data) VALUES (?, ?)",
                             (p.name.removesuffix(".log.gz"), p.read_bytes()))  # fmt: skip
            p.unlink()
        for p in self.dir.glob("*.tmp"):  # never completed
            p.unlink()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            for pragma in ("journal_mode=TRUNCATE", "secure_delete=ON", "busy_timeout=30000",
                           f"synchronous={'FULL' if self.fsync else 'OFF'}"):  # fmt: skip
                conn.execute(f"PRAGMA {pragma}")
            self._local.conn = conn
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._lock.held():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def put(self, key: str, data: bytes, conn: Connection | None = None) -> None:
        self.put_many([(key, data)])

    def put_many(self, logs: Sequence[tuple[str, bytes]], conn: Connection | None = None) -> None:
        """Packed logs, in one commit (`conn` is not used: the spool is its own database)."""
        with self._write() as own:
            own.executemany("INSERT INTO spool (key, data) VALUES (?, ?)", logs)

    def get(self, key: str) -> bytes | None:
        """The spooled log, still gzip-compressed (the engine reads gzip), or None."""
        row = self._conn().execute("SELECT data FROM spool WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def delete(self, key: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM spool WHERE key = ?", (key,))

    def keys(self) -> set[str]:
        return {k for (k,) in self._conn().execute("SELECT key FROM spool")}

    def sweep(self, keep: set[str]) -> int:
        """Remove logs no queued job needs (orphans of a crash between the two commits)."""
        gone = self.keys() - keep
        for key in gone:
            self.delete(key)
        return len(gone)


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
