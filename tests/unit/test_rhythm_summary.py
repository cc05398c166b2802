"""The week of a client's rhythm in the coach's digest, checked value by value."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.digest.build import build_digest
from backend.models import CheckinKind, CheckinSchedule, Client, ClientStatus, Coach, Consent
from backend.services import diary
from backend.services.diary import record, record_pause
from backend.services.rhythm_summary import RhythmWeek, Trend, week_summaries, week_summary

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = dt.date(2026, 11, 16)  # Monday to Sunday 22 November
AUTUMN_WEEK = dt.date(2026, 10, 19)  # the clocks go back on Sunday 25 October, 04:00 -> 03:00


def at(moment: str) -> dt.datetime:
    """ "2026-11-16 07:30" as an aware Helsinki time."""
    return dt.datetime.fromisoformat(moment).replace(tzinfo=HELSINKI)


def _client(session: Session, *, morning_days: str = "1234567", schedules: bool = True) -> Client:
    created = at("2026-10-01 12:00")
    client = Client(created_at=created, status=ClientStatus.ACTIVE, consent=Consent.GIVEN)
    session.add(client)
    session.flush()
    if schedules:
        for kind, time, days in (
            (CheckinKind.MORNING, dt.time(8, 0), morning_days),
            (CheckinKind.EVENING, dt.time(21, 0), "1234567"),
        ):
            session.add(
                CheckinSchedule(
                    client_id=client.id,
                    kind=kind,
                    local_time=time,
                    weekdays=days,
                    created_at=created,
                )
            )
    return client


def _timed(
    session: Session,
    client: Client,
    kind: str,
    moment: str,
    words: str | None = None,
    *,
    told: str | None = None,
) -> None:
    """A wake-up or bedtime at `moment`, told at `told` (by default 20 minutes later)."""
    happened = at(moment)
    now = at(told) if told else happened + dt.timedelta(minutes=20)
    record(session, client, kind, now, happened_at=happened, words=words)


def _said(
    session: Session,
    client: Client,
    kind: str,
    moment: str,
    *,
    mood: int | None = None,
    detail: str | None = None,
    words: str | None = None,
) -> None:
    record(session, client, kind, at(moment), mood=mood, detail=detail, words=words)


def _fixture_week(session: Session, client: Client) -> None:
    # Wake-ups; Thursday's first report is corrected later, Sunday has none.
    _timed(session, client, "wake_up", "2026-11-15 05:00")  # the week before
    _timed(session, client, "wake_up", "2026-11-16 07:30")
    _timed(session, client, "wake_up", "2026-11-17 08:00")
    _timed(session, client, "wake_up", "2026-11-18 09:15")
    _timed(session, client, "wake_up", "2026-11-19 10:00")
    _timed(
        session,
        client,
        "wake_up",
        "2026-11-19 08:20",
        words="heräsin oikeesti kahdeksalta",
        told="2026-11-19 10:30",
    )
    _timed(session, client, "wake_up", "2026-11-20 07:45")
    _timed(session, client, "wake_up", "2026-11-21 10:30")
    _timed(session, client, "wake_up", "2026-11-23 06:00")  # the week after
    # Bedtimes, each belonging to the night it starts.
    _timed(session, client, "bedtime", "2026-11-15 23:00")  # Sunday before: not this week
    _timed(session, client, "bedtime", "2026-11-16 00:20")  # still the Sunday before
    _timed(session, client, "bedtime", "2026-11-16 23:30")  # Monday
    _timed(session, client, "bedtime", "2026-11-18 00:30", words="puoli yhdeltä")  # Tuesday
    _timed(session, client, "bedtime", "2026-11-18 23:00")  # Wednesday
    _timed(session, client, "bedtime", "2026-11-20 01:15")  # Thursday
    _timed(session, client, "bedtime", "2026-11-23 00:45", words="uni ei tullut")  # Sunday
    # Moods: this week's days average 3, 4 and 5; the week before 3 and 3.
    _said(session, client, "mood", "2026-11-10 21:05", mood=3)
    _said(session, client, "mood", "2026-11-12 21:05", mood=3)
    _said(session, client, "mood", "2026-11-16 10:00", mood=2, words="väsyttää")
    _said(session, client, "mood", "2026-11-16 21:05", mood=4, words="ihan hyvä")
    _said(session, client, "mood", "2026-11-18 21:05", mood=4)
    _said(session, client, "mood", "2026-11-20 21:05", mood=5, words="tosi hyvä")
    _said(session, client, "mood", "2026-11-21 21:05", words="en osaa sanoa")
    # Meals: Monday twice, Tuesday, Saturday; Thursday hardly anything.
    _said(session, client, "meal", "2026-11-16 12:30", detail="lounas", words="söin lounaan")
    _said(session, client, "meal", "2026-11-16 21:06", detail="aamupala")
    _said(session, client, "meal", "2026-11-17 21:06", detail="well")
    _said(session, client, "meal", "2026-11-19 21:06", detail="hardly")
    _said(session, client, "meal", "2026-11-21 21:06", detail="päivällinen")
    # Going out: Monday and Friday; on Wednesday the answer was no.
    _said(session, client, "activity", "2026-11-16 21:07", detail="yes")
    _said(session, client, "activity", "2026-11-18 21:07", detail="no")
    _said(session, client, "activity", "2026-11-20 15:00", words="kävin kävelyllä")
    _said(session, client, "went_well", "2026-11-20 21:08", words="sain siivottua")
    # Tuesday's morning check-in answers, and a sick Thursday.
    _said(session, client, "sleep", "2026-11-17 08:05", detail="good", words="hyvin")
    _said(session, client, "plan", "2026-11-17 08:06", words="kauppaan")
    _said(session, client, "sick", "2026-11-19 11:00")


def test_a_week_of_rhythm_value_by_value(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        client = _client(session)
        _fixture_week(session, client)
        week = week_summary(session, client.id, WEEK)
    assert week == RhythmWeek(
        week_start=WEEK,
        # Mornings: a wake-up or the morning check-in answered Monday to Saturday.
        mornings_answered=6,
        mornings_scheduled=7,
        # Evenings: mood, meal, going out or what went well, on every day but Sunday.
        evenings_answered=6,
        evenings_scheduled=7,
        # 07:30 07:45 08:00 08:20 09:15 10:30: halfway between 08:00 and 08:20.
        wake_median=dt.time(8, 10),
        wake_earliest=dt.time(7, 30),
        wake_latest=dt.time(10, 30),
        # 23:00 23:30 00:30 00:45 01:15: the median is after midnight, not at noon.
        bed_median=dt.time(0, 30),
        bed_earliest=dt.time(23, 0),
        bed_latest=dt.time(1, 15),
        mood_average=4.0,
        mood_previous_average=3.0,
        mood_trend=Trend.UP,
        meal_days=3,
        activity_days=2,
        # Thursday's correction, Tuesday night's bedtime, four moods, the lunch, the walk, what
        # went well, and Tuesday's two morning answers; Sunday night's words came on Monday.
        own_words=11,
        sick_days=1,
        paused_days=0,
    )


def test_a_bedtime_an_hour_either_side_of_midnight_is_a_median_of_midnight(
    context: AppContext,
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session)
        _timed(session, client, "bedtime", "2026-11-16 23:30")
        _timed(session, client, "bedtime", "2026-11-18 00:30")
        week = week_summary(session, client.id, WEEK)
    assert (week.bed_median, week.bed_earliest, week.bed_latest) == (
        dt.time(0, 0),
        dt.time(23, 30),
        dt.time(0, 30),
    )


def test_a_week_across_the_october_clock_change_reads_as_the_client_lived_it(
    context: AppContext,
) -> None:
    days = [AUTUMN_WEEK + dt.timedelta(days=n) for n in range(7)]
    with transaction(context.sessions) as session:
        client = _client(session)
        for day in days:
            _timed(session, client, "wake_up", f"{day} 08:00")
        for day in days[:5]:
            _timed(session, client, "bedtime", f"{day} 23:30")
        _timed(session, client, "bedtime", "2026-10-25 00:30")  # Saturday night, summer time
        _timed(session, client, "bedtime", "2026-10-25 23:30")  # Sunday night, winter time
        week = week_summary(session, client.id, AUTUMN_WEEK)
    # Eight o'clock is 05:00 UTC on Saturday and 06:00 UTC on Sunday: the same on the clock.
    assert at("2026-10-24 08:00").utcoffset() != at("2026-10-25 08:00").utcoffset()
    assert (week.wake_median, week.wake_earliest, week.wake_latest) == (dt.time(8, 0),) * 3
    assert (week.bed_median, week.bed_earliest, week.bed_latest) == (
        dt.time(23, 30),
        dt.time(23, 30),
        dt.time(0, 30),
    )
    assert (week.mornings_answered, week.mornings_scheduled) == (7, 7)


def test_an_empty_week(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        newcomer = _client(session, schedules=False)
        scheduled = _client(session)
        nothing = week_summary(session, newcomer.id, WEEK)
        silent = week_summary(session, scheduled.id, WEEK)
    assert nothing == RhythmWeek(
        week_start=WEEK,
        mornings_answered=0,
        mornings_scheduled=0,
        evenings_answered=0,
        evenings_scheduled=0,
        wake_median=None,
        wake_earliest=None,
        wake_latest=None,
        bed_median=None,
        bed_earliest=None,
        bed_latest=None,
        mood_average=None,
        mood_previous_average=None,
        mood_trend=None,
        meal_days=0,
        activity_days=0,
        own_words=0,
        sick_days=0,
        paused_days=0,
    )
    # The check-ins were sent, and nobody answered: 0 of 7, and nothing else to say.
    assert silent == replace(nothing, mornings_scheduled=7, evenings_scheduled=7)


def test_paused_days_and_weekday_only_mornings_are_not_scheduled(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, morning_days="12345")
        record_pause(
            session, client, dt.date(2026, 11, 18), dt.date(2026, 11, 20), at("2026-11-17 19:00")
        )
        _timed(session, client, "wake_up", "2026-11-16 07:50")
        _timed(session, client, "wake_up", "2026-11-19 09:00")  # told during the pause
        week = week_summary(session, client.id, WEEK)
    # Mornings on Monday and Tuesday only; evenings on every day but Wednesday to Friday.
    assert (week.mornings_answered, week.mornings_scheduled) == (1, 2)
    assert (week.evenings_answered, week.evenings_scheduled) == (0, 4)
    assert week.paused_days == 3
    assert (week.wake_earliest, week.wake_latest) == (dt.time(7, 50), dt.time(9, 0))


@pytest.mark.parametrize(
    ("previous", "this", "trend"),
    [
        ([3, 3], [4, 3], Trend.UP),  # 3.0 -> 3.5: half a step
        ([3, 3], [3, 4, 3], Trend.FLAT),  # 3.0 -> 3.3
        ([4, 4], [3, 4], Trend.DOWN),
        ([], [4], None),
        ([4], [], None),
    ],
)
def test_the_mood_trend_against_the_week_before(
    context: AppContext, previous: list[int], this: list[int], trend: Trend | None
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session)
        for offset, mood in enumerate(previous):
            _said(
                session, client, "mood", f"{WEEK - dt.timedelta(days=7 - offset)} 21:00", mood=mood
            )
        for offset, mood in enumerate(this):
            _said(session, client, "mood", f"{WEEK + dt.timedelta(days=offset)} 21:00", mood=mood)
        week = week_summary(session, client.id, WEEK)
    assert week.mood_trend is trend


def _several_clients(session: Session) -> dict[str, Client]:
    """One coach's clients whose weeks differ in every way the summary reads."""
    coach = Coach(name="Maija", created_at=at("2026-10-01 09:00"))
    session.add(coach)
    session.flush()
    clients = {
        "full": _client(session),
        "weekdays": _client(session, morning_days="12345"),
        "pause_entry": _client(session),
        "paused_until": _client(session),
        "paused_status": _client(session),
        "no_consent": _client(session),
        "no_schedules": _client(session, schedules=False),
    }
    for client in clients.values():
        client.coach_id = coach.id
    _fixture_week(session, clients["full"])
    _timed(session, clients["weekdays"], "wake_up", "2026-11-16 07:50")
    _timed(session, clients["weekdays"], "wake_up", "2026-11-21 11:00")
    _said(session, clients["weekdays"], "mood", "2026-11-17 21:00", mood=2)
    record_pause(
        session,
        clients["pause_entry"],
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 20),
        at("2026-11-17 19:00"),
    )
    _timed(session, clients["pause_entry"], "bedtime", "2026-11-16 23:10")
    # A pause with no pause entry starts the day after the client's last word (Tuesday).
    _said(session, clients["paused_until"], "meal", "2026-11-17 12:00", detail="well")
    clients["paused_until"].paused_until = at("2026-11-21 00:00")
    # Paused with no end: up to the week's last day, from the latest pause entry.
    clients["paused_status"].status = ClientStatus.PAUSED
    record_pause(
        session,
        clients["paused_status"],
        dt.date(2026, 11, 21),
        dt.date(2026, 11, 21),
        at("2026-11-20 19:00"),
    )
    clients["no_consent"].consent = Consent.REFUSED
    _said(session, clients["no_consent"], "mood", "2026-11-18 21:00", mood=1)
    _said(session, clients["no_schedules"], "activity", "2026-11-19 18:00", detail="yes")
    session.flush()
    return clients


def test_the_summary_of_many_clients_is_each_ones_own_summary(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        clients = _several_clients(session)
        together = week_summaries(session, list(clients.values()), WEEK)
        alone = {name: week_summary(session, client.id, WEEK) for name, client in clients.items()}
        last = WEEK + dt.timedelta(days=6)
        # The week's pauses and scheduled days are those the diary itself finds.
        from_diary = {
            name: (
                len(diary.paused_days(session, client, WEEK, last, last)),
                len(diary.scheduled_days(session, client, CheckinKind.MORNING, WEEK, last, last)),
                len(diary.scheduled_days(session, client, CheckinKind.EVENING, WEEK, last, last)),
            )
            for name, client in clients.items()
        }
    assert {name: together[client.id] for name, client in clients.items()} == alone
    assert {
        name: (week.paused_days, week.mornings_scheduled, week.evenings_scheduled)
        for name, week in alone.items()
    } == from_diary
    # Each client's week is their own: the fixture's weeks all differ from one another.
    assert len(set(alone.values())) == len(alone)
    assert {name: week.paused_days for name, week in alone.items()} == {
        "full": 0,
        "weekdays": 0,
        "pause_entry": 3,
        "paused_until": 3,
        "paused_status": 2,
        "no_consent": 0,
        "no_schedules": 0,
    }


def test_the_digest_reads_the_same_weeks_and_nothing_of_a_client_without_consent(
    context: AppContext,
) -> None:
    with transaction(context.sessions) as session:
        clients = _several_clients(session)
        coach_id = clients["full"].coach_id
        assert coach_id is not None
        digest = build_digest(session, coach_id, WEEK, at("2026-11-23 08:00"), HELSINKI, 3)
        expected = {
            client.id: None if name == "no_consent" else week_summary(session, client.id, WEEK)
            for name, client in clients.items()
        }
    assert {
        week.client_id: week.shared.rhythm if week.shared else None for week in digest.clients
    } == expected


def test_many_clients_are_summed_up_with_as_many_queries_as_one(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        clients = list(_several_clients(session).values())
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            week_summaries(session, clients[:1], WEEK)
            one = len(statements)
            statements.clear()
            week_summaries(session, clients, WEEK)
            many = len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    # Entries, schedules, pauses, and the last word of those paused without a pause entry.
    assert (one, many) == (3, 4)


def test_an_unknown_client_has_no_summary(context: AppContext) -> None:
    with transaction(context.sessions) as session, pytest.raises(LookupError):
        week_summary(session, 999, WEEK)
