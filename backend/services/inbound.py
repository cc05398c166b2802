"""Inbound messages: stored before anything else happens, and each processed once."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.models import ChannelKind, InboundMessage, InboundState


def record_inbound(
    session: Session,
    channel: ChannelKind,
    external_id: str | None,
    client_id: int | None,
    text: str,
    now: dt.datetime,
    *,
    sender_hash: str | None = None,
) -> tuple[InboundMessage, bool]:
    """Store a message; returns it and whether it is new (False for a provider's redelivery).

    Channels without ids of their own (the local channel) get a random one: every such post is
    a new message. A stranger's message (no client) is kept without its text, by `sender_hash`.
    """
    if external_id is not None:
        existing = session.scalars(
            select(InboundMessage).where(
                InboundMessage.channel == channel, InboundMessage.external_id == external_id
            )
        ).one_or_none()
        if existing is not None:
            return existing, False
    key = external_id or f"local-{secrets.token_hex(12)}"
    message = InboundMessage(
        channel=channel,
        external_id=key,
        client_id=client_id,
        text=text,
        sender_hash=sender_hash,
        received_at=now,
    )
    session.add(message)
    session.flush()
    return message, True


def mark_processed(session: Session, message_id: int, now: dt.datetime) -> None:
    """The message was answered."""
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == message_id)
        .values(state=InboundState.PROCESSED, processed_at=now)
    )


def waiting_messages(
    session: Session, client_id: int, before: int | None = None
) -> list[InboundMessage]:
    """The client's messages still waiting for the dialogue (it was down), oldest first."""
    query = select(InboundMessage).where(
        InboundMessage.client_id == client_id,
        InboundMessage.state == InboundState.RECEIVED,
        InboundMessage.dialogue_text.is_not(None),
    )
    if before is not None:
        query = query.where(InboundMessage.id < before)
    return list(session.scalars(query.order_by(InboundMessage.id)).all())


def clients_waiting(session: Session, received_before: dt.datetime) -> list[int]:
    """Clients with messages that have waited for the dialogue since before `received_before`."""
    return [
        client_id
        for client_id in session.scalars(
            select(InboundMessage.client_id)
            .where(
                InboundMessage.state == InboundState.RECEIVED,
                InboundMessage.dialogue_text.is_not(None),
                InboundMessage.client_id.is_not(None),
                InboundMessage.received_at < received_before,
            )
            .distinct()
        ).all()
        if client_id is not None
    ]
