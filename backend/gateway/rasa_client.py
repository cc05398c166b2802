"""Talking to the Rasa server through Askel's own channel (`bot/connectors/askel_channel.py`)."""

from __future__ import annotations

from typing import Any

import httpx

from backend.texts.responses import Button, Reply


class RasaUnavailable(RuntimeError):
    """The Rasa server (or the action server behind it) could not answer this turn."""


def replies_from_rasa(messages: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's collected bot messages as replies (text and buttons; nothing else is used)."""
    replies = []
    for message in messages:
        buttons = tuple(
            Button(str(button.get("title", "")), str(button.get("payload", "")))
            for button in message.get("buttons") or ()
        )
        text = message.get("text") or ""
        if text or buttons:
            replies.append(Reply(text, buttons))
    return replies


class RasaClient:
    """An HTTP client for one Rasa server on loopback, with its token."""

    def __init__(
        self,
        base_url: str,
        token: str,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
        )

    async def send(self, conversation_id: str, message: str) -> list[Reply]:
        """Send one user message (text, or an "/intent" payload) and return the bot's replies."""
        try:
            response = await self._http.post(
                "/webhooks/askel/webhook", json={"sender": conversation_id, "message": message}
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(type(error).__name__) from error
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        return replies_from_rasa(response.json().get("messages", []))

    async def ready(self) -> bool:
        """Whether the server is up with a model loaded."""
        try:
            response = await self._http.get("/webhooks/askel/", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
