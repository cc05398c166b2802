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
    client_id: int,
    text: str,
    now: dt.datetime,
) -> tuple[InboundMessage, bool]:
    """Store a message; returns it and whether it is new (False for a provider's redelivery).

    Channels without ids of their own (the local channel) get a random one: every such post is
    a new message.
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
        channel=channel, external_id=key, client_id=client_id, text=text, received_at=now
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
