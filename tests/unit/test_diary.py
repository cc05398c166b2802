"""The diary: when a reported thing happened, moods and meals in the client's own words, and a
morning rhythm measure that forgives."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.models import CheckinKind, CheckinSchedule, Client, ClientStatus, Consent
from backend.services.diary import (
    KINDS,
    MAX_WORDS,
    MEALS,
    Progress,
    celebration,
    meal_of,
    meals_of,
    mood_score,
    record,
    record_pause,
    report_time,
    rhythm_progress,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.timezone.utc
# The FakeClock's Monday, and the week before it.
MONDAY = dt.date(2026, 11, 23)


def local(text: str) -> dt.datetime:
    """ "2026-11-23 09:00" as an aware Helsinki time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


# -- when a reported event happened ------------------------------------------------------------

# (what the client wrote, kind, when they wrote it, the diary's local time or None)
REPORTS = [
    # Waking: the morning reading, today.
    ("heräsin yhdeksältä", "wake_up", "2026-11-23 11:00", "2026-11-23 09:00"),
    ("heräsin puoli kahdeksan", "wake_up", "2026-11-23 07:45", "2026-11-23 07:30"),
    ("heräsin kymmeneltä", "wake_up", "2026-11-23 11:00", "2026-11-23 10:00"),
    ("heräsin kymmeneltä", "wake_up", "2026-11-23 23:30", "2026-11-23 10:00"),
    ("herasin kymmenelta", "wake_up", "2026-11-23 11:00", "2026-11-23 10:00"),
    ("heräsin ysiltä", "wake_up", "2026-11-23 12:00", "2026-11-23 09:00"),
    ("heräsin kasilta", "wake_up", "2026-11-23 12:00", "2026-11-23 08:00"),
    ("heräsin seittemältä", "wake_up", "2026-11-23 12:00", "2026-11-23 07:00"),
    ("heräsin 9.30", "wake_up", "2026-11-23 12:00", "2026-11-23 09:30"),
    ("heräsin klo 9:30", "wake_up", "2026-11-23 12:00", "2026-11-23 09:30"),
    ("heräsin varttia vaille yhdeksän", "wake_up", "2026-11-23 10:00", "2026-11-23 08:45"),
    ("heräsin aamulla kahdeksalta", "wake_up", "2026-11-23 10:00", "2026-11-23 08:00"),
    ("heräsin kahdeltatoista", "wake_up", "2026-11-23 13:00", "2026-11-23 12:00"),
    ("HERÄSIN YHDEKSÄLTÄ!!", "wake_up", "2026-11-23 11:00", "2026-11-23 09:00"),
    # Waking in the small hours or in the afternoon: the latest reading already past.
    ("heräsin kahdelta", "wake_up", "2026-11-23 15:00", "2026-11-23 14:00"),
    ("heräsin vasta kolmelta", "wake_up", "2026-11-23 16:30", "2026-11-23 15:00"),
    ("heräsin kahdelta", "wake_up", "2026-11-23 10:00", "2026-11-23 02:00"),
    ("heräsin puoli yksi", "wake_up", "2026-11-23 14:00", "2026-11-23 12:30"),
    ("heräsin klo 13", "wake_up", "2026-11-23 15:00", "2026-11-23 13:00"),
    ("heräsin iltapäivällä kahdelta", "wake_up", "2026-11-23 16:00", "2026-11-23 14:00"),
    # A wake-up later than now: yesterday's only while the night lasts, else not today's.
    ("heräsin kymmeneltä", "wake_up", "2026-11-24 00:30", "2026-11-23 10:00"),
    ("heräsin kahdelta", "wake_up", "2026-11-24 00:30", "2026-11-23 14:00"),
    ("heräsin yhdeksältä", "wake_up", "2026-11-23 08:00", None),
    ("tänään heräsin yhdeksältä", "wake_up", "2026-11-23 08:00", None),
    # Named days and exact offsets.
    ("eilen heräsin kymmeneltä", "wake_up", "2026-11-23 09:00", "2026-11-22 10:00"),
    ("heräsin tunti sitten", "wake_up", "2026-11-23 10:00", "2026-11-23 09:00"),
    ("huomenna heräsin kahdeksalta", "wake_up", "2026-11-23 09:00", None),
    # Bedtimes: 7-11 in the evening, 12 midnight, 0-6 the small hours; the last one past.
    ("menin nukkumaan kahdelta", "bedtime", "2026-11-23 10:00", "2026-11-23 02:00"),
    ("menin nukkumaan yhdeltätoista", "bedtime", "2026-11-23 08:00", "2026-11-22 23:00"),
    ("menin nukkumaan yhdeltätoista", "bedtime", "2026-11-23 23:30", "2026-11-23 23:00"),
    ("menin nukkumaan puolilta öin", "bedtime", "2026-11-23 10:00", "2026-11-23 00:00"),
    ("menin nukkumaan puoliltaöin", "bedtime", "2026-11-23 10:00", "2026-11-23 00:00"),
    ("menin nukkumaan keskiyöllä", "bedtime", "2026-11-23 10:00", "2026-11-23 00:00"),
    ("menin nukkumaan kahdeltatoista", "bedtime", "2026-11-23 09:00", "2026-11-23 00:00"),
    ("menin nukkumaan kahdentoista aikaan", "bedtime", "2026-11-23 09:00", "2026-11-23 00:00"),
    ("menin nukkumaan kymmeneltä", "bedtime", "2026-11-23 09:00", "2026-11-22 22:00"),
    ("menin nukkumaan puoli yksitoista", "bedtime", "2026-11-23 09:00", "2026-11-22 22:30"),
    ("menin nukkumaan puoli yksi", "bedtime", "2026-11-23 09:00", "2026-11-23 00:30"),
    ("menin nukkumaan neljältä", "bedtime", "2026-11-23 12:00", "2026-11-23 04:00"),
    ("menin nukkumaan klo 23.30", "bedtime", "2026-11-23 09:00", "2026-11-22 23:30"),
    ("menin nukkumaan klo 9", "bedtime", "2026-11-23 22:00", "2026-11-23 21:00"),
    ("menin yöllä kolmelta nukkumaan", "bedtime", "2026-11-23 12:00", "2026-11-23 03:00"),
    ("menin nukkuun yhdeltatoista", "bedtime", "2026-11-23 08:00", "2026-11-22 23:00"),
    ("eilen illalla kymmeneltä menin nukkumaan", "bedtime", "2026-11-23 10:00", "2026-11-22 22:00"),
    # "Yesterday I went to bed at two": the night after yesterday.
    ("eilen menin nukkumaan kahdelta", "bedtime", "2026-11-23 10:00", "2026-11-23 02:00"),
    (
        "sunnuntaina menin nukkumaan yhdeltätoista",
        "bedtime",
        "2026-11-23 09:00",
        "2026-11-22 23:00",
    ),
    # Meals by the meal named; other reports the latest reading past.
    ("söin lounaan", "meal", "2026-11-23 12:00", None),
    ("söin lounaan yhdeltä", "meal", "2026-11-23 15:00", "2026-11-23 13:00"),
    ("söin lounaan yhdeltätoista", "meal", "2026-11-23 15:00", "2026-11-23 11:00"),
    ("söin aamupalan kahdeksalta", "meal", "2026-11-23 21:00", "2026-11-23 08:00"),
    ("söin päivällistä kuudelta", "meal", "2026-11-23 20:00", "2026-11-23 18:00"),
    ("söin iltapalan yhdeksältä", "meal", "2026-11-23 23:00", "2026-11-23 21:00"),
    ("kävin kävelyllä kuudelta", "activity", "2026-11-23 20:00", "2026-11-23 18:00"),
    ("kävin kävelyllä kuudelta", "activity", "2026-11-23 10:00", "2026-11-23 06:00"),
    ("kävin kaupassa kymmeneltä", "activity", "2026-11-23 09:00", "2026-11-22 22:00"),
    ("kävin kävelyllä", "activity", "2026-11-23 10:00", None),
    # Nothing that is a time.
    ("olo on huono", "mood", "2026-11-23 10:00", None),
    ("heräsin klo 25", "wake_up", "2026-11-23 10:00", None),
    ("eilen", "wake_up", "2026-11-23 10:00", None),
    ("", "bedtime", "2026-11-23 10:00", None),
]


@pytest.mark.parametrize(("text", "kind", "now", "expected"), REPORTS)
def test_the_time_a_report_names(text: str, kind: str, now: str, expected: str | None) -> None:
    found = report_time(text, kind, local(now).astimezone(UTC), HELSINKI)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.tzinfo is UTC
        assert found == local(expected)


def test_the_time_zone_may_be_given_by_name() -> None:
    now = local("2026-11-23 11:00").astimezone(UTC)
    assert report_time("heräsin yhdeksältä", "wake_up", now, "Europe/Helsinki") == local(
        "2026-11-23 09:00"
    )


def test_a_wake_up_on_the_day_the_clocks_go_back_is_eight_on_the_clock() -> None:
    now = local("2026-10-25 10:00").astimezone(UTC)
    found = report_time("heräsin kahdeksalta", "wake_up", now, HELSINKI)
    assert found == dt.datetime(2026, 10, 25, 6, 0, tzinfo=UTC)  # EET, +02:00 since 04:00


# -- moods and meals ---------------------------------------------------------------------------

MOOD_WORDS = [
    # A score on the scale.
    ("3", 3),
    ("4/5", 4),
    ("4 / 5", 4),
    ("2/5 huono päivä", 2),
    ("8/10", 4),
    ("10/10", 5),
    ("3-4", 3),
    ("olo on 5", 5),
    ("kolmonen", 3),
    ("kolme", 3),
    ("6", None),
    ("0", None),
    ("nukuin 3 tuntia", None),
    ("klo 3", None),
    ("mp3", None),
    # Words, with and without ä/ö, colloquial and mistyped.
    ("tosi huono", 1),
    ("todella huono", 1),
    ("hyvin huono", 1),
    ("kamala päivä", 1),
    ("ihan paska", 1),
    ("surkea", 1),
    ("huono", 2),
    ("huonoo", 2),
    ("huonosti meni", 2),
    ("olo on aika huono tänään", 2),
    ("ei kovin hyvä", 2),
    ("ei kovin hyva", 2),
    ("ei hyvä", 2),
    ("ei niin hyvä", 2),
    ("ei ok", 2),
    ("väsyttää", 2),
    ("paha olo", 2),
    ("ihan ok", 3),
    ("ok", 3),
    ("okei", 3),
    ("menettelee", 3),
    ("menetelee", 3),
    ("keskiverto", 3),
    ("siinä ja siinä", 3),
    ("siina ja siina", 3),
    ("ei huono", 3),
    ("ei hyvä eikä huono", 3),
    ("ei mikään loistava", 3),
    ("aamu oli huono mutta nyt ok", 3),
    ("hyvä", 4),
    ("hyva", 4),
    ("hyvää", 4),
    ("hyvaaa", 4),
    ("ihan hyvä", 4),
    ("ihan hyva", 4),
    ("kiitos hyvää", 4),
    ("ihan jees", 4),
    ("ei ollenkaan huono", 4),
    ("tosi hyvä", 5),
    ("tosi hyva", 5),
    ("tosiii hyvä", 5),
    ("hirveen hyvä", 5),
    ("loistava", 5),
    ("lostava", 5),
    ("mahtava", 5),
    ("mahtavaa", 5),
    ("mahtva", 5),
    ("erinomanen", 5),
    # Negated to the bottom.
    ("ei yhtään hyvä", 1),
    # Emoji.
    ("😊", 4),
    ("😭", 1),
    # No mood.
    ("ei", None),
    ("en tiiä", None),
    ("kävin kaupassa", None),
    ("huone", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), MOOD_WORDS)
def test_a_mood_from_the_clients_own_words(text: str, expected: int | None) -> None:
    assert mood_score(text) == expected


MEAL_WORDS = [
    ("söin lounaan", "lounas"),
    ("lounasta", "lounas"),
    ("lounaalla kävin", "lounas"),
    ("lunas", "lounas"),
    ("aamupalaa", "aamupala"),
    ("söin aamupalan", "aamupala"),
    ("aamiainen", "aamupala"),
    ("aamupla", "aamupala"),
    ("syötiin päivällistä", "päivällinen"),
    ("syotiin paivallista", "päivällinen"),
    ("illallinen", "päivällinen"),
    ("iltapalan", "iltapala"),
    ("iltapala", "iltapala"),
    ("välipalaa", "välipala"),
    ("valipala", "välipala"),
    ("söin aamupalan ja lounaan", "aamupala"),
    ("söin", None),
    ("kävin iltapäivällä kaupassa", None),
    ("päivällä söin vähän", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), MEAL_WORDS)
def test_the_meal_a_message_names(text: str, expected: str | None) -> None:
    assert meal_of(text) == expected


def test_every_meal_named_once_in_order() -> None:
    assert meals_of("aamupala, lounas ja vielä lounasta") == ["aamupala", "lounas"]


# -- properties --------------------------------------------------------------------------------

PIECES = [
    "heräsin",
    "menin nukkumaan",
    "söin",
    "lounaan",
    "klo",
    "puoli",
    "kahdelta",
    "yhdeltätoista",
    "yhdeksältä",
    "eilen",
    "huomenna",
    "illalla",
    "puolilta öin",
    "tunti sitten",
    "ei",
    "tosi",
    "hyvä",
    "huono",
    "4/5",
    "23.30",
    "😊",
    "3",
]
texts = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(PIECES), max_size=6).map(" ".join),
)
nows = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2098, 12, 31), timezones=st.just(UTC)
)


@given(texts, st.sampled_from(sorted(KINDS)), nows)
def test_a_reported_time_is_never_in_the_future(text: str, kind: str, now: dt.datetime) -> None:
    found = report_time(text, kind, now, HELSINKI)
    assert found is None or (found.tzinfo is UTC and found <= now)


@given(texts)
def test_any_text_gives_a_mood_on_the_scale_or_none(text: str) -> None:
    assert mood_score(text) in (None, 1, 2, 3, 4, 5)


@given(texts)
def test_any_text_gives_known_meals(text: str) -> None:
    assert set(meals_of(text)) <= set(MEALS)


# -- keeping entries ---------------------------------------------------------------------------


def _client(
    session: Session,
    *,
    morning: dt.time | None = dt.time(8, 0),
    weekdays: str = "1234567",
    since: dt.date = dt.date(2026, 10, 1),
    timezone: str = "Europe/Helsinki",
) -> Client:
    created = dt.datetime.combine(since, dt.time(12, 0), tzinfo=HELSINKI)
    client = Client(
        created_at=created, status=ClientStatus.ACTIVE, consent=Consent.GIVEN, timezone=timezone
    )
    session.add(client)
    session.flush()
    if morning is not None:
        session.add(
            CheckinSchedule(
                client_id=client.id,
                kind=CheckinKind.MORNING,
                local_time=morning,
                weekdays=weekdays,
                created_at=created,
            )
        )
    return client


def _woke(session: Session, client: Client, day: dt.date, at: str) -> None:
    """The client reports, ten minutes later, that they woke at `at` on `day`."""
    woke = local(f"{day.isoformat()} {at}")
    record(session, client, "wake_up", woke + dt.timedelta(minutes=10), happened_at=woke)


def test_an_entry_is_dated_in_the_clients_own_time_zone(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, timezone="America/New_York")
        # 02:00 in Helsinki is still the evening before in New York.
        entry = record(session, client, "mood", local("2026-11-23 02:00"), mood=3)
        assert entry.local_date == dt.date(2026, 11, 22)
        assert entry.happened_at == local("2026-11-23 02:00")


def test_the_clients_words_are_kept_as_written_up_to_a_page(context: AppContext) -> None:
    now = local("2026-11-23 10:00")
    with transaction(context.sessions) as session:
        client = _client(session)
        kept = record(session, client, "went_well", now, words="  Kävin  ulkona!  ")
        long = record(session, client, "went_well", now, words="a" * 5000)
        blank = record(session, client, "went_well", now, words="   ")
        meal = record(session, client, "meal", now, detail="x" * 100)
    assert kept.words == "  Kävin  ulkona!  "
    assert long.words is not None and len(long.words) == MAX_WORDS
    assert blank.words is None
    assert meal.detail is not None and len(meal.detail) == 64


@pytest.mark.parametrize(
    ("kind", "mood", "happened_at"),
    [
        ("dream", None, None),
        ("mood", 0, None),
        ("mood", 6, None),
        ("wake_up", None, dt.datetime(2026, 11, 23, 9, 0)),
    ],
)
def test_what_the_diary_refuses(
    context: AppContext, kind: str, mood: int | None, happened_at: dt.datetime | None
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session)
        with pytest.raises(ValueError):
            record(
                session, client, kind, local("2026-11-23 10:00"), mood=mood, happened_at=happened_at
            )


# -- stories a coach recognises ----------------------------------------------------------------


def _days_before(today: dt.date, count: int) -> list[dt.date]:
    """The `count` days before `today`, oldest first."""
    return [today - dt.timedelta(days=n) for n in range(count, 0, -1)]


def test_waking_at_nine_reported_at_eleven_is_nine_today_and_on_time(
    context: AppContext,
) -> None:
    written = local("2026-11-23 11:00")
    with transaction(context.sessions) as session:
        client = _client(session, morning=dt.time(8, 30))
        woke = report_time("heräsin yhdeksältä", "wake_up", written, client.timezone)
        entry = record(
            session, client, "wake_up", written, happened_at=woke, words="heräsin yhdeksältä"
        )
        progress = rhythm_progress(session, client.id, MONDAY)
    assert (entry.local_date, entry.happened_at) == (MONDAY, local("2026-11-23 09:00"))
    assert entry.created_at == written
    # 09:00 is within the hour of slack after the 08:30 check-in.
    assert progress.today_on_time and progress.mornings_in_a_row == 1


def test_on_a_workshop_day_on_time_is_by_the_workshop_morning(context: AppContext) -> None:
    """Aino's check-in is at 9.00, but on Mondays she goes to the workshop and it comes at
    6.30: up at 8.00 is on time on Tuesday and not on Monday."""
    tuesday = MONDAY - dt.timedelta(days=6)
    with transaction(context.sessions) as session:
        client = _client(session, morning=dt.time(9, 0), since=MONDAY - dt.timedelta(days=7))
        client.activity_days = "1"
        schedule = session.scalars(
            select(CheckinSchedule).where(CheckinSchedule.client_id == client.id)
        ).one()
        schedule.activity_time = dt.time(6, 30)
        _woke(session, client, tuesday, "08:00")
        _woke(session, client, MONDAY, "08:00")
        on_tuesday = rhythm_progress(session, client.id, tuesday)
        on_monday = rhythm_progress(session, client.id, MONDAY)
    assert on_tuesday.today_on_time
    assert not on_monday.today_on_time


def test_one_late_morning_after_a_good_week_barely_dents_the_rhythm(
    context: AppContext,
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, since=MONDAY - dt.timedelta(days=8))
        good_week, late = _days_before(MONDAY, 8)[:7], MONDAY - dt.timedelta(days=1)
        for day in good_week:
            _woke(session, client, day, "07:50")
        before = rhythm_progress(session, client.id, late - dt.timedelta(days=1))
        _woke(session, client, late, "11:30")
        after = rhythm_progress(session, client.id, MONDAY)
        _woke(session, client, MONDAY, "08:05")
        next_morning = rhythm_progress(session, client.id, MONDAY)
    assert before.level == 1.0 and before.mornings_in_a_row == 7
    # A streak would be back at zero; the measure keeps most of the good week.
    assert after.mornings_in_a_row == 0
    assert after.level is not None and 0.8 < after.level < 0.9
    assert next_morning.level is not None and next_morning.level > after.level
    assert next_morning.mornings_in_a_row == 1


def test_over_a_long_good_run_one_lapse_costs_under_a_tenth(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, since=MONDAY - dt.timedelta(days=41))
        *good, late = _days_before(MONDAY, 41)
        for day in good:
            _woke(session, client, day, "07:30")
        _woke(session, client, late, "12:00")
        progress = rhythm_progress(session, client.id, MONDAY)
    assert progress.level is not None and progress.level > 0.9
    assert progress.mornings_counted == 41


def test_a_morning_without_any_answer_counts_as_late_but_only_once_it_is_over(
    context: AppContext,
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, since=MONDAY - dt.timedelta(days=2))
        _woke(session, client, MONDAY - dt.timedelta(days=2), "07:00")
        # Sunday: no word from the client. Monday: not up yet (or not told).
        progress = rhythm_progress(session, client.id, MONDAY)
    assert progress.mornings_counted == 2
    decay = 0.5 ** (1 / 10)
    assert progress.level == pytest.approx(decay / (1 + decay))
    assert not progress.today_on_time and progress.mornings_in_a_row == 0


def test_answering_the_morning_checkin_in_time_is_an_on_time_morning(
    context: AppContext,
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, morning=dt.time(8, 0), since=MONDAY)
        record(session, client, "sleep", local("2026-11-23 08:40"), detail="good")
        record(session, client, "plan", local("2026-11-23 08:41"), words="kauppaan")
        progress = rhythm_progress(session, client.id, MONDAY)
    assert progress == Progress(
        level=1.0, mornings_in_a_row=1, today_on_time=True, mornings_counted=1
    )


def test_a_sick_day_freezes_the_measure(context: AppContext) -> None:
    days = _days_before(MONDAY, 6)
    with transaction(context.sessions) as session:
        well = _client(session, since=days[0])
        sick = _client(session, since=days[0])
        for day in days[:3] + days[4:]:
            _woke(session, well, day, "07:45")
            _woke(session, sick, day, "07:45")
        # The third day: one client is up late; the other is ill and stays in bed.
        _woke(session, well, days[3], "13:00")
        record(session, sick, "sick", local(f"{days[3]} 13:00"), words="kuumetta")
        with_lapse = rhythm_progress(session, well.id, MONDAY)
        frozen = rhythm_progress(session, sick.id, MONDAY)
    assert with_lapse.mornings_in_a_row == 2 and with_lapse.level is not None
    assert with_lapse.level < 1.0
    # Neither up nor down: five mornings counted, all on time, the run unbroken.
    assert frozen == Progress(
        level=1.0, mornings_in_a_row=5, today_on_time=False, mornings_counted=5
    )


def test_a_paused_week_freezes_the_measure(context: AppContext) -> None:
    days = _days_before(MONDAY, 14)
    with transaction(context.sessions) as session:
        client = _client(session, since=days[0])
        for day in days[:7]:
            _woke(session, client, day, "07:45")
        record_pause(session, client, days[7], days[13], local(f"{days[6]} 10:00"))
        _woke(session, client, MONDAY, "07:55")
        progress = rhythm_progress(session, client.id, MONDAY)
    assert progress == Progress(
        level=1.0, mornings_in_a_row=8, today_on_time=True, mornings_counted=8
    )


def test_paused_until_freezes_the_silent_days_up_to_it(context: AppContext) -> None:
    days = _days_before(MONDAY, 10)
    with transaction(context.sessions) as session:
        client = _client(session, since=days[0])
        for day in days[:5]:
            _woke(session, client, day, "07:45")
        # The pause was set with no pause entry: it ends when Sunday ends.
        client.paused_until = local("2026-11-23 00:00")
        progress = rhythm_progress(session, client.id, MONDAY)
        client.paused_until = None
        client.status = ClientStatus.PAUSED  # paused with no end: up to today
        still_paused = rhythm_progress(session, client.id, MONDAY)
    assert progress == Progress(
        level=1.0, mornings_in_a_row=5, today_on_time=False, mornings_counted=5
    )
    assert still_paused == progress


def test_days_without_a_morning_checkin_count_neither_way(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        # Weekdays only: Friday on time, the weekend free, Monday on time.
        client = _client(session, weekdays="12345", since=dt.date(2026, 11, 20))
        _woke(session, client, dt.date(2026, 11, 20), "07:50")
        _woke(session, client, MONDAY, "08:00")
        progress = rhythm_progress(session, client.id, MONDAY)
    assert progress.mornings_in_a_row == 2 and progress.mornings_counted == 2


def test_the_day_the_clocks_go_back_is_judged_on_the_clock(context: AppContext) -> None:
    sunday = dt.date(2026, 10, 25)
    with transaction(context.sessions) as session:
        client = _client(session, morning=dt.time(8, 0), since=dt.date(2026, 10, 24))
        _woke(session, client, dt.date(2026, 10, 24), "08:50")
        _woke(session, client, sunday, "08:50")
        progress = rhythm_progress(session, client.id, sunday)
    assert progress.mornings_in_a_row == 2 and progress.today_on_time


def test_a_client_without_a_morning_time_has_no_measure_yet(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, morning=None)
        _woke(session, client, MONDAY, "07:00")
        progress = rhythm_progress(session, client.id, MONDAY)
    assert progress == Progress(
        level=None, mornings_in_a_row=0, today_on_time=False, mornings_counted=0
    )


def test_the_third_on_time_morning_in_a_row_is_celebrated(context: AppContext) -> None:
    saturday, sunday = dt.date(2026, 11, 21), dt.date(2026, 11, 22)
    with transaction(context.sessions) as session:
        client = _client(session, since=saturday)
        _woke(session, client, saturday, "07:30")
        _woke(session, client, sunday, "08:30")
        second = celebration(rhythm_progress(session, client.id, sunday))
        before_waking = celebration(rhythm_progress(session, client.id, MONDAY))
        _woke(session, client, MONDAY, "07:40")
        third = celebration(rhythm_progress(session, client.id, MONDAY))
    assert (second, before_waking) == (None, None)
    assert third == ("celebrate_mornings", 3)


@pytest.mark.parametrize("count", [3, 5, 7, 14, 21, 30])
def test_milestones_are_celebrated(count: int) -> None:
    progress = Progress(level=0.9, mornings_in_a_row=count, today_on_time=True, mornings_counted=40)
    assert celebration(progress) == ("celebrate_mornings", count)


@pytest.mark.parametrize(
    "progress",
    [
        Progress(level=0.9, mornings_in_a_row=4, today_on_time=True, mornings_counted=40),
        Progress(level=0.9, mornings_in_a_row=31, today_on_time=True, mornings_counted=40),
        # Yesterday was the third; today has not been on time (late, sick or not yet).
        Progress(level=0.8, mornings_in_a_row=3, today_on_time=False, mornings_counted=40),
        Progress(level=0.6, mornings_in_a_row=0, today_on_time=False, mornings_counted=40),
    ],
)
def test_no_celebration_off_a_milestone_or_on_a_lapse(progress: Progress) -> None:
    assert celebration(progress) is None


def test_a_milestone_is_celebrated_once_when_the_morning_that_makes_it_is_told(
    context: AppContext,
) -> None:
    with transaction(context.sessions) as session:
        client = _client(session, since=dt.date(2026, 11, 21))
        _woke(session, client, dt.date(2026, 11, 21), "07:30")
        _woke(session, client, dt.date(2026, 11, 22), "07:30")
        celebrated = []
        # The morning check-in answered in time, then a wake-up reported the same morning.
        for kind, moment in (("sleep", "08:20"), ("wake_up", "08:40")):
            before = rhythm_progress(session, client.id, MONDAY)
            record(session, client, kind, local(f"2026-11-23 {moment}"))
            after = rhythm_progress(session, client.id, MONDAY)
            if not before.today_on_time and after.today_on_time:
                celebrated.append(celebration(after))
    assert celebrated == [("celebrate_mornings", 3)]
