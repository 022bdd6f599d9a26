"""③ The database schema (SQLAlchemy Core). Migrations (migrations/) create it; this module is
what queries are written against."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

tenants = Table(
    "tenants",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("scopes", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

analyses = Table(
    "analyses",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("source", String(40), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("project", String(500), nullable=False),
    Column("status", String(100), nullable=False),  # the CI's job status, normalised
    Column("vendor_status", String(100)),
    Column("ci_run_id", String(200)),
    Column("ci_job_id", String(200)),
    Column("job_name", String(500)),
    Column("branch", String(500)),
    Column("commit_sha", String(100)),
    Column("pipeline_url", String(2000)),
    Column("job_url", String(2000)),
    Column("build_number", String(100)),
    Column("dedupe_key", String(64), unique=True),
    Column("state", String(20), nullable=False),  # queued | analyzed | failed
    Column("error", Text),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("analyzed_at", UTCDateTime()),
    Column("rca_ms", Integer),  # analyzed_at - received_at, for the time-to-RCA stats
    Column("root_cause", Text),
    Column("explanation", Text),
    Column("fix_suggestion", Text),
    Column("category", String(40)),
    Column("domain", String(20)),
    Column("severity", String(10)),
    Column("confidence", Float),
    Column("root_cause_line", Integer),
    Column("signature", String(200)),
    Column("fingerprint", String(64)),
    Column("detail", Text),  # JSON: excerpt, failing tests, fingerprint, step, exit code
    Index("ix_analyses_tenant_received", "tenant_id", "received_at", "id"),
    Index("ix_analyses_tenant_severity", "tenant_id", "severity", "received_at"),
    Index("ix_analyses_tenant_project", "tenant_id", "project", "received_at"),
    Index("ix_analyses_tenant_fingerprint_received", "tenant_id", "fingerprint", "received_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("analysis_id", String(36), ForeignKey("analyses.id"), nullable=False, unique=True),
    Column("state", String(20), nullable=False),  # queued | running | done | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("available_at", UTCDateTime(), nullable=False),
    Column("lease_until", UTCDateTime()),
    Column("worker", String(200)),
    Column("last_error", Text),
    Index("ix_jobs_state_available", "state", "available_at"),
)

#: Raw logs waiting for analysis, when replicas share only the database (spool.py).
spool = Table(
    "spool",
    metadata,
    Column("key", String(36), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

#: Per tenant and UTC day of receipt: the counts the overview and the per-day series read, kept
#: up to date in the transactions that change them (rollup.py), so a stats read touches at most
#: one row a day however many analyses there are.
daily_stats = Table(
    "daily_stats",
    metadata,
    Column("tenant_id", String(36), ForeignKey("tenants.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("received", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),
    Column("completed", Integer, nullable=False, default=0),
    Column("rca", Integer, nullable=False, default=0),
    Column("low", Integer, nullable=False, default=0),
    Column("medium", Integer, nullable=False, default=0),
    Column("high", Integer, nullable=False, default=0),
    Column("timed", Integer, nullable=False, default=0),
    Column("rca_ms_sum", BigInteger, nullable=False, default=0),
)

#: Time to RCA per tenant and day as a histogram (rollup.bucket_of): exact below one second,
#: within 0.5 % above, mergeable over any window of days for the quantiles.
daily_rca_buckets = Table(
    "daily_rca_buckets",
    metadata,
    Column("tenant_id", String(36), ForeignKey("tenants.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
)

#: Per tenant, UTC day of receipt, cause (fingerprint) and project: how many analyses found
#: that cause, and when it was first and last received; what "top root causes" reads.
daily_causes = Table(
    "daily_causes",
    metadata,
    Column("tenant_id", String(36), ForeignKey("tenants.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("fingerprint", String(64), primary_key=True),
    Column("project", String(500), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("first_seen", UTCDateTime(), nullable=False),
    Column("last_seen", UTCDateTime(), nullable=False),
)
