"""Safety before everything: a crisis is answered at once, by the running stack, in any state."""

from __future__ import annotations

from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import Alert, AlertKind, Client, OutboxMessage
from tests.e2e.stack import Stack


def test_a_client_who_writes_of_wanting_to_die_gets_the_crisis_line_and_the_coach_an_alert(
    stack: Stack,
) -> None:
    client_id = stack.enrol("e2e-crisis", name="Mikko Testi", coach_email="sanna@example.fi")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    assert stack.say("e2e-crisis", "moi")  # an ordinary conversation first
    [reply] = stack.say("e2e-crisis", "en mä jaksa enää. haluun vaan kuolla")
    text = str(reply["text"])
    assert "09 2525 0111" in text and "112" in text
    assert "automaattinen apuri" in text and "ohjaajallesi" in text
    with transaction(sessions) as session:
        client = session.get_one(Client, client_id)
        alerts = session.scalars(select(Alert).where(Alert.client_id == client_id)).all()
        to_coach = session.scalars(
            select(OutboxMessage).where(OutboxMessage.coach_id == client.coach_id)
        ).all()
    assert [alert.kind for alert in alerts] == [AlertKind.CRISIS]
    assert len(to_coach) == 1 and "Mikko Testi" in to_coach[0].text


def test_a_crisis_in_the_very_first_message_is_answered(stack: Stack) -> None:
    [reply] = stack.say("e2e-first-words", "MÄ VIILTELEN TAAS")
    assert "09 2525 0111" in str(reply["text"])


def test_everyday_exaggeration_is_not_a_crisis(stack: Stack) -> None:
    stack.enrol("e2e-bored")
    [reply] = stack.say("e2e-bored", "kuolen tylsyyteen")
    assert "09 2525 0111" not in str(reply["text"])
