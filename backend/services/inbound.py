"""Inbound messages: stored before anything else happens, and each processed once."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from backend.models import ChannelKind, InboundMessage, InboundState
from backend.prepared import Prepared

_INBOUND = InboundMessage.__table__
_MARK_PROCESSED = Prepared(
    update(_INBOUND)  # type: ignore[arg-type]
    .where(_INBOUND.c.id == bindparam("message_id"))
    .values(state=bindparam("state"), processed_at=bindparam("at"))
)
_INSERT = Prepared(insert(_INBOUND).returning(_INBOUND.c.id))  # type: ignore[arg-type]
_ASSIGN = Prepared(
    update(_INBOUND)  # type: ignore[arg-type]
    .where(_INBOUND.c.id == bindparam("message_id"))
    .values(client_id=bindparam("client_id"), sender_hash=None, dialogue_text=bindparam("dialogue"))
)
_BY_EXTERNAL_ID = Prepared(
    select(InboundMessage.id).where(
        InboundMessage.channel == bindparam("channel"),
        InboundMessage.external_id == bindparam("external_id"),
    )
)
# Built once: asked on every client message, and a statement built anew costs more than the
# query on SQLite (ix_inbound_client_state).
_ANY_WAITING = Prepared(
    select(InboundMessage.id)
    .where(
        InboundMessage.client_id == bindparam("client_id"),
        InboundMessage.state == InboundState.RECEIVED,
        InboundMessage.dialogue_text.is_not(None),
    )
    .limit(1)
)


def already_received(session: Session, channel: ChannelKind, external_id: str | None) -> bool:
    """Whether a message with this provider id is stored already (the provider redelivers it).

    Channels without ids of their own (the local channel) have none: every such post is new.
    """
    if external_id is None:
        return False
    found = _BY_EXTERNAL_ID.first(
        session.connection(), {"channel": channel, "external_id": external_id}
    )
    return found is not None


def record_inbound(
    session: Session,
    channel: ChannelKind,
    external_id: str | None,
    client_id: int | None,
    text: str,
    now: dt.datetime,
    *,
    dialogue_text: str | None = None,
    sender_hash: str | None = None,
) -> int:
    """Store a message that `already_received` has not seen; returns its id.

    A message without a provider id gets a random one. A stranger's message (no client) is kept
    without its text, by `sender_hash`. One INSERT: this is on every message's path, and the
    ORM's unit of work cost several times the statement (the gateway benchmark).
    """
    values = {
        "channel": channel,
        "external_id": external_id or f"local-{secrets.token_hex(12)}",
        "client_id": client_id,
        "text": text,
        "dialogue_text": dialogue_text,
        "sender_hash": sender_hash,
        "state": InboundState.RECEIVED,
        "received_at": now,
    }
    inserted = _INSERT.first(session.connection(), values)
    assert inserted is not None
    message_id: int = inserted[0]
    return message_id


def assign_inbound(
    session: Session, message_id: int, client_id: int, dialogue_text: str | None
) -> None:
    """A stranger's message turns out to be a client's (their invite code): kept as theirs,
    with what the dialogue is to be told of it."""
    _ASSIGN.execute(
        session.connection(),
        {"message_id": message_id, "client_id": client_id, "dialogue": dialogue_text},
    )


def mark_processed(session: Session, message_id: int, now: dt.datetime) -> None:
    """The message was answered.

    A plain UPDATE on the session's connection: the ORM's bulk UPDATE (which looks for the
    object to keep it in step) cost three times as much, on every message. A copy loaded in the
    session is kept in step here instead.
    """
    _MARK_PROCESSED.execute(
        session.connection(),
        {"message_id": message_id, "state": InboundState.PROCESSED, "at": now},
    )
    loaded = session.identity_map.get(identity_key(InboundMessage, message_id))
    if isinstance(loaded, InboundMessage):
        set_committed_value(loaded, "state", InboundState.PROCESSED)
        set_committed_value(loaded, "processed_at", now)


def has_waiting(session: Session, client_id: int) -> bool:
    """Whether the client has messages waiting for the dialogue (see `waiting_messages`)."""
    found = _ANY_WAITING.first(session.connection(), {"client_id": client_id})
    return found is not None


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
