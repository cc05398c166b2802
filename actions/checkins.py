"""The morning and evening check-ins, and reports at any time: thin actions over
`backend.services.checkin_answers`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import ContextAction, latest_text
from backend.db import transaction
from backend.models import Client
from backend.services.checkin_answers import (
    Said,
    change_schedule,
    pause_messages,
    record_report,
    save_evening_checkin,
    save_morning_checkin,
    valid_mood,
)
from backend.services.clients import client_by_conversation

MORNING_SLOTS = ("checkin_sleep", "checkin_plan")
EVENING_SLOTS = ("checkin_mood", "checkin_meals", "checkin_out", "checkin_good")


def _say(dispatcher: CollectingDispatcher, said: Sequence[Said]) -> None:
    for item in said:
        dispatcher.utter_message(response=item.response, **item.values)


def _cleared() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in (*MORNING_SLOTS, *EVENING_SLOTS)]


class ActionCheckinStart(Action):  # type: ignore[misc]
    """Starts a check-in's form with the first answer the client gave to the question the
    scheduler sent. A check-in left unanswered earlier is closed first, so its answers are not
    mixed in; the answer that came with this message is kept."""

    def name(self) -> str:
        return "action_checkin_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = {entity["entity"] for entity in tracker.latest_message.get("entities", [])}
        return [ActiveLoop(None), *(e for e in _cleared() if e["name"] not in answered)]


class ActionCheckinDone(ContextAction):
    """Saves the answers of the check-in just finished and thanks the client."""

    def name(self) -> str:
        return "action_checkin_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        now = self._context.clock.now()
        slots = {
            name: str(tracker.get_slot(name) or "") for name in (*MORNING_SLOTS, *EVENING_SLOTS)
        }
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            if slots["checkin_good"]:
                answers = {name.removeprefix("checkin_"): slots[name] for name in EVENING_SLOTS}
                said = save_evening_checkin(session, client, answers, now)
            else:
                said = save_morning_checkin(
                    session, client, slots["checkin_sleep"], slots["checkin_plan"], now
                )
        _say(dispatcher, said)
        return _cleared()


class ValidateEveningCheckinForm(FormValidationAction):  # type: ignore[misc]
    """The mood is a number from 1 to 5 or words that say one; otherwise it is asked again."""

    def name(self) -> str:
        return "validate_evening_checkin_form"

    def validate_checkin_mood(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Keep a mood that the words give; ask again, more plainly, otherwise."""
        if slot_value is None:  # cleared as the check-in starts: nothing was answered yet
            return {}
        if valid_mood(str(slot_value)):
            return {"checkin_mood": slot_value}
        dispatcher.utter_message(response="utter_checkin_mood_again")
        return {"checkin_mood": None}


# A service that reads the client's words: (session, client, intent, text, now) -> what to say.
WordsService = Callable[[Session, Client, str, str, dt.datetime], Sequence[Said]]


class _ClientWordsAction(ContextAction):
    """Hands the client's latest words (and their intent) to one service, says what it returns."""

    service: WordsService

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        now = self._context.clock.now()
        intent = str(tracker.get_intent_of_latest_message())
        text = latest_text(tracker)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = type(self).service(session, client, intent, text, now)
        _say(dispatcher, said)
        return []


class ActionRecordReport(_ClientWordsAction):
    """ "heräsin yhdeksältä", "söin lounaan", "olo on huono": written down and answered."""

    service = staticmethod(record_report)

    def name(self) -> str:
        return "action_record_report"


class ActionPauseReminders(_ClientWordsAction):
    """ "ei viestejä ensi viikolla": a pause for the days the client names."""

    service = staticmethod(
        lambda session, client, _intent, text, now: [pause_messages(session, client, text, now)]
    )

    def name(self) -> str:
        return "action_pause_reminders"


class ActionChangeSchedule(_ClientWordsAction):
    """ "aamuviesti vasta yhdeksältä": the client's check-in times, changed in words."""

    service = staticmethod(
        lambda session, client, _intent, text, now: [change_schedule(session, client, text, now)]
    )

    def name(self) -> str:
        return "action_change_schedule"
