"""Typed answers read against Aino's appointments: the scheduler's questions ("Pääsetkö
paikalle?", "Pääsitkö paikalle?") are sent without a dialogue turn, so "joo", "ei", "pääsin"
and "oon kipeä" are read in context; anything else means what its intent says.

It is Monday 23 November 2026, 09:00 in Helsinki, unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.appointments import ActionCannotAttend
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import Appointment, ChannelKind, Client, JobState, ScheduledJob
from backend.services.appointment_reminders import FOLLOW_UP, REMINDER, ReminderRules
from backend.services.appointments import (
    InContext,
    Meaning,
    MissReason,
    add_appointment,
    attended_in_words,
    mark_outcome,
    miss_reason_of,
    read_in_context,
    says_unwell,
    will_come,
)
from backend.services.clients import client_for_address
from tests.unit.trackers import tracker_for

HELSINKI = ZoneInfo("Europe/Helsinki")


def _local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=HELSINKI)


def _aino(context: AppContext) -> int:
    with transaction(context.sessions) as session:
        return client_for_address(session, ChannelKind.SMS, "+358401234567", _local(23, 9)).id


def _add(context: AppContext, client_id: int, title: str, starts_at: dt.datetime) -> int:
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        return add_appointment(
            session, client, title, starts_at, context.clock.now(), ReminderRules(),
            follow_up=title == "Kela",
        ).id  # fmt: skip


def _sent(context: AppContext, appointment_id: int, kind: str) -> None:
    """The scheduler sends the appointment's first job of `kind` now."""
    now = context.clock.now()
    with transaction(context.sessions) as session:
        job = session.scalars(
            select(ScheduledJob)
            .where(ScheduledJob.appointment_id == appointment_id, ScheduledJob.kind == kind)
            .order_by(ScheduledJob.due_at)
        ).first()
        assert job is not None
        job.state, job.finished_at = JobState.DONE, now


def _read(context: AppContext, client_id: int, text: str, intent: str | None) -> InContext | None:
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        return read_in_context(session, client, text, intent, context.clock.now())


def _meaning(found: InContext | None) -> tuple[Meaning, int, bool] | None:
    return None if found is None else (found.meaning, found.appointment.id, found.sick)


def _what(context: AppContext, client_id: int, text: str, intent: str) -> Meaning | None:
    found = _read(context, client_id, text, intent)
    return None if found is None else found.meaning


@pytest.mark.parametrize(
    ("words", "attended"),
    [
        ("pääsin", True),
        ("Pääsin paikalle!", True),
        ("joo pääsin", True),
        ("kävin siellä", True),
        ("paasin", True),
        ("en päässyt", False),
        ("en paassy", False),
        ("En käynyt sielä.", None),  # a typo the short answers do not guess at
        ("en käynyt siellä", False),
        ("jäi väliin", False),
        ("kävin kävelyllä", None),  # a report of going out, not an answer
        ("en pääse", None),  # "I cannot come": about a coming appointment
    ],
)
def test_the_next_days_answer_in_words(words: str, attended: bool | None) -> None:
    assert attended_in_words(words) is attended


@pytest.mark.parametrize(
    ("words", "unwell"),
    [
        ("oon kipeä", True),
        ("oon kipee", True),
        ("olen sairaana", True),
        ("flunssa iski", True),
        ("olo on huono", False),  # a mood, not an illness: never cancels an appointment
        ("väsyttää", False),
    ],
)
def test_being_ill_in_words(words: str, unwell: bool) -> None:
    assert says_unwell(words) is unwell


@pytest.mark.parametrize(
    "words", ["sairaus", "sairaana", "olen sairas", "kipee", "sain kuumetta 4 päivää sitten"]
)
def test_an_illness_typed_as_the_reason_is_sick(words: str) -> None:
    assert miss_reason_of(words) is MissReason.SICK


def test_a_digit_inside_a_reason_is_not_the_choice_to_skip() -> None:
    """Only a whole "4" skips; "klo 14" in the words is part of the reason."""
    assert miss_reason_of("oli toinen meno klo 14") is MissReason.OTHER_BUSINESS
    assert miss_reason_of("4") is None


def test_oon_kipea_is_en_paase_only_with_an_appointment_today_or_tomorrow(
    context: AppContext,
) -> None:
    client_id = _aino(context)
    _add(context, client_id, "lääkäri", _local(26, 14))  # Thursday: not near
    assert _read(context, client_id, "oon kipeä", "report_mood") is None
    tomorrow = _add(context, client_id, "hammaslääkäri", _local(24, 10))
    assert _meaning(_read(context, client_id, "oon kipeä", "report_mood")) == (
        Meaning.CANNOT,
        tomorrow,
        True,
    )
    assert _read(context, client_id, "olo on huono", "report_mood") is None


def test_right_after_a_reminder_a_yes_a_no_and_oon_kipea_answer_it(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context)
    appointment_id = _add(context, client_id, "lääkäri", _local(26, 14))
    # No question asked: a yes or a no is not about the appointment.
    assert _read(context, client_id, "joo", "affirm") is None
    clock.set(_local(25, 18))
    _sent(context, appointment_id, REMINDER)
    assert _meaning(_read(context, client_id, "joo", "affirm")) == (
        Meaning.COMING,
        appointment_id,
        False,
    )
    assert _what(context, client_id, "pääsen", "nlu_fallback") is Meaning.COMING
    assert _what(context, client_id, "ei", "deny") is Meaning.CANNOT
    assert _meaning(_read(context, client_id, "oon kipee", "report_mood")) == (
        Meaning.CANNOT,
        appointment_id,
        True,
    )
    # Answered "Pääsen": a later no is no longer read as "en pääse".
    with transaction(context.sessions) as session:
        will_come(session, session.get_one(Client, client_id), str(appointment_id))
    assert _read(context, client_id, "ei", "deny") is None


def _asked_next_day(context: AppContext, clock: FakeClock) -> tuple[int, int]:
    """Aino's Kela appointment on Tuesday, and Wednesday's "Pääsitkö paikalle?" just sent."""
    client_id = _aino(context)
    appointment_id = _add(context, client_id, "Kela", _local(24, 13))
    clock.set(_local(25, 10))
    _sent(context, appointment_id, FOLLOW_UP)
    return client_id, appointment_id


def test_the_next_days_question_is_answered_in_words_for_ten_hours(
    context: AppContext, clock: FakeClock
) -> None:
    client_id, appointment_id = _asked_next_day(context, clock)
    assert _meaning(_read(context, client_id, "pääsin paikalle", "cannot_attend")) == (
        Meaning.KEPT,
        appointment_id,
        False,
    )
    assert _what(context, client_id, "en päässyt", "nlu_fallback") is Meaning.MISSED
    assert _what(context, client_id, "ei", "deny") is Meaning.MISSED
    assert _read(context, client_id, "kävin kävelyllä", "report_activity") is None
    clock.set(_local(25, 20, 1))
    assert _read(context, client_id, "pääsin", "nlu_fallback") is None


def test_an_answered_next_day_question_is_not_answered_again(
    context: AppContext, clock: FakeClock
) -> None:
    client_id, appointment_id = _asked_next_day(context, clock)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        mark_outcome(session, client, str(appointment_id), True, clock.now())
    assert _read(context, client_id, "ei", "deny") is None
    with transaction(context.sessions) as session:
        assert session.get_one(Appointment, appointment_id).status.value == "kept"


async def test_en_paase_with_an_illness_names_its_day_and_is_not_asked_the_reason(
    context: AppContext,
) -> None:
    client_id = _aino(context)
    _add(context, client_id, "lääkäri", _local(23, 15))  # today
    tomorrow = _add(context, client_id, "hammaslääkäri", _local(24, 10))
    with transaction(context.sessions) as session:
        conversation = session.get_one(Client, client_id).conversation_id
    tracker = tracker_for(conversation, "oon kipee, en pääse huomenna", "cannot_attend")
    events = await ActionCannotAttend(context).run(CollectingDispatcher(), tracker, {})
    slots = {e["name"]: e.get("value") for e in events if e["event"] == "slot"}
    assert slots == {"appointment_id": str(tomorrow), "miss_reason": "sick", "wants_new_time": None}
    assert events[-1]["name"] == "cannot_attend_form"  # which asks only for a new time
