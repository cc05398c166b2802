"""The message path's statements run on the driver's cursor: what they write and read is what
SQLAlchemy would write and read, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from backend import migrate
from backend.clock import FakeClock
from backend.context import AppContext, build_context
from backend.db import transaction
from backend.gateway.conversations import Conversations
from backend.gateway.rasa_client import RasaClient
from backend.models import (
    ChannelIdentity,
    ChannelKind,
    Client,
    ClientStatus,
    Consent,
    InboundMessage,
    InboundState,
    OutboxMessage,
    OutboxState,
)
from backend.prepared import Prepared
from backend.services.clients import client_for_address, client_standing
from backend.services.inbound import already_received
from backend.settings import Settings
from tests.conftest import changed
from tests.fakes.rasa_server import FakeRasa


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, settings: Settings, clock: FakeClock
) -> Iterator[AppContext]:
    """A migrated database of each kind, with Aino enrolled on Telegram."""
    if request.param == "postgresql":
        settings = changed(settings, database_url=request.getfixturevalue("postgres_url"))
    migrate.upgrade(settings.database_url)
    context = build_context(settings, clock)
    now = clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.TELEGRAM, "555", now)
        client.consent, client.consent_at, client.consent_asked_at = Consent.GIVEN, now, now
        client.status = ClientStatus.ACTIVE
    yield context
    context.close()


async def test_a_message_and_its_answer_are_stored_as_sqlalchemy_would_store_them(
    database: AppContext, rasa: FakeRasa, clock: FakeClock
) -> None:
    rasa.answer = [
        {"text": "Pääsetkö huomenna?", "buttons": [{"title": "Kyllä", "payload": "/affirm"}]}
    ]
    client = RasaClient(rasa.url, "test-rasa-token", 5.0)
    conversations = Conversations(database, client)
    try:
        turn = conversations.receive(ChannelKind.TELEGRAM, "555", "moi", "update-1")
        assert turn is not None
        # The provider sends the same update again: it is known, and nothing new is stored.
        assert conversations.receive(ChannelKind.TELEGRAM, "555", "moi", "update-1") is None
        await conversations.process(turn)
    finally:
        await client.aclose()
    now = clock.now()
    with transaction(database.sessions) as session:
        inbound = session.scalars(select(InboundMessage)).one()
        outbox = session.scalars(select(OutboxMessage)).one()
        identity = session.scalars(select(ChannelIdentity)).one()
        aino = session.scalars(select(Client)).one()
        assert already_received(session, ChannelKind.TELEGRAM, "update-1")
        assert not already_received(session, ChannelKind.TELEGRAM, "update-2")
        standing = client_standing(session, aino.id, identity.id)
    assert (inbound.id, inbound.channel, inbound.text) == (
        turn.inbound_id,
        ChannelKind.TELEGRAM,
        "moi",
    )
    assert inbound.state is InboundState.PROCESSED and inbound.processed_at == now
    assert inbound.received_at == now and inbound.client_id == aino.id
    assert outbox.state is OutboxState.PENDING and outbox.in_reply_to == inbound.id
    assert outbox.text == "Pääsetkö huomenna?" and outbox.next_attempt_at == now
    assert outbox.buttons == [{"title": "Kyllä", "payload": "/affirm"}]
    assert json.loads(identity.last_choices or "[]") == [{"title": "Kyllä", "payload": "/affirm"}]
    assert aino.last_seen_at == now
    assert standing is not None
    assert (standing.status, standing.consent) == (ClientStatus.ACTIVE, Consent.GIVEN)


def test_a_message_stored_twice_is_refused_without_the_clients_words_in_the_error(
    database: AppContext, clock: FakeClock
) -> None:
    now = clock.now()
    row = {
        "channel": ChannelKind.TELEGRAM,
        "external_id": "update-9",
        "client_id": None,
        "text": "salainen sana",
        "dialogue_text": None,
        "sender_hash": None,
        "state": InboundState.RECEIVED,
        "received_at": now,
    }
    statement = Prepared(insert(InboundMessage.__table__))  # type: ignore[arg-type]
    with transaction(database.sessions) as session:
        statement.execute(session.connection(), row)
    with pytest.raises(IntegrityError) as raised, transaction(database.sessions) as session:
        statement.execute(session.connection(), row)
    assert "salainen" not in str(raised.value)


def test_a_statement_that_needs_a_default_of_sqlalchemys_is_refused(database: AppContext) -> None:
    # Without `attempts` and the rest, SQLAlchemy would fill in the columns' defaults itself.
    statement = Prepared(insert(OutboxMessage.__table__))  # type: ignore[arg-type]
    with pytest.raises(ValueError), transaction(database.sessions) as session:
        statement.execute(
            session.connection(),
            {"channel": ChannelKind.LOCAL, "address": "aino", "text": "Hei!"},
        )
