"""Aino's appointments in her own words: read back, asked for what is missing, kept, listed, and
"en pääse" answered without blame with her coach Sanna told at once.

It is Monday 23 November 2026, 09:00 in Helsinki, unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.appointments import ActionCannotAttend
from backend.channels.sms_text import GSM7_BASIC, GSM7_EXTENDED, segments, septets, sms_body
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import (
    Alert,
    AlertKind,
    Appointment,
    AppointmentStatus,
    ChannelKind,
    Client,
    Coach,
    JobState,
    OutboxMessage,
    ScheduledJob,
)
from backend.services.appointment_reminders import ReminderRules
from backend.services.appointments import (
    Draft,
    MissReason,
    Problem,
    add_appointment,
    after_cannot_attend,
    appointment_meant,
    asks_only_next,
    cannot_attend,
    describe_draft,
    listing,
    mark_outcome,
    miss_reason_of,
    next_step,
    save_draft,
    start_adding,
)
from backend.services.clients import client_for_address
from backend.settings import Settings
from backend.texts.responses import CHOICES
from tests.unit.catalog_values import LONG_VALUES
from tests.unit.trackers import tracker_for

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=HELSINKI)
RULES = ReminderRules()
MAX_DAYS = Settings.model_fields["appointment_max_days_ahead"].default


def _start(text: str) -> tuple[Draft, Problem]:
    understood = start_adding(text, NOW, HELSINKI, MAX_DAYS)
    return understood.draft, understood.problem


@pytest.mark.parametrize(
    ("words", "read_back"),
    [
        ("mulla on lääkäri torstaina klo 14", "to 26.11. klo 14.00, lääkäri"),
        (
            "hammaslääkäri 2.12. kymmeneltä Kalevantiellä",
            "ke 2.12. klo 10.00, hammaslääkäri, Kalevantiellä",
        ),
        ("sossu ens tiistaina yhdeltätoista", "ti 24.11. klo 11.00, sosiaalityöntekijä"),
        ("huomenna klo 9.30 tyokkarissa", "ti 24.11. klo 9.30, TE-toimisto"),
        ("perjantaina klo 12 kuntouttavan aloitus", "pe 27.11. klo 12.00, työtoiminta"),
        ("torstaina klo 14 jotain", "to 26.11. klo 14.00, tapaaminen"),
    ],
)
def test_an_appointment_in_words_is_read_back_unambiguously(words: str, read_back: str) -> None:
    draft, problem = _start(words)
    assert problem is Problem.CONFIRM
    assert describe_draft(draft, HELSINKI) == read_back


def test_a_missing_time_is_asked_for_and_the_answer_completes_it() -> None:
    draft, problem = _start("sossu perjantaina")
    assert problem is Problem.NO_TIME
    assert describe_draft(draft, HELSINKI) == "pe 27.11., sosiaalityöntekijä"
    step = next_step(draft, problem, "klo 13", None, NOW, HELSINKI, MAX_DAYS)
    assert step.understood.problem is Problem.CONFIRM
    assert (
        describe_draft(step.understood.draft, HELSINKI) == "pe 27.11. klo 13.00, sosiaalityöntekijä"
    )


def test_a_time_without_a_day_asks_which_day() -> None:
    draft, problem = _start("lääkäri klo 14")
    assert problem is Problem.NO_DAY
    step = next_step(draft, problem, "keskiviikkona", None, NOW, HELSINKI, MAX_DAYS)
    assert describe_draft(step.understood.draft, HELSINKI) == "ke 25.11. klo 14.00, lääkäri"


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("lääkäri joskus ensi viikolla", Problem.VAGUE),
        ("lääkäri huomenna klo 25", Problem.INVALID),
        ("hammaslääkäri 31.2. klo 10", Problem.INVALID),
        ("lääkäri 1.1.1990 klo 10", Problem.PAST),
        ("lääkäri tänään klo 8", Problem.PAST),
        ("lääkäri 1.1.2029 klo 10", Problem.FAR),
        ("lääkäri torstaina klo 14 " + "ja sitten " * 500, Problem.TOO_LONG),
    ],
)
def test_bad_words_get_a_question_and_nothing_is_kept(words: str, problem: Problem) -> None:
    _draft, found = _start(words)
    assert found is problem


def test_a_yes_at_the_read_back_saves_and_a_no_asks_again() -> None:
    draft, problem = _start("lääkäri torstaina klo 14")
    assert next_step(draft, problem, "joo", "affirm", NOW, HELSINKI, MAX_DAYS).done
    no = next_step(draft, problem, "ei", "deny", NOW, HELSINKI, MAX_DAYS)
    assert not no.done and no.understood.problem is Problem.NO_DAY
    assert no.understood.draft.title == "lääkäri"


def test_a_correction_at_the_read_back_is_read_back_again() -> None:
    draft, problem = _start("lääkäri torstaina klo 14")
    step = next_step(draft, problem, "ei vaan klo 15", "deny", NOW, HELSINKI, MAX_DAYS)
    assert not step.done and step.understood.problem is Problem.CONFIRM
    assert describe_draft(step.understood.draft, HELSINKI) == "to 26.11. klo 15.00, lääkäri"


def test_the_client_may_let_it_be_and_three_misses_let_it_be_too() -> None:
    draft, problem = _start("lääkäri")
    assert next_step(draft, problem, "antaa olla", None, NOW, HELSINKI, MAX_DAYS).dropped
    for answer in ("en tiedä", "joskus", "hmm"):
        step = next_step(draft, problem, answer, None, NOW, HELSINKI, MAX_DAYS)
        draft, problem = step.understood.draft, step.understood.problem
    assert step.dropped


def _aino(context: AppContext, *, coach: bool = True) -> int:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.SMS, "+358401234567", now)
        client.display_name = "Aino Virtanen"
        if coach:
            client.coach = Coach(
                name="Sanna",
                telegram_chat_id="777",
                alert_channel=ChannelKind.TELEGRAM,
                created_at=now,
            )
        return client.id


def _add(
    context: AppContext, client_id: int, title: str, local: dt.datetime, **extra: object
) -> int:
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        appointment = add_appointment(
            session,
            client,
            title,
            local,
            context.clock.now(),
            RULES,
            **extra,  # type: ignore[arg-type]
        )
        return appointment.id


def test_a_confirmed_draft_is_kept_with_its_reminders(context: AppContext) -> None:
    client_id = _aino(context)
    draft, _ = _start("hammaslääkäri 2.12. kymmeneltä Kalevantiellä, numero 03 565 7000")
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        appointment = save_draft(session, client, draft, context.clock.now(), RULES)
        jobs = session.scalars(select(ScheduledJob).order_by(ScheduledJob.due_at)).all()
        assert appointment.title == "hammaslääkäri"
        assert appointment.location == "Kalevantiellä"
        assert appointment.contact_phone == "03 565 7000"
        assert appointment.starts_at == dt.datetime(2026, 12, 2, 10, 0, tzinfo=HELSINKI)
        assert [job.due_at.astimezone(HELSINKI).strftime("%d.%m. %H:%M") for job in jobs] == [
            "01.12. 18:00",
            "02.12. 08:00",
        ]


def test_the_list_shows_what_is_coming_and_the_next_one(context: AppContext) -> None:
    client_id = _aino(context)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert listing(session, client, NOW, only_next=False) == ("utter_appointments_none", {})
    _add(context, client_id, "lääkäri", dt.datetime(2026, 11, 26, 14, 0, tzinfo=HELSINKI))
    _add(
        context, client_id, "sosiaalityöntekijä", dt.datetime(2026, 11, 24, 11, 0, tzinfo=HELSINKI)
    )
    _add(context, client_id, "vanha", dt.datetime(2026, 11, 20, 11, 0, tzinfo=HELSINKI))
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert listing(session, client, NOW, only_next=False) == (
            "utter_appointments_list",
            {"lines": "ti 24.11. klo 11.00, sosiaalityöntekijä\nto 26.11. klo 14.00, lääkäri"},
        )
        assert listing(session, client, NOW, only_next=True) == (
            "utter_appointment_next",
            {"appointment": "ti 24.11. klo 11.00, sosiaalityöntekijä"},
        )
    assert asks_only_next("milloin on seuraava?") and not asks_only_next(
        "mitä tapaamisia mulla on?"
    )


def test_cannot_attend_tells_the_coach_at_once_and_gives_the_number(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context)
    appointment_id = _add(
        context,
        client_id,
        "lääkäri",
        dt.datetime(2026, 11, 24, 14, 0, tzinfo=HELSINKI),
        contact_phone="09 310 5015",
    )
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        meant = appointment_meant(session, client, None, "en pääse huomenna", clock.now())
        assert meant is not None and meant.id == appointment_id
        result = cannot_attend(session, client, meant, clock.now(), context.renderer)
    assert [name for name, _ in result.said] == [
        "utter_cannot_attend",
        "utter_cannot_attend_coach_told",
        "utter_cannot_attend_phone",
    ]
    assert result.said[2][1] == {"phone": "09 310 5015"}
    with transaction(context.sessions) as session:
        [alert] = session.scalars(select(Alert)).all()
        [message] = session.scalars(select(OutboxMessage)).all()
        appointment = session.get_one(Appointment, appointment_id)
        reminders = session.scalars(select(ScheduledJob)).all()
        assert alert.kind is AlertKind.CANNOT_ATTEND
        assert message.text == "Askel: Aino Virtanen ei pääse tapaamiseen."
        assert appointment.status is AppointmentStatus.CANCELLED
        assert {job.state for job in reminders} == {JobState.CANCELLED}


def test_cannot_attend_without_a_known_appointment_still_tells_the_coach_once_a_day(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context)
    for _ in range(2):
        with transaction(context.sessions) as session:
            client = session.get_one(Client, client_id)
            result = cannot_attend(session, client, None, clock.now(), context.renderer)
    assert result.said[0][0] == "utter_cannot_attend_unknown"
    with transaction(context.sessions) as session:
        assert len(session.scalars(select(Alert)).all()) == 1


def test_a_client_without_a_coach_is_not_told_the_coach_knows(context: AppContext) -> None:
    client_id = _aino(context, coach=False)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        result = cannot_attend(session, client, None, context.clock.now(), context.renderer)
    assert [name for name, _ in result.said] == ["utter_cannot_attend_unknown"]


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        ("1", MissReason.SICK),
        ("oon kipee", MissReason.SICK),
        ("flunssa", MissReason.SICK),
        ("2", MissReason.OTHER_BUSINESS),
        ("muu meno", MissReason.OTHER_BUSINESS),
        ("other_business", MissReason.OTHER_BUSINESS),
        ("3", MissReason.OTHER),
        ("en jaksa", MissReason.OTHER),
        ("ohita", None),
        ("skip", None),
        ("en halua kertoa", None),
    ],
)
def test_the_reason_is_one_word_or_a_digit_and_may_be_skipped(
    words: str, reason: MissReason | None
) -> None:
    assert miss_reason_of(words) is reason


def test_a_wish_for_a_new_time_marks_the_appointment_to_be_moved(context: AppContext) -> None:
    client_id = _aino(context)
    appointment_id = _add(
        context, client_id, "lääkäri", dt.datetime(2026, 11, 24, 14, 0, tzinfo=HELSINKI)
    )
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        said = after_cannot_attend(session, client, str(appointment_id), MissReason.SICK, True)
        appointment = session.get_one(Appointment, appointment_id)
        assert said == "utter_new_time_coming"
        assert (appointment.status, appointment.miss_reason) == (
            AppointmentStatus.RESCHEDULE,
            "sick",
        )


def test_someone_elses_appointment_id_is_never_touched(context: AppContext) -> None:
    client_id = _aino(context)
    appointment_id = _add(
        context, client_id, "lääkäri", dt.datetime(2026, 11, 24, 14, 0, tzinfo=HELSINKI)
    )
    now = context.clock.now()
    with transaction(context.sessions) as session:
        other = client_for_address(session, ChannelKind.SMS, "+358409999999", now)
        assert (
            mark_outcome(session, other, str(appointment_id), False, now)
            == "utter_appointment_missed"
        )
        assert session.get_one(Appointment, appointment_id).status is AppointmentStatus.PLANNED


def test_the_next_days_answer_is_kept_for_the_digest(context: AppContext) -> None:
    client_id = _aino(context)
    appointment_id = _add(
        context, client_id, "lääkäri", dt.datetime(2026, 11, 24, 14, 0, tzinfo=HELSINKI)
    )
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        said = mark_outcome(session, client, str(appointment_id), True, context.clock.now())
        assert said == "utter_appointment_kept"
        assert session.get_one(Appointment, appointment_id).status is AppointmentStatus.KEPT


@pytest.mark.parametrize("name", sorted(CHOICES))
def test_every_question_with_choices_fits_two_sms_with_its_numbers(
    context: AppContext, name: str
) -> None:
    reply = context.renderer.render(name, None, **LONG_VALUES)
    body = sms_body(reply)
    assert set(body) <= GSM7_BASIC | GSM7_EXTENDED
    assert segments(body) <= 2, f"{name}: {septets(body)} septets"
    # Telegram takes at most 64 bytes of callback data.
    assert all(len(b.payload.encode()) <= 64 for b in reply.buttons)


async def test_voiko_aikaa_siirtaa_goes_the_cannot_attend_way_with_a_new_time_wanted(
    context: AppContext,
) -> None:
    client_id = _aino(context)
    appointment_id = _add(
        context, client_id, "lääkäri", dt.datetime(2026, 11, 24, 14, 0, tzinfo=HELSINKI)
    )
    with transaction(context.sessions) as session:
        conversation = session.get_one(Client, client_id).conversation_id
    tracker = tracker_for(conversation, "voiko aikaa siirtää", "reschedule_appointment")
    dispatcher = CollectingDispatcher()
    events = await ActionCannotAttend(context).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_cannot_attend",
        "utter_cannot_attend_coach_told",
    ]
    assert {e["name"]: e.get("value") for e in events if e["event"] == "slot"} == {
        "appointment_id": str(appointment_id),
        "miss_reason": None,
        "wants_new_time": "yes",  # the form then asks only the reason
    }
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "cannot_attend_form"}


@pytest.mark.parametrize(
    ("words", "asked"),
    [
        ("työkkäri pe klo 9", True),
        ("kuntouttavan aloitus pe klo 9", True),
        ("lääkäri pe klo 9", False),
    ],
)
def test_the_next_day_asks_after_the_kinds_the_coach_needs_to_hear_of(
    context: AppContext, words: str, asked: bool
) -> None:
    client_id = _aino(context)
    draft, _ = _start(words)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert save_draft(session, client, draft, context.clock.now(), RULES).follow_up is asked
