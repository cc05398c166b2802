"""The value the parser hands back to the rest of Askel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

Prefer = Literal["future", "past"]


@dataclass(frozen=True)
class ParsedTime:
    """A local wall-clock date, with a time of day when the phrase named one.

    Both fields are naive local values in the time zone the text was parsed in:
    the bot talks to clients about "Thursday at 14", never about UTC offsets.
    """

    date: datetime.date
    time: datetime.time | None  # None when the phrase names a day but no time of day

    def to_value(self) -> str:
        """Render as ``YYYY-MM-DDTHH:MM`` (minute precision, no offset) or ``YYYY-MM-DD``."""
        if self.time is None:
            return self.date.isoformat()
        return f"{self.date.isoformat()}T{self.time.hour:02d}:{self.time.minute:02d}"
