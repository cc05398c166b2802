"""How the bot says hello: by the client's local time of day, and by name when it has one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo


class Greeted(Protocol):
    """Whom the bot greets: a client, or what a scheduler job carries of one."""

    @property
    def display_name(self) -> str | None: ...

    @property
    def language(self) -> str: ...

    @property
    def timezone(self) -> str: ...


@dataclass(frozen=True)
class Greeting:
    """The response to use and the values to fill it with."""

    response: str
    greeting_word: str  # a catalog name: greeting_morning, greeting_day, ...
    name: str | None


def part_of_day(local: dt.time) -> str:
    """The catalog name of the greeting word for a local time of day."""
    if dt.time(5) <= local < dt.time(10):
        return "greeting_morning"
    if dt.time(10) <= local < dt.time(18):
        return "greeting_day"
    if dt.time(18) <= local < dt.time(23):
        return "greeting_evening"
    return "greeting_night"


def greeting_for(client: Greeted | None, now: dt.datetime, default_tz: str) -> Greeting:
    """How to greet `client` at `now`: the word follows their own time zone."""
    zone = ZoneInfo(client.timezone if client else default_tz)
    word = part_of_day(now.astimezone(zone).time())
    name = client.display_name.split()[0] if client and client.display_name else None
    return Greeting("utter_greet_named" if name else "utter_greet", word, name)
