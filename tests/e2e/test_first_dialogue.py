"""A new client's first conversation through the gateway, the real Rasa server and our actions."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.db import make_engine, make_sessionmaker, transaction
from backend.services.jobs import schedule_job
from tests.e2e.stack import Stack


def texts(messages: list[dict[str, object]]) -> list[str]:
    return [str(message["text"]) for message in messages]


def test_a_new_client_is_greeted_by_the_time_of_day_and_offered_help(stack: Stack) -> None:
    stack.set_clock(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc))  # 09:00 local
    stack.enrol("e2e-aino")
    [greeting] = stack.say("e2e-aino", "moi")
    assert str(greeting["text"]).startswith("Huomenta! Täällä Askel, automaattinen apuri.")
    assert greeting["buttons"] == [{"title": "Mitä osaat?", "payload": "/help"}]
    # Over SMS and in the terminal the choice is a number: "1" picks "Mitä osaat?".
    [help_text] = stack.say("e2e-aino", "1")
    assert str(help_text["text"]).startswith("Voin auttaa näissä:")


def test_a_greeting_in_the_evening_uses_the_name_the_coach_gave(stack: Stack) -> None:
    stack.enrol("e2e-ville", name="Ville Korhonen")
    stack.set_clock(dt.datetime(2026, 11, 23, 18, 30, tzinfo=dt.timezone.utc))  # 20:30 local
    assert texts(stack.say("e2e-ville", "terve"))[0].startswith("Hyvää iltaa, Ville!")


@pytest.mark.parametrize(
    ("text", "expected_start"),
    [
        ("mitä osaat?", "Voin auttaa näissä:"),
        ("mita sa osaat", "Voin auttaa näissä:"),
        ("en tiiä mitä tähän pitäis kirjottaa", "Voin auttaa näissä:"),
        ("oletko robotti?", "Olen Askel, automaattinen apuri, en ihminen."),
        ("ooksä oikee ihminen", "Olen Askel, automaattinen apuri, en ihminen."),
        ("kiitti", "Ole hyvä!"),
        ("heippa", "Hei hei!"),
        ("kerro vitsi", "Tähän en osaa vastata."),
        ("xqzv plörk hrmpf", "Anteeksi, en ihan ymmärtänyt."),
    ],
)
def test_the_first_dialogue_understands_colloquial_finnish(
    stack: Stack, text: str, expected_start: str
) -> None:
    stack.enrol("e2e-colloquial")
    replies = texts(stack.say("e2e-colloquial", text))
    assert len(replies) == 1
    assert replies[0].startswith(expected_start), replies


def test_a_scheduled_dialogue_reaches_the_terminal_chat(stack: Stack) -> None:
    client_id = stack.enrol("e2e-liisa")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    due = stack.now() + dt.timedelta(hours=2)
    with transaction(sessions) as session:
        schedule_job(
            session, "dialogue", due, stack.now(), client_id=client_id, payload={"intent": "help"}
        )
    assert stack.fetch("e2e-liisa") == []
    stack.set_clock(due)
    deadline = dt.datetime.now() + dt.timedelta(seconds=30)
    messages: list[dict[str, object]] = []
    while not messages and dt.datetime.now() < deadline:
        messages = stack.fetch("e2e-liisa")
    assert texts(messages)[0].startswith("Voin auttaa näissä:")
    assert stack.fetch("e2e-liisa") == []  # fetched once, never again


def test_empty_and_huge_messages_get_a_calm_answer(stack: Stack) -> None:
    stack.enrol("e2e-odd")
    assert texts(stack.say("e2e-odd", "   "))[0].startswith("Sain tyhjän viestin")
    replies = texts(stack.say("e2e-odd", "moi " * 5000))
    assert len(replies) == 1 and replies[0]


@pytest.mark.parametrize(
    "text",
    ["😀😀😀", "\x07\x1b[31m", "???", "Hello, can you help me?", "Hej, hur mår du?", "1"],
)
def test_odd_input_gets_one_calm_answer(stack: Stack, text: str) -> None:
    stack.enrol("e2e-odd-input")
    replies = texts(stack.say("e2e-odd-input", text))
    assert len(replies) == 1 and replies[0]
    assert "sekaisin" not in replies[0]  # never the "something went wrong" answer
