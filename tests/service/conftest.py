"""The real service for the tests: `ciwhy serve` started as a subprocess on a free loopback
port, on SQLite and on the PostgreSQL at 127.0.0.1:5432 (a fresh database per run), driven
over HTTP and through the real CLI.

PostgreSQL is required when CIWHY_TEST_REQUIRE_POSTGRES=1 (CI sets it); otherwise its tests
are skipped, with the reason, when it does not answer.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

CIWHY = str(Path(sys.executable).with_name("ciwhy"))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_database() -> str | None:
    try:
        import psycopg

        name = f"ciwhy_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name
    except Exception as exc:
        if os.environ.get("CIWHY_TEST_REQUIRE_POSTGRES") == "1":
            raise RuntimeError(f"PostgreSQL is required and does not answer: {exc}") from exc
        return None


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    url: str
    env: dict[str, str]
    data_dir: Path
    proc: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def cli(
        self, *args: str, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CIWHY, *args], env=self.env if env is None else env, capture_output=True,
            text=True, check=check, timeout=120,
        )  # fmt: skip

    def token(self, tenant: str, *scopes: str) -> str:
        key = f"{tenant}:{','.join(scopes)}"
        if key not in self.tokens:
            args = ["tokens", "create", "--tenant", tenant, "--name", "tests"]
            for s in scopes:
                args += ["--scope", s]
            self.tokens[key] = self.cli(*args).stdout.strip().splitlines()[-1]
        return self.tokens[key]

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def spooled(self) -> set[str]:
        """The ids of the logs waiting in the server's spool, read as the server keeps them."""
        from ciwhy.config import Settings
        from ciwhy.store import Store

        store = Store.from_settings(Settings.from_env(self.env))
        try:
            return store.spool.keys()
        finally:
            store.close()

    def start(self) -> None:
        with open(self.data_dir / "server.log", "ab") as log:  # the child keeps its own handle
            self.proc = subprocess.Popen(
                [CIWHY, "serve"], env=self.env, stdout=subprocess.DEVNULL, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.data_dir / "server.log").read_text()[-3000:])
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def make_server(tmp: Path, database_url: str | None, **env: str) -> Server:
    port = _free_port()
    data_dir = tmp / "data"
    e = {
        **os.environ,
        "CIWHY_DATA_DIR": str(data_dir),
        "CIWHY_PORT": str(port),
        "CIWHY_INGEST_RATE_LIMIT": "100000/minute",
        "CIWHY_READ_RATE_LIMIT": "100000/minute",
        "CIWHY_LOGIN_RATE_LIMIT": "100000/minute",
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "CIWHY_URL": f"http://127.0.0.1:{port}",
        **env,
    }
    e.pop("CIWHY_TOKEN", None)
    if database_url:
        e["CIWHY_DATABASE_URL"] = database_url
    else:
        e.pop("CIWHY_DATABASE_URL", None)
    data_dir.mkdir(parents=True, exist_ok=True)
    return Server(f"http://127.0.0.1:{port}", e, data_dir)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    pg = None
    if request.param == "postgresql":
        pg = _postgres_database()
        if pg is None:
            pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    url = f"postgresql://postgres@127.0.0.1:5432/{pg}" if pg else None
    srv = make_server(tmp_path_factory.mktemp(request.param), url)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        if pg:
            _drop_postgres(pg)


def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database on `backend`: a SQLite file in tmp_path, or a new PostgreSQL database
    dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'ciwhy.db'}"
        return
    name = _postgres_database()
    if name is None:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        _drop_postgres(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL, once per backend (store-level tests without a server)."""
    yield from database(request.param, tmp_path)


def wait_analysed(client: httpx.Client, aid: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get(f"/api/v1/analyses/{aid}")
        if r.status_code == 200 and r.json()["state"] != "queued":
            return r.json()
        time.sleep(0.05)
    raise AssertionError(f"analysis {aid} not done in {timeout} s")
