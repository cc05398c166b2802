"""The local HTTP channel of the contract: the terminal chat, scripts and tests talk through it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from backend.db import transaction
from backend.gateway.conversations import Conversations
from backend.models import ChannelKind
from backend.services.clients import identity_for_address
from backend.services.outbox import take_pending

router = APIRouter(prefix="/channels/local")


class LocalMessage(BaseModel):
    """A message from a local sender."""

    sender_id: str = Field(min_length=1, max_length=128)
    text: str = Field(max_length=20000)


class Messages(BaseModel):
    """What the bot sends back: text and optional buttons, in order."""

    messages: list[dict[str, Any]]


@router.post("/messages", response_model=Messages)
async def post_message(message: LocalMessage, request: Request) -> JSONResponse:
    """Every message the bot sends to this sender in reply, in order.

    The replies are plain JSON already: returned as a response, they skip the validation and
    encoding FastAPI gives a returned model (this route is on every message's path).
    """
    conversations: Conversations = request.app.state.conversations
    replies = await conversations.handle(ChannelKind.LOCAL, message.sender_id, message.text)
    return JSONResponse({"messages": [reply.to_json() for reply in replies]})


@router.get("/messages")
async def fetch_messages(sender_id: str, request: Request) -> Messages:
    """Messages the bot sent on its own (check-ins, reminders) since the last fetch."""
    context = request.app.state.context
    now = context.clock.now()
    with transaction(context.sessions) as session:
        identity = identity_for_address(session, ChannelKind.LOCAL, sender_id, now)
        replies = take_pending(session, identity, now)
    return Messages(messages=[reply.to_json() for reply in replies])
