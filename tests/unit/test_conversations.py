"""A client's message through the gateway: stored first, passed to Rasa, answered in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from backend.context import AppContext
from backend.db import transaction
from backend.gateway.conversations import Conversations, clean_text
from backend.gateway.rasa_client import RasaClient
from backend.models import (
    Alert,
    AlertKind,
    ChannelKind,
    Client,
    ClientStatus,
    Coach,
    Consent,
    InboundMessage,
    InboundState,
    JobState,
    OutboxMessage,
    OutboxState,
    ScheduledJob,
)
from backend.services.clients import client_for_address
from backend.services.jobs import schedule_job
from tests.fakes.rasa_server import FakeRasa


@pytest.fixture
async def conversations(context: AppContext, rasa: FakeRasa) -> AsyncIterator[Conversations]:
    client = RasaClient(rasa.url, "test-rasa-token", 5.0)
    yield Conversations(context, client)
    await client.aclose()


@pytest.fixture(autouse=True)
def enrolled(context: AppContext) -> None:
    """Aino and Ville (local) and a Telegram client 555 have consented and are active."""
    now = context.clock.now()
    with transaction(context.sessions) as session:
        for channel, address in (
            (ChannelKind.LOCAL, "aino"),
            (ChannelKind.LOCAL, "ville"),
            (ChannelKind.TELEGRAM, "555"),
        ):
            client = client_for_address(session, channel, address, now)
            client.consent, client.consent_at, client.consent_asked_at = Consent.GIVEN, now, now
            client.status = ClientStatus.ACTIVE


async def test_a_new_sender_becomes_a_client_and_starts_onboarding(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await conversations.handle(ChannelKind.LOCAL, "uusi", "moi")
    # Whatever their first words, a new client is first told what Askel is and asked for consent.
    assert rasa.received[0]["message"] == "/start_onboarding"
    await conversations.handle(ChannelKind.LOCAL, "uusi", "joo")
    assert rasa.received[1]["message"] == "joo"


async def test_a_clients_message_is_stored_and_answered(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    replies = await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    assert [r.text for r in replies] == ["Hei!"]
    with transaction(context.sessions) as session:
        inbound = session.scalars(select(InboundMessage)).one()
        outbox = session.scalars(select(OutboxMessage)).one()
    assert inbound.text == "moi" and inbound.state is InboundState.PROCESSED
    assert outbox.text == "Hei!" and outbox.state is OutboxState.DELIVERED
    assert outbox.in_reply_to == inbound.id
    # Rasa sees the conversation id, never the sender's own address.
    assert rasa.received[0]["sender"] != "aino" and len(rasa.received[0]["sender"]) == 32


async def test_the_same_sender_keeps_one_conversation(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    await conversations.handle(ChannelKind.LOCAL, "aino", "mitä osaat")
    await conversations.handle(ChannelKind.LOCAL, "ville", "moi")
    senders = [item["sender"] for item in rasa.received]
    assert senders[0] == senders[1] != senders[2]


async def test_a_digit_answers_the_last_choices_offered(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    rasa.answer = [{"text": "Valitse", "buttons": [{"title": "Apua", "payload": "/help"}]}]
    await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    await conversations.handle(ChannelKind.LOCAL, "aino", " 1. ")
    await conversations.handle(ChannelKind.LOCAL, "aino", "7")
    assert [item["message"] for item in rasa.received] == ["moi", "/help", "7"]


async def test_a_client_cannot_send_intents_directly(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await conversations.handle(ChannelKind.LOCAL, "aino", "/stop_messages")
    assert rasa.received[0]["message"] == "stop_messages"


async def test_an_empty_message_is_answered_without_rasa(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    replies = await conversations.handle(ChannelKind.LOCAL, "aino", " \x00 ")
    assert rasa.received == []
    assert replies[0].text.startswith("Sain tyhjän viestin")


async def test_when_rasa_is_down_the_client_hears_so_and_the_message_is_kept(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    rasa.down = True
    replies = await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    assert replies[0].text.startswith("Palaan pian")
    with transaction(context.sessions) as session:
        inbound = session.scalars(select(InboundMessage)).one()
    assert inbound.state is InboundState.RECEIVED and inbound.text == "moi"


async def test_silence_from_rasa_still_gets_an_answer(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    rasa.answer = []
    replies = await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    assert replies[0].text.startswith("Nyt meni minulta jokin sekaisin")


async def test_a_redelivered_message_is_processed_once(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    first = await conversations.handle(ChannelKind.TELEGRAM, "555", "moi", external_id="u-1")
    again = await conversations.handle(ChannelKind.TELEGRAM, "555", "moi", external_id="u-1")
    assert len(first) == 1 and again == []
    assert len(rasa.received) == 1
    with transaction(context.sessions) as session:
        outbox = session.scalars(select(OutboxMessage)).all()
    # Channels with a sender of their own wait in the outbox to be sent.
    assert [row.state for row in outbox] == [OutboxState.PENDING]


def test_clean_text_keeps_words_and_drops_control_characters() -> None:
    assert clean_text("  moi\x07 kaikki ") == "moi  kaikki"
    assert clean_text("//help") == "help"
    assert len(clean_text("a" * 10_000)) == 1000


def _give_coach(context: AppContext, sender: str, *, email: str = "sanna@example.fi") -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, sender, now)
        client.display_name = "Aino Virtanen"
        client.coach = Coach(name="Sanna Ohjaaja", email=email, created_at=now)


async def test_a_crisis_gets_the_crisis_line_at_once_and_the_coach_an_urgent_alert(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    _give_coach(context, "aino")
    rasa.down = True  # the answer must not depend on the dialogue model
    [reply] = await conversations.handle(ChannelKind.LOCAL, "aino", "en jaksa enää, haluun kuolla")
    assert "09 2525 0111" in reply.text and "112" in reply.text
    assert "automaattinen" in reply.text and "Kerroin myös ohjaajallesi" in reply.text
    assert rasa.received == []
    with transaction(context.sessions) as session:
        [alert] = session.scalars(select(Alert)).all()
        to_coach = session.scalars(
            select(OutboxMessage).where(OutboxMessage.coach_id.is_not(None))
        ).one()
    assert alert.kind is AlertKind.CRISIS
    assert (to_coach.channel, to_coach.address) == (ChannelKind.EMAIL, "sanna@example.fi")
    # The alert names the client and the kind, and never quotes the client's words.
    assert "Aino Virtanen" in to_coach.text and "kuolla" not in to_coach.text


async def test_a_crisis_before_any_coach_is_answered_without_promising_one(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    [reply] = await conversations.handle(ChannelKind.LOCAL, "uusi", "mietin itsemurhaa")
    assert "09 2525 0111" in reply.text and "ohjaajallesi" not in reply.text
    with transaction(context.sessions) as session:
        assert session.scalars(select(Alert)).all() == []


async def test_a_redelivered_crisis_message_alerts_the_coach_once(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.TELEGRAM, "555", now)
        client.coach = Coach(name="Sanna", email="sanna@example.fi", created_at=now)
    for _ in range(3):
        await conversations.handle(ChannelKind.TELEGRAM, "555", "haluun kuolla", external_id="7")
    with transaction(context.sessions) as session:
        assert len(session.scalars(select(Alert)).all()) == 1


async def test_stop_cancels_every_scheduled_message_and_says_how_to_come_back(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", now)
        job = schedule_job(session, "dialogue", now, now, client_id=client.id)
    [reply] = await conversations.handle(ChannelKind.LOCAL, "aino", "LOPETA")
    assert "ALOITA" in reply.text
    with transaction(context.sessions) as session:
        assert session.get_one(ScheduledJob, job.id).state is JobState.CANCELLED
        assert session.get_one(Client, client.id).status is ClientStatus.STOPPED
    # While stopped, the dialogue is not run; the client hears how to come back.
    [hint] = await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    assert "ALOITA" in hint.text and rasa.received == []
    # A crisis is still answered.
    [crisis] = await conversations.handle(ChannelKind.LOCAL, "aino", "haluun kuolla")
    assert "09 2525 0111" in crisis.text
    [back] = await conversations.handle(ChannelKind.LOCAL, "aino", "aloita")
    assert back.text.startswith("Tervetuloa takaisin!")
    await conversations.handle(ChannelKind.LOCAL, "aino", "moi")
    assert [item["message"] for item in rasa.received] == ["moi"]


async def test_valikko_opens_the_menu_through_the_dialogue(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await conversations.handle(ChannelKind.LOCAL, "aino", "VALIKKO")
    assert rasa.received[0]["message"] == "/help"


async def test_one_clients_messages_are_handled_in_order_one_at_a_time(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    rasa.delay = 0.05
    texts = [f"viesti {n}" for n in range(5)]
    await asyncio.gather(*(conversations.handle(ChannelKind.LOCAL, "aino", t) for t in texts))
    assert [item["message"] for item in rasa.received] == texts
    assert rasa.most_at_once == 1
