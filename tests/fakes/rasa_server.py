"""A fake of Askel's Rasa channel on loopback: records what it is sent, can be slow or down."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from aiohttp.test_utils import TestServer


class FakeRasa:
    """A fake of Askel's Rasa channel on loopback: records what it is sent, can be down."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.down = False
        self.answer: list[dict[str, object]] = [{"text": "Hei!"}]
        self.url = ""
        self.delay = 0.0
        self.in_turn = 0
        self.most_at_once = 0

    async def webhook(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != "Bearer test-rasa-token":
            return web.json_response({"error": "forbidden"}, status=403)
        if self.down:
            return web.json_response({"error": "turn failed"}, status=500)
        self.received.append(await request.json())
        self.in_turn += 1
        self.most_at_once = max(self.most_at_once, self.in_turn)
        await asyncio.sleep(self.delay)
        self.in_turn -= 1
        return web.json_response({"messages": self.answer})


@asynccontextmanager
async def running_fake_rasa() -> AsyncIterator[FakeRasa]:
    """A FakeRasa serving on a free loopback port (its `url`) for the duration of the block."""
    fake = FakeRasa()
    app = web.Application()
    app.router.add_post("/webhooks/askel/webhook", fake.webhook)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    try:
        yield fake
    finally:
        await server.close()
