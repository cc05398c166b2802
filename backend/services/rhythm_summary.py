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
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CheckinEntry, CheckinKind, Client
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
    zone = ZoneInfo(client.timezone)
    last = week_start + 6 * _DAY
    entries = list(
        session.scalars(
            select(CheckinEntry)
            .where(
                CheckinEntry.client_id == client_id,
                CheckinEntry.local_date >= week_start - 7 * _DAY,
                # A bedtime of the week's last night may fall on the next day's date.
                CheckinEntry.local_date <= last + _DAY,
            )
            .order_by(CheckinEntry.created_at, CheckinEntry.id)
        )
    )
    week = [entry for entry in entries if week_start <= entry.local_date <= last]
    mornings = diary.scheduled_days(session, client, CheckinKind.MORNING, week_start, last, last)
    evenings = diary.scheduled_days(session, client, CheckinKind.EVENING, week_start, last, last)
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
        paused_days=len(diary.paused_days(session, client, week_start, last, last)),
    )


def _days_with(
    entries: Iterable[CheckinEntry], kinds: Iterable[str], *, answered: bool = False
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
    entries: Iterable[CheckinEntry],
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


def _mood_average(entries: Iterable[CheckinEntry]) -> float | None:
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
