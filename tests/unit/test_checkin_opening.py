"""A check-in the scheduler opens by itself, and the first answer that goes on in Rasa's form.

A coach would recognise: at 08:00 Aino gets "Huomenta, Aino!" and "Miten nukuit?" with
buttons, straight from the scheduler; her "1" goes to the dialogue as the answer to that
question; an answer after the check-in's window is an ordinary message again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.gateway.conversations import Conversations
from backend.gateway.rasa_client import RasaClient
from backend.models import ChannelKind, CheckinKind, Client, OutboxMessage
from backend.scheduler.handlers import default_handlers, default_hooks
from backend.scheduler.worker import SchedulerWorker
from backend.services.checkins import replan_checkins
from backend.services.choices import remember_choices
from backend.services.clients import client_for_address
from backend.services.onboarding import give_consent, set_checkin_time
from backend.texts.responses import Button, Reply
from tests.fakes.rasa_server import FakeRasa

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
async def rasa_client(rasa: FakeRasa) -> AsyncIterator[RasaClient]:
    client = RasaClient(rasa.url, "test-rasa-token", 5.0)
    yield client
    await client.aclose()


@pytest.fixture
def worker(context: AppContext, rasa_client: RasaClient) -> SchedulerWorker:
    """The scheduler with its real handlers and hooks."""
    return SchedulerWorker(context, default_handlers(rasa_client, context), default_hooks(context))


def _aino(context: AppContext, clock: FakeClock) -> int:
    clock.set(dt.datetime(2026, 11, 24, 6, 0, tzinfo=HELSINKI))
    now = clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", now)
        client.display_name = "Aino Virtanen"
        give_consent(client, now)
        client.consent_asked_at = now
        set_checkin_time(session, client, CheckinKind.MORNING, dt.time(8, 0), now)
        replan_checkins(session, client, now)
        return client.id


def _outbox(context: AppContext) -> list[OutboxMessage]:
    with transaction(context.sessions) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all())


async def test_the_scheduler_opens_the_morning_check_in_without_the_dialogue(
    context: AppContext,
    clock: FakeClock,
    rasa: FakeRasa,
    rasa_client: RasaClient,
    worker: SchedulerWorker,
) -> None:
    client_id = _aino(context, clock)
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI))
    assert await worker.run_once() == 1
    hello, question = _outbox(context)
    assert hello.text == "Huomenta, Aino!" and question.text == "Miten nukuit?"
    assert [b["payload"] for b in question.buttons or []] == ["hyvin", "ihan ok", "huonosti"]
    assert rasa.received == []  # no dialogue turn was needed
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert client.checkin_open == "morning"

    conversations = Conversations(context, rasa_client)
    await conversations.handle(ChannelKind.LOCAL, "aino", "1")
    assert rasa.received[-1]["message"] == '/checkin_morning_answer{"checkin_sleep": "hyvin"}'
    # The check-in is answered: the next words are an ordinary message.
    await conversations.handle(ChannelKind.LOCAL, "aino", "käyn kaupassa")
    assert rasa.received[-1]["message"] == "käyn kaupassa"


async def test_an_answer_after_the_window_is_an_ordinary_message(
    context: AppContext,
    clock: FakeClock,
    rasa: FakeRasa,
    rasa_client: RasaClient,
    worker: SchedulerWorker,
) -> None:
    _aino(context, clock)
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI))
    await worker.run_once()
    clock.set(dt.datetime(2026, 11, 24, 18, 30, tzinfo=HELSINKI))
    await Conversations(context, rasa_client).handle(ChannelKind.LOCAL, "aino", "hyvin meni")
    assert rasa.received[-1]["message"] == "hyvin meni"


async def test_a_keyword_or_crisis_is_never_taken_as_the_answer(
    context: AppContext,
    clock: FakeClock,
    rasa: FakeRasa,
    rasa_client: RasaClient,
    worker: SchedulerWorker,
) -> None:
    _aino(context, clock)
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI))
    await worker.run_once()
    conversations = Conversations(context, rasa_client)
    [crisis] = await conversations.handle(ChannelKind.LOCAL, "aino", "en jaksa elää enää")
    assert "09 2525 0111" in crisis.text
    await conversations.handle(ChannelKind.LOCAL, "aino", "VALIKKO")
    assert rasa.received[-1]["message"] == "/help"
    await conversations.handle(ChannelKind.LOCAL, "aino", "huonosti")
    assert rasa.received[-1]["message"] == '/checkin_morning_answer{"checkin_sleep": "huonosti"}'


async def test_a_button_offered_since_the_check_in_is_its_own_intent(
    context: AppContext,
    clock: FakeClock,
    rasa: FakeRasa,
    rasa_client: RasaClient,
    worker: SchedulerWorker,
) -> None:
    """At 08:00 Aino gets "Miten nukuit?"; the week's "Saitko askeleen tehtyä?" came just after
    with its buttons, and her "1" means the step, not her sleep."""
    client_id = _aino(context, clock)
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI))
    await worker.run_once()
    with transaction(context.sessions) as session:
        [identity] = session.get_one(Client, client_id).identities
        remember_choices(
            identity,
            [Reply("Saitko askeleen tehtyä?", (Button("Kyllä", "/step_done"),))],
        )
    conversations = Conversations(context, rasa_client)
    await conversations.handle(ChannelKind.LOCAL, "aino", "1")
    assert rasa.received[-1]["message"] == "/step_done"
    # The check-in was closed unanswered: the next words are an ordinary message.
    await conversations.handle(ChannelKind.LOCAL, "aino", "hyvin")
    assert rasa.received[-1]["message"] == "hyvin"
