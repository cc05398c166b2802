"""The channel through which Askel's gateway talks to the Rasa server.

It runs inside the Rasa server (the `.venv-rasa` environment), so it stays small and uses only
what Rasa ships. Rasa's own REST channel has no authentication, logs the client's words when a
turn fails and hides the failure from the caller; this one requires the gateway's token, logs no
text and says when a turn failed, so that the gateway can keep the message and answer later.
"""

import hmac
import logging
import os
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage

logger = logging.getLogger(__name__)


class AskelInput(InputChannel):
    """POST /webhooks/askel/webhook with {"sender", "message"} and a bearer token."""

    @classmethod
    def name(cls) -> Text:
        return "askel"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "AskelInput":
        return cls((credentials or {}).get("token") or os.environ.get("ASKEL_RASA_TOKEN", ""))

    def __init__(self, token: Text) -> None:
        if not token:
            raise ValueError("the askel channel needs a token (ASKEL_RASA_TOKEN)")
        self.token = token

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        return hmac.compare_digest(header.encode(), f"Bearer {self.token}".encode())

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = Blueprint("askel_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            ready = bool(agent is not None and agent.is_ready())
            return response.json({"ready": ready}, status=200 if ready else 503)

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return response.json({"error": "forbidden"}, status=403)
            body = request.json or {}
            sender = body.get("sender")
            text = body.get("message")
            if not isinstance(sender, str) or not isinstance(text, str) or not sender:
                return response.json({"error": "sender and message are required"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(),
                                metadata=body.get("metadata"))
                )
            except CancelledError:
                logger.error("askel channel: a turn timed out")
                return response.json({"error": "timeout", "messages": collector.messages},
                                     status=504)
            except Exception as error:  # noqa: BLE001 - the type is logged, never the words
                logger.error("askel channel: a turn failed (%s)", type(error).__name__)
                return response.json({"error": "turn failed", "messages": collector.messages},
                                     status=500)
            return response.json({"messages": collector.messages})

        return hook
