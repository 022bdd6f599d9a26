"""Daily rollups per cause (fingerprint) and project, for "top root causes"; the fingerprint
index gains received_at, so a cause's latest analysis is one index step away. Filled from the
analyses already stored.

Revision ID: 2026_11_24_cause_rollups
Revises: 2026_11_24_daily_rollups
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_11_24_cause_rollups"
down_revision = "2026_11_24_daily_rollups"


def upgrade() -> None:
    op.create_table(
        "daily_causes",
        sa.Column("tenant_id", sa.String(length=36), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("project", sa.String(length=500), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day", "fingerprint", "project"),
    )
    op.drop_index("ix_analyses_tenant_fingerprint", table_name="analyses")
    op.create_index(
        "ix_analyses_tenant_fingerprint_received",
        "analyses",
        ["tenant_id", "fingerprint", "received_at"],
    )
    from ciwhy.store import rollup

    rollup.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_analyses_tenant_fingerprint_received", table_name="analyses")
    op.create_index("ix_analyses_tenant_fingerprint", "analyses", ["tenant_id", "fingerprint"])
    op.drop_table("daily_causes")
