"""A client's days with Askel, through the real Rasa server: the morning and evening check-ins
come at their own local times (also across the October daylight-saving change), one question at a
time, answered with digits or words; reports at any time are written down with the right time."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import CheckinEntry, CheckinKind, Client
from backend.services.checkins import replan_checkins
from backend.services.onboarding import set_checkin_time
from tests.e2e.stack import Stack

HELSINKI = ZoneInfo("Europe/Helsinki")


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def _texts(messages: list[dict[str, object]]) -> list[str]:
    return [str(message["text"]) for message in messages]


def _wait_for(stack: Stack, sender: str, count: int = 1) -> list[dict[str, object]]:
    """Messages the bot sent on its own, once at least `count` have come."""
    deadline = time.monotonic() + 30
    messages: list[dict[str, object]] = []
    while len(messages) < count and time.monotonic() < deadline:
        messages += stack.fetch(sender)
        time.sleep(0.1)
    return messages


def _client_with_times(stack: Stack, sender: str, start: dt.datetime) -> int:
    stack.set_clock(start)
    client_id = stack.enrol(sender, name="Aino Virtanen")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        client = session.get_one(Client, client_id)
        set_checkin_time(session, client, CheckinKind.MORNING, dt.time(8, 0), stack.now())
        set_checkin_time(session, client, CheckinKind.EVENING, dt.time(21, 0), stack.now())
        replan_checkins(session, client, stack.now())
    return client_id


def _entries(stack: Stack, client_id: int) -> dict[str, CheckinEntry]:
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        rows = session.scalars(
            select(CheckinEntry)
            .where(CheckinEntry.client_id == client_id)
            .order_by(CheckinEntry.id)
        ).all()
        return {row.kind: row for row in rows}


def test_a_day_of_check_ins_one_question_at_a_time(stack: Stack) -> None:
    client_id = _client_with_times(stack, "e2e-rhythm-aino", _local(2026, 12, 1, 7, 0))
    assert stack.fetch("e2e-rhythm-aino") == []
    stack.set_clock(_local(2026, 12, 1, 8, 0))
    greeting, question = _wait_for(stack, "e2e-rhythm-aino", 2)
    assert greeting["text"] == "Huomenta, Aino!"
    assert question["text"] == "Miten nukuit?"
    assert [b["title"] for b in question["buttons"]] == ["Hyvin", "Ihan ok", "Huonosti"]  # type: ignore[union-attr]
    assert _texts(stack.say("e2e-rhythm-aino", "1")) == [
        "Mitä aiot tehdä tänään? Pienikin asia käy."
    ]
    [done] = stack.say("e2e-rhythm-aino", "käyn kaupassa ja siivoan vähän")
    assert str(done["text"]).startswith("Kiitos! Hyvää päivää.")
    # A report at any time, written down with the time it names.
    stack.set_clock(_local(2026, 12, 1, 11, 0))
    [noted] = stack.say("e2e-rhythm-aino", "heräsin muuten jo seittemältä")
    assert noted["text"] == "Kiitos! Kirjasin, että heräsit klo 7.00."
    stack.set_clock(_local(2026, 12, 1, 21, 0))
    hello, mood = _wait_for(stack, "e2e-rhythm-aino", 2)
    assert hello["text"] == "Hyvää iltaa, Aino!"
    assert str(mood["text"]).startswith("Millainen päivä oli?")
    assert _texts(stack.say("e2e-rhythm-aino", "ihan hyvä"))[0].startswith("Söitkö tänään?")
    assert _texts(stack.say("e2e-rhythm-aino", "1")) == ["Kävitkö tänään ulkona?"]
    assert _texts(stack.say("e2e-rhythm-aino", "2"))[0].startswith("Mikä meni tänään hyvin?")
    [thanks] = stack.say("e2e-rhythm-aino", "sain siivottua keittiön")
    assert str(thanks["text"]).startswith("Kiitos, että kerroit!")
    entries = _entries(stack, client_id)
    assert entries["sleep"].detail == "good" and entries["plan"].words is not None
    assert entries["wake_up"].happened_at is not None
    assert entries["wake_up"].happened_at.astimezone(HELSINKI).time() == dt.time(7, 0)
    assert entries["mood"].mood == 4 and entries["activity"].detail == "no"
    assert entries["went_well"].words == "sain siivottua keittiön"


def test_morning_check_ins_stay_at_eight_across_the_october_change(stack: Stack) -> None:
    _client_with_times(stack, "e2e-rhythm-dst", _local(2026, 10, 23, 22, 0))
    for day in (24, 25, 26):  # summer time ends on Sunday 25 October at 04:00
        stack.set_clock(_local(2026, 10, day, 7, 59))
        time.sleep(0.6)
        assert stack.fetch("e2e-rhythm-dst") == [], f"too early on {day} October"
        stack.set_clock(_local(2026, 10, day, 8, 0))
        greeting, _question = _wait_for(stack, "e2e-rhythm-dst", 2)
        assert str(greeting["text"]).startswith("Huomenta")
        stack.set_clock(_local(2026, 10, day, 21, 0))
        _wait_for(stack, "e2e-rhythm-dst", 2)  # the evening one, unanswered


def test_the_client_changes_the_morning_time_and_pauses_next_week_in_words(stack: Stack) -> None:
    _client_with_times(stack, "e2e-rhythm-control", _local(2026, 12, 2, 12, 0))  # a Wednesday
    [changed] = stack.say("e2e-rhythm-control", "aamuviesti vasta yhdeksältä")
    assert changed["text"] == "Selvä! Aamuviesti tulee nyt klo 9.00."
    [paused] = stack.say("e2e-rhythm-control", "ei viestejä ensi viikolla")
    assert str(paused["text"]).startswith("Selvä! Pidetään tauko ma 7.12. - su 13.12.")
