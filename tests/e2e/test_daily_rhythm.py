"""A client's days with Askel, through the real Rasa server: the morning and evening check-ins
come at their own local times (also across the October daylight-saving change), one question at a
time, answered with digits or words; reports at any time are written down with the right time.
A whole week of Aino's life: her workshop days' earlier mornings, answered and missed check-ins,
one nudge only, a holiday, a day's pause and the week's summary for her coach."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import CheckinEntry, CheckinKind, Client
from backend.services.checkins import replan_checkins
from backend.services.onboarding import set_checkin_time
from backend.services.rhythm_summary import week_summary
from tests.e2e.stack import ASKEL, ROOT, Stack

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


def _nothing_at(stack: Stack, sender: str, when: dt.datetime) -> bool:
    """Whether nothing comes at `when` (the scheduler polls five times a second)."""
    stack.set_clock(when)
    time.sleep(0.8)
    return stack.fetch(sender) == []


def _check_in_at(stack: Stack, sender: str, when: dt.datetime) -> list[str]:
    """The texts of the check-in (or nudge) that comes at `when`."""
    stack.set_clock(when)
    return _texts(_wait_for(stack, sender, 2))


def test_a_week_of_aino_s_rhythm_with_workshop_mornings_a_holiday_and_a_pause(
    stack: Stack,
) -> None:
    aino = "e2e-rhythm-week"
    # Sunday 3 January 2027: Aino's mornings are at 8.00 and evenings at 21.00; her coach adds
    # her workshop days, Monday and Wednesday, when her morning comes at 6.30.
    client_id = _client_with_times(stack, aino, _local(2027, 1, 3, 12, 0))
    coach = subprocess.run(
        [str(ASKEL), "client", "rhythm", str(client_id), "--activity-days", "ma,ke",
         "--activity-morning", "6.30", "--quiet", "22.00-6.00"],
        env=stack.env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "klo 8.00 (toimintapäivinä klo 6.30)" in coach.stdout
    assert "22.00–6.00" in coach.stdout

    # Monday, a workshop day: the morning comes at 6.30, and she answers it all.
    assert _nothing_at(stack, aino, _local(2027, 1, 4, 6, 29))
    assert _check_in_at(stack, aino, _local(2027, 1, 4, 6, 30)) == [
        "Huomenta, Aino!",
        "Miten nukuit?",
    ]
    assert _texts(stack.say(aino, "1")) == ["Mitä aiot tehdä tänään? Pienikin asia käy."]
    assert _texts(stack.say(aino, "menen pajalle"))[0].startswith("Kiitos! Hyvää päivää.")
    assert _check_in_at(stack, aino, _local(2027, 1, 4, 21, 0))[0] == "Hyvää iltaa, Aino!"
    assert _texts(stack.say(aino, "ihan hyvä"))[0].startswith("Söitkö tänään?")
    assert _texts(stack.say(aino, "1")) == ["Kävitkö tänään ulkona?"]
    assert _texts(stack.say(aino, "1"))[0].startswith("Mikä meni tänään hyvin?")
    assert _texts(stack.say(aino, "olin ajoissa pajalla"))[0].startswith("Kiitos, että kerroit!")

    # Tuesday, an ordinary day: the morning at 8.00 goes unanswered; one gentle nudge an hour
    # later and nothing more. The evening's nudge would cross her quiet hours, so none comes.
    assert _nothing_at(stack, aino, _local(2027, 1, 5, 6, 30))
    assert _check_in_at(stack, aino, _local(2027, 1, 5, 8, 0))[0] == "Huomenta, Aino!"
    assert _check_in_at(stack, aino, _local(2027, 1, 5, 9, 0)) == [
        "Ei kiirettä. Vastaa, kun ehdit.",
        "Miten nukuit?",
    ]
    assert _nothing_at(stack, aino, _local(2027, 1, 5, 10, 0))
    assert _check_in_at(stack, aino, _local(2027, 1, 5, 21, 0))[0] == "Hyvää iltaa, Aino!"
    assert _nothing_at(stack, aino, _local(2027, 1, 5, 22, 0))

    # Wednesday is Epiphany: the workshop is closed, so her morning comes at 8.00. She answers,
    # and asks for no messages tomorrow.
    assert _nothing_at(stack, aino, _local(2027, 1, 6, 6, 30))
    assert _check_in_at(stack, aino, _local(2027, 1, 6, 8, 0))[0] == "Huomenta, Aino!"
    assert _texts(stack.say(aino, "2")) == ["Mitä aiot tehdä tänään? Pienikin asia käy."]
    assert _texts(stack.say(aino, "lepään"))[0].startswith("Kiitos! Hyvää päivää.")
    stack.set_clock(_local(2027, 1, 6, 12, 0))
    assert _texts(stack.say(aino, "huomenna ei muistutuksia"))[0].startswith("Selvä!")
    assert _check_in_at(stack, aino, _local(2027, 1, 6, 21, 0))[0] == "Hyvää iltaa, Aino!"

    # Thursday is paused: not a word from Askel.
    assert _nothing_at(stack, aino, _local(2027, 1, 7, 8, 0))
    assert _nothing_at(stack, aino, _local(2027, 1, 7, 21, 0))

    # Friday she answers the morning; the weekend's mornings she lets be.
    assert _check_in_at(stack, aino, _local(2027, 1, 8, 8, 0))[0] == "Huomenta, Aino!"
    assert _texts(stack.say(aino, "3")) == ["Mitä aiot tehdä tänään? Pienikin asia käy."]
    assert _texts(stack.say(aino, "siivoan"))[0].startswith("Kiitos! Hyvää päivää.")
    for day in (9, 10):
        assert _check_in_at(stack, aino, _local(2027, 1, day, 8, 0))[0] == "Huomenta, Aino!"

    # The week as her coach's digest sums it up.
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        week = week_summary(session, client_id, dt.date(2027, 1, 4))
    assert (week.mornings_answered, week.mornings_scheduled) == (3, 6)
    assert (week.evenings_answered, week.evenings_scheduled) == (1, 6)
    assert week.paused_days == 1
    assert week.meal_days == 1 and week.mood_average == 4.0
