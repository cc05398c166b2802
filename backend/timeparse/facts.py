"""What the rules found in a message, before anything is resolved against "now".

Every fact remembers where it started in the normalised text, because when a
message names two times ("klo 14-16") or two days the first one wins.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field


class DayPart(enum.Enum):
    """A part of the day that moves a 12-hour style hour onto the 24-hour clock."""

    MORNING = "aamu"  # aamulla, aamupäivällä, ap, aamuyöllä
    DAYTIME = "päivä"  # päivällä
    AFTERNOON = "iltapäivä"  # iltapäivällä, ip
    EVENING = "ilta"  # illalla, iltana
    NIGHT = "yö"  # yöllä


class WeekdayMode(enum.Enum):
    """How a weekday is anchored."""

    PLAIN = "plain"  # "torstaina": the nearest one in the preferred direction
    NEXT = "next"  # "ensi torstaina": the next one strictly after today
    LAST = "last"  # "viime torstaina": the last one strictly before today


@dataclass(frozen=True)
class ClockTime:
    """A time of day as written, before any day part ("illalla") is applied."""

    hour: int
    minute: int
    start: int
    end: int
    # False for words that already fix the hour ("keskipäivällä"), so "illalla"
    # elsewhere in the message cannot move them.
    adjustable: bool = True
    # 1 for "klo 24" (midnight at the end of the named day).
    carry_days: int = 0


@dataclass(frozen=True)
class CalendarDate:
    """A day of month, with the month and year when they were written.

    ``month`` None means only the day was given ("25. päivä"): the month is the
    next one that fits, or ``month_offset`` months from now ("ensi kuun 3.").
    """

    day: int
    month: int | None
    year: int | None
    start: int
    month_offset: int | None = None


@dataclass(frozen=True)
class RelativeDay:
    """A day counted from today: "huomenna" is +1, "viikon päästä" +7."""

    days: int
    start: int
    # Set when the phrase counted weeks ("kahden viikon päästä"), so that a weekday
    # in the same message picks its day inside that week instead.
    weeks: int | None = None


@dataclass(frozen=True)
class WeekdayRef:
    """A named weekday (0 = Monday) and how it is anchored."""

    weekday: int
    mode: WeekdayMode
    start: int


@dataclass(frozen=True)
class DayPartMark:
    """Where a day-part word stands, to pair it with the nearest time."""

    part: DayPart
    start: int
    end: int


@dataclass
class Facts:
    """Everything the rules extracted from one message."""

    times: list[ClockTime] = field(default_factory=list)
    dates: list[CalendarDate] = field(default_factory=list)
    relative_days: list[RelativeDay] = field(default_factory=list)
    weekdays: list[WeekdayRef] = field(default_factory=list)
    # ISO-week shifts from "ensi viikolla" (+1), "tällä viikolla" (0), "viime viikon" (-1).
    week_shifts: list[int] = field(default_factory=list)
    # Exact elapsed time from "tunnin päästä" / "vartti sitten".
    elapsed: list[tuple[datetime.timedelta, int]] = field(default_factory=list)
    dayparts: list[DayPartMark] = field(default_factory=list)
    # The message talks about a day without naming one ("joskus ensi viikolla",
    # "ensi kuussa", "parin päivän päästä"), so a time alone must not be resolved.
    vague_day: bool = False
    # The message tried to name a date or time that does not exist ("31.2.",
    # "klo 25"); the parser then answers None rather than guess.
    invalid: bool = False
