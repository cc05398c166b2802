"""Twilio's webhooks: inbound SMS and delivery reports, each signed with X-Twilio-Signature.

The signature covers the full address Twilio called, which is our public address, not what
the gateway sees behind a proxy; so it is checked against `ASKEL_PUBLIC_URL`.
"""

from __future__ import annotations

import asyncio
import random

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from twilio.request_validator import RequestValidator

from backend.channels.twilio_send import STATUS_PATH
from backend.db import transaction
from backend.gateway.conversations import Conversations
from backend.models import ChannelKind
from backend.services.delivery import record_delivery_status
from backend.services.outbox import RetryPolicy
from backend.settings import Settings

INBOUND_PATH = "/channels/sms/twilio"
# Replies go through the REST API (and the outbox), so the webhook's own answer is empty.
# A delivery report that overtook the sender's record of the send is tried again after these
# waits (seconds; about 6 s in all, well inside Twilio's 15 s): Twilio sends each report once.
REPORT_WAITS = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

router = APIRouter()


async def signed_form(request: Request, settings: Settings) -> dict[str, str] | None:
    """The request's form if Twilio signed it with our auth token, else None."""
    token = settings.twilio_auth_token.get_secret_value()
    signature = request.headers.get("X-Twilio-Signature")
    if not token or not settings.public_url or not signature:
        return None
    form = {key: str(value) for key, value in (await request.form()).items()}
    url = settings.public_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return form if RequestValidator(token).validate(url, form, signature) else None


def _forbidden() -> JSONResponse:
    return JSONResponse({"error": "forbidden"}, status_code=403)


@router.post(INBOUND_PATH)
async def inbound_sms(request: Request) -> Response:
    """Store the SMS (a redelivered MessageSid is dropped), acknowledge, then answer it."""
    context = request.app.state.context
    form = await signed_form(request, context.settings)
    if form is None:
        return _forbidden()
    sender = form.get("From", "")
    message_id = form.get("MessageSid") or form.get("SmsSid")
    if sender and message_id:
        conversations: Conversations = request.app.state.conversations
        turn = conversations.receive(ChannelKind.SMS, sender, form.get("Body", ""), message_id)
        if turn is not None:
            request.app.state.background.spawn(conversations.process(turn))
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post(STATUS_PATH)
async def delivery_status(request: Request) -> Response:
    """A delivery report: delivered, or failed (retried, or the number marked unreachable)."""
    context = request.app.state.context
    form = await signed_form(request, context.settings)
    if form is None:
        return _forbidden()
    message_id = form.get("MessageSid") or form.get("SmsSid")
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    if not message_id:
        return Response(status_code=204)
    policy = RetryPolicy.from_settings(context.settings)
    for wait in (*REPORT_WAITS, None):
        with transaction(context.sessions) as session:
            applied = record_delivery_status(
                session,
                message_id,
                status,
                form.get("ErrorCode"),
                context.clock.now(),
                policy,
                random.random(),
                context.renderer,
            )
        if applied or wait is None:
            break
        await asyncio.sleep(wait)
    return Response(status_code=204)
