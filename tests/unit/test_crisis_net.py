"""The NLU model's second net for a crisis: it alerts like the rules, and respects hyperbole."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.safety import ActionCrisisSupport
from backend.context import AppContext
from backend.db import transaction
from backend.models import Alert, AlertKind, ChannelKind, Coach
from backend.services.clients import client_for_address
from tests.unit.trackers import tracker_for


def _client_with_coach(context: AppContext) -> str:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", now)
        client.coach = Coach(name="Sanna", email="sanna@example.fi", created_at=now)
        return client.conversation_id


async def _run(context: AppContext, conversation: str, text: str) -> str:
    dispatcher = CollectingDispatcher()
    await ActionCrisisSupport(context).run(dispatcher, tracker_for(conversation, text), {})
    return str(dispatcher.messages[0]["response"])


async def test_a_crisis_only_the_model_heard_alerts_the_coach(context: AppContext) -> None:
    conversation = _client_with_coach(context)
    assert await _run(context, conversation, "en nää mitään valoa enää") == (
        "utter_crisis_coach_told"
    )
    with transaction(context.sessions) as session:
        [alert] = session.scalars(select(Alert)).all()
    assert alert.kind is AlertKind.CRISIS


async def test_a_known_exaggeration_is_answered_kindly_without_an_alert(
    context: AppContext,
) -> None:
    conversation = _client_with_coach(context)
    assert await _run(context, conversation, "kuolen tylsyyteen") == "utter_heard"
    with transaction(context.sessions) as session:
        assert session.scalars(select(Alert)).all() == []
