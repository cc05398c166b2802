"""The Telegram and Twilio webhooks: forged requests get 403 and change nothing; real ones are
stored at once and answered through the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from backend.context import AppContext, build_context
from backend.db import transaction
from backend.gateway.app import create_app
from backend.models import (
    ChannelIdentity,
    ChannelKind,
    Client,
    ClientStatus,
    Consent,
    InboundMessage,
    OutboxMessage,
    OutboxState,
)
from backend.services.outbox import Address, enqueue_replies
from backend.settings import Settings
from backend.texts.responses import Reply
from tests.conftest import changed
from tests.fakes.rasa_server import FakeRasa
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramApi
from tests.fakes.twilio_api import (
    DEFAULT_AUTH_TOKEN,
    signed_inbound_sms,
    signed_status_callback,
)

PUBLIC = "https://askel.example.fi"
SECRET = "s3cret-webhook-token"
PHONE = "+358401234567"


@pytest.fixture
async def gateway(
    settings: Settings, context: AppContext, rasa: FakeRasa
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI, AppContext]]:
    port = int(rasa.url.rsplit(":", 1)[1])
    configured = changed(
        settings,
        public_url=PUBLIC,
        rasa_port=port,
        telegram_token="1:abc",
        telegram_webhook_secret=SECRET,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=DEFAULT_AUTH_TOKEN,
        twilio_from="+358450000000",
    )
    built = build_context(configured, context.clock)
    app = create_app(built)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
            yield client, app, built
    built.close()


def _known(context: AppContext, channel: ChannelKind, address: str) -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = Client(
            consent=Consent.GIVEN, consent_asked_at=now, status=ClientStatus.ACTIVE, created_at=now
        )
        client.identities.append(ChannelIdentity(channel=channel, address=address, created_at=now))
        session.add(client)


def _count(context: AppContext, model: type[InboundMessage] | type[OutboxMessage]) -> int:
    with transaction(context.sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _update(update_id: int, chat: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1700000000,
            "chat": {"id": chat, "type": "private", "first_name": "Aino"},
            "from": {"id": chat, "is_bot": False, "first_name": "Aino"},
            "text": text,
        },
    }


async def _settled(app: FastAPI) -> None:
    await app.state.background.wait()


async def test_a_telegram_update_without_the_secret_gets_403_and_changes_nothing(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext], rasa: FakeRasa
) -> None:
    client, _app, context = gateway
    path = "/channels/telegram/webhook"
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        response = await client.post(path, json=_update(1, 42, "moi"), headers=headers)
        assert response.status_code == 403
    assert _count(context, InboundMessage) == 0 and rasa.received == []


async def test_a_telegram_update_is_stored_acknowledged_and_answered_once(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext], rasa: FakeRasa
) -> None:
    client, app, context = gateway
    _known(context, ChannelKind.TELEGRAM, "42")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for _ in range(2):  # Telegram redelivers when it did not see our answer in time
        response = await client.post(
            "/channels/telegram/webhook", json=_update(7, 42, "moi"), headers=headers
        )
        assert response.status_code == 200
    await _settled(app)
    assert [item["message"] for item in rasa.received] == ["moi"]
    with transaction(context.sessions) as session:
        [reply] = session.scalars(select(OutboxMessage)).all()
    assert (reply.channel, reply.address, reply.state) == (
        ChannelKind.TELEGRAM,
        "42",
        OutboxState.PENDING,
    )


async def test_a_button_press_is_acknowledged_in_the_webhook_answer(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext], rasa: FakeRasa
) -> None:
    client, app, context = gateway
    _known(context, ChannelKind.TELEGRAM, "42")
    update = {
        "update_id": 8,
        "callback_query": {
            "id": "cq1",
            "chat_instance": "x",
            "data": "/affirm",
            "from": {"id": 42, "is_bot": False, "first_name": "Aino"},
            "message": {
                "message_id": 3,
                "date": 1700000000,
                "chat": {"id": 42, "type": "private"},
                "text": "Sopiiko?",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Kyllä", "callback_data": "/affirm"}]]
                },
            },
        },
    }
    response = await client.post(
        "/channels/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.json() == {"method": "answerCallbackQuery", "callback_query_id": "cq1"}
    await _settled(app)
    assert rasa.received[0]["message"] == "Kyllä"  # no choices were offered: read as words


async def test_an_sms_with_a_wrong_signature_gets_403_and_changes_nothing(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext],
) -> None:
    client, _app, context = gateway
    url = PUBLIC + "/channels/sms/twilio"
    headers, form = signed_inbound_sms(url, "not-our-token", from_=PHONE, to="+358", body="moi")
    assert (await client.post(url, data=form, headers=headers)).status_code == 403
    assert (await client.post(url, data=form)).status_code == 403
    # Signed for another address: a replay to us does not pass either.
    headers, form = signed_inbound_sms(
        "https://other.example/sms", DEFAULT_AUTH_TOKEN, from_=PHONE, to="+358", body="moi"
    )
    assert (await client.post(url, data=form, headers=headers)).status_code == 403
    assert _count(context, InboundMessage) == 0


async def test_a_signed_sms_is_stored_and_answered_by_the_rest_api_not_twiml(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext], rasa: FakeRasa
) -> None:
    client, app, context = gateway
    _known(context, ChannelKind.SMS, PHONE)
    url = PUBLIC + "/channels/sms/twilio"
    headers, form = signed_inbound_sms(
        url, DEFAULT_AUTH_TOKEN, from_=PHONE, to="+358450000000", body="moi", message_sid="SM1"
    )
    for _ in range(2):
        response = await client.post(url, data=form, headers=headers)
        assert response.status_code == 200 and "<Response></Response>" in response.text
    await _settled(app)
    assert len(rasa.received) == 1
    assert _count(context, OutboxMessage) == 1


async def test_delivery_reports_update_the_outbox(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext],
) -> None:
    client, _app, context = gateway
    now = context.clock.now()
    with transaction(context.sessions) as session:
        [row] = enqueue_replies(session, Address(ChannelKind.SMS, PHONE), [Reply("Moi")], now)
        row.state, row.provider_id = OutboxState.SENT, "SM9"
    url = PUBLIC + "/channels/sms/twilio/status"
    forged, form = signed_status_callback(
        url, "wrong", message_sid="SM9", status="delivered", to=PHONE, from_="+358450000000"
    )
    assert (await client.post(url, data=form, headers=forged)).status_code == 403
    headers, form = signed_status_callback(
        url, DEFAULT_AUTH_TOKEN, message_sid="SM9", status="delivered", to=PHONE, from_="+358"
    )
    assert (await client.post(url, data=form, headers=headers)).status_code == 204
    with transaction(context.sessions) as session:
        assert session.scalars(select(OutboxMessage.state)).one() is OutboxState.DELIVERED


async def test_a_report_that_overtakes_the_record_of_the_send_is_applied_after_it(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext],
) -> None:
    """Twilio calls back as soon as it has answered the send, sometimes before the sender has
    written down the message's id: the report waits for it instead of being dropped."""
    client, _app, context = gateway
    now = context.clock.now()
    with transaction(context.sessions) as session:
        [row] = enqueue_replies(session, Address(ChannelKind.SMS, PHONE), [Reply("Moi")], now)
        row.state = OutboxState.SENDING  # the provider has answered; the sender has not written
        row_id = row.id

    async def sender_writes_it_down() -> None:
        await asyncio.sleep(0.3)
        with transaction(context.sessions) as session:
            sent = session.get_one(OutboxMessage, row_id)
            sent.state, sent.provider_id = OutboxState.SENT, "SM7"

    url = PUBLIC + "/channels/sms/twilio/status"
    headers, form = signed_status_callback(
        url, DEFAULT_AUTH_TOKEN, message_sid="SM7", status="delivered", to=PHONE, from_="+358"
    )
    writing = asyncio.create_task(sender_writes_it_down())
    assert (await client.post(url, data=form, headers=headers)).status_code == 204
    await writing
    with transaction(context.sessions) as session:
        assert session.get_one(OutboxMessage, row_id).state is OutboxState.DELIVERED


async def test_an_undelivered_sms_is_sent_again_and_a_dead_number_is_given_up(
    gateway: tuple[httpx.AsyncClient, FastAPI, AppContext],
) -> None:
    client, _app, context = gateway
    _known(context, ChannelKind.SMS, PHONE)
    now = context.clock.now()
    with transaction(context.sessions) as session:
        rows = enqueue_replies(
            session, Address(ChannelKind.SMS, PHONE), [Reply("A"), Reply("B")], now
        )
        for row, sid in zip(rows, ("SM1", "SM2"), strict=True):
            row.state, row.provider_id, row.attempts = OutboxState.SENT, sid, 1
    url = PUBLIC + "/channels/sms/twilio/status"
    for sid, code in (("SM1", 30003), ("SM2", 30005)):
        headers, form = signed_status_callback(
            url,
            DEFAULT_AUTH_TOKEN,
            message_sid=sid,
            status="undelivered",
            to=PHONE,
            from_="+358",
            error_code=code,
        )
        assert (await client.post(url, data=form, headers=headers)).status_code == 204
    with transaction(context.sessions) as session:
        first, second = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        identity = session.scalars(select(ChannelIdentity)).one()
    assert first.state is OutboxState.PENDING  # a handset that was off: tried again later
    assert second.state is OutboxState.DEAD and "30005" in (second.last_error or "")
    assert not identity.reachable


async def test_long_polling_stores_updates_and_answers_button_presses(
    settings: Settings, context: AppContext, rasa: FakeRasa
) -> None:
    with FakeTelegramApi() as telegram_api:
        configured = changed(
            settings,
            rasa_port=int(rasa.url.rsplit(":", 1)[1]),
            telegram_token=DEFAULT_TOKEN,
            telegram_api_url=telegram_api.url,
            telegram_poll_seconds=1,
        )
        _known(context, ChannelKind.TELEGRAM, "42")
        built = build_context(configured, context.clock)
        app = create_app(built)
        async with app.router.lifespan_context(app):
            telegram_api.push_update(telegram_api.text_update(42, "moi"))
            telegram_api.push_update(telegram_api.callback_update(42, "/affirm"))
            for _ in range(200):
                if _count(context, OutboxMessage) == 2 and telegram_api.callback_answers:
                    break
                await asyncio.sleep(0.02)
            await app.state.background.wait()
        built.close()
    # The pressed button was under no choices offered: it is answered, but not as a choice.
    assert [item["message"] for item in rasa.received] == ["moi"]
    assert len(telegram_api.callback_answers) == 1
    assert _count(context, OutboxMessage) == 2
