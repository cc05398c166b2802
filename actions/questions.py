"""action_answer_yes_no: a yes or a no answers whatever the bot asked last."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.appointments import answer_appointment_question
from actions.base import ContextAction
from actions.goals import CHOICE_ASKED, NEXT_STEP_ASKED, answer_goal_choice, answer_next_step
from actions.my_data import answer_delete
from actions.onboarding import answer_consent
from actions.slots import ASKED, asked_last_turn
from backend.db import transaction
from backend.services.appointments import open_question
from backend.services.clients import client_by_conversation
from backend.services.goal_week import next_step_offered


class ActionAnswerYesNo(ContextAction):
    """Routes a yes or a no to the question it answers; with nothing asked, acknowledges it.

    The consent and erasure questions wait for their answer. The offer of the next goal step
    ("Otetaanko se tämän viikon askeleeksi?") is answered while it still stands, unless the
    scheduler asked about an appointment after it ("Pääsetkö paikalle?"): the later question
    is the one a "joo" answers. A goal question with choices ("Haluatko asettaa sellaisen?")
    is answered right after it is asked only.
    """

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
        choice = asked in CHOICE_ASKED.values()
        if choice and asked_last_turn(tracker):
            return await answer_goal_choice(self._context, dispatcher, tracker, str(asked), yes)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            offered = next_step_offered(session, client) if asked == NEXT_STEP_ASKED else None
            question = open_question(session, client, self._context.clock.now())
        if offered is not None and (question is None or question.asked_at <= offered):
            return await answer_next_step(self._context, dispatcher, tracker, yes)
        # An offer taken or passed by since (a step chosen by its button), or a goal question
        # the client went past, is asked no more.
        passed = choice or (asked == NEXT_STEP_ASKED and offered is None)
        stale = [SlotSet(ASKED, None)] if passed else []
        answered = await answer_appointment_question(self._context, dispatcher, tracker)
        if answered is not None:
            return [*answered, *stale]
        dispatcher.utter_message(response="utter_ack")
        return stale
