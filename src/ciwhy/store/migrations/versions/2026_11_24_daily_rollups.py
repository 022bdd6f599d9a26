"""Daily rollups for the stats: counts per tenant and day, and a time-to-RCA histogram;
filled from the analyses already stored.

Revision ID: 2026_11_24_daily_rollups
Revises: 2026_11_23_spool
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_11_24_daily_rollups"
down_revision = "2026_11_23_spool"

_COUNTERS = ("received", "failures", "completed", "rca", "low", "medium", "high", "timed")


def upgrade() -> None:
    op.create_table(
        "daily_stats",
        sa.Column("tenant_id", sa.String(length=36), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *[sa.Column(c, sa.Integer(), nullable=False) for c in _COUNTERS],
        sa.Column("rca_ms_sum", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day"),
    )
    op.create_table(
        "daily_rca_buckets",
        sa.Column("tenant_id", sa.String(length=36), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day", "bucket"),
    )
    from ciwhy.store import rollup

    rollup.rebuild(op.get_bind(), causes=False)  # the next migration adds those


def downgrade() -> None:
    op.drop_table("daily_rca_buckets")
    op.drop_table("daily_stats")
