"""A pause in the messages for a period the client names: "ei viestejä ensi viikolla",
"tauko viikoksi", "perjantaihin asti", "kolmeksi päiväksi", "huomenna ei muistutuksia".

A pause is a period of local days; check-ins and nudges in it are not sent, and the progress
of the client's rhythm is frozen for those days. Crisis answers and the client's own messages
work as ever.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from backend.timeparse import parse_time

# Longest pause one message may ask for: beyond this, the coach should hear of it.
MAX_DAYS = 60
# The translative ("for how long") forms of small numbers, folded (ä -> a).
_FOR_N = {
    "yhdeksi": 1,
    "kahdeksi": 2,
    "kolmeksi": 3,
    "neljaksi": 4,
    "viideksi": 5,
    "kuudeksi": 6,
    "seitsemaksi": 7,
    "seittemaksi": 7,
    "kahdeksaksi": 8,
    "yhdeksaksi": 9,
    "kymmeneksi": 10,
}
_COUNT = re.compile(r"\b(\d{1,2}|[a-z]+)\s+(paivaksi|paivan ajan|viikoksi|viikon ajan)\b")
_UNTIL = re.compile(r"(asti|saakka|loppuun|mennessa)\b")


@dataclass(frozen=True)
class PausePeriod:
    """The local days of a pause: from `first` to `last`, both included."""

    first: dt.date
    last: dt.date


def _folded(text: str) -> str:
    """Lower case without ä/ö, and the spoken translative ("viikoks", "kolmeks") written out."""
    return re.sub(r"ks\b", "ksi", text.lower().replace("ä", "a").replace("ö", "o"))


def _days_from(today: dt.date, days: int) -> PausePeriod:
    return PausePeriod(today, today + dt.timedelta(days=days - 1))


def pause_period(text: str, now: dt.datetime, tz: str) -> PausePeriod | None:
    """The period a client's words name, or None when they name none (the caller asks)."""
    folded = _folded(text)
    today = now.astimezone(ZoneInfo(tz)).date()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    if "ensi viiko" in folded:  # "ensi viikolla", "ensi viikoksi", "ensi viikon ajan"
        return PausePeriod(next_monday, next_monday + dt.timedelta(days=6))
    if "taman viikon" in folded or "loppuviiko" in folded:
        return PausePeriod(today, next_monday - dt.timedelta(days=1))
    count = _COUNT.search(folded)
    if count is not None:
        number, unit = count.groups()
        n = int(number) if number.isdigit() else _FOR_N.get(number)
        if n:
            days = n * 7 if unit.startswith("viiko") else n
            return _days_from(today, days)
    if re.search(r"\bviikoksi\b|\bviikon ajan\b|\bviikon tauko", folded):
        return _days_from(today, 7)
    if re.search(r"\bpaivaksi\b|\btanaan\b", folded):
        return PausePeriod(today, today)
    parsed = parse_time(text, now, tz=ZoneInfo(tz))
    if parsed is None:
        return None
    day = dt.date.fromisoformat(parsed.to_value()[:10])
    if _UNTIL.search(folded):
        return PausePeriod(today, day)  # "perjantaihin asti": up to and including Friday
    return PausePeriod(day, day)  # "huomenna ei muistutuksia": that day only


def sensible(period: PausePeriod, now: dt.datetime, tz: str) -> bool:
    """Not in the past, and not longer than a client should pause on their own."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return today <= period.last and (period.last - period.first).days < MAX_DAYS
