"""A client's wish to talk to a human: their coach hears it at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from backend.models import AlertKind, Client
from backend.services.alerts import raise_alert
from backend.texts.responses import Renderer


def request_contact(session: Session, client: Client, now: dt.datetime, renderer: Renderer) -> str:
    """Alert the coach; returns the response to give the client.

    Asking again on the same day adds no second alert: the coach already knows.
    """
    if client.coach_id is None:
        return "utter_no_coach"
    local_day = now.astimezone(ZoneInfo(client.timezone)).date()
    dedupe_key = f"contact:{client.id}:{local_day.isoformat()}"
    raise_alert(session, client, AlertKind.CONTACT_REQUEST, dedupe_key, now, renderer)
    return "utter_coach_told"
