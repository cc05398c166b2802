"""The base of every action that works through the application's context."""

from __future__ import annotations

from rasa_sdk import Action, Tracker

from backend.context import AppContext


class ContextAction(Action):  # type: ignore[misc]
    """An action built with the context it needs (clock, database, texts, settings)."""

    def __init__(self, context: AppContext) -> None:
        self._context = context


def latest_text(tracker: Tracker) -> str:
    """The client's own words in the latest message ("" for a button or an empty text)."""
    return str(tracker.latest_message.get("text") or "")
