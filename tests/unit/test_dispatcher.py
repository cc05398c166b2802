"""The outbox sender with the real python-telegram-bot and twilio clients against fake providers.

A coach would recognise: a reply reaches the client's Telegram with its buttons; Telegram's
"slow down" is obeyed; a passing failure is retried and a lasting one ends as a dead letter with
its reason; a client who blocked the bot is reached by SMS instead and the coach is told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext, build_context
from backend.db import transaction
from backend.dispatcher.senders import configured_senders
from backend.dispatcher.worker import Dispatcher
from backend.models import (
    Alert,
    AlertKind,
    ChannelIdentity,
    ChannelKind,
    Client,
    ClientStatus,
    Coach,
    Consent,
    OutboxMessage,
    OutboxState,
)
from backend.services.outbox import enqueue_replies
from backend.settings import Settings
from backend.texts.responses import Button, Reply
from tests.conftest import changed
from tests.fakes import Answer
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramApi
from tests.fakes.twilio_api import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, FakeTwilioApi

CHAT = "4242"
PHONE = "+358401234567"


@pytest.fixture
def telegram_api() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture
def channel_settings(
    settings: Settings, telegram_api: FakeTelegramApi, twilio_api: FakeTwilioApi
) -> Settings:
    return changed(
        settings,
        telegram_token=DEFAULT_TOKEN,
        telegram_api_url=telegram_api.url,
        twilio_account_sid=DEFAULT_ACCOUNT_SID,
        twilio_auth_token=DEFAULT_AUTH_TOKEN,
        twilio_from="+358450000000",
        twilio_api_url=twilio_api.url,
        outbox_max_attempts=3,
        outbox_backoff_seconds=5.0,
        outbox_send_timeout_seconds=0.5,
    )


@pytest.fixture
async def dispatcher(
    channel_settings: Settings, context: AppContext, clock: FakeClock
) -> AsyncIterator[Dispatcher]:
    channel_context = build_context(channel_settings, clock)
    sender = Dispatcher(channel_context, configured_senders(channel_settings))
    yield sender
    await sender.aclose()
    channel_context.close()


def _client(context: AppContext, *, sms: bool = True) -> int:
    """Aino: consented, on Telegram (preferred) and SMS, with coach Maija (alerts by email)."""
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = Client(
            display_name="Aino",
            consent=Consent.GIVEN,
            status=ClientStatus.ACTIVE,
            coach=Coach(name="Maija", email="maija@example.fi", created_at=now),
            created_at=now,
        )
        client.identities.append(
            ChannelIdentity(channel=ChannelKind.TELEGRAM, address=CHAT, created_at=now)
        )
        if sms:
            client.identities.append(
                ChannelIdentity(
                    channel=ChannelKind.SMS, address=PHONE, preferred=False, created_at=now
                )
            )
        session.add(client)
        session.flush()
        return client.id


def _queue(context: AppContext, *replies: Reply) -> None:
    with transaction(context.sessions) as session:
        identity = session.scalars(
            select(ChannelIdentity).where(ChannelIdentity.channel == ChannelKind.TELEGRAM)
        ).one()
        enqueue_replies(session, identity, list(replies), context.clock.now())


def _rows(context: AppContext) -> list[OutboxMessage]:
    with transaction(context.sessions) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all())


async def test_a_reply_reaches_telegram_with_its_buttons(
    context: AppContext, dispatcher: Dispatcher, telegram_api: FakeTelegramApi
) -> None:
    _client(context)
    buttons = (Button("Kyllä, sopii", "/affirm"), Button("Ei sovi", "/deny"))
    _queue(context, Reply("Sopiiko?", buttons))
    assert await dispatcher.run_once() == 1
    [sent] = telegram_api.sent
    assert str(sent.chat_id) == CHAT and sent.text == "Sopiiko?"
    assert sent.reply_markup == {
        "inline_keyboard": [
            [{"text": "Kyllä, sopii", "callback_data": "/affirm"}],
            [{"text": "Ei sovi", "callback_data": "/deny"}],
        ]
    }
    [row] = _rows(context)
    assert (row.state, row.provider_id) == (OutboxState.SENT, str(sent.message_id))


async def test_telegrams_retry_after_is_obeyed_and_is_not_a_failed_attempt(
    context: AppContext, clock: FakeClock, dispatcher: Dispatcher, telegram_api: FakeTelegramApi
) -> None:
    _client(context)
    _queue(context, Reply("Huomenta!"))
    telegram_api.add_script(Answer.too_many_requests(1))
    await dispatcher.run_once()
    [row] = _rows(context)
    assert row.state is OutboxState.PENDING and row.attempts == 0
    assert row.next_attempt_at == clock.now() + dt.timedelta(seconds=1)
    assert await dispatcher.run_once() == 0  # not before the second has passed
    clock.advance(dt.timedelta(seconds=1))
    await dispatcher.run_once()
    assert [m.text for m in telegram_api.sent] == ["Huomenta!"]


async def test_passing_failures_are_retried_then_dead_lettered_with_the_reason(
    context: AppContext, clock: FakeClock, dispatcher: Dispatcher, telegram_api: FakeTelegramApi
) -> None:
    _client(context)
    _queue(context, Reply("Huomenta!"))
    telegram_api.add_script(Answer.server_error(), Answer.hang(2.0, deliver=False))
    await dispatcher.run_once()
    [row] = _rows(context)
    assert row.state is OutboxState.PENDING and row.attempts == 1
    assert dt.timedelta(seconds=4) <= row.next_attempt_at - clock.now() <= dt.timedelta(seconds=6)
    clock.advance(dt.timedelta(seconds=6))
    await dispatcher.run_once()  # the provider hangs past our timeout
    [row] = _rows(context)
    assert row.attempts == 2 and row.last_error == "telegram: TimedOut"
    telegram_api.add_script(Answer.server_error())
    clock.advance(dt.timedelta(seconds=12))
    await dispatcher.run_once()
    [row] = _rows(context)
    assert row.state is OutboxState.DEAD and row.attempts == 3
    assert row.last_error is not None and "telegram" in row.last_error
    assert telegram_api.sent == []


async def test_a_client_who_blocked_the_bot_gets_the_message_by_sms_and_the_coach_is_told(
    context: AppContext,
    dispatcher: Dispatcher,
    telegram_api: FakeTelegramApi,
    twilio_api: FakeTwilioApi,
) -> None:
    _client(context)
    _queue(context, Reply("Muistathan huomisen?", (Button("Kyllä", "/affirm"),)), Reply("Moi!"))
    telegram_api.set_chat_status(int(CHAT), "blocked")
    await dispatcher.run_once()
    await dispatcher.run_once()
    sms = twilio_api.wait_for_sent(1)
    assert sms[0].to == PHONE and sms[0].body == "Muistathan huomisen?\n1) Kyllä"
    await dispatcher.run_once()
    assert [m.body for m in twilio_api.wait_for_sent(2)][1] == "Moi!"
    with transaction(context.sessions) as session:
        telegram, phone = session.scalars(
            select(ChannelIdentity).order_by(ChannelIdentity.id)
        ).all()
        [alert] = session.scalars(select(Alert)).all()
    assert not telegram.reachable and "blocked" in (telegram.unreachable_reason or "")
    assert phone.preferred and alert.kind is AlertKind.UNREACHABLE
    states = {(row.channel, row.state) for row in _rows(context)}
    assert (ChannelKind.TELEGRAM, OutboxState.DEAD) in states
    assert (ChannelKind.TELEGRAM, OutboxState.CANCELLED) in states
    assert (ChannelKind.EMAIL, OutboxState.PENDING) in states  # the coach's alert


async def test_a_gone_chat_without_another_channel_tells_the_coach(
    context: AppContext, dispatcher: Dispatcher, telegram_api: FakeTelegramApi
) -> None:
    _client(context, sms=False)
    _queue(context, Reply("Huomenta!"))
    telegram_api.set_chat_status(int(CHAT), "gone")
    await dispatcher.run_once()
    with transaction(context.sessions) as session:
        [alert] = session.scalars(select(Alert)).all()
    assert alert.kind is AlertKind.UNREACHABLE
    assert next(row.state for row in _rows(context)) is OutboxState.DEAD


async def test_an_sms_goes_through_twilios_rest_api_as_gsm7(
    context: AppContext, dispatcher: Dispatcher, twilio_api: FakeTwilioApi
) -> None:
    _client(context)
    with transaction(context.sessions) as session:
        phone = session.scalars(
            select(ChannelIdentity).where(ChannelIdentity.channel == ChannelKind.SMS)
        ).one()
        enqueue_replies(session, phone, [Reply("“Hei” – tänään 🙂")], context.clock.now())
    await dispatcher.run_once()
    [sms] = twilio_api.sent
    assert sms.body == '"Hei" - tänään' and sms.from_ == "+358450000000"
    [row] = _rows(context)
    assert row.state is OutboxState.SENT and row.provider_id == sms.sid


async def test_twilio_refusing_an_unsubscribed_number_marks_it_unreachable(
    context: AppContext, dispatcher: Dispatcher, twilio_api: FakeTwilioApi
) -> None:
    _client(context, sms=True)
    with transaction(context.sessions) as session:
        phone = session.scalars(
            select(ChannelIdentity).where(ChannelIdentity.channel == ChannelKind.SMS)
        ).one()
        enqueue_replies(session, phone, [Reply("Moi")], context.clock.now())
    twilio_api.reject_number(PHONE, 21610)
    await dispatcher.run_once()
    with transaction(context.sessions) as session:
        phone = session.scalars(
            select(ChannelIdentity).where(ChannelIdentity.channel == ChannelKind.SMS)
        ).one()
    assert not phone.reachable
    assert next(r.address for r in _rows(context) if r.state is OutboxState.PENDING) == CHAT
