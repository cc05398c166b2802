"""STOP and ALOITA: the client turns every message from Askel off, and back on, at once."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.models import (
    Client,
    ClientStatus,
    Consent,
    OutboxMessage,
    OutboxState,
    ScheduledJob,
)
from backend.services.jobs import cancel_due_jobs


def stop_messages(session: Session, client: Client, now: dt.datetime) -> None:
    """No scheduled message reaches the client any more: due jobs and unsent messages are
    cancelled now, and the scheduler skips anything scheduled for them later."""
    client.status = ClientStatus.STOPPED
    cancel_due_jobs(session, now, "client stopped", ScheduledJob.client_id == client.id)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.client_id == client.id, OutboxMessage.state == OutboxState.PENDING)
        .values(state=OutboxState.CANCELLED, last_error="client stopped")
    )


def resume_messages(client: Client) -> None:
    """The client came back: active again, or back to onboarding if they never consented (the
    consent question is then put again, from the start). A pause they had asked for ends too."""
    client.paused_from = None
    client.paused_until = None
    if client.consent is Consent.GIVEN:
        client.status = ClientStatus.ACTIVE
        return
    client.status = ClientStatus.ONBOARDING
    client.consent = Consent.PENDING
    client.consent_asked_at = None


class StatusFacts(Protocol):
    """What the subscription rule reads of a client (the client, or a query's facts)."""

    @property
    def status(self) -> ClientStatus: ...


def receives_messages(client: StatusFacts) -> bool:
    """Whether Askel may start a conversation with the client (scheduled messages)."""
    return client.status not in (ClientStatus.STOPPED, ClientStatus.LEFT)
