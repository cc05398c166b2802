"""action_stop_messages: "älä lähetä enää viestejä" in a sentence does what LOPETA does."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction
from backend.db import transaction
from backend.services.clients import client_by_conversation
from backend.services.subscription import stop_messages


class ActionStopMessages(ContextAction):
    """Stops every message at once and says how to come back."""

    def name(self) -> str:
        return "action_stop_messages"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            stop_messages(session, client_by_conversation(session, tracker.sender_id), now)
        dispatcher.utter_message(response="utter_stopped")
        return []
