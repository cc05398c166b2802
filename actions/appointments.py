"""Appointments in the dialogue: thin actions over `backend.services.appointments`.

Adding is a form with one question at a time (`appointment_words`): the service reads the
client's words into a draft and says what to ask next; "en pääse" is a form too (the reason,
then whether a new time is wanted).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.base import ContextAction
from backend.context import AppContext
from backend.db import transaction
from backend.services.appointment_reminders import ReminderRules
from backend.services.appointments import (
    Draft,
    Problem,
    after_cannot_attend,
    answer_of,
    appointment_meant,
    asks_only_next,
    buttons,
    cannot_attend,
    describe_draft,
    listing,
    mark_outcome,
    miss_reason_of,
    next_step,
    question_for,
    save_draft,
    start_adding,
)
from backend.services.clients import client_by_conversation

# What the adding form's slot holds once the dialogue is over.
SAVE, DROP = "save", "drop"
SKIPPED = "skip"
ADDING_SLOTS = ("appointment_draft", "appointment_problem", "appointment_words")
ATTEND_SLOTS = ("miss_reason", "wants_new_time")


def _words(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def _intent(tracker: Tracker) -> str | None:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return str(intent) if intent else None


def _language_and_zone(context: AppContext, tracker: Tracker) -> tuple[str, ZoneInfo]:
    with transaction(context.sessions) as session:
        client = client_by_conversation(session, tracker.sender_id)
        return client.language, ZoneInfo(client.timezone)


class _AppointmentAction(ContextAction):
    """Says a response with its choices (the appointment's id in their payloads)."""

    def say(
        self, dispatcher: CollectingDispatcher, language: str, name: str, **values: Any
    ) -> None:
        """Utter `name` with its values and the choices the service gives it."""
        choices = buttons(self._context.renderer, name, language)
        dispatcher.utter_message(
            response=name, buttons=[button.to_json() for button in choices], **values
        )

    def client(self, tracker: Tracker) -> tuple[str, ZoneInfo]:
        """The language and time zone of the tracker's client."""
        return _language_and_zone(self._context, tracker)


class ActionAppointmentStart(_AppointmentAction):
    """ "mulla on lääkäri torstaina klo 14": the first words of a new appointment."""

    def name(self) -> str:
        return "action_appointment_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        _language, zone = self.client(tracker)
        now = self._context.clock.now()
        max_days = self._context.settings.appointment_max_days_ahead
        understood = start_adding(_words(tracker), now, zone, max_days)
        return [
            SlotSet("appointment_draft", understood.draft.to_json()),
            SlotSet("appointment_problem", understood.problem.value),
            SlotSet("appointment_words", None),
        ]


class ActionAskAppointmentWords(_AppointmentAction):
    """Asks what the draft still needs, or reads it back and asks whether it is right."""

    def name(self) -> str:
        return "action_ask_appointment_words"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language, zone = self.client(tracker)
        draft = Draft.from_json(tracker.get_slot("appointment_draft"))
        problem = Problem(tracker.get_slot("appointment_problem") or Problem.NO_DAY.value)
        self.say(
            dispatcher, language, question_for(problem), appointment=describe_draft(draft, zone)
        )
        return []


class ValidateAppointmentForm(FormValidationAction):  # type: ignore[misc]
    """The client's answer, read into the draft: saved at a yes, asked again otherwise."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    def name(self) -> str:
        return "validate_appointment_form"

    def validate_appointment_words(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """The next step of the adding dialogue."""
        if slot_value is None:
            return {}
        _language, zone = _language_and_zone(self._context, tracker)
        step = next_step(
            Draft.from_json(tracker.get_slot("appointment_draft")),
            Problem(tracker.get_slot("appointment_problem") or Problem.NO_DAY.value),
            str(slot_value),
            _intent(tracker),
            self._context.clock.now(),
            zone,
            self._context.settings.appointment_max_days_ahead,
        )
        words = SAVE if step.done else DROP if step.dropped else None
        return {
            "appointment_words": words,
            "appointment_draft": step.understood.draft.to_json(),
            "appointment_problem": step.understood.problem.value,
        }


class ActionAppointmentSave(_AppointmentAction):
    """Keeps the confirmed appointment and plans its reminders, or says nothing was kept."""

    def name(self) -> str:
        return "action_appointment_save"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(name, None) for name in ADDING_SLOTS]
        if tracker.get_slot("appointment_words") != SAVE:
            language, _zone = self.client(tracker)
            self.say(dispatcher, language, "utter_appointment_dropped")
            return cleared
        draft = Draft.from_json(tracker.get_slot("appointment_draft"))
        rules = ReminderRules.from_settings(self._context.settings)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            save_draft(session, client, draft, self._context.clock.now(), rules)
            self.say(
                dispatcher,
                client.language,
                "utter_appointment_saved",
                appointment=describe_draft(draft, ZoneInfo(client.timezone)),
            )
        return cleared


class ActionCannotAttend(_AppointmentAction):
    """ "en pääse", a reminder's "En pääse" or "voiko aikaa siirtää": no blame, the coach told
    at once, the appointment's number given; then the form asks the reason and a new time."""

    def name(self) -> str:
        return "action_cannot_attend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        button_id = next(tracker.get_latest_entity_values("appointment_id"), None)
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            meant = appointment_meant(session, client, button_id, _words(tracker), now)
            result = cannot_attend(session, client, meant, now, self._context.renderer)
            for name, values in result.said:
                self.say(dispatcher, client.language, name, **values)
        moving = _intent(tracker) == "reschedule_appointment"
        return [
            SlotSet(
                "appointment_id",
                None if result.appointment_id is None else str(result.appointment_id),
            ),
            SlotSet("miss_reason", None),
            SlotSet("wants_new_time", "yes" if moving else None),
        ]


class _AskWithChoices(_AppointmentAction):
    """Asks one form question with its choices (Rasa's own `utter_ask_*` would have none)."""

    response: str

    def name(self) -> str:
        return self.response.replace("utter_ask_", "action_ask_")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language, _zone = self.client(tracker)
        self.say(dispatcher, language, self.response)
        return []


class ActionAskMissReason(_AskWithChoices):
    """One question, with the reasons as choices; skipping is fine."""

    response = "utter_ask_miss_reason"


class ActionAskWantsNewTime(_AskWithChoices):
    """ "Haluatko uuden ajan?" with yes and no."""

    response = "utter_ask_wants_new_time"


class ValidateCannotAttendForm(FormValidationAction):  # type: ignore[misc]
    """Any words answer: a reason read from them (or skipped), a yes or a no (unclear is no)."""

    def name(self) -> str:
        return "validate_cannot_attend_form"

    def validate_miss_reason(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """The reason, or "skip"."""
        if slot_value is None:
            return {}
        reason = miss_reason_of(str(slot_value))
        return {"miss_reason": reason.value if reason else SKIPPED}

    def validate_wants_new_time(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """ "yes" or "no"."""
        if slot_value is None or slot_value == "yes":
            return {}
        wanted = answer_of(str(slot_value), _intent(tracker)) is True
        return {"wants_new_time": "yes" if wanted else "no"}


class ActionCannotAttendDone(_AppointmentAction):
    """Keeps the reason and the wish, and closes with the next step."""

    def name(self) -> str:
        return "action_cannot_attend_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = miss_reason_of(str(tracker.get_slot("miss_reason") or SKIPPED))
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = after_cannot_attend(
                session,
                client,
                tracker.get_slot("appointment_id"),
                reason,
                tracker.get_slot("wants_new_time") == "yes",
            )
            self.say(dispatcher, client.language, said)
        return [SlotSet(name, None) for name in ATTEND_SLOTS]


class ActionListAppointments(_AppointmentAction):
    """ "mitä tapaamisia mulla on?" lists what is coming; "milloin on seuraava?" the next."""

    def name(self) -> str:
        return "action_list_appointments"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            name, values = listing(
                session,
                client,
                self._context.clock.now(),
                only_next=asks_only_next(_words(tracker)),
            )
            self.say(dispatcher, client.language, name, **values)
        return []


class ActionAppointmentOutcome(_AppointmentAction):
    """The next day's answer, from its button: kept or missed."""

    def name(self) -> str:
        return "action_appointment_outcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        appointment_id = next(tracker.get_latest_entity_values("appointment_id"), None)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = mark_outcome(
                session,
                client,
                appointment_id,
                _intent(tracker) == "appointment_kept",
                self._context.clock.now(),
            )
            self.say(dispatcher, client.language, said)
        return []
