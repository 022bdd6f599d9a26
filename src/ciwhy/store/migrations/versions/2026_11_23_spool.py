"""The spool table: raw logs waiting for analysis, for deployments whose replicas share only
the database (PostgreSQL); a single host keeps them as files instead.

Revision ID: 2026_11_23_spool
Revises: 2026_11_23_rca_ms
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_11_23_spool"
down_revision = "2026_11_23_rca_ms"


def upgrade() -> None:
    op.create_table(
        "spool",
        sa.Column("key", sa.String(length=36), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("spool")
