"""action_answer_yes_no: a yes or a no answers whatever the bot asked last."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction
from actions.my_data import answer_delete
from actions.onboarding import answer_consent
from actions.slots import ASKED


class ActionAnswerYesNo(ContextAction):
    """Routes a yes or a no to the question it answers; with nothing asked, acknowledges it."""

    def name(self) -> str:
        return "action_answer_yes_no"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        yes = tracker.get_intent_of_latest_message() == "affirm"
        asked = tracker.get_slot(ASKED)
        if asked == "consent":
            return await answer_consent(self._context, dispatcher, tracker, yes)
        if asked == "delete":
            return await answer_delete(self._context, dispatcher, tracker, yes)
        dispatcher.utter_message(response="utter_ack")
        return []
