"""A client who asks for a human: the coach hears at once, and only once a day."""

from __future__ import annotations

import datetime as dt

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.contact_coach import ActionContactCoach
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import Alert, AlertKind, ChannelKind, Coach, OutboxMessage
from backend.services.clients import client_for_address
from tests.unit.trackers import tracker_for


def _client(context: AppContext, *, with_coach: bool) -> str:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.SMS, "+358401234567", now)
        client.display_name = "Ville Korhonen"
        if with_coach:
            client.coach = Coach(
                name="Sanna",
                telegram_chat_id="777",
                alert_channel=ChannelKind.TELEGRAM,
                created_at=now,
            )
        return client.conversation_id


async def _ask(context: AppContext, conversation: str) -> str:
    dispatcher = CollectingDispatcher()
    await ActionContactCoach(context).run(dispatcher, tracker_for(conversation), {})
    return str(dispatcher.messages[0]["response"])


async def test_the_coach_gets_an_alert_on_their_telegram(
    context: AppContext, clock: FakeClock
) -> None:
    conversation = _client(context, with_coach=True)
    assert await _ask(context, conversation) == "utter_coach_told"
    with transaction(context.sessions) as session:
        [alert] = session.scalars(select(Alert)).all()
        [message] = session.scalars(select(OutboxMessage)).all()
    assert alert.kind is AlertKind.CONTACT_REQUEST
    assert (message.channel, message.address) == (ChannelKind.TELEGRAM, "777")
    assert message.text == "Askel: Ville Korhonen haluaa puhua kanssasi."


async def test_asking_again_the_same_day_does_not_alert_twice(
    context: AppContext, clock: FakeClock
) -> None:
    conversation = _client(context, with_coach=True)
    await _ask(context, conversation)
    clock.advance(dt.timedelta(hours=3))
    await _ask(context, conversation)
    clock.advance(dt.timedelta(days=1))
    await _ask(context, conversation)
    with transaction(context.sessions) as session:
        assert len(session.scalars(select(Alert)).all()) == 2


async def test_a_client_without_a_coach_hears_so_honestly(context: AppContext) -> None:
    conversation = _client(context, with_coach=False)
    assert await _ask(context, conversation) == "utter_no_coach"
    with transaction(context.sessions) as session:
        assert session.scalars(select(Alert)).all() == []
