"""an index on a client's diary entries by date

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 22:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_checkin_entries_client_date", "checkin_entries", ["client_id", "local_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_checkin_entries_client_date", table_name="checkin_entries")
