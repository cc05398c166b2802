"""The action server's web application, on loopback behind a token.

rasa-sdk's own server listens on every interface with no authentication, and answers a failed
action with the whole tracker (phone number, slots, the client's words), which Rasa then logs.
This one runs the same `ActionExecutor`, but checks the token and answers a failure with the
action's name only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from actions import build_actions
from backend.actionserver.auth import require_token
from backend.actionserver.nlg import NlgError, render_for_rasa
from backend.context import AppContext
from backend.web import log_errors_without_data

logger = logging.getLogger(__name__)


def create_executor(context: AppContext) -> ActionExecutor:
    """An executor with every Askel action, each given the context it needs."""
    executor = ActionExecutor()
    for action in build_actions(context):
        executor.register_action(action)
    return executor


def create_app(context: AppContext) -> FastAPI:
    """The action server for `context`."""
    app = FastAPI(title="Askel action server", docs_url=None, redoc_url=None)
    log_errors_without_data(app)
    app.state.token = context.settings.actions_token.get_secret_value()
    executor = create_executor(context)
    protected = [Depends(require_token)]

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/actions", dependencies=protected)
    async def actions() -> list[dict[str, str]]:
        return [{"name": name} for name in sorted(executor.actions)]

    @app.post("/webhook", dependencies=protected)
    async def webhook(request: Request) -> JSONResponse:
        action_call: dict[str, Any] = await request.json()
        name = str(action_call.get("next_action"))
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection:
            return JSONResponse({"error": "rejected", "action_name": name}, status_code=400)
        except ActionNotFoundException:
            logger.error("unknown action %s", name)
            return JSONResponse({"error": "unknown action", "action_name": name}, 404)
        except Exception as error:
            logger.error("action %s failed: %s", name, type(error).__name__)
            return JSONResponse({"error": "action failed", "action_name": name}, 500)
        return JSONResponse(result or {"events": [], "responses": []})

    @app.post("/nlg", dependencies=protected)
    async def nlg(request: Request) -> JSONResponse:
        try:
            return JSONResponse(render_for_rasa(context, await request.json()))
        except NlgError as error:
            logger.error("cannot render %s", error)
        except Exception as error:
            logger.error("rendering failed: %s", type(error).__name__)
        return JSONResponse({"error": "cannot render"}, status_code=500)

    return app
