"""What Askel's web applications share."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)


class _NoTracebacks:
    """Plain ASGI middleware: Starlette's `@app.middleware("http")` runs every request through
    a task group and memory streams, which cost about half a millisecond a request here (the
    gateway benchmark), on every message's path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            logger.error("request to %s failed: %s", scope.get("path", ""), type(error).__name__)
            if not started:  # else the client sees the connection end, as before
                await JSONResponse({"error": "internal error"}, status_code=500)(
                    scope, receive, send
                )


def log_errors_without_data(app: FastAPI) -> None:
    """Answer any error that escapes a route with a bare 500, logging its type alone.

    A traceback's message can quote a client's words: an SQL error carries its parameters, an
    action's error the tracker. Uvicorn would log the whole traceback.
    """
    app.add_middleware(_NoTracebacks)
