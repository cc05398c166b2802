"""When a channel stops reaching a client: mark it, move them to their other channel, tell the
coach."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import (
    AlertKind,
    ChannelIdentity,
    Consent,
    OutboxMessage,
    OutboxState,
)
from backend.services.alerts import raise_alert
from backend.services.clients import lookup_identity, preferred_identity
from backend.services.outbox import enqueue_replies, reply_from_row
from backend.texts.responses import Renderer


def channel_unreachable(
    session: Session,
    failed: OutboxMessage,
    reason: str,
    now: dt.datetime,
    renderer: Renderer,
) -> ChannelIdentity | None:
    """The provider says `failed`'s chat or number reaches no one (blocked, gone, unknown).

    The client's identity there is marked unreachable with the reason. A client who consented
    and has another reachable channel gets this message, and those still waiting, there
    instead, and that channel becomes their preferred one. The coach is told once a day per lost
    channel. Returns the identity now used, or None when the client cannot be reached at all
    (or the address was not a client's: a coach's chat, an unknown sender).
    """
    identity = lookup_identity(session, failed.channel, failed.address)
    if identity is None:
        return None
    identity.reachable = False
    identity.preferred = False
    identity.unreachable_reason = reason[:200]
    client = identity.client
    other = preferred_identity(client)
    if other is not None and client.consent is Consent.GIVEN:
        other.preferred = True
        waiting = session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.channel == failed.channel,
                OutboxMessage.address == failed.address,
                OutboxMessage.state == OutboxState.PENDING,
            )
            .order_by(OutboxMessage.id)
        ).all()
        for row in [failed, *waiting]:
            enqueue_replies(
                session, other, [reply_from_row(row)], now, dedupe_prefix=f"moved:{row.id}"
            )
            if row is not failed:
                row.state = OutboxState.CANCELLED
                row.last_error = f"moved to {other.channel.value}"
    else:
        other = None
    raise_alert(
        session,
        client,
        AlertKind.UNREACHABLE,
        f"unreachable:{identity.id}:{now.date().isoformat()}",
        now,
        renderer,
    )
    return other
