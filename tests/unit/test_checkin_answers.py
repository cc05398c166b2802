"""What a client's check-in answers and reports become, and what they hear back."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import (
    CheckinEntry,
    CheckinKind,
    CheckinSchedule,
    Client,
    ClientStatus,
    Consent,
    JobState,
    ScheduledJob,
)
from backend.services.checkin_answers import (
    Said,
    change_schedule,
    pause_messages,
    record_report,
    save_evening_checkin,
    save_morning_checkin,
)
from backend.services.checkins import next_checkin
from backend.services.onboarding import set_checkin_time

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def client_id(context: AppContext) -> int:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = Client(
            display_name="Aino",
            consent=Consent.GIVEN,
            consent_at=now,
            status=ClientStatus.ACTIVE,
            created_at=now,
        )
        session.add(client)
        session.flush()
        set_checkin_time(session, client, CheckinKind.MORNING, dt.time(8, 0), now)
        set_checkin_time(session, client, CheckinKind.EVENING, dt.time(21, 0), now)
        return client.id


def _with_client(context: AppContext, client_id: int, act):  # type: ignore[no-untyped-def]
    with transaction(context.sessions) as session:
        return act(session, session.get_one(Client, client_id))


def _entries(context: AppContext, client_id: int) -> list[CheckinEntry]:
    with transaction(context.sessions) as session:
        return list(
            session.scalars(
                select(CheckinEntry)
                .where(CheckinEntry.client_id == client_id)
                .order_by(CheckinEntry.id)
            ).all()
        )


def test_a_wake_up_told_at_eleven_is_written_down_at_nine(
    context: AppContext, clock: FakeClock, client_id: int
) -> None:
    clock.set(dt.datetime(2026, 11, 23, 11, 0, tzinfo=HELSINKI))
    said = _with_client(
        context,
        client_id,
        lambda s, c: record_report(s, c, "report_wake_up", "heräsin yhdeksältä", clock.now()),
    )
    assert said[0] == Said("utter_noted_wake_up", {"time": "klo 9.00"})
    [entry] = _entries(context, client_id)
    assert entry.kind == "wake_up" and entry.happened_at is not None
    assert entry.happened_at.astimezone(HELSINKI) == dt.datetime(
        2026, 11, 23, 9, 0, tzinfo=HELSINKI
    )


def test_a_low_mood_is_heard_and_the_way_to_the_coach_is_shown(
    context: AppContext, client_id: int
) -> None:
    said = _with_client(
        context,
        client_id,
        lambda s, c: record_report(s, c, "report_mood", "olo on tosi huono", context.clock.now()),
    )
    assert said == [Said("utter_noted_mood_low")]
    assert _entries(context, client_id)[0].mood == 1


def test_a_meal_is_written_down_with_its_name(context: AppContext, client_id: int) -> None:
    _with_client(
        context,
        client_id,
        lambda s, c: record_report(s, c, "report_meal", "söin lounaan", context.clock.now()),
    )
    assert _entries(context, client_id)[0].detail == "lounas"


def test_check_in_answers_are_kept_as_data_and_own_words(
    context: AppContext, client_id: int
) -> None:
    now = context.clock.now()
    morning = _with_client(
        context, client_id, lambda s, c: save_morning_checkin(s, c, "huonosti", "kauppaan", now)
    )
    assert morning[0] == Said("utter_checkin_morning_done")
    answers = {"mood": "2", "meals": "vähän", "out": "kävin", "good": "soitin äidille"}
    evening = _with_client(
        context, client_id, lambda s, c: save_evening_checkin(s, c, answers, now)
    )
    assert evening == [Said("utter_checkin_evening_done_low")]
    kept = {(e.kind, e.detail, e.mood, e.words) for e in _entries(context, client_id)}
    assert ("sleep", "bad", None, "huonosti") in kept
    assert ("mood", None, 2, "2") in kept
    assert ("meal", "little", None, "vähän") in kept
    assert ("activity", "yes", None, "kävin") in kept
    assert ("went_well", None, None, "soitin äidille") in kept


def test_the_client_changes_a_time_in_words_and_the_check_ins_follow(
    context: AppContext, client_id: int
) -> None:
    now = context.clock.now()
    said = _with_client(
        context, client_id, lambda s, c: change_schedule(s, c, "aamuviesti vasta yhdeksältä", now)
    )
    assert said == Said("utter_schedule_changed_morning", {"time": "klo 9.00"})
    unclear = _with_client(context, client_id, lambda s, c: change_schedule(s, c, "myöhemmin", now))
    assert unclear == Said("utter_ask_which_checkin")
    weekdays = _with_client(
        context, client_id, lambda s, c: change_schedule(s, c, "vain arkisin", now)
    )
    assert weekdays == Said("utter_schedule_weekdays")
    with transaction(context.sessions) as session:
        schedules = session.scalars(select(CheckinSchedule)).all()
        due = session.scalars(
            select(ScheduledJob).where(
                ScheduledJob.kind == "checkin", ScheduledJob.state == JobState.DUE
            )
        ).all()
    assert {(s.kind, s.local_time, s.weekdays) for s in schedules} == {
        (CheckinKind.MORNING, dt.time(9, 0), "12345"),
        (CheckinKind.EVENING, dt.time(21, 0), "12345"),
    }
    assert sorted(job.due_at.astimezone(HELSINKI).hour for job in due) == [9, 21]


def test_a_pause_next_week_leaves_this_week_alone(
    context: AppContext, clock: FakeClock, client_id: int
) -> None:
    now = clock.now()  # Monday 23 November, 09:00
    said = _with_client(
        context, client_id, lambda s, c: pause_messages(s, c, "ei viestejä ensi viikolla", now)
    )
    assert said == Said("utter_paused", {"first": "ma 30.11.", "last": "su 6.12."})
    with transaction(context.sessions) as session:
        due = session.scalars(
            select(ScheduledJob.due_at).where(ScheduledJob.state == JobState.DUE)
        ).all()
    # This evening's check-in still comes; the pause starts next Monday.
    assert min(due).astimezone(HELSINKI) == dt.datetime(2026, 11, 23, 21, 0, tzinfo=HELSINKI)
    unclear = _with_client(context, client_id, lambda s, c: pause_messages(s, c, "tauko", now))
    assert unclear == Said("utter_ask_pause_period")
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        morning = session.scalars(
            select(CheckinSchedule).where(CheckinSchedule.kind == CheckinKind.MORNING)
        ).one()
        after_sunday = dt.datetime(2026, 11, 29, 21, 30, tzinfo=HELSINKI)
        nxt = next_checkin(morning, client, after_sunday.astimezone(dt.timezone.utc))
    assert nxt is not None
    assert nxt.astimezone(HELSINKI) == dt.datetime(2026, 12, 7, 8, 0, tzinfo=HELSINKI)
