"""Urgent alerts for a client's coach: a row for `askel alerts`, and a short message at once.

The message names the client and the kind of alert and no more: a Telegram notification shows
on a locked screen, and an email passes through servers the organisation does not own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Alert, AlertKind, ChannelKind, Client, OutboxMessage
from backend.texts.responses import Renderer


def coach_address(client: Client) -> tuple[ChannelKind, str] | None:
    """Where the client's coach wants alerts: their Telegram chat or their email."""
    coach = client.coach
    if coach is None:
        return None
    if coach.alert_channel is ChannelKind.TELEGRAM and coach.telegram_chat_id:
        return ChannelKind.TELEGRAM, coach.telegram_chat_id
    if coach.email:
        return ChannelKind.EMAIL, coach.email
    if coach.telegram_chat_id:
        return ChannelKind.TELEGRAM, coach.telegram_chat_id
    return None


def client_label(client: Client) -> str:
    """How an alert names the client: their name as the coach entered it, else their number."""
    return client.display_name or f"#{client.id}"


def raise_alert(
    session: Session,
    client: Client,
    kind: AlertKind,
    dedupe_key: str,
    now: dt.datetime,
    renderer: Renderer,
) -> Alert | None:
    """Record an alert and queue its message to the coach; None when the client has no coach.

    The same `dedupe_key` (one cause) never makes a second alert or message.
    """
    if client.coach_id is None:
        return None
    existing = session.scalars(select(Alert).where(Alert.dedupe_key == dedupe_key)).one_or_none()
    if existing is not None:
        return existing
    alert = Alert(
        coach_id=client.coach_id,
        client_id=client.id,
        kind=kind,
        dedupe_key=dedupe_key,
        created_at=now,
    )
    session.add(alert)
    address = coach_address(client)
    if address is not None:
        channel, to = address
        session.add(
            OutboxMessage(
                coach_id=client.coach_id,
                channel=channel,
                address=to,
                text=renderer.text(f"alert_{kind.value}", None, client=client_label(client)),
                dedupe_key=f"alert:{dedupe_key}",
                next_attempt_at=now,
                created_at=now,
            )
        )
    session.flush()
    return alert
