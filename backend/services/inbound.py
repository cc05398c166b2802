"""Inbound messages: stored before anything else happens, and each processed once."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from backend.models import ChannelKind, InboundMessage, InboundState

_INBOUND = InboundMessage.__table__
_MARK_PROCESSED = (
    update(_INBOUND)  # type: ignore[arg-type]
    .where(_INBOUND.c.id == bindparam("message_id"))
    .values(state=bindparam("state"), processed_at=bindparam("at"))
)
# Built once: asked on every client message, and a statement built anew costs more than the
# query on SQLite (ix_inbound_client_state).
_ANY_WAITING = (
    select(InboundMessage.id)
    .where(
        InboundMessage.client_id == bindparam("client_id"),
        InboundMessage.state == InboundState.RECEIVED,
        InboundMessage.dialogue_text.is_not(None),
    )
    .limit(1)
)


def record_inbound(
    session: Session,
    channel: ChannelKind,
    external_id: str | None,
    client_id: int | None,
    text: str,
    now: dt.datetime,
    *,
    sender_hash: str | None = None,
    flush: bool = True,
) -> tuple[InboundMessage, bool]:
    """Store a message; returns it and whether it is new (False for a provider's redelivery).

    Channels without ids of their own (the local channel) get a random one: every such post is
    a new message. A stranger's message (no client) is kept without its text, by `sender_hash`.
    `flush=False` leaves the INSERT (and the id) to the caller's next flush, so that what the
    caller decides about the message goes into the same statement.
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
    if flush:
        session.flush()
    return message, True


def mark_processed(session: Session, message_id: int, now: dt.datetime) -> None:
    """The message was answered.

    A plain UPDATE on the session's connection: the ORM's bulk UPDATE (which looks for the
    object to keep it in step) cost three times as much, on every message. A copy loaded in the
    session is kept in step here instead.
    """
    session.connection().execute(
        _MARK_PROCESSED, {"message_id": message_id, "state": InboundState.PROCESSED, "at": now}
    )
    loaded = session.identity_map.get(identity_key(InboundMessage, message_id))
    if isinstance(loaded, InboundMessage):
        set_committed_value(loaded, "state", InboundState.PROCESSED)
        set_committed_value(loaded, "processed_at", now)


def has_waiting(session: Session, client_id: int) -> bool:
    """Whether the client has messages waiting for the dialogue (see `waiting_messages`)."""
    return session.scalar(_ANY_WAITING, {"client_id": client_id}) is not None


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
