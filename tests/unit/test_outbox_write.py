"""The gateway's light writes store exactly what the ORM paths store."""

from __future__ import annotations

from sqlalchemy import select

from backend.context import AppContext
from backend.db import transaction
from backend.models import ChannelKind, InboundMessage, InboundState, OutboxMessage, OutboxState
from backend.services.inbound import mark_processed, record_inbound
from backend.services.outbox import Address, enqueue_replies, write_replies
from backend.texts.responses import Button, Reply

REPLIES = [Reply("Hei!"), Reply("Valitse:", (Button("Aamu", "/a"), Button("Ilta", "/b")))]
COLUMNS = (
    "channel",
    "address",
    "text",
    "buttons",
    "in_reply_to",
    "state",
    "attempts",
    "next_attempt_at",
    "created_at",
    "sent_at",
    "client_id",
    "coach_id",
)


def test_write_replies_stores_the_rows_enqueue_replies_would(context: AppContext) -> None:
    now = context.clock.now()
    address = Address(ChannelKind.LOCAL, "aino")
    with transaction(context.sessions) as session:
        enqueue_replies(
            session,
            address,
            REPLIES,
            now,
            dedupe_prefix="a",
            in_reply_to=None,
            state=OutboxState.DELIVERED,
            replayable=False,
        )
        write_replies(
            session,
            address,
            REPLIES,
            now,
            dedupe_prefix="b",
            in_reply_to=None,
            state=OutboxState.DELIVERED,
        )
    with transaction(context.sessions) as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    orm, light = rows[:2], rows[2:]
    assert [r.dedupe_key for r in light] == ["b:0", "b:1"]
    for a, b in zip(orm, light, strict=True):
        assert {c: getattr(a, c) for c in COLUMNS} == {c: getattr(b, c) for c in COLUMNS}


def test_mark_processed_keeps_a_loaded_message_in_step(context: AppContext) -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        message = session.get_one(
            InboundMessage, record_inbound(session, ChannelKind.LOCAL, None, None, "moi", now)
        )
        mark_processed(session, message.id, now)
        assert message.state is InboundState.PROCESSED and message.processed_at == now
    with transaction(context.sessions) as session:
        stored = session.get_one(InboundMessage, message.id)
    assert stored.state is InboundState.PROCESSED and stored.processed_at == now
