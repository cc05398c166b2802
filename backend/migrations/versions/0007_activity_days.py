"""activity days, and a check-in's own time on them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("activity_days", sa.String(length=7), server_default="", nullable=False)
        )
    with op.batch_alter_table("checkin_schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activity_time", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkin_schedules", schema=None) as batch_op:
        batch_op.drop_column("activity_time")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("activity_days")
