"""Build analytics: runs with their stages and jobs, test results, agents and the queue,
stored build logs, security findings, webhook receivers and deliveries, quotas; analyses may
belong to a run.

Revision ID: 2026_11_24_build_analytics
Revises: 2026_11_24_cause_rollups
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_11_24_build_analytics"
down_revision = "2026_11_24_cause_rollups"


def upgrade() -> None:
    op.create_table(
        "webhook_deliveries",
        sa.Column("receiver_id", sa.String(length=40), nullable=False),
        sa.Column("delivery_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("receiver_id", "delivery_id"),
    )
    op.create_index(
        "ix_webhook_deliveries_received", "webhook_deliveries", ["received_at"], unique=False
    )
    op.create_table(
        "agent_samples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_agent_samples_tenant_at", "agent_samples", ["tenant_id", "at"], unique=False
    )
    op.create_table(
        "agents",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("labels", sa.Text(), nullable=True),
        sa.Column("instance", sa.String(length=200), nullable=True),
        sa.Column("executors", sa.Integer(), nullable=True),
        sa.Column("busy_executors", sa.Integer(), nullable=True),
        sa.Column("current_job", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("tenant_id", "name"),
    )
    op.create_table(
        "queue_samples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("job_name", sa.String(length=500), nullable=False),
        sa.Column("wait_ms", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_queue_samples_tenant_at", "queue_samples", ["tenant_id", "at"], unique=False
    )
    op.create_table(
        "quotas",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("runs_per_day", sa.Integer(), nullable=True),
        sa.Column("repositories", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("run_key", sa.String(length=600), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("project", sa.String(length=500), nullable=False),
        sa.Column("pipeline", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=100), nullable=True),
        sa.Column("vendor_status", sa.String(length=100), nullable=True),
        sa.Column("run_number", sa.String(length=100), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=True),
        sa.Column("branch", sa.String(length=500), nullable=True),
        sa.Column("commit_sha", sa.String(length=100), nullable=True),
        sa.Column("trigger", sa.String(length=500), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("instance", sa.String(length=200), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("queue_ms", sa.BigInteger(), nullable=True),
        sa.Column("compute_seconds", sa.Float(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "source", "run_key", name="uq_runs_tenant_source_key"),
    )
    op.create_index(
        "ix_runs_tenant_created", "runs", ["tenant_id", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_runs_tenant_pipeline",
        "runs",
        ["tenant_id", "project", "pipeline", "created_at"],
        unique=False,
    )
    op.create_table(
        "webhook_receivers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "provider", name="uq_webhook_receivers_tenant_provider"),
    )
    op.create_table(
        "build_logs",
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("location", sa.String(length=1000), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_size", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("run_id"),
    )
    op.create_index("ix_build_logs_expires", "build_logs", ["expires_at"], unique=False)
    op.create_table(
        "run_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("job_key", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=True),
        sa.Column("ordinal", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=100), nullable=False),
        sa.Column("vendor_status", sa.String(length=100), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("queue_ms", sa.BigInteger(), nullable=True),
        sa.Column("runner", sa.String(length=500), nullable=True),
        sa.Column("labels", sa.Text(), nullable=True),
        sa.Column("failure_reason", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "kind", "job_key", name="uq_run_jobs_run_kind_key"),
    )
    op.create_table(
        "security_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("tool", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=500), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("file", sa.String(length=1000), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_security_findings_run", "security_findings", ["run_id"], unique=False)
    op.create_table(
        "test_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("test_key", sa.String(length=64), nullable=False),
        sa.Column("suite", sa.String(length=1000), nullable=True),
        sa.Column("classname", sa.String(length=1000), nullable=True),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("file", sa.String(length=1000), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("commit_sha", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "test_key", name="uq_test_results_run_key"),
    )
    op.create_index(
        "ix_test_results_tenant_created", "test_results", ["tenant_id", "created_at"], unique=False
    )
    op.create_index(
        "ix_test_results_tenant_key",
        "test_results",
        ["tenant_id", "test_key", "created_at"],
        unique=False,
    )
    op.add_column("analyses", sa.Column("run_id", sa.String(length=36), nullable=True))
    op.create_index("ix_analyses_run", "analyses", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_analyses_run", table_name="analyses")
    op.drop_column("analyses", "run_id")
    op.drop_index("ix_test_results_tenant_key", table_name="test_results")
    op.drop_index("ix_test_results_tenant_created", table_name="test_results")
    op.drop_table("test_results")
    op.drop_index("ix_security_findings_run", table_name="security_findings")
    op.drop_table("security_findings")
    op.drop_table("run_jobs")
    op.drop_index("ix_build_logs_expires", table_name="build_logs")
    op.drop_table("build_logs")
    op.drop_table("webhook_receivers")
    op.drop_index("ix_runs_tenant_pipeline", table_name="runs")
    op.drop_index("ix_runs_tenant_created", table_name="runs")
    op.drop_table("runs")
    op.drop_table("quotas")
    op.drop_index("ix_queue_samples_tenant_at", table_name="queue_samples")
    op.drop_table("queue_samples")
    op.drop_table("agents")
    op.drop_index("ix_agent_samples_tenant_at", table_name="agent_samples")
    op.drop_table("agent_samples")
    op.drop_index("ix_webhook_deliveries_received", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
