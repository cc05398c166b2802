"""What Askel's web applications share."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)


def log_errors_without_data(app: FastAPI) -> None:
    """Answer any error that escapes a route with a bare 500, logging its type alone.

    A traceback's message can quote a client's words: an SQL error carries its parameters, an
    action's error the tracker. Uvicorn would log the whole traceback.
    """

    @app.middleware("http")
    async def no_tracebacks(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            return await call_next(request)
        except Exception as error:
            logger.error("request to %s failed: %s", request.url.path, type(error).__name__)
            return JSONResponse({"error": "internal error"}, status_code=500)
