"""Finding and creating clients by the channel that reaches them."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from backend.models import ChannelIdentity, ChannelKind, Client, ClientStatus, Consent
from backend.prepared import Prepared


class ClientNotFound(LookupError):
    """No client has this conversation id."""


# Built once: looked up on every client message, and building the statement anew cost more
# than running it (the gateway benchmark).
_IDENTITY_AT = (
    select(ChannelIdentity)
    .where(
        ChannelIdentity.channel == bindparam("channel"),
        ChannelIdentity.address == bindparam("address"),
    )
    .options(joinedload(ChannelIdentity.client))
)


_CLIENTS = Client.__table__
_SEEN = Prepared(
    update(_CLIENTS)  # type: ignore[arg-type]
    .where(_CLIENTS.c.id == bindparam("client_id"))
    .values(last_seen_at=bindparam("now"))
)


class Sender(NamedTuple):
    """What the route of a client's message reads of its sender, in one query: loading the
    identity and the client through the ORM cost more than the rest of storing a message (the
    gateway benchmark)."""

    identity_id: int
    reachable: bool
    last_choices: str | None
    client_id: int
    language: str
    conversation_id: str
    status: ClientStatus
    consent: Consent
    consent_asked_at: dt.datetime | None
    checkin_open: str | None
    checkin_open_until: dt.datetime | None


_SENDER_AT = Prepared(
    select(
        ChannelIdentity.id,
        ChannelIdentity.reachable,
        ChannelIdentity.last_choices,
        Client.id,
        Client.language,
        Client.conversation_id,
        Client.status,
        Client.consent,
        Client.consent_asked_at,
        Client.checkin_open,
        Client.checkin_open_until,
    )
    .join(Client, Client.id == ChannelIdentity.client_id)
    .where(
        ChannelIdentity.channel == bindparam("channel"),
        ChannelIdentity.address == bindparam("address"),
    )
)


def sender_at(session: Session, channel: ChannelKind, address: str) -> Sender | None:
    """The facts of the client at `address` on `channel`, if someone is known there."""
    row = _SENDER_AT.first(session.connection(), {"channel": channel, "address": address})
    return Sender(*row) if row is not None else None


def mark_seen(session: Session, client_id: int, now: dt.datetime) -> None:
    """The client wrote just now (one UPDATE, without loading them)."""
    _SEEN.execute(session.connection(), {"client_id": client_id, "now": now})


def lookup_identity(session: Session, channel: ChannelKind, address: str) -> ChannelIdentity | None:
    """The identity (with its client) at `address` on `channel`, if someone is known there."""
    return session.scalars(_IDENTITY_AT, {"channel": channel, "address": address}).one_or_none()


def find_identity(
    session: Session, channel: ChannelKind, address: str, now: dt.datetime
) -> ChannelIdentity | None:
    """The identity of a sender who wrote just now, if they are known: seen, and reachable."""
    identity = lookup_identity(session, channel, address)
    if identity is None:
        return None
    client = identity.client
    if client.last_seen_at != now:
        # The loaded client kept in step: a dirty client made the commit's flush cost more than
        # the rest of storing the message.
        mark_seen(session, client.id, now)
        set_committed_value(client, "last_seen_at", now)
    if not identity.reachable:
        # A message from the chat or number shows that it reaches the client again.
        identity.reachable = True
        identity.unreachable_reason = None
    return identity


def identity_for_address(
    session: Session, channel: ChannelKind, address: str, now: dt.datetime
) -> ChannelIdentity:
    """The identity (with its client) at `address` on `channel`; a new sender becomes a client.

    A new client starts in onboarding; consent is asked before anything else is kept.
    """
    identity = find_identity(session, channel, address, now)
    if identity is not None:
        return identity
    client = Client(created_at=now, last_seen_at=now)
    identity = ChannelIdentity(channel=channel, address=address, created_at=now)
    client.identities.append(identity)
    session.add(client)
    session.flush()
    return identity


def client_for_address(
    session: Session, channel: ChannelKind, address: str, now: dt.datetime
) -> Client:
    """The client reached at `address` on `channel` (see `identity_for_address`)."""
    return identity_for_address(session, channel, address, now).client


class Standing(NamedTuple):
    """Where a client stands after a turn of the dialogue (an action may have changed it)."""

    status: ClientStatus
    consent: Consent
    # Whether the channel identity the turn came from is still there.
    identity_kept: bool


_STANDING = Prepared(
    select(Client.status, Client.consent, ChannelIdentity.id.is_not(None))
    .outerjoin(
        ChannelIdentity,
        and_(
            ChannelIdentity.client_id == Client.id,
            ChannelIdentity.id == bindparam("identity_id"),
        ),
    )
    .where(Client.id == bindparam("client_id"))
)


def client_standing(session: Session, client_id: int, identity_id: int) -> Standing | None:
    """The client's status and consent, and whether `identity_id` is still theirs, in one
    query; None if the client is gone."""
    row = _STANDING.first(
        session.connection(), {"client_id": client_id, "identity_id": identity_id}
    )
    return Standing(row[0], row[1], bool(row[2])) if row is not None else None


def client_by_conversation(session: Session, conversation_id: str) -> Client:
    """The client whose Rasa conversation id this is."""
    client = session.scalars(
        select(Client).where(Client.conversation_id == conversation_id)
    ).one_or_none()
    if client is None:
        raise ClientNotFound(conversation_id)
    return client


def preferred_identity(client: Client) -> ChannelIdentity | None:
    """The channel a client is reached on: a reachable preferred one, else any reachable one."""
    reachable = [identity for identity in client.identities if identity.reachable]
    preferred = [identity for identity in reachable if identity.preferred]
    candidates = preferred or reachable
    return candidates[0] if candidates else None
