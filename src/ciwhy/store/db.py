"""Opening the database: one SQLAlchemy engine, SQLite tuned for a service, migrations."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x63697779  # "ciwy": the advisory lock that serialises migrations


def engine_for(url: str) -> Engine:
    """An engine for sqlite:/// or postgresql:// URLs (psycopg 3 for PostgreSQL)."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        # Enough connections for every thread of the server's pool (40) to hold one.
        eng = create_engine(
            u,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=10,
            max_overflow=40,
        )
        event.listen(eng, "connect", _sqlite_pragmas)
        event.listen(eng, "begin", _sqlite_begin)
        if u.database and u.database != ":memory:":
            _WRITE_LOCKS[id(eng)] = WriteLock(Path(u.database + "-writelock"))
        else:
            _WRITE_LOCKS[id(eng)] = WriteLock(None)
        return eng
    # Sessions in UTC: date() and timestamps mean the same on both backends.
    return create_engine(
        u, pool_size=10, max_overflow=40, pool_pre_ping=True,
        connect_args={"options": "-c timezone=utc"},
    )  # fmt: skip


class WriteLock:
    """One SQLite writer at a time across the threads of a process (a lock) and across the
    processes of a host (`flock` on a file beside the database). Writers that raced for
    SQLite's own lock would sleep in its busy handler, milliseconds at a time; here the next
    one is woken as soon as the lock is free."""

    def __init__(self, path: Path | None) -> None:
        self.threads = threading.Lock()
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600) if path else None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.threads:
            if self.fd is None:
                yield
                return
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)


_WRITE_LOCKS: dict[int, WriteLock] = {}


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction; on SQLite, one at a time on the host (WriteLock)."""
    lock = _WRITE_LOCKS.get(id(engine))
    if lock is None:
        with engine.begin() as conn:
            yield conn
        return
    with lock.held(), engine.connect() as conn:
        conn.execution_options(ciwhy_write=True)  # BEGIN IMMEDIATE (see _sqlite_begin)
        with conn.begin():
            yield conn


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level, and SQLAlchemy's "begin" event issues BEGIN (reads) or
    # BEGIN IMMEDIATE (writes): reads never take the write lock, writes take it first.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # Deleted content is overwritten, not left in free pages.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    """A write transaction takes the write lock as it begins, waiting its turn (busy_timeout)
    behind other processes: one that read first, then wrote, could fail at once when another
    committed in between (WAL snapshots cannot be upgraded). Reads begin plainly."""
    write = conn.get_execution_options().get("ciwhy_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # replicas starting together migrate one at a time
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def ping(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
