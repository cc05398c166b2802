"""Time as an injectable object, so that scheduling can be tested across days without sleeping.

Everything in Askel that asks "what time is it?" asks a `Clock`. Times are aware UTC; they are
turned into the client's local time (by default Europe/Helsinki) only for rules and display.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> dt.datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """The current time, aware, in UTC."""
        return dt.datetime.now(dt.timezone.utc)


class FakeClock:
    """A clock that tests set and move by hand. Safe to share between threads."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = _as_utc(start)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The time the test last set."""
        with self._lock:
            return self._now

    def set(self, when: dt.datetime) -> None:
        """Jump to `when` (aware; naive values are refused, since they are ambiguous)."""
        with self._lock:
            self._now = _as_utc(when)

    def advance(self, delta: dt.timedelta) -> None:
        """Move forward by `delta`."""
        with self._lock:
            self._now = self._now + delta


def _as_utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise ValueError("FakeClock needs an aware datetime")
    return when.astimezone(dt.timezone.utc)


class FileClock:
    """A clock read from a file holding one ISO-8601 time, for tests of the running stack.

    The end-to-end tests start real processes (gateway, scheduler); they move time for all of
    them at once by rewriting this file. It is chosen by `ASKEL_CLOCK=file:<path>` and never
    used in production.
    """

    def __init__(self, path: str) -> None:
        self._path = path

    def now(self) -> dt.datetime:
        """The time written in the file."""
        with open(self._path, encoding="utf-8") as handle:
            return _as_utc(dt.datetime.fromisoformat(handle.read().strip()))


def clock_from_setting(setting: str) -> Clock:
    """The clock that `ASKEL_CLOCK` names: `system` (the default) or `file:<path>`."""
    if setting in ("", "system"):
        return SystemClock()
    if setting.startswith("file:"):
        return FileClock(setting.removeprefix("file:"))
    raise ValueError(f"ASKEL_CLOCK must be 'system' or 'file:<path>', not {setting!r}")
