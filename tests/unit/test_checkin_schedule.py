"""Aino's check-ins, as her coach would tell it: every day at her own local times, through the
daylight-saving changes, around weekends, holidays, pauses and quiet hours, with one gentle nudge
at most, a word to the coach when she has been silent for days, and a scheduler that can be
stopped and restarted without losing or doubling anything.

The real SchedulerWorker runs on a fake clock moved a quarter of an hour at a time; the dialogue
is a fake that records what was started and can answer the way Aino would.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import (
    Alert,
    AlertKind,
    ChannelKind,
    CheckinKind,
    CheckinSchedule,
    Client,
    ClientStatus,
    Coach,
    Consent,
    JobState,
    OutboxMessage,
    ScheduledJob,
)
from backend.scheduler.handlers import JobView, default_hooks, dialogue_kinds
from backend.scheduler.worker import MAX_ATTEMPTS, SchedulerWorker
from backend.services.checkins import (
    CHECKIN,
    CHECKIN_NUDGE,
    EVERY_DAY,
    CheckinRules,
    next_checkin,
    next_occurrence,
    replan_checkins,
    schedule_next_checkin,
    silent_days,
)
from backend.services.clients import client_for_address
from backend.services.holidays import is_holiday
from backend.services.inbound import record_inbound
from backend.services.onboarding import finish_onboarding, give_consent, set_checkin_time
from backend.settings import Settings
from backend.texts.responses import Reply

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.timezone.utc
STEP = dt.timedelta(minutes=15)
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
MINUTE = dt.timedelta(minutes=1)


def helsinki(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A Helsinki wall-clock time as aware UTC."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


class Aino:
    """Aino's side of the chat: records each dialogue the scheduler starts, and answers at once
    while `answers` is set."""

    def __init__(self, context: AppContext, clock: FakeClock) -> None:
        self.context = context
        self.clock = clock
        self.client_id = 0
        self.answers = False
        self.broken = False
        self.heard: list[tuple[str, dt.datetime]] = []

    async def __call__(self, job: JobView) -> list[Reply]:
        if self.broken:
            raise RuntimeError("the dialogue failed")
        now = self.clock.now()
        self.heard.append((str(job.payload["intent"]), now.astimezone(HELSINKI)))
        if self.answers:
            self.says("ihan hyvin")
        return [Reply("Huomenta, Aino!")]

    def says(self, text: str) -> None:
        with transaction(self.context.sessions) as session:
            record_inbound(session, ChannelKind.LOCAL, None, self.client_id, text, self.clock.now())

    def heard_at(self, intent: str) -> list[tuple[int, int, int, int]]:
        """(month, day, hour, minute) in Helsinki of every `intent` Aino heard."""
        return [
            (when.month, when.day, when.hour, when.minute)
            for said, when in self.heard
            if said == intent
        ]


class Story:
    """Aino, her check-in times, her coach, and a scheduler worker, on one fake clock."""

    def __init__(self, context: AppContext, clock: FakeClock) -> None:
        self.context = context
        self.clock = clock
        self.aino = Aino(context, clock)
        self.worker = self.new_worker()

    def new_worker(self) -> SchedulerWorker:
        return SchedulerWorker(self.context, dialogue_kinds(self.aino), default_hooks(self.context))

    def enrol(
        self,
        start: dt.datetime,
        morning: dt.time = dt.time(8, 0),
        evening: dt.time | None = dt.time(21, 0),
    ) -> int:
        """Aino consents at `start` and picks her times, as in onboarding."""
        self.clock.set(start)
        with transaction(self.context.sessions) as session:
            client = client_for_address(session, ChannelKind.LOCAL, "aino", start)
            client.display_name = "Aino"
            client.coach = Coach(name="Outi", email="outi@example.fi", created_at=start)
            give_consent(client, start)
            set_checkin_time(session, client, CheckinKind.MORNING, morning, start)
            if evening is not None:
                set_checkin_time(session, client, CheckinKind.EVENING, evening, start)
            finish_onboarding(client)
            self.aino.client_id = client.id
        return self.aino.client_id

    def change(self, **changes: object) -> None:
        """Aino changes her own settings (pause, quiet hours, status) now, and they re-plan."""
        with transaction(self.context.sessions) as session:
            client = session.get_one(Client, self.aino.client_id)
            for name, value in changes.items():
                setattr(client, name, value)
            replan_checkins(session, client, self.clock.now())

    def weekdays(self, weekdays: str) -> None:
        with transaction(self.context.sessions) as session:
            client = session.get_one(Client, self.aino.client_id)
            for schedule in session.scalars(
                select(CheckinSchedule).where(CheckinSchedule.client_id == client.id)
            ):
                schedule.weekdays = weekdays
            replan_checkins(session, client, self.clock.now())

    async def live_until(self, until: dt.datetime) -> None:
        """The scheduler polls on every quarter of an hour (of the fake clock) until `until`."""
        while (now := self.clock.now()) < until:
            self.clock.set(min(now + STEP - (now - EPOCH) % STEP, until))
            await self.worker.run_once()

    def jobs(self, kind: str, state: JobState | None = None) -> list[ScheduledJob]:
        with transaction(self.context.sessions) as session:
            query = select(ScheduledJob).where(ScheduledJob.kind == kind)
            if state is not None:
                query = query.where(ScheduledJob.state == state)
            return list(session.scalars(query.order_by(ScheduledJob.due_at)))

    def client_messages(self) -> list[OutboxMessage]:
        with transaction(self.context.sessions) as session:
            return list(
                session.scalars(
                    select(OutboxMessage).where(OutboxMessage.client_id == self.aino.client_id)
                )
            )

    def alerts(self) -> list[Alert]:
        with transaction(self.context.sessions) as session:
            return list(session.scalars(select(Alert)))


@pytest.fixture
def story(context: AppContext, clock: FakeClock) -> Story:
    return Story(context, clock)


def _every_day(
    first: dt.date, days: int, hour: int, minute: int = 0
) -> list[tuple[int, int, int, int]]:
    dates = [first + dt.timedelta(days=offset) for offset in range(days)]
    return [(date.month, date.day, hour, minute) for date in dates]


# --- A week of days, through both daylight-saving changes ----------------------------------------


@pytest.mark.parametrize(
    "first",
    [dt.date(2026, 3, 25), dt.date(2026, 10, 21)],  # around 29 March and 25 October 2026
    ids=["march", "october"],
)
async def test_a_week_of_check_ins_at_her_own_local_times_across_daylight_saving(
    story: Story, first: dt.date
) -> None:
    story.enrol(helsinki(first.year, first.month, first.day))
    story.aino.answers = True
    last = first + dt.timedelta(days=8)
    await story.live_until(helsinki(last.year, last.month, last.day))
    assert story.aino.heard_at("checkin_morning") == _every_day(first, 8, 8)
    assert story.aino.heard_at("checkin_evening") == _every_day(first, 8, 21)
    # The clock really changed under her: 08:00 was first one UTC offset, then the other.
    offsets = {when.utcoffset() for _, when in story.aino.heard}
    assert offsets == {dt.timedelta(hours=2), dt.timedelta(hours=3)}
    # She answered every time, so no nudge went out; each check-in is one message in her outbox.
    assert story.aino.heard_at("checkin_nudge") == []
    # (The mornings' nudges were planned and skipped; an evening one would reach quiet hours.)
    assert len(story.jobs(CHECKIN_NUDGE, JobState.SKIPPED)) == 8
    assert len(story.client_messages()) == 16
    # And the next two are already waiting, one a schedule.
    assert len(story.jobs(CHECKIN, JobState.DUE)) == 2


# --- Weekdays only, holidays, pauses, quiet hours ------------------------------------------------


async def test_weekdays_only_skips_the_weekend_and_the_easter_holidays(story: Story) -> None:
    story.enrol(helsinki(2026, 3, 31, 22, 0))
    story.aino.answers = True
    story.weekdays("12345")
    await story.live_until(helsinki(2026, 4, 9))
    # Wed 1, Thu 2; then pitkäperjantai, the weekend and 2. pääsiäispäivä; then Tue 7, Wed 8.
    expected = [(4, 1), (4, 2), (4, 7), (4, 8)]
    assert story.aino.heard_at("checkin_morning") == [(m, d, 8, 0) for m, d in expected]
    assert story.aino.heard_at("checkin_evening") == [(m, d, 21, 0) for m, d in expected]


async def test_a_pause_skips_its_days_and_the_check_ins_come_back_after_it(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 23), evening=None)
    story.aino.answers = True
    await story.live_until(helsinki(2026, 11, 23, 10, 0))
    # "Ei viestejä pariin päivään": paused until Thursday.
    story.change(paused_until=helsinki(2026, 11, 26))
    await story.live_until(helsinki(2026, 11, 27, 12, 0))
    assert story.aino.heard_at("checkin_morning") == [
        (11, 23, 8, 0),
        (11, 26, 8, 0),
        (11, 27, 8, 0),
    ]


async def test_a_pause_set_without_re_planning_still_holds(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 23), evening=None)
    story.aino.answers = True
    with transaction(story.context.sessions) as session:
        session.get_one(Client, story.aino.client_id).paused_until = helsinki(2026, 11, 25)
    await story.live_until(helsinki(2026, 11, 25, 12, 0))
    assert story.aino.heard_at("checkin_morning") == [(11, 25, 8, 0)]
    [skipped] = story.jobs(CHECKIN, JobState.SKIPPED)
    assert skipped.last_error == "client takes no check-ins now"


async def test_quiet_hours_move_a_seven_oclock_check_in_to_half_past(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 23), morning=dt.time(7, 0), evening=None)
    story.aino.answers = True
    await story.live_until(helsinki(2026, 11, 25, 12, 0))
    assert story.aino.heard_at("checkin_morning") == [
        (11, 23, 7, 30),
        (11, 24, 7, 30),
        (11, 25, 7, 30),
    ]
    # Her own quiet hours, ending at 07:00, let it come at seven.
    story.change(quiet_end=dt.time(7, 0))
    await story.live_until(helsinki(2026, 11, 26, 12, 0))
    assert story.aino.heard_at("checkin_morning")[-1] == (11, 26, 7, 0)


# --- The scheduler down, restarted, or killed mid-batch -----------------------------------------


async def test_a_morning_missed_while_the_scheduler_was_down_is_skipped_and_logged(
    story: Story, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="backend.scheduler.worker")
    story.enrol(helsinki(2026, 11, 22, 20, 0), evening=None)
    await story.live_until(helsinki(2026, 11, 23, 7, 0))
    # Down from 07:00 to 12:00: a morning greeting at noon is worse than none.
    story.clock.set(helsinki(2026, 11, 23, 12, 0))
    await story.live_until(helsinki(2026, 11, 24, 12, 0))
    assert story.aino.heard_at("checkin_morning") == [(11, 24, 8, 0)]
    [missed] = story.jobs(CHECKIN, JobState.SKIPPED)
    assert missed.due_at == helsinki(2026, 11, 23, 8, 0) and missed.last_error == "window passed"
    assert "skipped: its window passed" in caplog.text


async def test_a_check_in_up_to_two_hours_late_still_goes_out(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 22, 20, 0), evening=None)
    story.clock.set(helsinki(2026, 11, 23, 9, 45))
    await story.worker.run_once()
    assert story.aino.heard_at("checkin_morning") == [(11, 23, 9, 45)]
    # Its nudge would come after the window closes, so there is none.
    assert story.jobs(CHECKIN_NUDGE) == []


async def test_a_late_evening_check_in_never_goes_into_quiet_hours(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 23, 12, 0), evening=dt.time(21, 0))
    [evening] = [job for job in story.jobs(CHECKIN) if job.payload["intent"] == "checkin_evening"]
    assert evening.expires_at == helsinki(2026, 11, 23, 21, 30)
    story.clock.set(helsinki(2026, 11, 23, 21, 40))
    await story.worker.run_once()
    assert story.aino.heard_at("checkin_evening") == []


async def test_a_restarted_scheduler_loses_nothing_and_doubles_nothing(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 22, 20, 0), evening=None)
    await story.live_until(helsinki(2026, 11, 23, 12, 0))
    # Tuesday 08:00: the worker claims the check-in and is killed before firing it.
    story.clock.set(helsinki(2026, 11, 24, 8, 0))
    [claimed] = story.worker.claim()
    story.worker = story.new_worker()
    await story.worker.run_once()
    assert story.aino.heard_at("checkin_morning") == [(11, 23, 8, 0)]  # still under its lease
    await story.live_until(helsinki(2026, 11, 24, 8, 15))
    assert story.aino.heard_at("checkin_morning") == [(11, 23, 8, 0), (11, 24, 8, 15)]
    # Killed again after queueing the messages but before recording it: fired again, the outbox
    # and the plans keep one of everything.
    with transaction(story.context.sessions) as session:
        job = session.get_one(ScheduledJob, claimed)
        job.state, job.lease_until = JobState.CLAIMED, story.clock.now()
    story.clock.advance(MINUTE)
    story.worker = story.new_worker()
    assert await story.worker.run_once() == 1
    assert len(story.aino.heard_at("checkin_morning")) == 3
    assert len([m for m in story.client_messages() if m.dedupe_key == f"job:{claimed}:0"]) == 1
    assert len(story.jobs(CHECKIN_NUDGE)) == 2  # Monday's and Tuesday's
    [wednesday] = story.jobs(CHECKIN, JobState.DUE)
    assert wednesday.due_at == helsinki(2026, 11, 25, 8, 0)
    await story.live_until(helsinki(2026, 11, 26, 12, 0))
    assert story.aino.heard_at("checkin_morning")[-2:] == [(11, 25, 8, 0), (11, 26, 8, 0)]


async def test_a_check_in_that_keeps_failing_is_given_up_and_the_next_day_comes(
    story: Story,
) -> None:
    story.enrol(helsinki(2026, 11, 22, 20, 0), evening=None)
    story.aino.broken = True
    await story.live_until(helsinki(2026, 11, 23, 12, 0))
    [failed] = story.jobs(CHECKIN, JobState.FAILED)
    assert failed.attempts == MAX_ATTEMPTS and failed.last_error == "RuntimeError"
    story.aino.broken = False
    await story.live_until(helsinki(2026, 11, 24, 12, 0))
    assert story.aino.heard_at("checkin_morning") == [(11, 24, 8, 0)]


# --- Re-planning ----------------------------------------------------------------------------------


async def test_re_planning_never_makes_two_check_ins_for_one_day(story: Story) -> None:
    client_id = story.enrol(helsinki(2026, 11, 23, 6, 0))
    for _ in range(2):
        with transaction(story.context.sessions) as session:
            client = session.get_one(Client, client_id)
            replan_checkins(session, client, story.clock.now())
            replan_checkins(session, client, story.clock.now())
    keys = sorted(str(job.dedupe_key) for job in story.jobs(CHECKIN, JobState.DUE))
    assert [key.rsplit(":", 1)[1] for key in keys] == ["2026-11-23", "2026-11-23"]
    # "Aamuviesti vasta yhdeksältä" before the check-in: the day's job is moved, not doubled.
    with transaction(story.context.sessions) as session:
        client = session.get_one(Client, client_id)
        set_checkin_time(session, client, CheckinKind.MORNING, dt.time(9, 0), story.clock.now())
    await story.live_until(helsinki(2026, 11, 23, 10, 0))
    assert story.aino.heard_at("checkin_morning") == [(11, 23, 9, 0)]
    # And after it: today has had its check-in, the new time starts tomorrow.
    with transaction(story.context.sessions) as session:
        client = session.get_one(Client, client_id)
        set_checkin_time(session, client, CheckinKind.MORNING, dt.time(11, 0), story.clock.now())
    await story.live_until(helsinki(2026, 11, 24, 12, 0))
    assert story.aino.heard_at("checkin_morning") == [(11, 23, 9, 0), (11, 24, 11, 0)]


async def test_stopping_plans_nothing_and_resuming_plans_again(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 23, 6, 0))
    story.change(status=ClientStatus.STOPPED)
    assert story.jobs(CHECKIN, JobState.DUE) == []
    story.change(status=ClientStatus.ACTIVE)
    due = [job.due_at for job in story.jobs(CHECKIN, JobState.DUE)]
    assert due == [helsinki(2026, 11, 23, 8, 0), helsinki(2026, 11, 23, 21, 0)]


# --- Nudges and silence ---------------------------------------------------------------------------


async def test_one_nudge_at_most_and_none_once_she_answered(story: Story) -> None:
    story.enrol(helsinki(2026, 11, 22, 20, 0), evening=None)
    await story.live_until(helsinki(2026, 11, 23, 12, 0))
    # Monday: no answer, one nudge an hour later, then nothing until the next check-in.
    assert story.aino.heard == [
        ("checkin_morning", helsinki(2026, 11, 23, 8, 0).astimezone(HELSINKI)),
        ("checkin_nudge", helsinki(2026, 11, 23, 9, 0).astimezone(HELSINKI)),
    ]
    # Tuesday: she writes back twenty minutes after the check-in, so the nudge is skipped.
    await story.live_until(helsinki(2026, 11, 24, 8, 20))
    story.aino.says("nukuin huonosti")
    await story.live_until(helsinki(2026, 11, 24, 12, 0))
    assert story.aino.heard_at("checkin_nudge") == [(11, 23, 9, 0)]
    [_, tuesday] = story.jobs(CHECKIN_NUDGE)
    assert tuesday.state is JobState.SKIPPED and tuesday.last_error == "client answered"
    assert len(story.client_messages()) == 3


async def test_after_three_silent_days_the_coach_is_told_once(story: Story) -> None:
    client_id = story.enrol(helsinki(2026, 11, 23, 8, 30))
    await story.live_until(helsinki(2026, 11, 28, 7, 0))
    # The check-ins go on every day; the nudges come on Tuesday and Wednesday morning only
    # (an evening one would reach into quiet hours).
    assert len(story.aino.heard_at("checkin_morning")) == 4  # Tue-Fri
    assert len(story.aino.heard_at("checkin_evening")) == 5  # Mon-Fri
    assert story.aino.heard_at("checkin_nudge") == [(11, 24, 9, 0), (11, 25, 9, 0)]
    # Thursday's nudge was planned (2 days 23.5 hours) but not sent (3 days by 09:00).
    thursday = story.jobs(CHECKIN_NUDGE)[-1]
    assert thursday.state is JobState.SKIPPED and thursday.last_error == "client silent"
    # Thursday evening the coach heard it once, and not again on Friday.
    [alert] = story.alerts()
    assert alert.kind is AlertKind.NO_ANSWERS and alert.created_at == helsinki(2026, 11, 26, 21)
    with transaction(story.context.sessions) as session:
        assert silent_days(session, client_id, story.clock.now()) == 4
        to_coach = session.scalars(select(OutboxMessage).where(OutboxMessage.coach_id.is_not(None)))
        assert [message.address for message in to_coach] == ["outi@example.fi"]
    # She is back on Saturday morning: the silence is over, and so is the coach's alert.
    story.aino.says("anteeksi, olin kipeänä")
    await story.live_until(helsinki(2026, 11, 28, 10, 0))
    assert story.aino.heard_at("checkin_nudge")[-1] == (11, 28, 9, 0)
    assert len(story.alerts()) == 1


def test_silence_counts_from_consent_and_not_through_a_pause(
    context: AppContext, clock: FakeClock
) -> None:
    story = Story(context, clock)
    client_id = story.enrol(helsinki(2026, 11, 23, 12, 0))
    with transaction(context.sessions) as session:
        assert silent_days(session, client_id, helsinki(2026, 11, 26, 11, 59)) == 2
        assert silent_days(session, client_id, helsinki(2026, 11, 26, 12, 0)) == 3
        session.get_one(Client, client_id).paused_until = helsinki(2026, 11, 30)
        assert silent_days(session, client_id, helsinki(2026, 12, 1, 12, 0)) == 1


def test_rules_follow_the_settings(settings: Settings) -> None:
    assert CheckinRules.from_settings(settings) == CheckinRules()
    tuned = Settings(
        _env_file=None, checkin_late_minutes=30, checkin_nudge_minutes=20, checkin_silent_days=5
    )
    assert CheckinRules.from_settings(tuned) == CheckinRules(
        dt.timedelta(minutes=30), dt.timedelta(minutes=20), 5
    )


def test_a_shorter_late_window_is_kept_on_the_job(context: AppContext, clock: FakeClock) -> None:
    client_id = Story(context, clock).enrol(helsinki(2026, 11, 23, 6, 0), evening=None)
    with transaction(context.sessions) as session:
        [schedule] = session.scalars(select(CheckinSchedule))
        client = session.get_one(Client, client_id)
        replan_checkins(session, client, clock.now(), rules=CheckinRules(dt.timedelta(minutes=30)))
        [job] = session.scalars(select(ScheduledJob).where(ScheduledJob.state == JobState.DUE))
        assert job.expires_at == helsinki(2026, 11, 23, 8, 30)
        assert job.payload == {"intent": "checkin_morning", "schedule_id": schedule.id}
        assert job.dedupe_key == f"checkin:{schedule.id}:2026-11-23"
        schedule.active = False
        assert schedule_next_checkin(session, schedule, clock.now()) is None


# --- next_checkin: the rules themselves ------------------------------------------------------


def _client(
    quiet: tuple[dt.time, dt.time] = (dt.time(21, 30), dt.time(7, 30)),
    paused_until: dt.datetime | None = None,
    status: ClientStatus = ClientStatus.ACTIVE,
    consent: Consent = Consent.GIVEN,
    activity_days: str = "",
) -> Client:
    return Client(
        timezone="Europe/Helsinki",
        quiet_start=quiet[0],
        quiet_end=quiet[1],
        paused_until=paused_until,
        status=status,
        consent=consent,
        activity_days=activity_days,
    )


def _schedule(
    local_time: dt.time,
    weekdays: str = EVERY_DAY,
    active: bool = True,
    activity_time: dt.time | None = None,
) -> CheckinSchedule:
    return CheckinSchedule(
        kind=CheckinKind.MORNING,
        local_time=local_time,
        weekdays=weekdays,
        active=active,
        activity_time=activity_time,
    )


NO_QUIET = (dt.time(0, 0), dt.time(0, 0))


def test_a_time_the_spring_forward_skips_comes_at_the_first_minute_after_it() -> None:
    # On 29 March 2026 Helsinki goes from 03:00 straight to 04:00.
    due = next_checkin(_schedule(dt.time(3, 30)), _client(NO_QUIET), helsinki(2026, 3, 28, 12))
    assert due == helsinki(2026, 3, 29, 4, 0)
    assert due is not None and due.astimezone(HELSINKI).time() == dt.time(4, 0)


def test_a_time_the_autumn_repeats_comes_the_first_time() -> None:
    # On 25 October 2026 Helsinki goes from 04:00 back to 03:00; 03:30 is summer time first.
    due = next_checkin(_schedule(dt.time(3, 30)), _client(NO_QUIET), helsinki(2026, 10, 24, 12))
    assert due == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_holidays_can_take_a_one_day_schedule_two_weeks_running() -> None:
    fridays = _schedule(dt.time(8, 0), weekdays="5")
    # Friday 25 December 2026 and Friday 1 January 2027 are both holidays.
    due = next_checkin(fridays, _client(), helsinki(2026, 12, 18, 9))
    assert due == helsinki(2027, 1, 8, 8)


def test_an_evening_time_inside_quiet_hours_waits_for_their_end() -> None:
    # No message crosses quiet hours: a 22:00 check-in with quiet hours from 21:30 comes at 07:30.
    due = next_checkin(_schedule(dt.time(22, 0)), _client(), helsinki(2026, 11, 23, 12))
    assert due == helsinki(2026, 11, 24, 7, 30)


@pytest.mark.parametrize(
    ("schedule", "client"),
    [
        (_schedule(dt.time(8), active=False), _client()),
        (_schedule(dt.time(8)), _client(consent=Consent.PENDING, status=ClientStatus.ONBOARDING)),
        (_schedule(dt.time(8)), _client(status=ClientStatus.STOPPED)),
        (_schedule(dt.time(8)), _client(status=ClientStatus.LEFT)),
        (_schedule(dt.time(8)), _client(status=ClientStatus.PAUSED)),  # paused until further notice
        (_schedule(dt.time(8), weekdays=""), _client()),
    ],
)
def test_no_check_in_is_planned(schedule: CheckinSchedule, client: Client) -> None:
    assert next_checkin(schedule, client, helsinki(2026, 11, 23)) is None


def test_a_consented_client_still_in_onboarding_and_a_paused_one_with_an_end_are_planned() -> None:
    onboarding = _client(status=ClientStatus.ONBOARDING)
    assert next_checkin(_schedule(dt.time(8)), onboarding, helsinki(2026, 11, 23)) == helsinki(
        2026, 11, 23, 8
    )
    paused = _client(status=ClientStatus.PAUSED, paused_until=helsinki(2026, 11, 25, 9))
    assert next_checkin(_schedule(dt.time(8)), paused, helsinki(2026, 11, 23)) == helsinki(
        2026, 11, 26, 8
    )


def _in_quiet(time: dt.time, quiet: tuple[dt.time, dt.time]) -> bool:
    start, end = quiet
    if start <= end:
        return start <= time < end
    return time >= start or time < end


QUIET_HOURS = st.sampled_from(
    [
        (dt.time(21, 30), dt.time(7, 30)),
        (dt.time(22, 0), dt.time(6, 0)),
        (dt.time(13, 0), dt.time(15, 0)),
        NO_QUIET,
    ]
)
WEEKDAYS = st.sets(st.sampled_from(EVERY_DAY), min_size=1).map(lambda days: "".join(sorted(days)))
TIMES = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
AFTER = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(UTC)
)
PAUSES = st.none() | st.timedeltas(min_value=dt.timedelta(days=-3), max_value=dt.timedelta(days=40))
# Workshop days and the check-in's own time on them.
ACTIVITY = st.none() | st.tuples(WEEKDAYS, TIMES)


@given(
    local_time=TIMES,
    weekdays=WEEKDAYS,
    quiet=QUIET_HOURS,
    after=AFTER,
    pause=PAUSES,
    later=st.floats(min_value=0, max_value=1, exclude_max=True),
    activity=ACTIVITY,
)
@example(  # the night the clocks go forward
    local_time=dt.time(3, 30),
    weekdays="7",
    quiet=NO_QUIET,
    after=dt.datetime(2026, 3, 28, 12, tzinfo=UTC),
    pause=None,
    later=0.5,
    activity=None,
)
@example(  # a workshop Sunday at 03:30, the night the clocks go forward; other days at 08:00
    local_time=dt.time(8, 0),
    weekdays=EVERY_DAY,
    quiet=NO_QUIET,
    after=dt.datetime(2026, 3, 28, 12, tzinfo=UTC),
    pause=None,
    later=0.5,
    activity=("7", dt.time(3, 30)),
)
@example(  # a workshop Monday at 06:30 the day after the clocks go back
    local_time=dt.time(8, 0),
    weekdays=EVERY_DAY,
    quiet=(dt.time(22, 0), dt.time(6, 0)),
    after=dt.datetime(2026, 10, 25, 12, tzinfo=UTC),
    pause=None,
    later=0.9,
    activity=("1", dt.time(6, 30)),
)
@example(  # Fridays only, just after the last one before Christmas: the next is 8 January
    local_time=dt.time(8, 0),
    weekdays="5",
    quiet=NO_QUIET,
    after=dt.datetime(2026, 12, 18, 7, tzinfo=UTC),
    pause=None,
    later=0.0,
    activity=None,
)
def test_next_checkin_properties(
    local_time: dt.time,
    weekdays: str,
    quiet: tuple[dt.time, dt.time],
    after: dt.datetime,
    pause: dt.timedelta | None,
    later: float,
    activity: tuple[str, dt.time] | None,
) -> None:
    activity_days, activity_time = activity or ("", None)
    client = _client(quiet, None if pause is None else after + pause, activity_days=activity_days)
    schedule = _schedule(local_time, weekdays, activity_time=activity_time)
    occurrence = next_occurrence(schedule, client, after)
    assert occurrence is not None
    due = occurrence.due
    assert due > after and due.utcoffset() == dt.timedelta(0)
    assert next_checkin(schedule, client, after) == due
    # On one of its weekdays, and for a schedule of some days only, not on a holiday.
    assert str(occurrence.day.isoweekday()) in weekdays
    assert weekdays == EVERY_DAY or not is_holiday(occurrence.day)
    # Never inside a pause.
    assert client.paused_until is None or due >= client.paused_until
    # At its own local time (on a workshop day that is no holiday, the workshop's), unless quiet
    # hours move it to their end or the spring-forward to the first minute that exists after it.
    workshop = str(occurrence.day.isoweekday()) in activity_days and not is_holiday(occurrence.day)
    if workshop and activity_time is not None:
        local_time = activity_time
    wall = dt.datetime.combine(occurrence.day, local_time)
    if _in_quiet(local_time, quiet):
        # Quiet hours over midnight end on the next day for a time before midnight.
        next_day = quiet[0] > quiet[1] and local_time >= quiet[0]
        wall = dt.datetime.combine(occurrence.day + dt.timedelta(days=int(next_day)), quiet[1])
    local = due.astimezone(HELSINKI).replace(tzinfo=None)
    if local != wall:
        assert local > wall
        assert (due - MINUTE).astimezone(HELSINKI).replace(tzinfo=None) < wall
    # Nothing in between was passed over: asking from any later moment before it gives it again.
    probe = min(after + (due - after) * later, due - dt.timedelta(microseconds=1))
    assert next_checkin(schedule, client, probe) == due
