"""Erasing a client's personal data from Askel's own tables.

Rasa's copy of the conversation is erased by `backend.stack.tracker_store.forget_conversation`,
which the caller runs after this transaction.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from backend.models import (
    Appointment,
    CheckinEntry,
    CheckinSchedule,
    Goal,
    InboundMessage,
    OutboxMessage,
    OutboxState,
    ScheduledJob,
)


def erase_client_content(session: Session, client_id: int, *, keep_unsent: bool = False) -> None:
    """Delete everything the client said or was told, and everything planned for them.

    The client row and their channel identity stay: they record the refusal (or that the client
    left) and let a returning client be recognised. With `keep_unsent`, messages still waiting
    to be sent stay (the answer to the refusal itself must still reach the client).
    """
    session.execute(
        update(OutboxMessage).where(OutboxMessage.client_id == client_id).values(in_reply_to=None)
    )
    outbox = delete(OutboxMessage).where(OutboxMessage.client_id == client_id)
    if keep_unsent:
        outbox = outbox.where(OutboxMessage.state != OutboxState.PENDING)
    session.execute(outbox)
    for model in (
        ScheduledJob,
        InboundMessage,
        CheckinEntry,
        CheckinSchedule,
        Appointment,
        Goal,
    ):
        session.execute(delete(model).where(model.client_id == client_id))
