"""The base of every action that works through the application's context."""

from __future__ import annotations

from rasa_sdk import Action

from backend.context import AppContext


class ContextAction(Action):  # type: ignore[misc]
    """An action built with the context it needs (clock, database, texts, settings)."""

    def __init__(self, context: AppContext) -> None:
        self._context = context
