"""Messages in and out: each inbound one is stored first, each outgoing one goes by the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, StrEnum
from backend.models.people import ChannelKind


class InboundState(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting to be sent (or, on the local channel, to be fetched)
    SENDING = "sending"  # claimed by a sender under a lease
    SENT = "sent"
    DELIVERED = "delivered"
    DEAD = "dead"  # gave up, with the reason in last_error
    CANCELLED = "cancelled"  # no longer to be sent (the client said STOP)


class InboundMessage(Base):
    """One message from a client, stored before it is acknowledged or processed."""

    __tablename__ = "inbound_messages"
    # A provider's redelivery carries the same external id; the unique key makes it a no-op.
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_inbound_client_state", "client_id", "state"),
        Index("ix_inbound_sender", "sender_hash", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[ChannelKind]
    external_id: Mapped[str] = mapped_column(String(128))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    # What the dialogue is to be told (the text, or the payload a digit picked), kept so that a
    # message that came while Rasa was down is processed, as it was meant, when Rasa is back.
    dialogue_text: Mapped[str | None] = mapped_column(Text)
    # An unknown sender is kept only as a keyed hash, to rate-limit answers to them.
    sender_hash: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[InboundState] = mapped_column(default=InboundState.RECEIVED)
    received_at: Mapped[dt.datetime]
    processed_at: Mapped[dt.datetime | None]


class OutboxMessage(Base):
    """One message to send to a client or a coach, written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        # One chat's messages go in order, one at a time: the claim looks for earlier ones.
        Index("ix_outbox_address", "channel", "address", "state"),
        Index("ix_outbox_provider", "provider_id"),
        Index("ix_outbox_claim", "claim_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"))
    channel: Mapped[ChannelKind]
    address: Mapped[str] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # The same cause never makes two messages: a replayed job writes the same key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    in_reply_to: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL")
    )
    state: Mapped[OutboxState] = mapped_column(default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime]
    lease_until: Mapped[dt.datetime | None]
    # Written by the claim that holds the lease: only that sender may record the outcome.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    provider_id: Mapped[str | None] = mapped_column(String(128))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]
