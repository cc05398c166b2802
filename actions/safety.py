"""action_crisis_support: the NLU model heard a crisis that the gateway's rules did not.

An everyday exaggeration that the rules know ("kuolen tylsyyteen") is answered kindly instead."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction, latest_text
from backend.db import transaction
from backend.safety import is_everyday_exaggeration
from backend.services.clients import client_by_conversation
from backend.services.crisis import answer_crisis

logger = logging.getLogger(__name__)


class ActionCrisisSupport(ContextAction):
    """Gives the crisis numbers and alerts the coach, as the gateway's rule layer does."""

    def name(self) -> str:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if is_everyday_exaggeration(latest_text(tracker)):
            dispatcher.utter_message(response="utter_heard")
            return []
        # Worth knowing when it happens: the rule layer may need a new rule. No words logged.
        logger.warning("crisis heard by the NLU model only")
        now = self._context.clock.now()
        cause = f"nlu:{tracker.sender_id}:{now.isoformat()}"
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            response = answer_crisis(session, client, cause, now, self._context.renderer)
        dispatcher.utter_message(response=response)
        return []
