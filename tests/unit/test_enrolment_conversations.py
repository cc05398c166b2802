"""Telegram and SMS strangers: a polite answer; with the coach's code, onboarding starts.

And when Rasa is down: one short "palaan pian", and every message answered, in order, when it
is back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.gateway.conversations import Conversations, Incoming
from backend.gateway.rasa_client import RasaClient
from backend.models import (
    ChannelIdentity,
    ChannelKind,
    Client,
    ClientStatus,
    Coach,
    Consent,
    InboundMessage,
    InboundState,
    OutboxMessage,
)
from backend.services.clients import client_for_address
from backend.services.enrolment import create_invite, display_code
from backend.services.strangers import ANSWERS_PER_HOUR
from tests.fakes.rasa_server import FakeRasa

PHONE = "+358401234567"


@pytest.fixture
async def conversations(context: AppContext, rasa: FakeRasa) -> AsyncIterator[Conversations]:
    client = RasaClient(rasa.url, "test-rasa-token", 5.0)
    yield Conversations(context, client)
    await client.aclose()


def _invite(context: AppContext) -> tuple[int, str]:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = Client(
            display_name="Aino", coach=Coach(name="Maija", created_at=now), created_at=now
        )
        session.add(client)
        session.flush()
        return client.id, create_invite(session, client, now, 14)


def _outbox_texts(context: AppContext, address: str) -> list[str]:
    with transaction(context.sessions) as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.address == address).order_by(OutboxMessage.id)
        ).all()
        return [row.text for row in rows]


async def test_a_stranger_gets_a_polite_answer_and_nothing_of_them_is_kept(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    replies = await conversations.handle(ChannelKind.SMS, PHONE, "Moi, mä oon Pekka", "SM1")
    assert "koodin" in replies[0].text and rasa.received == []
    with transaction(context.sessions) as session:
        [inbound] = session.scalars(select(InboundMessage)).all()
        assert session.scalars(select(Client)).all() == []
    assert inbound.client_id is None and inbound.text == ""
    assert PHONE not in (inbound.sender_hash or "") and len(inbound.sender_hash or "") == 64
    # The answer itself has to be sent somewhere: it waits in the outbox.
    assert _outbox_texts(context, PHONE) == [replies[0].text]


async def test_a_stranger_in_crisis_gets_the_crisis_line(
    context: AppContext, conversations: Conversations
) -> None:
    [reply] = await conversations.handle(ChannelKind.TELEGRAM, "900", "haluun kuolla", "u9")
    assert "09 2525 0111" in reply.text


async def test_a_stranger_who_keeps_writing_gets_a_few_answers_then_silence(
    context: AppContext, conversations: Conversations
) -> None:
    answered = [
        await conversations.handle(ChannelKind.SMS, PHONE, f"ABCDE-{n:05d}", f"SM{n}")
        for n in range(ANSWERS_PER_HOUR + 5)
    ]
    assert [len(replies) for replies in answered] == [1] * ANSWERS_PER_HOUR + [0] * 5


async def test_the_coachs_code_binds_the_number_and_starts_onboarding(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    client_id, code = _invite(context)
    rasa.answer = [{"text": "Hei! Olen Askel."}]
    replies = await conversations.handle(
        ChannelKind.SMS, PHONE, f"moi, koodi on {display_code(code).lower()}", "SM1"
    )
    assert [r.text for r in replies] == ["Hei! Olen Askel."]
    assert rasa.received[0]["message"] == "/start_onboarding"
    with transaction(context.sessions) as session:
        identity = session.scalars(select(ChannelIdentity)).one()
        inbound = session.scalars(select(InboundMessage)).one()
    assert (identity.client_id, identity.address) == (client_id, PHONE)
    assert inbound.client_id == client_id and inbound.sender_hash is None
    # A second use of the same code by someone else binds nothing.
    again = await conversations.handle(ChannelKind.SMS, "+358409999999", code, "SM2")
    assert "ei valitettavasti toimi" in again[0].text


async def test_a_telegram_invite_link_works_and_a_second_channel_just_links(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    client_id, code = _invite(context)
    await conversations.handle(ChannelKind.TELEGRAM, "4242", f"/start {code}", "u1")
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        client.consent, client.status = Consent.GIVEN, ClientStatus.ACTIVE
        second = create_invite(session, client, context.clock.now(), 14)
    replies = await conversations.handle(ChannelKind.SMS, PHONE, second, "SM1")
    assert replies[0].text.startswith("Kiitos! Askel toimii nyt myös täällä")
    with transaction(context.sessions) as session:
        identities = session.scalars(select(ChannelIdentity).order_by(ChannelIdentity.id)).all()
    assert [(i.channel, i.preferred) for i in identities] == [
        (ChannelKind.TELEGRAM, False),
        (ChannelKind.SMS, True),
    ]


async def _known(context: AppContext, channel: ChannelKind, address: str) -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, channel, address, now)
        client.consent, client.consent_at, client.consent_asked_at = Consent.GIVEN, now, now
        client.status = ClientStatus.ACTIVE


async def test_a_button_press_is_taken_only_for_the_choices_offered(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await _known(context, ChannelKind.TELEGRAM, "555")
    rasa.answer = [{"text": "Sopiiko?", "buttons": [{"title": "Kyllä", "payload": "/affirm"}]}]
    await conversations.handle(ChannelKind.TELEGRAM, "555", "moi", "u1")
    offered = conversations.receive(
        ChannelKind.TELEGRAM, "555", "Kyllä", "u2", incoming=Incoming(payload="/affirm")
    )
    forged = conversations.receive(
        ChannelKind.TELEGRAM, "555", "Poista", "u3", incoming=Incoming(payload="/delete_my_data")
    )
    assert offered is not None and forged is not None
    assert offered.message == "/affirm"
    assert forged.message == "Poista"  # the title is read as the client's words, nothing more


async def test_a_photo_gets_a_calm_answer_without_the_dialogue(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await _known(context, ChannelKind.TELEGRAM, "555")
    turn = conversations.receive(
        ChannelKind.TELEGRAM, "555", "", "u1", incoming=Incoming(media=True)
    )
    assert turn is not None and turn.immediate is not None
    assert turn.immediate.text.startswith("Kiitos! Osaan lukea vain tekstiä")
    assert _outbox_texts(context, "555") == [turn.immediate.text]
    assert await conversations.process(turn) == [turn.immediate] and rasa.received == []


async def test_while_rasa_is_down_one_notice_and_every_message_answered_when_it_is_back(
    context: AppContext, clock: FakeClock, rasa: FakeRasa, conversations: Conversations
) -> None:
    await _known(context, ChannelKind.TELEGRAM, "555")
    rasa.down = True
    first = await conversations.handle(ChannelKind.TELEGRAM, "555", "eka", "u1")
    second = await conversations.handle(ChannelKind.TELEGRAM, "555", "toka", "u2")
    assert [r.text[:11] for r in first] == ["Palaan pian"] and second == []
    rasa.down = False
    clock.advance(dt.timedelta(seconds=10))
    assert await conversations.retry_waiting() == 1
    assert [item["message"] for item in rasa.received] == ["eka", "toka"]
    with transaction(context.sessions) as session:
        states = session.scalars(select(InboundMessage.state)).all()
    assert states == [InboundState.PROCESSED, InboundState.PROCESSED]
    assert _outbox_texts(context, "555") == [first[0].text, "Hei!", "Hei!"]


async def test_a_new_message_after_rasa_returns_waits_behind_the_older_ones(
    context: AppContext, rasa: FakeRasa, conversations: Conversations
) -> None:
    await _known(context, ChannelKind.TELEGRAM, "555")
    rasa.down = True
    await conversations.handle(ChannelKind.TELEGRAM, "555", "eka", "u1")
    rasa.down = False
    await conversations.handle(ChannelKind.TELEGRAM, "555", "toka", "u2")
    assert [item["message"] for item in rasa.received] == ["eka", "toka"]
