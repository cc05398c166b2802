"""Talking to the Rasa server through Askel's own channel (`bot/connectors/askel_channel.py`).

aiohttp rather than httpx here: this call is on every message's path, and in the gateway
benchmark aiohttp's round trip to Rasa was about 2 ms shorter on these machines.
"""

from __future__ import annotations

from typing import Any

import aiohttp

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
    """An HTTP client for one Rasa server on loopback, with its token.

    The connection pool is made on first use, inside the event loop that uses it.
    """

    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self._headers, timeout=self._timeout)
        return self._session

    async def send(self, conversation_id: str, message: str) -> list[Reply]:
        """Send one user message (text, or an "/intent" payload) and return the bot's replies."""
        body = {"sender": conversation_id, "message": message}
        try:
            async with self._http().post(
                f"{self._base_url}/webhooks/askel/webhook", json=body
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"HTTP {response.status}")
                answer = await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        return replies_from_rasa(answer.get("messages", []))

    async def ready(self) -> bool:
        """Whether the server is up with a model loaded."""
        try:
            async with self._http().get(
                f"{self._base_url}/webhooks/askel/", timeout=aiohttp.ClientTimeout(total=2)
            ) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._session is not None:
            await self._session.close()
