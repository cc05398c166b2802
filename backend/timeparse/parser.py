"""Entry point: :func:`parse_time`."""

from __future__ import annotations

import datetime
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
    if prefer not in ("future", "past"):
        raise ValueError(f"prefer must be 'future' or 'past', not {prefer!r}")
    zone = tz if tz is not None else _helsinki()
    facts = extract(normalise(text))
    return resolve(facts, now, zone, prefer)
