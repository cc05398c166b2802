"""Onboarding actions: the consent question, its answer, and the client's check-in times."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction, latest_text
from actions.slots import ASKED
from backend.context import AppContext
from backend.db import transaction
from backend.models import CheckinKind
from backend.services.clients import client_by_conversation
from backend.services.onboarding import (
    checkin_time,
    checkin_times,
    finish_onboarding,
    give_consent,
    refuse_consent,
    set_checkin_time,
)
from backend.texts.formatting import clock_time


class ActionStartOnboarding(Action):  # type: ignore[misc]
    """Says what Askel is, what is stored and who sees it, and asks for consent."""

    def name(self) -> str:
        return "action_start_onboarding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_onboarding_intro")
        dispatcher.utter_message(response="utter_ask_consent")
        return [SlotSet(ASKED, "consent")]


async def answer_consent(
    context: AppContext, dispatcher: CollectingDispatcher, tracker: Tracker, consented: bool
) -> list[dict[str, Any]]:
    """Record the client's yes (then ask the morning time) or no (then keep nothing else)."""
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_by_conversation(session, tracker.sender_id)
        if consented:
            give_consent(client, now)
        else:
            refuse_consent(client, now)
    if consented:
        dispatcher.utter_message(response="utter_ask_morning_time")
        return [SlotSet(ASKED, "morning")]
    dispatcher.utter_message(response="utter_consent_refused")
    return [SlotSet(ASKED, None)]


async def answer_time(
    context: AppContext, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]]:
    """Keep the morning or evening time the client chose, or ask again in plainer words."""
    kind = CheckinKind.MORNING if tracker.get_slot(ASKED) == "morning" else CheckinKind.EVENING
    # A button sends the time as an entity; a typed answer is read by Askel's own parser.
    answer = next(tracker.get_latest_entity_values("time"), None) or latest_text(tracker)
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_by_conversation(session, tracker.sender_id)
        chosen = checkin_time(answer, kind, now, client.timezone)
        if chosen is not None:
            set_checkin_time(session, client, kind, chosen, now)
            if kind is CheckinKind.EVENING:
                finish_onboarding(client)
        times = checkin_times(session, client.id)
    if chosen is None:
        dispatcher.utter_message(response=f"utter_ask_{kind.value}_time_again")
        return []
    if kind is CheckinKind.MORNING:
        dispatcher.utter_message(response="utter_ask_evening_time")
        return [SlotSet(ASKED, "evening")]
    dispatcher.utter_message(
        response="utter_onboarding_done",
        morning=clock_time(times[CheckinKind.MORNING]),
        evening=clock_time(times[CheckinKind.EVENING]),
    )
    return [SlotSet(ASKED, None)]


def asking_time(tracker: Tracker) -> bool:
    """Whether the last question was the morning or evening time."""
    return tracker.get_slot(ASKED) in ("morning", "evening")


class ActionSetCheckinTime(ContextAction):
    """A time of day: the answer to the time question, if one was asked."""

    def name(self) -> str:
        return "action_set_checkin_time"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if not asking_time(tracker):
            dispatcher.utter_message(response="utter_fallback")
            return []
        return await answer_time(self._context, dispatcher, tracker)


class ActionNotUnderstood(ContextAction):
    """What the model did not understand may still be a time the bot just asked for."""

    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if asking_time(tracker):
            return await answer_time(self._context, dispatcher, tracker)
        dispatcher.utter_message(response="utter_fallback")
        return []
