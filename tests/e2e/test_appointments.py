"""Appointments through the whole stack and the real Rasa server, on the stack's clock.

Aino, on Telegram, tells Askel about her doctor's appointment in her own words, confirms the
read-back with a button, gets the reminder the evening before at 18:00 with "Pääsen / En pääse",
presses "En pääse": she hears no blame, her coach Sanna gets an alert on Telegram at once, and
she says she is sick and wants a new time. Ville, on SMS, adds his dentist with a wrong time
first, answers with digits, lists what is coming, and writes "en pääse" after his reminder.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import (
    Alert,
    AlertKind,
    Appointment,
    AppointmentStatus,
    ChannelKind,
    ClientStatus,
    Coach,
    Consent,
)
from backend.services.clients import client_for_address
from tests.e2e.conftest import TWILIO_FROM
from tests.e2e.stack import Stack
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.fakes.twilio_api import FakeTwilioApi, signed_inbound_sms

HELSINKI = ZoneInfo("Europe/Helsinki")
T = TypeVar("T")


def _local(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=HELSINKI)


def _enrol(stack: Stack, channel: ChannelKind, address: str, name: str, coach: Coach) -> int:
    sessions = make_sessionmaker(make_engine(stack.database_url))
    now = stack.now()
    with transaction(sessions) as session:
        client = client_for_address(session, channel, address, now)
        client.consent, client.consent_at, client.consent_asked_at = Consent.GIVEN, now, now
        client.status = ClientStatus.ACTIVE
        client.display_name = name
        client.coach = coach
        return client.id


def _appointments(stack: Stack, client_id: int) -> list[Appointment]:
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        return list(
            session.scalars(select(Appointment).where(Appointment.client_id == client_id)).all()
        )


def _alerts(stack: Stack, client_id: int) -> list[Alert]:
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        return list(session.scalars(select(Alert).where(Alert.client_id == client_id)).all())


def _wait(found: Callable[[], list[T]], count: int) -> list[T]:
    """What `found` gives, once it holds at least `count` messages."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = found()
        if len(sent) >= count:
            return sent
        time.sleep(0.05)
    raise AssertionError(f"only {[getattr(m, 'text', m) for m in found()]}")


def _buttons(message: SentMessage) -> list[tuple[str, str]]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [(button["text"], button["callback_data"]) for row in rows for button in row]


def test_aino_adds_her_doctor_is_reminded_and_cannot_come_on_telegram(
    stack: Stack, telegram_api: FakeTelegramApi
) -> None:
    chat, coach_chat = 730001, 730099
    stack.set_clock(_local(11, 23, 10, 0))  # Monday morning
    coach = Coach(
        name="Sanna",
        telegram_chat_id=str(coach_chat),
        alert_channel=ChannelKind.TELEGRAM,
        created_at=stack.now(),
    )
    client_id = _enrol(stack, ChannelKind.TELEGRAM, str(chat), "Aino", coach)

    def sent() -> list[SentMessage]:
        return telegram_api.sent_to(chat)

    telegram_api.push_update(
        telegram_api.text_update(chat, "mulla on lääkäri torstaina klo 14 Kalevantiellä")
    )
    [read_back] = _wait(sent, 1)
    assert read_back.text == (
        "Kirjaanko: to 26.11. klo 14.00, lääkäri, Kalevantiellä. Onko tämä oikein?"
    )
    assert _buttons(read_back) == [("Kyllä", "/affirm"), ("Ei", "/deny")]
    assert _appointments(stack, client_id) == []  # nothing kept before the yes

    telegram_api.push_update(
        telegram_api.callback_update(chat, "/affirm", message_id=read_back.message_id)
    )
    saved = _wait(sent, 2)[1]
    assert saved.text.startswith("Kirjattu: to 26.11. klo 14.00, lääkäri, Kalevantiellä.")
    [appointment] = _appointments(stack, client_id)
    assert appointment.starts_at == _local(11, 26, 14, 0)

    # Wednesday: nothing at 17:59, the reminder at 18:00.
    stack.set_clock(_local(11, 25, 17, 59))
    time.sleep(2)
    assert len(sent()) == 2
    stack.set_clock(_local(11, 25, 18, 0))
    reminder = _wait(sent, 3)[2]
    assert reminder.text == (
        "Muistutus: to 26.11. klo 14.00, lääkäri, Kalevantiellä. Pääsetkö paikalle?"
    )
    assert [title for title, _ in _buttons(reminder)] == ["Pääsen", "En pääse"]

    stack.set_clock(_local(11, 25, 18, 5))
    cannot = _buttons(reminder)[1][1]
    telegram_api.push_update(
        telegram_api.callback_update(chat, cannot, message_id=reminder.message_id)
    )
    answer, told, reason_question = _wait(sent, 6)[3:6]
    assert answer.text.startswith("Kiitos, että kerroit. Ei se mitään")
    assert told.text == "Kerroin ohjaajallesi, ettet pääse."
    assert reason_question.text == "Haluatko kertoa syyn? Voit myös ohittaa."
    [alert] = _alerts(stack, client_id)
    assert alert.kind is AlertKind.CANNOT_ATTEND
    [to_coach] = _wait(lambda: telegram_api.sent_to(coach_chat), 1)
    assert to_coach.text == "Askel: Aino ei pääse tapaamiseen."

    sick = _buttons(reason_question)[0][1]
    telegram_api.push_update(
        telegram_api.callback_update(chat, sick, message_id=reason_question.message_id)
    )
    new_time = _wait(sent, 7)[6]
    assert new_time.text == "Haluatko uuden ajan?"
    telegram_api.push_update(
        telegram_api.callback_update(chat, "/affirm", message_id=new_time.message_id)
    )
    closing = _wait(sent, 8)[7]
    assert closing.text.startswith("Selvä. Ohjaajasi auttaa uuden ajan kanssa.")
    [appointment] = _appointments(stack, client_id)
    assert (appointment.status, appointment.miss_reason) == (AppointmentStatus.RESCHEDULE, "sick")

    # The two-hours-before reminder of the appointment she cannot come to is never sent.
    stack.set_clock(_local(11, 26, 12, 0))
    time.sleep(2)
    assert len(sent()) == 8


def test_ville_adds_his_dentist_by_sms_lists_and_writes_en_paase(
    stack: Stack, twilio_api: FakeTwilioApi
) -> None:
    phone = "+358401230002"
    stack.set_clock(_local(11, 30, 9, 0))  # Monday
    coach = Coach(name="Sanna", email="sanna@example.fi", created_at=stack.now())
    client_id = _enrol(stack, ChannelKind.SMS, phone, "Ville", coach)
    url = f"{stack.url}/channels/sms/twilio"

    def text(body: str) -> None:
        headers, form = signed_inbound_sms(
            url, stack.env["ASKEL_TWILIO_AUTH_TOKEN"], from_=phone, to=TWILIO_FROM, body=body
        )
        assert httpx.post(url, data=form, headers=headers, timeout=60).status_code == 200

    def bodies(count: int) -> list[str]:
        return [m.body for m in _wait(lambda: twilio_api.sent_to(phone), count)]

    text("hammaslääkäri 2.12. klo 25 Kalevantiellä")
    assert bodies(1)[0].startswith("Tuota päivää tai kellonaikaa ei ole kalenterissa.")
    text("2.12. kymmeneltä, numero 03 565 7000")
    assert bodies(2)[1] == (
        "Kirjaanko: ke 2.12. klo 10.00, hammaslääkäri, Kalevantiellä. Onko tämä oikein?\n"
        "1) Kyllä\n2) Ei"
    )
    text("1")
    assert bodies(3)[2].startswith("Kirjattu: ke 2.12. klo 10.00, hammaslääkäri")

    text("mitä tapaamisia mulla on?")
    assert bodies(4)[3] == "Tulevat tapaamisesi:\nke 2.12. klo 10.00, hammaslääkäri"

    stack.set_clock(_local(12, 1, 18, 0))
    assert bodies(5)[4] == (
        "Muistutus: ke 2.12. klo 10.00, hammaslääkäri, Kalevantiellä. Pääsetkö paikalle?\n"
        "1) Pääsen\n2) En pääse"
    )
    stack.set_clock(_local(12, 1, 18, 10))
    text("en pääse")
    answer, told, number, reason = bodies(9)[5:9]
    assert answer.startswith("Kiitos, että kerroit. Ei se mitään, näin käy joskus.")
    assert told == "Kerroin ohjaajallesi, ettet pääse."
    assert number == "Voit perua tai siirtää ajan myös soittamalla: 03 565 7000."
    assert reason == (
        "Haluatko kertoa syyn? Voit myös ohittaa.\n"
        "1) Olen kipeä\n2) Muu meno\n3) Jokin muu\n4) Ohita"
    )
    assert [alert.kind for alert in _alerts(stack, client_id)] == [AlertKind.CANNOT_ATTEND]
    text("2")
    assert bodies(10)[9] == "Haluatko uuden ajan?\n1) Kyllä\n2) Ei"
    text("2")
    assert bodies(11)[10].startswith("Selvä. Jos haluat uuden ajan myöhemmin")
    [appointment] = _appointments(stack, client_id)
    assert (appointment.status, appointment.miss_reason) == (
        AppointmentStatus.CANCELLED,
        "other_business",
    )
