"""Finnish public holidays: the ones that move with Easter and midsummer, and the fixed ones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.services.holidays import easter_sunday, finnish_holidays, holiday_name, is_holiday


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2008, dt.date(2008, 3, 23)),
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
        (2038, dt.date(2038, 4, 25)),  # the latest possible
        (2285, dt.date(2285, 3, 22)),  # the earliest possible
    ],
)
def test_easter_sunday(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 1, 1), "uudenvuodenpäivä"),
        (dt.date(2026, 1, 6), "loppiainen"),
        (dt.date(2026, 4, 3), "pitkäperjantai"),
        (dt.date(2026, 4, 5), "pääsiäispäivä"),
        (dt.date(2026, 4, 6), "2. pääsiäispäivä"),
        (dt.date(2026, 5, 1), "vappu"),
        (dt.date(2026, 5, 14), "helatorstai"),
        (dt.date(2026, 5, 24), "helluntaipäivä"),
        (dt.date(2026, 6, 19), "juhannusaatto"),
        (dt.date(2026, 6, 20), "juhannuspäivä"),
        (dt.date(2026, 10, 31), "pyhäinpäivä"),
        (dt.date(2026, 12, 6), "itsenäisyyspäivä"),
        (dt.date(2026, 12, 24), "jouluaatto"),
        (dt.date(2026, 12, 25), "joulupäivä"),
        (dt.date(2026, 12, 26), "tapaninpäivä"),
        (dt.date(2027, 3, 26), "pitkäperjantai"),
        (dt.date(2027, 3, 29), "2. pääsiäispäivä"),
        (dt.date(2027, 6, 25), "juhannusaatto"),  # the latest midsummer eve: 19-25 June
        (dt.date(2027, 6, 26), "juhannuspäivä"),
        (dt.date(2027, 11, 6), "pyhäinpäivä"),  # the latest all saints' day: 31 Oct-6 Nov
    ],
)
def test_known_holidays(day: dt.date, name: str) -> None:
    assert holiday_name(day) == name
    assert is_holiday(day)


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 4, 4),  # Easter Saturday is an ordinary Saturday
        dt.date(2026, 6, 21),
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 31),  # New Year's Eve is a working day
        dt.date(2026, 11, 23),
    ],
)
def test_ordinary_days(day: dt.date) -> None:
    assert holiday_name(day) is None
    assert not is_holiday(day)


def test_two_holidays_on_one_day_are_named_together() -> None:
    # Easter on 23 March puts Ascension Day (Easter + 39) on May Day, as in 2008.
    assert holiday_name(dt.date(2008, 5, 1)) == "vappu ja helatorstai"
    assert len({day for day, _ in finnish_holidays(2008)}) == 14


@given(st.integers(min_value=1900, max_value=2300))
def test_every_year_has_its_fifteen_holidays(year: int) -> None:
    holidays = finnish_holidays(year)
    easter = easter_sunday(year)
    assert len(holidays) == 15
    assert len({name for _, name in holidays}) == 15
    # All on different days, except when helatorstai falls on vappu.
    assert len({day for day, _ in holidays}) == (14 if easter == dt.date(year, 3, 23) else 15)
    assert all(day.year == year for day, _ in holidays)
    assert [day for day, _ in holidays] == sorted(day for day, _ in holidays)
    assert easter.isoweekday() == 7
    assert dt.date(year, 3, 22) <= easter <= dt.date(year, 4, 25)
    named = dict((name, day) for day, name in holidays)
    assert named["pitkäperjantai"].isoweekday() == 5
    assert named["helatorstai"].isoweekday() == 4
    assert named["juhannusaatto"].isoweekday() == 5
    assert dt.date(year, 6, 19) <= named["juhannusaatto"] <= dt.date(year, 6, 25)
    assert named["juhannuspäivä"].isoweekday() == 6
    assert dt.date(year, 10, 31) <= named["pyhäinpäivä"] <= dt.date(year, 11, 6)
    assert named["pyhäinpäivä"].isoweekday() == 6
