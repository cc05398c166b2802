"""Finnish public holidays, for any year: the days a workshop or work activity is closed.

The list is the one Finnish working life goes by: the church holidays that move with Easter and
midsummer, the fixed ones, and the two eves (juhannusaatto, jouluaatto) that are not holidays in
law but are days off in practice.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

_DAY = dt.timedelta(days=1)


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (pääsiäispäivä) of `year`, by the anonymous Gregorian algorithm."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    solar_correction = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - solar_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    to_sunday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late_correction = (golden + 11 * epact + 22 * to_sunday) // 451
    month, day = divmod(epact + to_sunday - 7 * late_correction + 114, 31)
    return dt.date(year, month, day + 1)


def _first(weekday: int, start: dt.date) -> dt.date:
    """The first day on or after `start` with ISO weekday `weekday`."""
    return start + (weekday - start.isoweekday()) % 7 * _DAY


@lru_cache(maxsize=64)
def finnish_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    """The fifteen holidays of `year` as (date, name), in calendar order.

    Two of them can fall on one day: helatorstai was on vappu in 2008 (Easter on 23 March).
    """
    easter = easter_sunday(year)
    midsummer_eve = _first(5, dt.date(year, 6, 19))
    days = [
        (dt.date(year, 1, 1), "uudenvuodenpäivä"),
        (dt.date(year, 1, 6), "loppiainen"),
        (easter - 2 * _DAY, "pitkäperjantai"),
        (easter, "pääsiäispäivä"),
        (easter + _DAY, "2. pääsiäispäivä"),
        (dt.date(year, 5, 1), "vappu"),
        (easter + 39 * _DAY, "helatorstai"),
        (easter + 49 * _DAY, "helluntaipäivä"),
        (midsummer_eve, "juhannusaatto"),
        (midsummer_eve + _DAY, "juhannuspäivä"),
        (_first(6, dt.date(year, 10, 31)), "pyhäinpäivä"),
        (dt.date(year, 12, 6), "itsenäisyyspäivä"),
        (dt.date(year, 12, 24), "jouluaatto"),
        (dt.date(year, 12, 25), "joulupäivä"),
        (dt.date(year, 12, 26), "tapaninpäivä"),
    ]
    return tuple(sorted(days, key=lambda holiday: holiday[0]))


def holiday_name(day: dt.date) -> str | None:
    """The Finnish name of the holiday on `day` ("vappu ja helatorstai" when two share it)."""
    names = [name for date, name in finnish_holidays(day.year) if date == day]
    return " ja ".join(names) or None


def is_holiday(day: dt.date) -> bool:
    """Whether `day` is a Finnish public holiday (or one of the two eves kept as days off)."""
    return holiday_name(day) is not None
