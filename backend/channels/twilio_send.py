"""Sending SMS through Twilio's REST API (not TwiML), so every SMS goes through the outbox."""

from __future__ import annotations

import asyncio

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as TwilioClient

from backend.channels.outcomes import Failed, Outcome, RetryLater, Sent
from backend.channels.sms_text import sms_body
from backend.channels.twilio_http import TwilioHttpClient
from backend.models import ChannelKind
from backend.settings import Settings
from backend.texts.responses import Reply

STATUS_PATH = "/channels/sms/twilio/status"
# Twilio's codes for a number that cannot get our messages: not a valid number, unsubscribed
# (the person sent STOP to the carrier), not a mobile number.
UNREACHABLE_CODES = frozenset({21211, 21610, 21614})


def make_twilio_client(settings: Settings) -> TwilioClient:
    """An async-capable Twilio client for the configured account and API address; make it
    inside a running event loop."""
    client = TwilioClient(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        http_client=TwilioHttpClient(timeout=settings.outbox_send_timeout_seconds),
    )
    # Every resource of the 2010 API hangs off this domain; tests point it at a fake on loopback.
    client.api.base_url = settings.twilio_api_url.rstrip("/")
    return client


def status_callback_url(settings: Settings) -> str | None:
    """Where Twilio reports delivery, when the gateway has a public address."""
    if not settings.public_url:
        return None
    return settings.public_url.rstrip("/") + STATUS_PATH


class TwilioSender:
    """Sends outbox messages as SMS."""

    channel = ChannelKind.SMS

    def __init__(self, settings: Settings, client: TwilioClient | None = None) -> None:
        self._client = client or make_twilio_client(settings)
        self.messages_per_second = settings.twilio_messages_per_second
        sender = settings.twilio_from
        self._from = (
            {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        )
        callback = status_callback_url(settings)
        self._callback = {"status_callback": callback} if callback else {}

    async def send(self, address: str, reply: Reply) -> Outcome:
        """Send one SMS; Twilio's errors become outcomes."""
        try:
            message = await self._client.messages.create_async(
                to=address, body=sms_body(reply), **self._from, **self._callback
            )
        except TwilioRestException as error:
            if error.status == 429 or error.status >= 500:
                return RetryLater(f"twilio: HTTP {error.status} {error.code}")
            return Failed(
                f"twilio: HTTP {error.status} code {error.code}",
                unreachable=error.code in UNREACHABLE_CODES,
            )
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return RetryLater(f"twilio: {type(error).__name__}")
        return Sent(message.sid)

    async def aclose(self) -> None:
        """Close the HTTP session."""
        http = self._client.http_client
        if isinstance(http, TwilioHttpClient):
            await http.close()
