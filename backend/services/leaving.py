"""A client who asks for their data to be erased leaves Askel; their coach hears only that."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from backend.models import AlertKind, ChannelIdentity, Client, ClientStatus, Consent
from backend.services.alerts import raise_alert
from backend.services.erasure import erase_client_content
from backend.texts.responses import Renderer


def leave(session: Session, client: Client, now: dt.datetime, renderer: Renderer) -> None:
    """Mark the client as leaving and tell their coach (by name, nothing else).

    The erasure itself happens when the turn is over (`forget_after_turn`), so that the answer
    to this very message can still be written and sent.
    """
    raise_alert(session, client, AlertKind.CLIENT_LEFT, f"left:{client.id}", now, renderer)
    client.status = ClientStatus.LEFT


def forget_after_turn(session: Session, client: Client) -> bool:
    """Erase what a client without consent, or who left, must not leave behind.

    Returns whether Rasa's copy of the conversation must be forgotten too. A client who left
    loses their name, their profile and their channel identities as well, so that a message
    from the same number later starts afresh.
    """
    if not must_forget(client.status, client.consent):
        return False
    erase_client_content(session, client.id, keep_unsent=True)
    if client.status is ClientStatus.LEFT:
        session.execute(delete(ChannelIdentity).where(ChannelIdentity.client_id == client.id))
        client.display_name = None
        client.nivel_phase = None
        client.referral_source = None
    return True


def must_forget(status: ClientStatus, consent: Consent) -> bool:
    """Whether a turn of a client in this standing leaves something to erase (see
    `forget_after_turn`): they left, or refused consent."""
    return status is ClientStatus.LEFT or consent is Consent.REFUSED
