"""Finding and creating clients by the channel that reaches them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from backend.models import ChannelIdentity, ChannelKind, Client


class ClientNotFound(LookupError):
    """No client has this conversation id."""


def client_for_address(
    session: Session, channel: ChannelKind, address: str, now: dt.datetime
) -> Client:
    """The client reached at `address` on `channel`; a sender never seen before becomes one.

    A new client starts in onboarding; consent is asked before anything else is kept.
    """
    identity = session.scalars(
        select(ChannelIdentity)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
        .options(joinedload(ChannelIdentity.client).selectinload(Client.identities))
    ).one_or_none()
    if identity is not None:
        client = identity.client
        client.last_seen_at = now
        return client
    client = Client(created_at=now, last_seen_at=now)
    client.identities.append(ChannelIdentity(channel=channel, address=address, created_at=now))
    session.add(client)
    session.flush()
    return client


def client_by_conversation(session: Session, conversation_id: str) -> Client:
    """The client whose Rasa conversation id this is."""
    client = session.scalars(
        select(Client).where(Client.conversation_id == conversation_id)
    ).one_or_none()
    if client is None:
        raise ClientNotFound(conversation_id)
    return client


def identity_of(client: Client, channel: ChannelKind) -> ChannelIdentity | None:
    """The client's identity on `channel`, if they have one."""
    return next((item for item in client.identities if item.channel == channel), None)
