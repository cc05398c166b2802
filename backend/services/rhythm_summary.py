"""A week of a client's daily rhythm, for their coach's weekly digest.

Everything is counted from the client's diary (`backend.services.diary`), in the client's own
time zone, so a week across a daylight-saving change reads as the client lived it.

* A check-in counts as answered on a day with an entry of its kinds, given in the check-in or
  reported on its own: the morning's are ``wake_up``, ``sleep`` and ``plan``, the evening's
  ``mood``, ``meal``, ``activity`` and ``went_well``. Only days with that check-in scheduled
  (`diary.scheduled_days`: an active schedule covers the weekday and the client had not paused)
  are counted, so answered is never more than scheduled.
* Wake and bed times are local clock times, one a day (the one recorded last, so a correction
  wins), as the median and the spread from the earliest to the latest. Bedtimes are read on a
  clock that starts at noon, so 23:30 and 00:30 are an hour apart and their median is midnight;
  a bedtime belongs to the night it starts (00:30 on Monday is Sunday's night).
* The mood average is the mean of each day's mean (a day of many reports weighs as one day),
  rounded to one decimal; the trend compares it with the week before (`MOOD_TREND_STEP`).

`week_summaries` sums up many clients' weeks (a coach's digest) with a fixed number of queries
however many clients there are; `week_summary` is the same function for one client.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CheckinEntry, CheckinKind, CheckinSchedule, Client
from backend.models.base import StrEnum
from backend.services import diary

MORNING_KINDS = frozenset({diary.WAKE_UP, diary.SLEEP, diary.PLAN})
EVENING_KINDS = frozenset({diary.MOOD, diary.MEAL, diary.ACTIVITY, diary.WENT_WELL})
# A change of less than half a step on the 1-5 scale is everyday variation, not a trend.
MOOD_TREND_STEP = 0.5

_DAY = dt.timedelta(days=1)
_MINUTES_A_DAY = 24 * 60
# Bedtimes are placed on a clock that starts at noon, so that the night is not cut at midnight.
_NOON = dt.timedelta(hours=12)


class Trend(StrEnum):
    """How this week's mood compares with last week's."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@dataclass(frozen=True)
class RhythmWeek:
    """One client's week (`week_start` and the six days after it) in numbers.

    Times are local clock times; every field is None (or 0) when the week has nothing to say.
    """

    week_start: dt.date
    mornings_answered: int
    mornings_scheduled: int
    evenings_answered: int
    evenings_scheduled: int
    wake_median: dt.time | None
    wake_earliest: dt.time | None
    wake_latest: dt.time | None
    bed_median: dt.time | None
    bed_earliest: dt.time | None
    bed_latest: dt.time | None
    mood_average: float | None
    mood_previous_average: float | None
    mood_trend: Trend | None
    meal_days: int
    activity_days: int
    own_words: int
    sick_days: int
    paused_days: int


def week_summary(session: Session, client_id: int, week_start: dt.date) -> RhythmWeek:
    """The rhythm of the client's week that starts on `week_start` (usually a Monday).

    Raises LookupError for an unknown client.
    """
    client = session.get(Client, client_id)
    if client is None:
        raise LookupError(f"no client {client_id}")
    # One implementation for one client and many, so that the digest and a single client's
    # summary can never disagree.
    return week_summaries(session, [client], week_start)[client.id]


def week_summaries(
    session: Session, clients: Sequence[Client], week_start: dt.date
) -> dict[int, RhythmWeek]:
    """The rhythm of each client's week that starts on `week_start`, by client id.

    Reads everything the clients need with a fixed number of queries however many they are
    (their entries, schedules and pauses; and, only if some client is on a pause that no pause
    entry starts, the day each of those last wrote), so that a coach's digest does not cost a
    handful of queries per client.
    """
    if not clients:
        return {}
    ids = [client.id for client in clients]
    last = week_start + 6 * _DAY
    entries: defaultdict[int, list[_Entry]] = defaultdict(list)
    rows = session.execute(
        select(
            CheckinEntry.client_id,
            CheckinEntry.kind,
            CheckinEntry.local_date,
            CheckinEntry.happened_at,
            CheckinEntry.mood,
            CheckinEntry.detail,
            CheckinEntry.words,
        )
        .where(
            CheckinEntry.client_id.in_(ids),
            CheckinEntry.local_date >= week_start - 7 * _DAY,
            # A bedtime of the week's last night may fall on the next day's date.
            CheckinEntry.local_date <= last + _DAY,
        )
        # Each client's entries stay in the order they were recorded (a correction wins).
        .order_by(CheckinEntry.created_at, CheckinEntry.id)
    )
    for client_id, *fields in rows:
        entries[client_id].append(_Entry(*fields))
    schedules = _schedules(session, ids)
    paused = diary.paused_days_of(session, clients, week_start, last, last)
    return {
        client.id: _summary(
            client,
            week_start,
            entries[client.id],
            schedules[client.id],
            paused[client.id],
        )
        for client in clients
    }


class _Entry(NamedTuple):
    """The fields of a diary entry that the summary reads (lighter than the mapped row)."""

    kind: str
    local_date: dt.date
    happened_at: dt.datetime | None
    mood: int | None
    detail: str | None
    words: str | None


def _summary(
    client: Client,
    week_start: dt.date,
    entries: Sequence[_Entry],
    schedules: dict[CheckinKind, list[CheckinSchedule]],
    paused: set[dt.date],
) -> RhythmWeek:
    """One client's week from what `week_summaries` read: `entries` from the week before to
    the day after the week, in the order they were recorded; active `schedules` by kind; the
    week's `paused` days."""
    zone = ZoneInfo(client.timezone)
    last = week_start + 6 * _DAY
    week = [entry for entry in entries if week_start <= entry.local_date <= last]
    mornings = _scheduled(client, schedules.get(CheckinKind.MORNING, []), paused, week_start)
    evenings = _scheduled(client, schedules.get(CheckinKind.EVENING, []), paused, week_start)
    wake = _spread(_one_a_day(entries, diary.WAKE_UP, zone, dt.timedelta(), week_start, last))
    bed = _spread(_one_a_day(entries, diary.BEDTIME, zone, _NOON, week_start, last))
    mood = _mood_average(week)
    previous = _mood_average(entry for entry in entries if entry.local_date < week_start)
    return RhythmWeek(
        week_start=week_start,
        mornings_answered=len(mornings & _days_with(week, MORNING_KINDS, answered=True)),
        mornings_scheduled=len(mornings),
        evenings_answered=len(evenings & _days_with(week, EVENING_KINDS, answered=True)),
        evenings_scheduled=len(evenings),
        wake_median=_clock(wake[0]),
        wake_earliest=_clock(wake[1]),
        wake_latest=_clock(wake[2]),
        bed_median=_clock(bed[0], _NOON),
        bed_earliest=_clock(bed[1], _NOON),
        bed_latest=_clock(bed[2], _NOON),
        mood_average=None if mood is None else round(mood, 1),
        mood_previous_average=None if previous is None else round(previous, 1),
        mood_trend=_trend(mood, previous),
        meal_days=len(_days_with(week, {diary.MEAL})),
        activity_days=len(_days_with(week, {diary.ACTIVITY})),
        own_words=sum(1 for entry in week if entry.words),
        sick_days=len(_days_with(week, {diary.SICK})),
        paused_days=len(paused),
    )


def _schedules(
    session: Session, client_ids: Sequence[int]
) -> defaultdict[int, dict[CheckinKind, list[CheckinSchedule]]]:
    """The clients' active check-in schedules by client and kind, from one query."""
    by_client: defaultdict[int, dict[CheckinKind, list[CheckinSchedule]]] = defaultdict(dict)
    rows = session.scalars(
        select(CheckinSchedule).where(
            CheckinSchedule.client_id.in_(client_ids), CheckinSchedule.active.is_(True)
        )
    )
    for schedule in rows:
        by_client[schedule.client_id].setdefault(schedule.kind, []).append(schedule)
    return by_client


def _scheduled(
    client: Client,
    schedules: Sequence[CheckinSchedule],
    paused: set[dt.date],
    week_start: dt.date,
) -> set[dt.date]:
    """The week's days with a check-in of the schedules' kind planned and no pause, as
    `diary.scheduled_days` counts them: its rule for a planned day is reused, not copied, so
    that the two cannot drift apart."""
    zone = ZoneInfo(client.timezone)
    days = (week_start + n * _DAY for n in range(7))
    return {
        day
        for day in days
        if day not in paused and diary.planned_time(schedules, client, day, zone) is not None
    }


def _days_with(
    entries: Iterable[_Entry], kinds: Iterable[str], *, answered: bool = False
) -> set[dt.date]:
    """Days with an entry of one of `kinds` that says the thing happened, or with any answer
    of those kinds at all (a "no" too) when `answered`."""
    wanted = frozenset(kinds)
    return {
        entry.local_date
        for entry in entries
        if entry.kind in wanted
        and (answered or entry.detail not in diary.NOT_DONE.get(entry.kind, ()))
    }


def _one_a_day(
    entries: Iterable[_Entry],
    kind: str,
    zone: ZoneInfo,
    day_starts: dt.timedelta,
    first: dt.date,
    last: dt.date,
) -> list[int]:
    """Each day's last-recorded time of `kind` from `first` to `last`, sorted, in minutes since
    the day began at `day_starts` (the day being that of the local time less `day_starts`).

    `entries` come in the order they were recorded.
    """
    by_day: dict[dt.date, int] = {}
    for entry in entries:
        if entry.kind != kind or entry.happened_at is None:
            continue
        shifted = entry.happened_at.astimezone(zone).replace(tzinfo=None) - day_starts
        if first <= shifted.date() <= last:
            by_day[shifted.date()] = shifted.hour * 60 + shifted.minute
    return sorted(by_day.values())


def _spread(minutes: list[int]) -> tuple[int | None, int | None, int | None]:
    """Median, earliest and latest of sorted minutes (the median of two is halfway)."""
    if not minutes:
        return None, None, None
    middle = len(minutes) // 2
    median = minutes[middle] if len(minutes) % 2 else (minutes[middle - 1] + minutes[middle]) // 2
    return median, minutes[0], minutes[-1]


def _clock(minutes: int | None, day_starts: dt.timedelta = dt.timedelta()) -> dt.time | None:
    if minutes is None:
        return None
    wall = (minutes + int(day_starts.total_seconds()) // 60) % _MINUTES_A_DAY
    return dt.time(wall // 60, wall % 60)


def _mood_average(entries: Iterable[_Entry]) -> float | None:
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.kind == diary.MOOD and entry.mood is not None:
            by_day[entry.local_date].append(entry.mood)
    if not by_day:
        return None
    return sum(sum(moods) / len(moods) for moods in by_day.values()) / len(by_day)


def _trend(mood: float | None, previous: float | None) -> Trend | None:
    if mood is None or previous is None:
        return None
    # Rounded first, so that float noise cannot tip a change of exactly half a step.
    change = round(mood - previous, 6)
    if change >= MOOD_TREND_STEP:
        return Trend.UP
    if -change >= MOOD_TREND_STEP:
        return Trend.DOWN
    return Trend.FLAT
