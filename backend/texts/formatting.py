"""Finnish formats for dates, times and numbers, as clients read them.

Babel is right for dates and plurals, with two traps (see DESIGN.md): its weekday names in format
context are not all essive ("sunnuntai", not "sunnuntaina"), so the essive names are our own; and
its number formats contain non-breaking spaces, which make an SMS cost double.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal

# ISO weekday order. Essive ("on Monday") and the two-letter abbreviations of Finnish calendars.
WEEKDAYS_ESSIVE = (
    "maanantaina",
    "tiistaina",
    "keskiviikkona",
    "torstaina",
    "perjantaina",
    "lauantaina",
    "sunnuntaina",
)
WEEKDAYS_SHORT = ("ma", "ti", "ke", "to", "pe", "la", "su")

_SPACES = {"\xa0": " ", "\u202f": " ", "\u2009": " "}


def plain_spaces(text: str) -> str:
    """Replace the non-breaking and thin spaces Babel uses with plain ones (GSM-7 has no others)."""
    for odd, plain in _SPACES.items():
        text = text.replace(odd, plain)
    return text


def short_date(day: dt.date) -> str:
    """'to 26.11.': the unambiguous form read back to a client."""
    return f"{WEEKDAYS_SHORT[day.weekday()]} {day.day}.{day.month}."


def weekday_essive(day: dt.date) -> str:
    """'torstaina'."""
    return WEEKDAYS_ESSIVE[day.weekday()]


def clock_time(moment: dt.time | dt.datetime) -> str:
    """'klo 14.00', 'klo 9.05': Finnish writes a dot between hours and minutes."""
    return f"klo {moment.hour}.{moment.minute:02d}"


def date_and_time(moment: dt.datetime) -> str:
    """'to 26.11. klo 14.00' for a local datetime."""
    return f"{short_date(moment.date())} {clock_time(moment)}"


def long_date(day: dt.date, language: str = "fi") -> str:
    """'26. marraskuuta 2026', from Babel's own Finnish calendar data."""
    return plain_spaces(format_date(day, format="long", locale=language))


def number(value: float, language: str = "fi") -> str:
    """'1 234,5' with a plain space."""
    return plain_spaces(format_decimal(value, locale=language))
