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
    UniqueConstraint,
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
    Column("run_id", String(36)),  # the build analytics run this log belongs to, if any
    Index("ix_analyses_tenant_received", "tenant_id", "received_at", "id"),
    Index("ix_analyses_tenant_severity", "tenant_id", "severity", "received_at"),
    Index("ix_analyses_tenant_project", "tenant_id", "project", "received_at"),
    Index("ix_analyses_tenant_fingerprint_received", "tenant_id", "fingerprint", "received_at"),
    Index("ix_analyses_run", "run_id"),
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


# --- build analytics: run -> stages/jobs -> tests, logs, findings ---------------------------

#: One pipeline run from any source (BuildButler builds, RunWatch runs, webhooks, `ciwhy
#: report`), identified per tenant by (source, run_key) so that every report of it upserts.
runs = Table(
    "runs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("source", String(20), nullable=False),
    Column("run_key", String(600), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("project", String(500), nullable=False),
    Column("pipeline", String(500), nullable=False),
    Column("status", String(100)),
    Column("vendor_status", String(100)),
    Column("run_number", String(100)),
    Column("attempt", Integer),
    Column("branch", String(500)),
    Column("commit_sha", String(100)),
    Column("trigger", String(500)),
    Column("actor", String(200)),
    Column("url", String(2000)),
    Column("instance", String(200)),
    Column("external_id", String(200)),
    Column("started_at", UTCDateTime()),
    Column("completed_at", UTCDateTime()),
    Column("duration_ms", BigInteger),
    Column("queue_ms", BigInteger),
    Column("compute_seconds", Float),
    Column("extra", Text),  # JSON
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("tenant_id", "source", "run_key", name="uq_runs_tenant_source_key"),
    Index("ix_runs_tenant_created", "tenant_id", "created_at", "id"),
    Index("ix_runs_tenant_pipeline", "tenant_id", "project", "pipeline", "created_at"),
)

#: The stages (kind "stage") and jobs (kind "job") of a run.
run_jobs = Table(
    "run_jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("run_id", String(36), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("job_key", String(500), nullable=False),
    Column("name", String(500), nullable=False),
    Column("stage", String(200)),
    Column("ordinal", Integer),
    Column("status", String(100), nullable=False),
    Column("vendor_status", String(100)),
    Column("started_at", UTCDateTime()),
    Column("completed_at", UTCDateTime()),
    Column("duration_ms", BigInteger),
    Column("queue_ms", BigInteger),
    Column("runner", String(500)),
    Column("labels", Text),  # JSON list
    Column("failure_reason", String(200)),
    Column("url", String(2000)),
    Column("attempt", Integer),
    UniqueConstraint("run_id", "kind", "job_key", name="uq_run_jobs_run_kind_key"),
)

#: Test case outcomes per run; `test_key` hashes (classname, name, file) for grouping a test
#: across runs; `commit_sha` is the run's, kept here so flaky tests are one indexed scan.
test_results = Table(
    "test_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("run_id", String(36), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("test_key", String(64), nullable=False),
    Column("suite", String(1000)),
    Column("classname", String(1000)),
    Column("name", String(1000), nullable=False),
    Column("file", String(1000)),
    Column("line", Integer),
    Column("status", String(10), nullable=False),
    Column("duration_ms", BigInteger),
    Column("message", Text),
    Column("details", Text),
    Column("attempts", Integer, nullable=False),
    Column("commit_sha", String(100)),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("run_id", "test_key", name="uq_test_results_run_key"),
    Index("ix_test_results_tenant_key", "tenant_id", "test_key", "created_at"),
    Index("ix_test_results_tenant_created", "tenant_id", "created_at"),
)

#: CI agents (runners) as last reported, and each report as a sample for utilisation.
agents = Table(
    "agents",
    metadata,
    Column("tenant_id", String(36), ForeignKey("tenants.id"), primary_key=True),
    Column("name", String(500), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("labels", Text),  # JSON list
    Column("instance", String(200)),
    Column("executors", Integer),
    Column("busy_executors", Integer),
    Column("current_job", String(500)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

agent_samples = Table(
    "agent_samples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("name", String(500), nullable=False),
    Column("state", String(20), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_agent_samples_tenant_at", "tenant_id", "at"),
)

#: Jobs waiting for an agent, per report: how long each had waited when reported.
queue_samples = Table(
    "queue_samples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("job_name", String(500), nullable=False),
    Column("wait_ms", BigInteger, nullable=False),
    Column("reason", String(500)),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_queue_samples_tenant_at", "tenant_id", "at"),
)

#: A run's full console log, stored compressed (logstore.py) until `expires_at`.
build_logs = Table(
    "build_logs",
    metadata,
    Column("run_id", String(36), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("location", String(1000), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("stored_size", BigInteger, nullable=False),
    Column("lines", Integer, nullable=False),
    Column("analysis_id", String(36)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime()),
    Index("ix_build_logs_expires", "expires_at"),
)

security_findings = Table(
    "security_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("run_id", String(36), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("tool", String(200), nullable=False),
    Column("rule", String(500), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("file", String(1000)),
    Column("line", Integer),
    Column("message", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_security_findings_run", "run_id"),
)

#: Per tenant and provider: the receiver URL's id and the secret deliveries are verified with.
webhook_receivers = Table(
    "webhook_receivers",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("provider", String(20), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("tenant_id", "provider", name="uq_webhook_receivers_tenant_provider"),
)

#: Deliveries already taken (senders retry): the provider's delivery id, per receiver.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("receiver_id", String(40), primary_key=True),
    Column("delivery_id", String(200), primary_key=True),
    Column("received_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_deliveries_received", "received_at"),
)

#: Optional per-tenant quotas (none stored: no limit).
quotas = Table(
    "quotas",
    metadata,
    Column("tenant_id", String(36), ForeignKey("tenants.id"), primary_key=True),
    Column("runs_per_day", Integer),
    Column("repositories", Integer),
)


# People and notifications (users, sessions, channels, outbox, deliveries) are part of the schema.
from ciwhy.store import tables_people  # noqa: E402,F401
