"""action_greet: hello by the client's time of day, and by name when the coach gave one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction
from backend.db import transaction
from backend.services.clients import ClientNotFound, client_by_conversation
from backend.services.greeting import greeting_for


class ActionGreet(ContextAction):
    """Greets the client."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            try:
                client = client_by_conversation(session, tracker.sender_id)
            except ClientNotFound:
                client = None
            greeting = greeting_for(client, now, self._context.settings.timezone)
            language = client.language if client else None
        word = self._context.renderer.text(greeting.greeting_word, language)
        dispatcher.utter_message(response=greeting.response, greeting=word, name=greeting.name)
        return []
