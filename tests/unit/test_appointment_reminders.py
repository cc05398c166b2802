"""Aino's reminders: the evening before at 18:00 and two hours before, never in her quiet hours,
right across the clock changes; a changed appointment moves them and a cancelled one has none.

The Helsinki clock changes named here: 2027-03-28 03:00 -> 04:00 and 2027-10-31 04:00 -> 03:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.gateway.rasa_client import RasaClient
from backend.models import (
    Appointment,
    AppointmentStatus,
    ChannelKind,
    Client,
    JobState,
    OutboxMessage,
    ScheduledJob,
)
from backend.scheduler.handlers import default_handlers, default_hooks
from backend.scheduler.worker import SchedulerWorker
from backend.services.appointment_reminders import (
    FOLLOW_UP,
    REMINDER,
    ReminderRules,
    reminder_times,
)
from backend.services.appointments import add_appointment, change_appointment, set_status
from backend.services.clients import client_for_address
from tests.conftest import changed
from tests.fakes.rasa_server import FakeRasa

HELSINKI = ZoneInfo("Europe/Helsinki")
RULES = ReminderRules()


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def _client(quiet: tuple[dt.time, dt.time] = (dt.time(21, 30), dt.time(7, 30))) -> Client:
    return Client(quiet_start=quiet[0], quiet_end=quiet[1], timezone="Europe/Helsinki")


def _shown(times: list[dt.datetime]) -> list[str]:
    return [t.astimezone(HELSINKI).strftime("%a %d.%m. %H:%M") for t in times]


MONDAY = _local(2026, 11, 23, 9, 0)


def test_by_default_the_evening_before_and_two_hours_before() -> None:
    times = reminder_times(_local(2026, 11, 26, 14, 0), _client(), MONDAY, RULES)
    assert _shown(times) == ["Wed 25.11. 18:00", "Thu 26.11. 12:00"]


def test_a_reminder_in_quiet_hours_comes_before_they_begin() -> None:
    only_hours = ReminderRules(evening=None)
    times = reminder_times(_local(2026, 11, 26, 8, 0), _client(), MONDAY, only_hours)
    assert _shown(times) == ["Wed 25.11. 21:00"]  # 06:00 is quiet until 07:30


def test_an_evening_reminder_in_early_quiet_hours_comes_earlier() -> None:
    early_sleeper = _client((dt.time(17, 0), dt.time(8, 0)))
    times = reminder_times(_local(2026, 11, 26, 14, 0), early_sleeper, MONDAY, RULES)
    assert _shown(times) == ["Wed 25.11. 16:30", "Thu 26.11. 12:00"]


def test_two_reminders_in_one_evening_are_one_too_many() -> None:
    times = reminder_times(_local(2026, 11, 26, 8, 0), _client(), MONDAY, RULES)
    assert _shown(times) == ["Wed 25.11. 18:00"]  # the moved 21:00 one is dropped


def test_a_reminder_already_past_is_not_planned() -> None:
    times = reminder_times(_local(2026, 11, 23, 10, 0), _client(), MONDAY, RULES)
    assert times == []


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        # Spring forward: Saturday evening is still EET (+2), Sunday 10:00 is EEST (+3).
        (_local(2027, 3, 28, 10, 0), ["Sat 27.03. 18:00", "Sun 28.03. 08:00"]),
        # Fall back: Saturday evening is EEST, Sunday 10:00 EET; two hours are two hours.
        (_local(2027, 10, 31, 10, 0), ["Sat 30.10. 18:00", "Sun 31.10. 08:00"]),
    ],
)
def test_reminders_keep_the_wall_clock_across_the_clock_changes(
    starts: dt.datetime, expected: list[str]
) -> None:
    times = reminder_times(starts, _client(), MONDAY, RULES)
    assert _shown(times) == expected
    assert starts - times[1] == dt.timedelta(hours=2)


def test_the_settings_configure_the_offsets(context: AppContext) -> None:
    settings = changed(
        context.settings, appointment_reminder_evening="", appointment_reminder_hours="24, 2"
    )
    rules = ReminderRules.from_settings(settings)
    times = reminder_times(_local(2026, 11, 26, 14, 0), _client(), MONDAY, rules)
    assert _shown(times) == ["Wed 25.11. 14:00", "Thu 26.11. 12:00"]


@pytest.fixture
async def rasa_client(rasa: FakeRasa) -> AsyncIterator[RasaClient]:
    client = RasaClient(rasa.url, "test-rasa-token", 5.0)
    yield client
    await client.aclose()


@pytest.fixture
def worker(context: AppContext, rasa_client: RasaClient) -> SchedulerWorker:
    """The scheduler with its real handlers and hooks."""
    return SchedulerWorker(context, default_handlers(rasa_client, context), default_hooks(context))


def _aino_with_doctor(context: AppContext, *, follow_up: bool = False) -> int:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.SMS, "+358401234567", now)
        appointment = add_appointment(
            session,
            client,
            "lääkäri",
            _local(2026, 11, 26, 14, 0),
            now,
            RULES,
            location="Kalevantiellä",
            follow_up=follow_up,
        )
        return appointment.id


def _outbox(context: AppContext) -> list[OutboxMessage]:
    with transaction(context.sessions) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all())


async def test_the_reminder_says_what_when_where_and_asks(
    context: AppContext, clock: FakeClock, worker: SchedulerWorker, rasa: FakeRasa
) -> None:
    appointment_id = _aino_with_doctor(context)
    clock.set(_local(2026, 11, 25, 17, 59))
    assert await worker.run_once() == 0
    clock.set(_local(2026, 11, 25, 18, 0))
    assert await worker.run_once() == 1
    [reminder] = _outbox(context)
    assert reminder.text == (
        "Muistutus: to 26.11. klo 14.00, lääkäri, Kalevantiellä. Pääsetkö paikalle?"
    )
    assert [(b["title"], b["payload"]) for b in reminder.buttons or []] == [
        ("Pääsen", f'/appointment_coming{{"appointment_id": "{appointment_id}"}}'),
        ("En pääse", f'/cannot_attend{{"appointment_id": "{appointment_id}"}}'),
    ]
    assert rasa.received == []


async def test_a_cancelled_appointment_is_never_reminded_of(
    context: AppContext, clock: FakeClock, worker: SchedulerWorker
) -> None:
    appointment_id = _aino_with_doctor(context)
    with transaction(context.sessions) as session:
        set_status(
            session,
            session.get_one(Appointment, appointment_id),
            AppointmentStatus.CANCELLED,
            clock.now(),
        )
    for moment in (_local(2026, 11, 25, 18, 0), _local(2026, 11, 26, 12, 0)):
        clock.set(moment)
        await worker.run_once()
    assert _outbox(context) == []


async def test_a_reminder_claimed_after_the_appointment_was_dropped_is_skipped(
    context: AppContext, clock: FakeClock, worker: SchedulerWorker
) -> None:
    appointment_id = _aino_with_doctor(context)
    with transaction(context.sessions) as session:
        # Only the status changes (as a coach's tool might do): the skip check still holds.
        session.get_one(Appointment, appointment_id).status = AppointmentStatus.RESCHEDULE
    clock.set(_local(2026, 11, 25, 18, 0))
    await worker.run_once()
    assert _outbox(context) == []
    with transaction(context.sessions) as session:
        job = session.scalars(select(ScheduledJob).order_by(ScheduledJob.due_at)).first()
        assert job is not None
        assert (job.state, job.last_error) == (JobState.SKIPPED, "appointment reschedule")


async def test_a_changed_time_moves_the_reminders(
    context: AppContext, clock: FakeClock, worker: SchedulerWorker
) -> None:
    appointment_id = _aino_with_doctor(context)
    with transaction(context.sessions) as session:
        appointment = session.get_one(Appointment, appointment_id)
        change_appointment(session, appointment, _local(2026, 11, 27, 10, 0), clock.now(), RULES)
    with transaction(context.sessions) as session:
        due = session.scalars(
            select(ScheduledJob)
            .where(ScheduledJob.state == JobState.DUE)
            .order_by(ScheduledJob.due_at)
        ).all()
        assert _shown([job.due_at for job in due]) == ["Thu 26.11. 18:00", "Fri 27.11. 08:00"]
    clock.set(_local(2026, 11, 26, 12, 0))
    await worker.run_once()
    assert _outbox(context) == []  # the old two-hours-before reminder is gone


async def test_the_next_day_asks_whether_the_client_got_there(
    context: AppContext, clock: FakeClock, worker: SchedulerWorker
) -> None:
    appointment_id = _aino_with_doctor(context, follow_up=True)
    with transaction(context.sessions) as session:
        kinds = [
            j.kind for j in session.scalars(select(ScheduledJob).order_by(ScheduledJob.due_at))
        ]
        assert kinds == [REMINDER, REMINDER, FOLLOW_UP]
    clock.set(_local(2026, 11, 27, 10, 0))
    await worker.run_once()
    question = _outbox(context)[-1]
    assert question.text == (
        "Hei! Sinulla oli to 26.11. klo 14.00, lääkäri, Kalevantiellä. Pääsitkö paikalle?"
    )
    assert [b["payload"] for b in question.buttons or []] == [
        f'/appointment_kept{{"appointment_id": "{appointment_id}"}}',
        f'/appointment_missed{{"appointment_id": "{appointment_id}"}}',
    ]
