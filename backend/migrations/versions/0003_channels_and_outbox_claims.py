"""channels: inbound retry text, unknown-sender hashes, outbox claims, unreachable reasons

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dialogue_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("sender_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_inbound_client_state", ["client_id", "state"], unique=False)
        batch_op.create_index("ix_inbound_sender", ["sender_hash", "received_at"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_outbox_address", ["channel", "address", "state"], unique=False)
        batch_op.create_index("ix_outbox_provider", ["provider_id"], unique=False)
        batch_op.create_index("ix_outbox_claim", ["claim_token"], unique=False)
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unreachable_reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.drop_column("unreachable_reason")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_claim")
        batch_op.drop_index("ix_outbox_provider")
        batch_op.drop_index("ix_outbox_address")
        batch_op.drop_column("claim_token")
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_sender")
        batch_op.drop_index("ix_inbound_client_state")
        batch_op.drop_column("sender_hash")
        batch_op.drop_column("dialogue_text")
