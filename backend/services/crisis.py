"""The crisis path: an immediate answer with the crisis numbers, and an urgent alert.

It runs in the gateway before and without the dialogue model: a crisis is answered even when
Rasa is down, the client is mid-form, has not consented yet, or has stopped messages. The NLU
model's `crisis` intent is a second net for what the rules miss, and ends up here too.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from backend.models import AlertKind, Client
from backend.safety import detect_crisis
from backend.services.alerts import raise_alert
from backend.texts.responses import Renderer, Reply

logger = logging.getLogger(__name__)


def answer_crisis(
    session: Session, client: Client, cause: str, now: dt.datetime, renderer: Renderer
) -> str:
    """Alert the coach (once per `cause`); returns the response to give the client."""
    alert = raise_alert(session, client, AlertKind.CRISIS, f"crisis:{cause}", now, renderer)
    return "utter_crisis_coach_told" if alert is not None else "utter_crisis"


def crisis_reply(
    session: Session,
    client: Client,
    text: str,
    inbound_id: int,
    now: dt.datetime,
    renderer: Renderer,
) -> Reply | None:
    """The crisis answer to `text`, with the coach alerted, or None when it is not a crisis."""
    match = detect_crisis(text)
    if match is None:
        return None
    # The rule's name and the ids only: never the words.
    logger.warning("crisis rule %s matched inbound %s", match.rule, inbound_id)
    response = answer_crisis(session, client, f"inbound:{inbound_id}", now, renderer)
    return renderer.render(response, client.language)
