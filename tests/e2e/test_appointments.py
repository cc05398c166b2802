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
    Client,
    ClientStatus,
    Coach,
    Consent,
)
from backend.services.appointment_reminders import ReminderRules
from backend.services.appointments import add_appointment
from backend.services.clients import client_for_address
from backend.settings import Settings
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


# -- typed answers, read in context (local channel) -------------------------------------------

_MOOD_NOTED = "Kiitos, että kerroit. Kirjasin sen."


def _local_client(stack: Stack, sender: str) -> int:
    return stack.enrol(sender, name="Aino", coach_email="sanna@example.fi")


def _add(stack: Stack, client_id: int, title: str, starts_at: dt.datetime) -> int:
    """An appointment kept as the coach would add it, its reminders planned by the stack's rules."""
    sessions = make_sessionmaker(make_engine(stack.database_url))
    rules = ReminderRules.from_settings(Settings(_env_file=None))
    with transaction(sessions) as session:
        client = session.get_one(Client, client_id)
        return add_appointment(
            session, client, title, starts_at, stack.now(), rules, follow_up=title == "Kela"
        ).id


def _texts_of(messages: list[dict[str, object]]) -> list[str]:
    return [str(message["text"]) for message in messages]


def _fetched(stack: Stack, sender: str) -> list[str]:
    """What the scheduler sent on its own, once something has come."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = stack.fetch(sender)
        if messages:
            return _texts_of(messages)
        time.sleep(0.1)
    raise AssertionError("the scheduler sent nothing")


def test_typed_answers_to_the_day_and_time_questions_and_oon_kipee_after_the_reminder(
    stack: Stack,
) -> None:
    sender = "e2e-appointments-typed"
    stack.set_clock(_local(12, 14, 9, 0))  # Monday
    client_id = _local_client(stack, sender)

    def says(text: str) -> list[str]:
        return _texts_of(stack.say(sender, text))

    assert says("hammaslääkäri klo 14") == [
        'Minä päivänä se on? Voit kirjoittaa esimerkiksi "torstaina" tai "26.11.".'
    ]
    assert says("torstaina") == ["Kirjaanko: to 17.12. klo 14.00, hammaslääkäri. Onko tämä oikein?"]
    assert says("joo")[0].startswith("Kirjattu: to 17.12. klo 14.00, hammaslääkäri.")
    assert says("lääkäri perjantaina") == [
        'Selvä: pe 18.12., lääkäri. Mihin aikaan se on? Esimerkiksi "klo 14".'
    ]
    assert says("kymmeneltä") == ["Kirjaanko: pe 18.12. klo 10.00, lääkäri. Onko tämä oikein?"]
    assert says("kyllä")[0].startswith("Kirjattu: pe 18.12. klo 10.00, lääkäri.")

    stack.set_clock(_local(12, 16, 18, 0))
    assert _fetched(stack, sender) == [
        "Muistutus: to 17.12. klo 14.00, hammaslääkäri. Pääsetkö paikalle?"
    ]
    stack.set_clock(_local(12, 16, 18, 20))
    # Right after the reminder, being ill is "en pääse": the reason is not asked again.
    assert says("oon kipee") == [
        "Kiitos, että kerroit. Ei se mitään, näin käy joskus. "
        "Peruin ajan to 17.12. klo 14.00, hammaslääkäri.",
        "Kerroin ohjaajallesi, ettet pääse.",
        "Haluatko uuden ajan?",
    ]
    assert [alert.kind for alert in _alerts(stack, client_id)] == [AlertKind.CANNOT_ATTEND]
    assert says("ei")[0].startswith("Selvä. Jos haluat uuden ajan myöhemmin")
    dentist, doctor = sorted(_appointments(stack, client_id), key=lambda a: a.starts_at)
    assert (dentist.status, dentist.miss_reason) == (AppointmentStatus.CANCELLED, "sick")
    assert doctor.status is AppointmentStatus.PLANNED


def test_oon_kipea_is_en_paase_only_with_an_appointment_near(stack: Stack) -> None:
    sender = "e2e-appointments-unwell"
    stack.set_clock(_local(12, 14, 9, 0))  # Monday
    client_id = _local_client(stack, sender)
    next_week = _add(stack, client_id, "lääkäri", _local(12, 22, 10, 0))

    # Nothing near: a report of how she feels, and the appointment stays.
    assert _texts_of(stack.say(sender, "oon kipeä")) == [_MOOD_NOTED]
    assert _alerts(stack, client_id) == []

    tomorrow = _add(stack, client_id, "hammaslääkäri", _local(12, 15, 12, 0))
    replies = _texts_of(stack.say(sender, "oon kipeä"))
    assert replies[0].endswith("Peruin ajan ti 15.12. klo 12.00, hammaslääkäri.")
    assert replies[-1] == "Haluatko uuden ajan?"
    assert _texts_of(stack.say(sender, "joo"))[0].startswith("Selvä. Ohjaajasi auttaa")
    status = {a.id: a.status for a in _appointments(stack, client_id)}
    assert status == {next_week: AppointmentStatus.PLANNED, tomorrow: AppointmentStatus.RESCHEDULE}


def test_the_reason_typed_in_words(stack: Stack) -> None:
    sender = "e2e-appointments-reason"
    stack.set_clock(_local(12, 14, 9, 0))
    client_id = _local_client(stack, sender)
    _add(stack, client_id, "sossu", _local(12, 16, 13, 0))
    assert (
        _texts_of(stack.say(sender, "en pääse"))[-1] == "Haluatko kertoa syyn? Voit myös ohittaa."
    )
    assert _texts_of(stack.say(sender, "sairaus")) == ["Haluatko uuden ajan?"]
    assert _texts_of(stack.say(sender, "kyllä"))[0].startswith("Selvä. Ohjaajasi auttaa")
    [appointment] = _appointments(stack, client_id)
    assert (appointment.status, appointment.miss_reason) == (AppointmentStatus.RESCHEDULE, "sick")


def test_typed_answers_to_the_reminder_and_the_next_days_question(stack: Stack) -> None:
    sender = "e2e-appointments-next-day"
    stack.set_clock(_local(12, 14, 9, 0))
    client_id = _local_client(stack, sender)
    kela = _add(stack, client_id, "Kela", _local(12, 15, 13, 0))
    kela_again = _add(stack, client_id, "Kela", _local(12, 17, 13, 0))

    def says(text: str) -> list[str]:
        return _texts_of(stack.say(sender, text))

    stack.set_clock(_local(12, 14, 18, 0))
    assert _fetched(stack, sender)[0].startswith("Muistutus: ti 15.12. klo 13.00, Kela.")
    assert says("joo") == ["Hienoa! Onnea matkaan."]
    # The reminder is answered: a later no is no "en pääse".
    assert says("ei") == ['Selvä! Jos haluat, kirjoita "mitä osaat", niin kerron, mitä voin tehdä.']

    stack.set_clock(_local(12, 15, 11, 0))  # the two-hours-before reminder
    _fetched(stack, sender)
    stack.set_clock(_local(12, 16, 10, 0))
    assert _fetched(stack, sender) == [
        "Hei! Sinulla oli ti 15.12. klo 13.00, Kela. Pääsitkö paikalle?"
    ]
    assert says("pääsin") == ["Hienoa, että pääsit! Se oli tärkeä askel."]

    stack.set_clock(_local(12, 18, 10, 0))
    assert _fetched(stack, sender)[-1].endswith("Pääsitkö paikalle?")
    assert says("en päässyt")[0].startswith("Kiitos, että kerroit. Ei se mitään.")
    status = {a.id: a.status for a in _appointments(stack, client_id)}
    assert status == {kela: AppointmentStatus.KEPT, kela_again: AppointmentStatus.MISSED}
    assert _alerts(stack, client_id) == []  # the next day's answer is for the digest


def test_a_visit_named_without_day_or_time_is_added_not_listed(stack: Stack) -> None:
    """ "mulla on kela" tells of an appointment: its day and time are asked, one at a time."""
    sender = "e2e-appointments-no-time"
    stack.set_clock(_local(12, 14, 9, 0))  # Monday
    _local_client(stack, sender)

    def says(text: str) -> list[str]:
        return _texts_of(stack.say(sender, text))

    assert says("mulla on kela") == [
        'Minä päivänä se on? Voit kirjoittaa esimerkiksi "torstaina" tai "26.11.".'
    ]
    assert says("huomenna") == ['Selvä: ti 15.12., Kela. Mihin aikaan se on? Esimerkiksi "klo 14".']
    assert says("klo 10") == ["Kirjaanko: ti 15.12. klo 10.00, Kela. Onko tämä oikein?"]
