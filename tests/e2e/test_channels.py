"""Telegram and SMS through the whole stack: a coach's invite, onboarding with buttons or
numbers, keywords, and strangers; the real python-telegram-bot and twilio clients talk to fake
providers, the real Rasa server understands the Finnish."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time

import httpx
from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import (
    ChannelIdentity,
    CheckinSchedule,
    Client,
    Consent,
    OutboxMessage,
    OutboxState,
)
from tests.e2e.stack import ASKEL, ROOT, Stack
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.fakes.twilio_api import FakeTwilioApi, SmsMessage, signed_inbound_sms


def _askel(stack: Stack, *args: str) -> str:
    done = subprocess.run(
        [str(ASKEL), *args], env=stack.env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def _invite(stack: Stack, name: str) -> tuple[int, str, str]:
    """A coach adds a client; returns the client's number, the Telegram link and the code."""
    if "Maija" not in _askel(stack, "coach", "list"):
        _askel(stack, "coach", "add", "--name", "Maija", "--email", "maija@example.fi")
    printed = _askel(stack, "client", "add", "--coach", "1", "--name", name, "--phase", "1")
    number = int(re.search(r"Asiakas #(\d+)", printed).group(1))  # type: ignore[union-attr]
    link = re.search(r"https://t\.me/\S+", printed).group(0)  # type: ignore[union-attr]
    code = re.search(r"Kutsukoodi: (\S+)", printed).group(1)  # type: ignore[union-attr]
    return number, link, code


def _telegram(fake: FakeTelegramApi, chat: int, count: int) -> list[SentMessage]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = fake.sent_to(chat)
        if len(sent) >= count:
            return sent
        time.sleep(0.05)
    raise AssertionError(f"Telegram chat {chat} got {[m.text for m in fake.sent_to(chat)]}")


def _sms(fake: FakeTwilioApi, to: str, count: int) -> list[SmsMessage]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = fake.sent_to(to)
        if len(sent) >= count:
            return sent
        time.sleep(0.05)
    raise AssertionError(f"{to} got {[m.body for m in fake.sent_to(to)]}")


def _client(stack: Stack, number: int) -> Client:
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        client = session.get_one(Client, number)
        client.identities  # noqa: B018  (loaded for the caller)
        return client


def test_a_client_invited_by_link_onboards_on_telegram_with_buttons(
    stack: Stack, telegram_api: FakeTelegramApi
) -> None:
    stack.set_clock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc))
    number, link, _code = _invite(stack, "Aino Telegram")
    assert link.startswith("https://t.me/askel_test_bot?start=")
    chat = 710001
    telegram_api.push_update(telegram_api.text_update(chat, "/start " + link.split("=", 1)[1]))
    intro, question = _telegram(telegram_api, chat, 2)
    assert intro.text.startswith("Hei! Olen Askel, automaattinen apuri.")
    assert question.reply_markup == {
        "inline_keyboard": [
            [{"text": "Kyllä, sopii", "callback_data": "/affirm"}],
            [{"text": "Ei sovi", "callback_data": "/deny"}],
        ]
    }
    telegram_api.push_update(
        telegram_api.callback_update(chat, "/affirm", message_id=question.message_id)
    )
    morning = _telegram(telegram_api, chat, 3)[2]
    assert "aamuviestin" in morning.text
    telegram_api.push_update(telegram_api.text_update(chat, "puoli yhdeksän"))
    evening = _telegram(telegram_api, chat, 4)[3]
    assert "iltaviestin" in evening.text
    telegram_api.push_update(
        telegram_api.callback_update(
            chat, '/inform_time{"time": "21:00"}', message_id=evening.message_id
        )
    )
    done = _telegram(telegram_api, chat, 5)[4]
    assert done.text.startswith("Valmista! Tallensin ajat: aamu klo 8.30 ja ilta klo 21.00.")
    client = _client(stack, number)
    assert client.consent is Consent.GIVEN
    assert [(i.channel.value, i.address) for i in client.identities] == [("telegram", str(chat))]
    # Every button press was answered, so no button kept spinning.
    assert len(telegram_api.callback_answers) >= 2


def test_a_client_invited_by_sms_code_answers_with_digits(
    stack: Stack, twilio_api: FakeTwilioApi
) -> None:
    stack.set_clock(dt.datetime(2026, 11, 23, 10, 5, tzinfo=dt.timezone.utc))
    number, _link, code = _invite(stack, "Ville SMS")
    phone = "+358401110001"
    url = f"{stack.url}/channels/sms/twilio"

    def text(body: str) -> None:
        headers, form = signed_inbound_sms(
            url, stack.env["ASKEL_TWILIO_AUTH_TOKEN"], from_=phone, to="+358450000000", body=body
        )
        assert httpx.post(url, data=form, headers=headers, timeout=30).status_code == 200

    text(f"moi {code.lower()}")
    intro, question = _sms(twilio_api, phone, 2)
    assert intro.body.startswith("Hei! Olen Askel")
    assert question.body == "Sopiiko tämä sinulle?\n1) Kyllä, sopii\n2) Ei sovi"
    text("1")
    assert "aamuviestin" in _sms(twilio_api, phone, 3)[2].body
    text("LOPETA")
    assert "ALOITA" in _sms(twilio_api, phone, 4)[3].body
    client = _client(stack, number)
    assert [(i.channel.value, i.address) for i in client.identities] == [("sms", phone)]
    # Twilio's delivery reports, signed, reach the gateway and mark the messages delivered.
    sessions = make_sessionmaker(make_engine(stack.database_url))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with transaction(sessions) as session:
            states = set(
                session.scalars(
                    select(OutboxMessage.state).where(OutboxMessage.address == phone)
                ).all()
            )
        if states == {OutboxState.DELIVERED}:
            break
        time.sleep(0.2)
    assert states == {OutboxState.DELIVERED}
    with transaction(sessions) as session:
        assert (
            session.scalars(
                select(CheckinSchedule).where(CheckinSchedule.client_id == number)
            ).all()
            == []
        )  # consent given, but the times were not chosen before LOPETA


def test_a_stranger_on_telegram_is_told_how_to_join_and_nothing_more(
    stack: Stack, telegram_api: FakeTelegramApi
) -> None:
    chat = 710999
    telegram_api.push_update(telegram_api.text_update(chat, "moi, kuka oot?"))
    [answer] = _telegram(telegram_api, chat, 1)
    assert "koodi" in answer.text
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        assert (
            session.scalars(
                select(ChannelIdentity).where(ChannelIdentity.address == str(chat))
            ).all()
            == []
        )
