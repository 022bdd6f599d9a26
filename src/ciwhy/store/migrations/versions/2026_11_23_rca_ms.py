"""Time to RCA in milliseconds, stored when the analysis completes (the stats read it).

Revision ID: 2026_11_23_rca_ms
Revises: 2026_11_23_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_11_23_rca_ms"
down_revision = "2026_11_23_initial"


def upgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.add_column(sa.Column("rca_ms", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("rca_ms")
