"""Rasa's NLG endpoint: a response name in, the client's words in their language out."""

from __future__ import annotations

import logging
from typing import Any

from backend.context import AppContext
from backend.db import transaction
from backend.services.clients import ClientNotFound, client_by_conversation
from backend.texts.responses import UnknownResponse

logger = logging.getLogger(__name__)


class NlgError(LookupError):
    """The response cannot be rendered; the reason names the response, never client data."""


def client_language(context: AppContext, conversation_id: str | None) -> str:
    """The language of the client in this conversation, or the default one."""
    if not conversation_id:
        return context.settings.default_language
    with transaction(context.sessions) as session:
        try:
            return client_by_conversation(session, conversation_id).language
        except ClientNotFound:
            return context.settings.default_language


def render_for_rasa(context: AppContext, body: dict[str, Any]) -> dict[str, Any]:
    """Answer one NLG request of Rasa (`{"response", "arguments", "tracker", "channel"}`)."""
    name = body.get("response")
    if not isinstance(name, str):
        raise NlgError("no response name")
    tracker = body.get("tracker") or {}
    language = client_language(context, tracker.get("sender_id"))
    arguments = body.get("arguments") or {}
    try:
        reply = context.renderer.render(name, language, **arguments)
    except (UnknownResponse, KeyError, IndexError, ValueError) as error:
        raise NlgError(f"{name}: {type(error).__name__}") from error
    return {"text": reply.text, "buttons": [button.to_json() for button in reply.buttons]}
