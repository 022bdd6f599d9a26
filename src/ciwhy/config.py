"""Every setting of the service, once: name, default and meaning (environment CIWHY_*).

`Settings.from_env()` reads them; nothing reads the environment at import time. `ciwhy
settings` (and docs/configuration.md) print this table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


def _default_data_dir(env: Mapping[str, str]) -> str:
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "ciwhy")


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str
    kind: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "CIWHY_DATA_DIR", None,
            "Where ciwhy keeps its SQLite database and the log spool. Default $XDG_DATA_HOME/ciwhy "
            "(~/.local/share/ciwhy)."),
    Setting("database_url", "CIWHY_DATABASE_URL", None,
            "sqlite:///PATH or postgresql://user@host/db. Default: SQLite in the data directory."),
    Setting("ingest_rate_limit", "CIWHY_INGEST_RATE_LIMIT", "60/minute",
            "Ingest requests allowed per tenant (the `limits` notation: 60/minute, 10/second)."),
    Setting("read_rate_limit", "CIWHY_READ_RATE_LIMIT", "600/minute",
            "Read API requests allowed per tenant."),
    Setting("login_rate_limit", "CIWHY_LOGIN_RATE_LIMIT", "10/minute",
            "Dashboard sign-in attempts allowed per client address and per email."),
    Setting("redis_url", "CIWHY_REDIS_URL", None,
            "redis://host:6379/0 to share rate limits between replicas; unset: in memory."),
    Setting("workers", "CIWHY_WORKERS", 2,
            "Analysis workers `ciwhy serve` runs in-process (0: none, run `ciwhy worker`).", int),
    Setting("token_cache_seconds", "CIWHY_TOKEN_CACHE_SECONDS", 1.0,
            "How long a server trusts an API token it has checked before it checks it again: a "
            "revoked token is refused everywhere within this (0: check on every request).",
            float),
    Setting("max_log_bytes", "CIWHY_MAX_LOG_BYTES", 10 * 1024 * 1024,
            "Largest accepted log (bytes, UTF-8); larger ones are refused with 413.", int),
    Setting("max_attempts", "CIWHY_MAX_ATTEMPTS", 3,
            "Analysis attempts per log before it is marked failed with the reason.", int),
    Setting("lease_seconds", "CIWHY_LEASE_SECONDS", 60,
            "How long a worker holds a job; a worker that dies loses it after this.", int),
    Setting("spool", "CIWHY_SPOOL", "auto",
            "Where raw logs wait for analysis: file (a spool file of its own in the data "
            "directory), database, or auto (the file with SQLite, the database with PostgreSQL, "
            "whose replicas share only it)."),
    Setting("spool_fsync", "CIWHY_SPOOL_FSYNC", 0,
            "1: the spool file reaches the disk before a 202 is sent (survives a power cut, not "
            "only a crash; one fsync per batch of requests).", int),
    Setting("build_log_retention_days", "CIWHY_BUILD_LOG_RETENTION_DAYS", 30,
            "Days a build log sent to /ingest/build-logs is kept (0: not kept; a failed build's "
            "log is still analysed, then dropped like any other).", int),
    Setting("build_log_store", "CIWHY_BUILD_LOG_STORE", "file",
            "Where kept build logs live: file (build-logs/ in the data directory) or "
            "s3://bucket/prefix (any S3-compatible store; credentials from the usual AWS_* "
            "variables; needs the s3 extra: pip install 'ciwhy[s3]').", str),
    Setting("s3_endpoint_url", "CIWHY_S3_ENDPOINT_URL", None,
            "The S3-compatible endpoint (MinIO, Ceph, R2 ...); unset: AWS."),
    Setting("max_build_log_bytes", "CIWHY_MAX_BUILD_LOG_BYTES", 64 * 1024 * 1024,
            "Largest accepted build log (bytes); larger ones are refused with 413.", int),
    Setting("max_upload_bytes", "CIWHY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024,
            "Largest accepted JUnit, SARIF or test/finding JSON upload (bytes); 413 above.", int),
    Setting("public_url", "CIWHY_PUBLIC_URL", None,
            "The URL CI systems reach this server at (for the webhook URLs `ciwhy webhooks "
            "secret` prints); unset: http://CIWHY_HOST:CIWHY_PORT."),
    Setting("metrics_token", "CIWHY_METRICS_TOKEN", None,
            "A bearer token Prometheus may scrape /metrics with (besides any token with the "
            "read scope); unset: read tokens only."),
    Setting("digest_at", "CIWHY_DIGEST_AT", None,
            "HH:MM (UTC): from then each day the workers send every tenant's channels a digest "
            "of the last 24 hours (once per channel and day); unset: no scheduled digest."),
    Setting("host", "CIWHY_HOST", "127.0.0.1", "Address `ciwhy serve` listens on."),
    Setting("port", "CIWHY_PORT", 8080, "Port `ciwhy serve` listens on.", int),
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    ingest_rate_limit: str = "60/minute"
    read_rate_limit: str = "600/minute"
    login_rate_limit: str = "10/minute"
    redis_url: str | None = None
    workers: int = 2
    token_cache_seconds: float = 1.0
    max_log_bytes: int = 10 * 1024 * 1024
    max_attempts: int = 3
    lease_seconds: int = 60
    spool: str = "auto"
    spool_fsync: int = 0
    build_log_retention_days: int = 30
    build_log_store: str = "file"
    s3_endpoint_url: str | None = None
    max_build_log_bytes: int = 64 * 1024 * 1024
    max_upload_bytes: int = 50 * 1024 * 1024
    public_url: str | None = None
    metrics_token: str | None = None
    digest_at: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for s in SETTINGS:
            raw = env.get(s.env)
            if raw is None or raw == "":
                values[s.name] = s.default
                continue
            try:
                values[s.name] = s.kind(raw)
            except ValueError as exc:
                raise ValueError(f"{s.env}={raw!r}: expected {s.kind.__name__}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        data_dir = Path(values["data_dir"] or _default_data_dir(env)).expanduser()
        values["data_dir"] = data_dir
        if not values["database_url"]:
            values["database_url"] = f"sqlite:///{data_dir / 'ciwhy.db'}"
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"


def describe() -> str:
    """The settings as a Markdown table (docs/configuration.md is generated from it)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = "" if s.default is None else f"`{s.default}`"
        rows.append(f"| `{s.env}` | {default} | {s.help} |")
    return "\n".join(rows)
