"""Entry point: :func:`parse_time`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from .model import ParsedTime, Prefer
from .normalise import normalise
from .resolve import resolve
from .rules import extract

DEFAULT_TIME_ZONE = "Europe/Helsinki"


@lru_cache(maxsize=1)
def _helsinki() -> ZoneInfo:
    # Looked up lazily so that importing the package never fails on a host
    # without time-zone data; only parsing needs it.
    return ZoneInfo(DEFAULT_TIME_ZONE)


@dataclass(frozen=True)
class Reading:
    """What a message says about time, for a dialogue that must ask for what is missing.

    ``value`` is what :func:`parse_time` returns. ``names_day`` and ``names_time`` say whether
    the words themselves named a day and a time of day: "klo 14" resolves to a day, but the
    client did not say which. ``vague`` is a day talked about but not named ("joskus ensi
    viikolla"); ``invalid`` a date or time that does not exist ("31.2.", "klo 25").
    """

    value: ParsedTime | None
    names_day: bool
    names_time: bool
    vague: bool
    invalid: bool


def read_time(
    text: str,
    now: datetime.datetime,
    *,
    tz: ZoneInfo | None = None,
    prefer: Prefer = "future",
) -> Reading:
    """Read a Finnish message as :func:`parse_time` does, and say which parts it named."""
    if prefer not in ("future", "past"):
        raise ValueError(f"prefer must be 'future' or 'past', not {prefer!r}")
    zone = tz if tz is not None else _helsinki()
    facts = extract(normalise(text))
    return Reading(
        value=resolve(facts, now, zone, prefer),
        names_day=bool(facts.dates or facts.relative_days or facts.weekdays or facts.elapsed),
        names_time=bool(facts.times or facts.elapsed),
        vague=facts.vague_day or (bool(facts.week_shifts) and not facts.weekdays),
        invalid=facts.invalid,
    )


def parse_time(
    text: str,
    now: datetime.datetime,
    *,
    tz: ZoneInfo | None = None,
    prefer: Prefer = "future",
) -> ParsedTime | None:
    """Find the date and time a Finnish message refers to.

    ``now`` may be naive (read as wall-clock time in ``tz``) or aware (converted
    to ``tz``); ``tz`` defaults to Europe/Helsinki.  ``prefer`` says which way an
    incomplete phrase points: "future" for plans ("torstaina klo 14"), "past"
    for reports ("heräsin kahdeksalta").  Returns None when the text names no
    day and no time, names one that does not exist ("31.2.", "klo 25"), or talks
    about a day without naming it ("joskus ensi viikolla").  Never raises on any
    string.
    """
    return read_time(text, now, tz=tz, prefer=prefer).value
