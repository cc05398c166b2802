"""The gateway's web application, built by `create_app(context)`; nothing happens at import."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from backend.channels import telegram_routes, twilio_routes
from backend.channels.background import BackgroundTurns
from backend.channels.telegram_polling import poll_telegram
from backend.channels.telegram_send import make_bot
from backend.context import AppContext
from backend.gateway import local_channel
from backend.gateway.conversations import Conversations
from backend.gateway.health import stack_status
from backend.gateway.rasa_client import RasaClient
from backend.web import log_errors_without_data

logger = logging.getLogger(__name__)
# How often messages that waited for Rasa (it was down) are tried again.
RETRY_SECONDS = 5.0


async def _retry_waiting(conversations: Conversations, stop: asyncio.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=RETRY_SECONDS)
        try:
            await conversations.retry_waiting()
        except Exception:  # the database restarting: the next round tries again
            logger.exception("retrying waiting messages failed")


def create_app(context: AppContext) -> FastAPI:
    """The gateway for `context`: health check and the channels that settings turn on.

    The Telegram and SMS webhooks are always there; without their secrets configured, every
    request fails the check and gets 403.
    """
    settings = context.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rasa = RasaClient(
            settings.rasa_url, settings.rasa_token.get_secret_value(), settings.rasa_timeout_seconds
        )
        conversations = Conversations(context, rasa)
        background = BackgroundTurns()
        app.state.context = context
        app.state.rasa = rasa
        app.state.conversations = conversations
        app.state.background = background
        stop = asyncio.Event()
        loops = [asyncio.create_task(_retry_waiting(conversations, stop))]
        bot = None
        if settings.telegram_enabled and not settings.telegram_uses_webhook:
            bot = make_bot(settings)
            poll = poll_telegram(
                bot, conversations, background, stop, settings.telegram_poll_seconds
            )
            loops.append(asyncio.create_task(poll))
        yield
        stop.set()
        # A long poll ends by itself within its timeout; one cut short leaves its socket to be
        # closed by the process's exit, so a short poll is awaited and a long one cut.
        _done, running = await asyncio.wait(
            loops, timeout=min(3.0, settings.telegram_poll_seconds + 1.0)
        )
        for loop in running:
            loop.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        await background.wait()
        if bot is not None:
            with contextlib.suppress(Exception):
                await bot.shutdown()
        await rasa.aclose()

    app = FastAPI(title="Askel gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    log_errors_without_data(app)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """200 only when the gateway, the Rasa server and the action server are all ready."""
        status = await stack_status(app.state.rasa, settings.actions_url)
        return JSONResponse(status, status_code=200 if all(status.values()) else 503)

    if settings.local_channel:
        app.include_router(local_channel.router)
    app.include_router(telegram_routes.router)
    app.include_router(twilio_routes.router)
    return app
