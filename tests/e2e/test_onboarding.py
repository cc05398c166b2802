"""A new client's first steps: what Askel is, consent in plain words, their own times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import (
    ChannelIdentity,
    CheckinKind,
    CheckinSchedule,
    Client,
    ClientStatus,
    Consent,
    InboundMessage,
    OutboxMessage,
)
from backend.settings import Settings
from backend.stack.tracker_store import forget_conversation
from tests.e2e.stack import Stack


def texts(messages: list[dict[str, object]]) -> list[str]:
    return [str(message["text"]) for message in messages]


def _client(stack: Stack, sender: str) -> Client:
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        return session.scalars(
            select(Client).join(ChannelIdentity).where(ChannelIdentity.address == sender)
        ).one()


def test_a_new_client_consents_and_chooses_their_times(stack: Stack) -> None:
    stack.set_clock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc))
    intro, question = stack.say("e2e-new-aino", "moi")
    assert str(intro["text"]).startswith("Hei! Olen Askel, automaattinen apuri.")
    assert "Ohjaajasi näkee" in str(intro["text"]) and "LOPETA" in str(intro["text"])
    assert question["buttons"] == [
        {"title": "Kyllä, sopii", "payload": "/affirm"},
        {"title": "Ei sovi", "payload": "/deny"},
    ]
    [morning] = stack.say("e2e-new-aino", "1")  # "Kyllä, sopii", as over SMS
    assert "aamuviestin" in str(morning["text"])
    [evening] = stack.say("e2e-new-aino", "puoli yhdeksän")
    assert "iltaviestin" in str(evening["text"])
    [done] = stack.say("e2e-new-aino", "3")  # 21.00
    assert texts([done])[0].startswith("Valmista! Tallensin ajat: aamu klo 8.30 ja ilta klo 21.00.")
    client = _client(stack, "e2e-new-aino")
    assert client.consent is Consent.GIVEN and client.status is ClientStatus.ACTIVE
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        times = {
            row.kind: row.local_time
            for row in session.scalars(
                select(CheckinSchedule).where(CheckinSchedule.client_id == client.id)
            )
        }
    assert times == {CheckinKind.MORNING: dt.time(8, 30), CheckinKind.EVENING: dt.time(21, 0)}
    # After onboarding the bot is an ordinary companion.
    assert texts(stack.say("e2e-new-aino", "mitä osaat"))[0].startswith("Voin auttaa näissä:")


def test_an_odd_time_is_asked_again_in_plain_words(stack: Stack) -> None:
    stack.say("e2e-new-odd", "hei")
    stack.say("e2e-new-odd", "joo")
    [again] = stack.say("e2e-new-odd", "klo 3")
    assert texts([again])[0].startswith("En saanut ajasta kiinni.")


def test_a_client_who_refuses_leaves_nothing_but_the_refusal(stack: Stack) -> None:
    stack.say("e2e-new-ville", "moi")
    [refused] = stack.say("e2e-new-ville", "ei sovi")
    assert "En tallenna sinusta mitään muuta" in str(refused["text"])
    assert "ALOITA" in str(refused["text"])
    client = _client(stack, "e2e-new-ville")
    assert client.consent is Consent.REFUSED
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        for model in (InboundMessage, OutboxMessage):
            assert session.scalars(select(model).where(model.client_id == client.id)).all() == []
    settings = Settings(_env_file=None, var_dir=Path(stack.env["ASKEL_VAR_DIR"]))
    # Rasa's copy of the conversation is gone too: nothing is left to delete.
    assert forget_conversation(settings, client.conversation_id) == 0
    # A later message is not kept either, and says how to come back.
    [hint] = stack.say("e2e-new-ville", "moi taas")
    assert "ALOITA" in str(hint["text"])
    intro, _ = stack.say("e2e-new-ville", "ALOITA")
    assert str(intro["text"]).startswith("Hei! Olen Askel")
