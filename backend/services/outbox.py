"""The outbox: every outgoing message is a row first, written with the change that caused it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import ChannelIdentity, OutboxMessage, OutboxState
from backend.texts.responses import Button, Reply


def enqueue_replies(
    session: Session,
    identity: ChannelIdentity,
    replies: Sequence[Reply],
    now: dt.datetime,
    *,
    dedupe_prefix: str | None = None,
    in_reply_to: int | None = None,
    state: OutboxState = OutboxState.PENDING,
    replayable: bool = True,
) -> list[OutboxMessage]:
    """Put `replies` to the client behind `identity` in the outbox, in order.

    With `dedupe_prefix`, reply n gets the key "<prefix>:<n>": a replayed cause (a job fired
    again after a crash) finds its messages already there and adds none. A cause that cannot
    be replayed (`replayable=False`: an inbound message, processed once by its own key) skips
    the look-up; the unique key still guards it.
    """
    rows: list[OutboxMessage] = []
    for index, reply in enumerate(replies):
        key = f"{dedupe_prefix}:{index}" if dedupe_prefix else None
        if key is not None and replayable:
            existing = session.scalars(
                select(OutboxMessage).where(OutboxMessage.dedupe_key == key)
            ).one_or_none()
            if existing is not None:
                rows.append(existing)
                continue
        row = OutboxMessage(
            client_id=identity.client_id,
            channel=identity.channel,
            address=identity.address,
            text=reply.text,
            buttons=[button.to_json() for button in reply.buttons] or None,
            dedupe_key=key,
            in_reply_to=in_reply_to,
            state=state,
            next_attempt_at=now,
            created_at=now,
            sent_at=now if state is OutboxState.DELIVERED else None,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def take_pending(session: Session, identity: ChannelIdentity, now: dt.datetime) -> list[Reply]:
    """Hand over the messages waiting for a client who fetches them (the local channel).

    They are marked delivered in the same transaction, so two fetches never get the same one.
    """
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == identity.channel,
            OutboxMessage.address == identity.address,
            OutboxMessage.state == OutboxState.PENDING,
        )
        .order_by(OutboxMessage.id)
    ).all()
    for row in rows:
        row.state = OutboxState.DELIVERED
        row.sent_at = now
    return [reply_from_row(row) for row in rows]


def reply_from_row(row: OutboxMessage) -> Reply:
    """The reply an outbox row holds."""
    buttons = tuple(Button(b["title"], b["payload"]) for b in row.buttons or ())
    return Reply(row.text, buttons)
