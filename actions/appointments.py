"""Appointments in the dialogue: thin actions over `backend.services.appointments`.

Adding is a form with one question at a time (`appointment_words`): the service reads the
client's words into a draft and says what to ask next; "en pääse" is a form too (the reason,
then whether a new time is wanted), opened by the action that took the "en pääse".

The scheduler asks its questions ("Pääsetkö paikalle?", "Pääsitkö paikalle?") without a turn
of the dialogue, so typed answers to them ("joo", "ei", "pääsin", "oon kipeä") are read against
the client's appointments (`read_in_context`) before they are taken as what their intent says.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import ContextAction, latest_text
from actions.checkins import ActionRecordReport
from actions.onboarding import ActionNotUnderstood
from backend.context import AppContext
from backend.db import transaction
from backend.models import Appointment, Client
from backend.services.appointment_reminders import ReminderRules
from backend.services.appointments import (
    Draft,
    InContext,
    Meaning,
    MissReason,
    Problem,
    after_cannot_attend,
    answer_of,
    appointment_meant,
    asks_only_next,
    cannot_attend,
    describe_draft,
    listing,
    mark_outcome,
    miss_reason_of,
    next_step,
    question_for,
    read_in_context,
    save_draft,
    says_unwell,
    start_adding,
    will_come,
)
from backend.services.clients import client_by_conversation

# What the adding form's slot holds once the dialogue is over.
SAVE, DROP = "save", "drop"
SKIPPED = "skip"
ADDING_SLOTS = ("appointment_draft", "appointment_problem", "appointment_words")
ATTEND_SLOTS = ("miss_reason", "wants_new_time")
CANNOT_ATTEND_FORM = "cannot_attend_form"


def _intent(tracker: Tracker) -> str | None:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return str(intent) if intent else None


def _zone(context: AppContext, tracker: Tracker) -> ZoneInfo:
    with transaction(context.sessions) as session:
        return ZoneInfo(client_by_conversation(session, tracker.sender_id).timezone)


class _AppointmentAction(ContextAction):
    """Says responses by name; the NLG endpoint renders each with its choices
    (backend/texts/responses.py CHOICES)."""

    def say(self, dispatcher: CollectingDispatcher, name: str, **values: Any) -> None:
        """Utter `name` with its values, in the client's language (the NLG reads it)."""
        dispatcher.utter_message(response=name, **values)

    def zone(self, tracker: Tracker) -> ZoneInfo:
        """The time zone of the tracker's client."""
        return _zone(self._context, tracker)


class ActionAppointmentStart(_AppointmentAction):
    """ "mulla on lääkäri torstaina klo 14": the first words of a new appointment."""

    def name(self) -> str:
        return "action_appointment_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        zone = self.zone(tracker)
        now = self._context.clock.now()
        max_days = self._context.settings.appointment_max_days_ahead
        understood = start_adding(latest_text(tracker), now, zone, max_days)
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
        zone = self.zone(tracker)
        draft = Draft.from_json(tracker.get_slot("appointment_draft"))
        problem = Problem(tracker.get_slot("appointment_problem") or Problem.NO_DAY.value)
        self.say(dispatcher, question_for(problem), appointment=describe_draft(draft, zone))
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
        zone = _zone(self._context, tracker)
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
            self.say(dispatcher, "utter_appointment_dropped")
            return cleared
        draft = Draft.from_json(tracker.get_slot("appointment_draft"))
        rules = ReminderRules.from_settings(self._context.settings)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            save_draft(session, client, draft, self._context.clock.now(), rules)
            self.say(
                dispatcher,
                "utter_appointment_saved",
                appointment=describe_draft(draft, ZoneInfo(client.timezone)),
            )
        return cleared


def _cannot_attend_said(
    context: AppContext,
    dispatcher: CollectingDispatcher,
    session: Session,
    client: Client,
    meant: Appointment | None,
    *,
    moving: bool = False,
    sick: bool = False,
) -> list[dict[str, Any]]:
    """ "En pääse" about `meant` (or an unknown appointment): no blame, the coach told, the
    number given; then the form asks what is still open (a reason the words already gave, or a
    new time already asked for, is not asked again)."""
    now = context.clock.now()
    result = cannot_attend(session, client, meant, now, context.renderer)
    for name, values in result.said:
        dispatcher.utter_message(response=name, **values)
    return [
        SlotSet(
            "appointment_id",
            None if result.appointment_id is None else str(result.appointment_id),
        ),
        SlotSet("miss_reason", MissReason.SICK.value if sick else None),
        SlotSet("wants_new_time", "yes" if moving else None),
        FollowupAction(CANNOT_ATTEND_FORM),
    ]


def _answer_in_context(
    context: AppContext,
    dispatcher: CollectingDispatcher,
    session: Session,
    client: Client,
    found: InContext,
) -> list[dict[str, Any]]:
    """Do what the words meant for the appointment: be glad, take "en pääse", or keep the
    next day's answer."""
    now = context.clock.now()
    if found.meaning is Meaning.CANNOT:
        return _cannot_attend_said(
            context, dispatcher, session, client, found.appointment, sick=found.sick
        )
    if found.meaning is Meaning.COMING:
        said = will_come(session, client, found.appointment.id)
    else:
        kept = found.meaning is Meaning.KEPT
        said = mark_outcome(session, client, found.appointment.id, kept, now)
    dispatcher.utter_message(response=said)
    return []


async def answer_appointment_question(
    context: AppContext,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    meanings: Collection[Meaning] = tuple(Meaning),
) -> list[dict[str, Any]] | None:
    """The client's words read against their appointments (a typed answer to the scheduler's
    question, or "oon kipeä" with an appointment near), done and said; None when the words
    are not about an appointment, or mean none of `meanings`."""
    with transaction(context.sessions) as session:
        client = client_by_conversation(session, tracker.sender_id)
        now = context.clock.now()
        found = read_in_context(session, client, latest_text(tracker), _intent(tracker), now)
        if found is None or found.meaning not in meanings:
            return None
        return _answer_in_context(context, dispatcher, session, client, found)


class ActionCannotAttend(_AppointmentAction):
    """ "en pääse", a reminder's "En pääse" or "voiko aikaa siirtää": no blame, the coach told
    at once, the appointment's number given; then the form asks the reason (unless the words
    said the client is ill) and a new time. Typed words that answer the scheduler's question
    otherwise ("pääsin paikalle", "en päässyt" the next day) answer that question instead."""

    def name(self) -> str:
        return "action_cannot_attend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        button_id = next(tracker.get_latest_entity_values("appointment_id"), None)
        moving = _intent(tracker) == "reschedule_appointment"
        now = self._context.clock.now()
        words = latest_text(tracker)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            if not (button_id or moving):
                found = read_in_context(session, client, words, _intent(tracker), now)
                # "En pääse" itself is about the appointment its words name ("huomenna").
                if found is not None and found.meaning is not Meaning.CANNOT:
                    return _answer_in_context(self._context, dispatcher, session, client, found)
            meant = appointment_meant(session, client, button_id, words, now)
            sick = not button_id and says_unwell(words)
            return _cannot_attend_said(
                self._context, dispatcher, session, client, meant, moving=moving, sick=sick
            )


class ActionWordsInContext(ContextAction):
    """Words the model took for a mood, an outing or nothing it knows ("oon kipeä", "kävin",
    "pääsin") are first read against the client's appointments; otherwise they go where their
    intent leads (a report written down, or "not understood")."""

    def name(self) -> str:
        return "action_words_in_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = await answer_appointment_question(self._context, dispatcher, tracker)
        if answered is not None:
            return answered
        if _intent(tracker) == "nlu_fallback":
            return list(await ActionNotUnderstood(self._context).run(dispatcher, tracker, domain))
        return list(await ActionRecordReport(self._context).run(dispatcher, tracker, domain))


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
            self.say(dispatcher, said)
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
                only_next=asks_only_next(latest_text(tracker)),
            )
            self.say(dispatcher, name, **values)
        return []


class ActionAppointmentAnswer(_AppointmentAction):
    """A choice of the scheduler's questions, naming its appointment: the reminder's "Pääsen"
    (glad to hear it), or the next day's "Pääsin" / "En päässyt" (kept for the digest)."""

    def name(self) -> str:
        return "action_appointment_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        appointment_id = next(tracker.get_latest_entity_values("appointment_id"), None)
        intent = _intent(tracker)
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            if intent == "appointment_coming":
                said = will_come(session, client, appointment_id)
            else:
                kept = intent == "appointment_kept"
                said = mark_outcome(
                    session, client, appointment_id, kept, self._context.clock.now()
                )
        self.say(dispatcher, said)
        return []
