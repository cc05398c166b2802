"""The gateway's web application, built by `create_app(context)`; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from backend.context import AppContext
from backend.gateway import local_channel
from backend.gateway.conversations import Conversations
from backend.gateway.health import stack_status
from backend.gateway.rasa_client import RasaClient
from backend.web import log_errors_without_data


def create_app(context: AppContext) -> FastAPI:
    """The gateway for `context`: health check and the channels that settings turn on."""
    settings = context.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rasa = RasaClient(
            settings.rasa_url, settings.rasa_token.get_secret_value(), settings.rasa_timeout_seconds
        )
        app.state.context = context
        app.state.rasa = rasa
        app.state.conversations = Conversations(context, rasa)
        yield
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
    return app
