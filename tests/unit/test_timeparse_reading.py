"""What the appointment dialogue needs from the parser besides the value: which parts the
client's words named, so that it asks for the missing one and questions the impossible."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.timeparse import read_time

NOW = dt.datetime(2026, 11, 23, 9, 0)


@pytest.mark.parametrize(
    ("text", "day", "time", "vague", "invalid"),
    [
        ("lääkäri torstaina klo 14", True, True, False, False),
        ("klo 14", False, True, False, False),  # resolves to today, but no day was said
        ("sossu perjantaina", True, False, False, False),
        ("joskus ensi viikolla", False, False, True, False),
        ("ensi viikolla klo 14", False, True, True, False),
        ("klo 25", False, False, False, True),
        ("31.2.", False, False, False, True),
        ("kiitos", False, False, False, False),
    ],
)
def test_a_reading_says_which_parts_the_words_named(
    text: str, day: bool, time: bool, vague: bool, invalid: bool
) -> None:
    reading = read_time(text, NOW)
    assert (reading.names_day, reading.names_time, reading.vague, reading.invalid) == (
        day,
        time,
        vague,
        invalid,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ke aamulla yhdeksältä", "2026-11-25T09:00"),
        ("to iltapäivällä kahdelta", "2026-11-26T14:00"),
        # "ma aamulla" is as often "mä aamulla": no Monday is read into it.
        ("ma aamulla kasilta", "2026-11-24T08:00"),
    ],
)
def test_a_weekday_abbreviation_before_a_day_part_is_a_day(text: str, value: str) -> None:
    reading = read_time(text, NOW)
    assert reading.value is not None and reading.value.to_value() == value
