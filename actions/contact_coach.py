"""action_contact_coach: the client wants to talk to a human; their coach is told at once."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction
from backend.db import transaction
from backend.services.clients import client_by_conversation
from backend.services.contact import request_contact


class ActionContactCoach(ContextAction):
    """Raises a contact request for the client's coach."""

    def name(self) -> str:
        return "action_contact_coach"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            response = request_contact(session, client, now, self._context.renderer)
        dispatcher.utter_message(response=response)
        return []
