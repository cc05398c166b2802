"""The client's own data: what Askel keeps and who sees it, and erasing it all."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContextAction
from actions.slots import ASKED
from backend.context import AppContext
from backend.db import transaction
from backend.digest.render import DigestRenderer
from backend.digest.sending import DigestPolicy
from backend.services.clients import client_by_conversation
from backend.services.leaving import leave
from backend.services.my_data import digest_preview, stored_data
from backend.texts.formatting import clock_time


class ActionShowMyData(ContextAction):
    """Tells the client what is stored about them and who sees it, and, when they have a
    coach, what the coach's weekly digest says about them."""

    def name(self) -> str:
        return "action_show_my_data"

    @cached_property
    def _digest_texts(self) -> DigestRenderer:
        # Compiled once, on the first question, not for every one.
        return DigestRenderer(self._context.renderer)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            data = stored_data(session, client)
            language = client.language
            preview = digest_preview(
                session,
                client,
                self._context.clock.now(),
                DigestPolicy.from_settings(self._context.settings),
                self._digest_texts,
            )
        texts = self._context.renderer
        if data.morning and data.evening:
            times = texts.text(
                "my_data_times",
                language,
                morning=clock_time(data.morning),
                evening=clock_time(data.evening),
            )
        else:
            times = texts.text("my_data_no_times", language)
        dispatcher.utter_message(
            response="utter_my_data_coach" if data.has_coach else "utter_my_data",
            messages=texts.count("count_messages", data.messages, language),
            appointments=texts.count("count_appointments", data.appointments, language),
            goals=texts.count("count_goals", data.goals, language),
            times=times,
        )
        if preview is not None:
            dispatcher.utter_message(
                text=texts.text("my_data_digest_preview", language, lines=preview)
            )
        return []


class ActionAskDelete(Action):  # type: ignore[misc]
    """Asks the client to confirm that everything about them is to be erased."""

    def name(self) -> str:
        return "action_ask_delete"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_confirm_delete")
        return [SlotSet(ASKED, "delete")]


async def answer_delete(
    context: AppContext, dispatcher: CollectingDispatcher, tracker: Tracker, confirmed: bool
) -> list[dict[str, Any]]:
    """Erase everything (the gateway finishes the erasure after this turn), or keep it all."""
    if not confirmed:
        dispatcher.utter_message(response="utter_delete_cancelled")
        return [SlotSet(ASKED, None)]
    now = context.clock.now()
    with transaction(context.sessions) as session:
        leave(session, client_by_conversation(session, tracker.sender_id), now, context.renderer)
    dispatcher.utter_message(response="utter_data_deleted")
    return [SlotSet(ASKED, None)]
