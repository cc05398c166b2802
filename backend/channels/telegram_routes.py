"""Telegram's webhook: the secret token checked, the update stored, then answered."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from telegram import Update

from backend.channels.background import BackgroundTurns
from backend.channels.telegram_updates import TelegramMessage, read_update
from backend.gateway.conversations import Conversations, Incoming
from backend.models import ChannelKind
from backend.settings import Settings

logger = logging.getLogger(__name__)
WEBHOOK_PATH = "/channels/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

router = APIRouter()


def receive_update(
    conversations: Conversations, background: BackgroundTurns, message: TelegramMessage
) -> None:
    """Store one Telegram message (a redelivered update_id is dropped) and answer it later."""
    incoming = Incoming(payload=message.payload, media=message.media)
    turn = conversations.receive(
        ChannelKind.TELEGRAM,
        message.chat_id,
        message.text,
        f"update:{message.update_id}",
        incoming=incoming,
    )
    if turn is not None:
        background.spawn(conversations.process(turn))


def secret_matches(settings: Settings, given: str | None) -> bool:
    """Whether the request carries our webhook secret (never true when none is set)."""
    secret = settings.telegram_webhook_secret.get_secret_value()
    return bool(secret) and given is not None and hmac.compare_digest(given, secret)


@router.post(WEBHOOK_PATH)
async def telegram_webhook(request: Request) -> JSONResponse:
    """Store the update, then acknowledge; a pressed button is answered in the reply itself."""
    context = request.app.state.context
    if not secret_matches(context.settings, request.headers.get(SECRET_HEADER)):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    try:
        update = Update.de_json(await request.json(), None)
    except Exception:  # malformed: Telegram would resend it forever, so it is acknowledged
        logger.warning("an unreadable Telegram update was dropped")
        return JSONResponse({})
    message = read_update(update)
    if message is None:
        return JSONResponse({})
    receive_update(request.app.state.conversations, request.app.state.background, message)
    # Telegram takes one method call as the webhook's answer: no extra request needed.
    body: dict[str, Any] = {}
    if message.callback_query_id is not None:
        body = {"method": "answerCallbackQuery", "callback_query_id": message.callback_query_id}
    return JSONResponse(body)
