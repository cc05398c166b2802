"""Turn extracted facts into a concrete local date and time, relative to "now".

All arithmetic is on local wall-clock values: "huomenna klo 8" is 08:00 on the
clock tomorrow even when a daylight-saving change falls in between.  The one
exception is an elapsed time ("tunnin päästä"), which is real elapsed time and
is therefore added in UTC.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from .clock import apply_daypart
from .facts import CalendarDate, ClockTime, Facts, WeekdayMode, WeekdayRef
from .model import ParsedTime, Prefer

# How far the search for a matching date goes: "29.2." may be up to 8 years away.
_YEARS_TO_SEARCH = 9
_MONTHS_TO_SEARCH = 48


class _Clock:
    """The chosen time of day, after the day part was applied."""

    def __init__(self, time: datetime.time, carry_days: int) -> None:
        self.time = time
        self.carry_days = carry_days

    def on(self, day: datetime.date) -> datetime.datetime:
        """This time on ``day`` (on the next day for "klo 24")."""
        moment = datetime.datetime.combine(day, self.time)
        return moment + datetime.timedelta(days=self.carry_days)


class _Context:
    def __init__(self, now: datetime.datetime, clock: _Clock | None, prefer: Prefer) -> None:
        self.now = now
        self.today = now.date()
        self.clock = clock
        self.future = prefer == "future"

    def fits(self, day: datetime.date) -> bool:
        """Whether ``day`` lies on the preferred side of now.

        With a time, the moment must be strictly after now (future) or at/before
        now (past).  Without a time, today counts on both sides: a client who
        writes today's date means today.
        """
        if self.clock is not None:
            moment = self.clock.on(day)
            return moment > self.now if self.future else moment <= self.now
        return day >= self.today if self.future else day <= self.today


def _local_wall_clock(now: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        return now
    return now.astimezone(tz).replace(tzinfo=None)


def _after_elapsed(now: datetime.datetime, tz: ZoneInfo, delta: datetime.timedelta) -> ParsedTime:
    aware = (
        now if now.tzinfo is not None and now.utcoffset() is not None else now.replace(tzinfo=tz)
    )
    moment = (aware.astimezone(datetime.timezone.utc) + delta).astimezone(tz)
    return ParsedTime(moment.date(), datetime.time(moment.hour, moment.minute))


def _choose_clock(facts: Facts) -> _Clock | None:
    if not facts.times:
        return None
    chosen: ClockTime = min(facts.times, key=lambda t: t.start)
    hour, carry = chosen.hour, chosen.carry_days
    if chosen.adjustable and facts.dayparts:
        # The day part nearest to the time is the one that describes it.
        nearest = min(
            facts.dayparts,
            key=lambda mark: max(mark.start - chosen.end, chosen.start - mark.end, 0),
        )
        hour, extra = apply_daypart(hour, nearest.part)
        carry += extra
    return _Clock(datetime.time(hour, chosen.minute), carry)


def _calendar_day(fact: CalendarDate, ctx: _Context) -> datetime.date | None:
    if fact.month is None:
        return _day_of_month(fact, ctx)
    if fact.year is not None:
        return datetime.date(fact.year, fact.month, fact.day)
    step = 1 if ctx.future else -1
    for offset in range(_YEARS_TO_SEARCH):
        year = ctx.today.year + step * offset
        try:
            candidate = datetime.date(year, fact.month, fact.day)
        except ValueError:
            continue  # 29.2. in a common year
        if ctx.fits(candidate):
            return candidate
    return None


def _day_of_month(fact: CalendarDate, ctx: _Context) -> datetime.date | None:
    base = ctx.today.year * 12 + ctx.today.month - 1
    if fact.month_offset is not None:
        index = base + fact.month_offset
        try:
            return datetime.date(index // 12, index % 12 + 1, fact.day)
        except ValueError:
            return None  # "ensi kuun 31." when next month has 30 days
    step = 1 if ctx.future else -1
    for offset in range(_MONTHS_TO_SEARCH):
        index = base + step * offset
        try:
            candidate = datetime.date(index // 12, index % 12 + 1, fact.day)
        except ValueError:
            continue
        if ctx.fits(candidate):
            return candidate
    return None


def _weekday_day(ref: WeekdayRef, week_shift: int | None, ctx: _Context) -> datetime.date:
    if week_shift is not None:
        monday = ctx.today - datetime.timedelta(days=ctx.today.weekday())
        return monday + datetime.timedelta(days=7 * week_shift + ref.weekday)
    if ref.mode is WeekdayMode.PLAIN:
        # A weekday without a time never means today: on a Monday "maanantaina"
        # is next Monday, as the client would otherwise have said "tänään".
        first = 0 if ctx.clock is not None else 1
        step = 1 if ctx.future else -1
        for offset in range(first, 8):
            candidate = ctx.today + datetime.timedelta(days=step * offset)
            if candidate.weekday() == ref.weekday and ctx.fits(candidate):
                return candidate
    step = -1 if ref.mode is WeekdayMode.LAST else 1
    for offset in range(1, 8):
        candidate = ctx.today + datetime.timedelta(days=step * offset)
        if candidate.weekday() == ref.weekday:
            return candidate
    raise AssertionError("every weekday occurs within seven days")


def _anchor_day(facts: Facts, ctx: _Context) -> datetime.date | None:
    """The day the message names, or None when it names none."""
    if facts.dates:
        return _calendar_day(min(facts.dates, key=lambda d: d.start), ctx)
    weekday = min(facts.weekdays, key=lambda w: w.start) if facts.weekdays else None
    if facts.relative_days:
        relative = min(facts.relative_days, key=lambda r: r.start)
        if relative.weeks is not None and weekday is not None:
            # "viikon päästä tiistaina": the Tuesday of the week one week ahead.
            return _weekday_day(weekday, relative.weeks, ctx)
        return ctx.today + datetime.timedelta(days=relative.days)
    if weekday is not None:
        shift = facts.week_shifts[0] if facts.week_shifts else None
        return _weekday_day(weekday, shift, ctx)
    return None


def _bare_time_day(ctx: _Context) -> datetime.date:
    if ctx.fits(ctx.today):
        return ctx.today
    return ctx.today + datetime.timedelta(days=1 if ctx.future else -1)


def resolve(
    facts: Facts, now: datetime.datetime, tz: ZoneInfo, prefer: Prefer
) -> ParsedTime | None:
    """Resolve facts against ``now``; None when they name no day and no time."""
    if facts.invalid:
        return None
    try:
        if facts.elapsed:
            delta = min(facts.elapsed, key=lambda item: item[1])[0]
            return _after_elapsed(now, tz, delta)
        clock = _choose_clock(facts)
        ctx = _Context(_local_wall_clock(now, tz), clock, prefer)
        day = _anchor_day(facts, ctx)
        if day is None:
            if facts.dates or clock is None or facts.vague_day or facts.week_shifts:
                # A date that never fits, or a time on an unnamed day ("ensi
                # viikolla klo 14"): answering would be a guess.
                return None
            day = _bare_time_day(ctx)
        if clock is None:
            return ParsedTime(day, None)
        moment = clock.on(day)
        return ParsedTime(moment.date(), moment.time())
    except (OverflowError, ValueError):
        # Only reachable with "now" near year 1 or 9999, where the day named
        # falls outside what datetime can represent.
        return None
