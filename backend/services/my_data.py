"""What Askel keeps about a client, told to the client in plain words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.digest.build import build_digest, previous_week
from backend.digest.render import DigestRenderer
from backend.digest.sending import DigestPolicy
from backend.models import Appointment, CheckinKind, Client, Goal, InboundMessage
from backend.services.onboarding import checkin_times


@dataclass(frozen=True)
class StoredData:
    """Counts and settings of one client's stored data."""

    messages: int
    appointments: int
    goals: int
    morning: dt.time | None
    evening: dt.time | None
    has_coach: bool


def _count(
    session: Session, model: type[InboundMessage | Appointment | Goal], client_id: int
) -> int:
    return int(
        session.scalar(select(func.count()).select_from(model).where(model.client_id == client_id))
        or 0
    )


def stored_data(session: Session, client: Client) -> StoredData:
    """What is kept about `client` now."""
    times = checkin_times(session, client.id)
    return StoredData(
        messages=_count(session, InboundMessage, client.id),
        appointments=_count(session, Appointment, client.id),
        goals=_count(session, Goal, client.id),
        morning=times.get(CheckinKind.MORNING),
        evening=times.get(CheckinKind.EVENING),
        has_coach=client.coach_id is not None,
    )


def digest_preview(
    session: Session,
    client: Client,
    now: dt.datetime,
    policy: DigestPolicy,
    texts: DigestRenderer,
) -> str | None:
    """What the coach's weekly digest says about `client` for the last whole week, word for
    word as the coach reads it; None when the client has no coach (no one gets a digest)."""
    if client.coach_id is None:
        return None
    week = previous_week(now, policy.zone)
    digest = build_digest(
        session, client.coach_id, week, now, policy.zone, policy.silent_days, [client.id]
    )
    # A client who left is in no digest.
    return texts.client_text(digest.clients[0]) if digest.clients else None
