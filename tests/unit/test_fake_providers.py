"""The fake Telegram and Twilio servers are faithful enough for the real clients.

Each test drives the real python-telegram-bot or twilio client against a fake on loopback, the
way the backend will, so that a change in either library that the fakes no longer match shows
up here rather than as a puzzling failure elsewhere.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import requests
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from backend.channels.twilio_http import TwilioHttpClient as MendedTwilioHttpClient
from tests.fakes import Answer, spawn_fake
from tests.fakes.telegram_api import FakeTelegramApi, read_sent_log
from tests.fakes.twilio_api import (
    FakeTwilioApi,
    num_segments,
    point_client_at,
    read_sms_log,
    signed_inbound_sms,
)

CLIENT_NUMBER = "+358401234567"
OUR_NUMBER = "+358451112222"


def _server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.endswith("-server")]


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns (PTBDeprecationWarning) whenever RetryAfter is built unless this opt-in is
    set, and the suite turns warnings into errors: RetryAfter itself would never be raised."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def telegram_fake(tmp_path: Path) -> Iterator[FakeTelegramApi]:
    """A fake Bot API in a background thread, logging to the test's folder."""
    before = set(_server_threads())  # fakes of other tests (a session's stack) may be running
    with FakeTelegramApi(log_path=tmp_path / "telegram.jsonl") as fake:
        yield fake
    assert set(_server_threads()) <= before, "the fake's thread outlived it"


@pytest.fixture
async def bot(telegram_fake: FakeTelegramApi) -> AsyncIterator[Bot]:
    """A real PTB Bot pointed at the fake exactly as the backend points it."""
    async with Bot(telegram_fake.token, base_url=f"{telegram_fake.url}/bot") as real_bot:
        yield real_bot


@pytest.fixture
def twilio_fake(tmp_path: Path) -> Iterator[FakeTwilioApi]:
    """A fake Twilio API in a background thread, logging to the test's folder."""
    before = set(_server_threads())
    with FakeTwilioApi(log_path=tmp_path / "twilio.jsonl") as fake:
        yield fake
    assert set(_server_threads()) <= before, "the fake's thread outlived it"


@pytest.fixture
def twilio_client(twilio_fake: FakeTwilioApi) -> Iterator[Client]:
    """The real sync twilio Client (requests) pointed at the fake."""
    http_client = TwilioHttpClient(timeout=5)
    client = Client(twilio_fake.account_sid, twilio_fake.auth_token, http_client=http_client)
    client.api.base_url = twilio_fake.url  # what point_client_at does
    yield client
    assert http_client.session is not None
    http_client.session.close()  # else its pooled sockets are closed by GC, with a warning


class Receiver:
    """A tiny HTTP server on the test's loop that records every POST it gets."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[str, dict[str, str], dict[str, str], bytes]] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.read()
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.requests.append((str(request.url), form, dict(request.headers), body))
        return web.Response(status=self.status, text="ok")

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/{path:.*}", self._record)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def wait_for(self, count: int, timeout: float = 5.0) -> None:
        """Wait until ``count`` requests arrived."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{len(self.requests)} requests, not {count}"
            await asyncio.sleep(0.01)


# -- Telegram ---------------------------------------------------------------------------------


async def test_send_message_with_inline_keyboard(
    bot: Bot, telegram_fake: FakeTelegramApi, tmp_path: Path
) -> None:
    assert bot.username == "askel_test_bot"
    assert bot.base_url == f"{telegram_fake.url}/bot{telegram_fake.token}"
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Kyllä", callback_data="yes")],
            [InlineKeyboardButton("Ei", callback_data="no")],
        ]
    )

    first = await bot.send_message(42, "Sopiiko tämä sinulle?", reply_markup=keyboard)
    second = await bot.send_message(42, "Toinen")

    assert first.chat.id == 42 and first.text == "Sopiiko tämä sinulle?"
    assert first.reply_markup == keyboard
    assert second.message_id > first.message_id
    sent = telegram_fake.sent
    assert [(m.chat_id, m.text) for m in sent] == [(42, "Sopiiko tämä sinulle?"), (42, "Toinen")]
    assert sent[0].reply_markup == keyboard.to_dict()
    assert read_sent_log(tmp_path / "telegram.jsonl") == sent


async def test_a_wrong_token_is_unauthorized(telegram_fake: FakeTelegramApi) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("987:wrong", base_url=f"{telegram_fake.url}/bot"):
            pass


def test_json_bodies_and_query_strings_are_accepted(telegram_fake: FakeTelegramApi) -> None:
    base = f"{telegram_fake.url}/bot{telegram_fake.token}"
    with urllib.request.urlopen(f"{base}/getMe?x=1", timeout=5) as response:
        assert json.loads(response.read())["result"]["username"] == "askel_test_bot"
    request = urllib.request.Request(
        f"{base}/sendMessage",
        data=json.dumps(
            {"chat_id": 8, "text": "json", "reply_markup": {"inline_keyboard": []}}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["result"]["text"] == "json"
    (sent,) = telegram_fake.sent
    assert (sent.chat_id, sent.reply_markup) == (8, {"inline_keyboard": []})


async def test_get_updates_long_polls_and_builds_every_kind(
    bot: Bot, telegram_fake: FakeTelegramApi
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    pushed = telegram_fake.push_update(telegram_fake.text_update(42, "moi"))
    (update,) = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 2
    assert update.update_id == pushed["update_id"]
    assert update.message is not None and update.message.text == "moi"
    assert update.effective_user is not None and update.effective_user.id == 42

    built = [
        telegram_fake.callback_update(42, "yes"),
        telegram_fake.photo_update(42, caption="kuva"),
        telegram_fake.sticker_update(42),
        telegram_fake.voice_update(42),
        telegram_fake.edited_message_update(42, "moikka", message_id=update.message.message_id),
    ]
    for raw in built:
        telegram_fake.push_update(raw)
    updates = await bot.get_updates(offset=update.update_id + 1, timeout=1)
    assert [u.update_id for u in updates] == [raw["update_id"] for raw in built]
    callback, photo, sticker, voice, edited = updates
    assert callback.callback_query is not None and callback.callback_query.data == "yes"
    assert photo.message is not None and photo.message.photo and photo.message.caption == "kuva"
    assert sticker.message is not None and sticker.message.sticker is not None
    assert voice.message is not None and voice.message.voice is not None
    assert edited.edited_message is not None and edited.edited_message.text == "moikka"

    # The offset confirms: only the updates not yet confirmed come back, and none waits.
    started = time.monotonic()
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3
    assert telegram_fake.pending_updates == 0


async def test_answer_callback_query_for_a_sent_message(
    bot: Bot, telegram_fake: FakeTelegramApi
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Kyllä", callback_data="yes")]])
    message = await bot.send_message(7, "Sopiiko?", reply_markup=keyboard)
    telegram_fake.push_update(
        telegram_fake.callback_update(7, "yes", message_id=message.message_id)
    )
    (update,) = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert query.message.message_id == message.message_id
    assert query.message.reply_markup == keyboard  # the pressed message, as it was sent

    assert await bot.answer_callback_query(query.id, text="Selvä")
    assert [a.callback_query_id for a in telegram_fake.callback_answers] == [query.id]
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id)  # a query is answered once
    edited = await bot.edit_message_reply_markup(7, message.message_id, reply_markup=None)
    assert not isinstance(edited, bool) and edited.reply_markup is None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(7, message.message_id, reply_markup=None)


async def test_set_webhook_records_it_and_delivers_updates(
    bot: Bot, telegram_fake: FakeTelegramApi
) -> None:
    async with Receiver() as receiver:
        url = f"{receiver.url}/channels/telegram/webhook"
        assert await bot.set_webhook(
            url, secret_token="s3cret", allowed_updates=["message", "callback_query"]
        )
        webhook = telegram_fake.webhook
        assert webhook is not None
        assert (webhook.url, webhook.secret_token, webhook.allowed_updates) == (
            url,
            "s3cret",
            ["message", "callback_query"],
        )
        info = await bot.get_webhook_info()
        assert info.url == url and info.pending_update_count == 0
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        pushed = telegram_fake.push_update(telegram_fake.text_update(5, "hei"))
        await receiver.wait_for(1)
        _url, _form, headers, body = receiver.requests[0]
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        assert json.loads(body) == pushed
        assert Update.de_json(json.loads(body), bot).message is not None

        assert await bot.delete_webhook()
        assert telegram_fake.webhook is None
        assert await bot.get_updates(timeout=0) == ()


async def test_injected_failures_raise_the_ptb_errors(
    bot: Bot, telegram_fake: FakeTelegramApi
) -> None:
    telegram_fake.set_chat_status(1, "blocked")
    telegram_fake.set_chat_status(2, "gone")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1, "hei")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(2, "hei")

    telegram_fake.add_script(Answer.too_many_requests(3), Answer.server_error())
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(3, "hei")
    assert retry.value.retry_after == dt.timedelta(seconds=3)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(3, "hei")
    assert telegram_fake.sent == [] and telegram_fake.too_many_requests == 1

    # A hang times the client out; the fake then accepts the message anyway, as a slow
    # Telegram would (Answer.hang(..., deliver=False) answers 500 instead).
    telegram_fake.add_script(Answer.hang(0.5))
    with pytest.raises(TimedOut):
        await bot.send_message(3, "hidas", read_timeout=0.1)
    (late,) = await telegram_fake.wait_for_sent_async(1, timeout=3)
    assert late.text == "hidas"
    assert (await bot.send_message(3, "taas")).text == "taas"


async def test_flood_control_answers_429_with_retry_after(
    bot: Bot, telegram_fake: FakeTelegramApi
) -> None:
    telegram_fake.enforce_limits = True
    await bot.send_message(1, "eka")
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(1, "toka")  # a second message to one chat within a second
    assert retry.value.retry_after == dt.timedelta(seconds=1)

    results = await asyncio.gather(
        *(bot.send_message(100 + i, f"viesti {i}") for i in range(30)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, RetryAfter)]
    sent = telegram_fake.sent
    if sent[-1].t - sent[0].t < 1.0:  # all within one second (a very slow machine may not be)
        assert len(refused) == 1 and len(sent) == 30
    assert telegram_fake.too_many_requests == 1 + len(refused)
    assert all(not isinstance(r, Exception) or isinstance(r, RetryAfter) for r in results)


async def test_telegram_fake_as_a_subprocess_survives_sigkill_in_its_log(tmp_path: Path) -> None:
    log = tmp_path / "sent.jsonl"
    args = ("--token", "55:sub", "--log", str(log), "--enforce-limits")
    with spawn_fake("tests.fakes.telegram_api", *args) as fake:
        async with Bot("55:sub", base_url=f"{fake.url}/bot") as sub_bot:
            await sub_bot.send_message(9, "ennen")
            fake.control.post("chat", {"chat_id": 9, "status": "blocked"})
            with pytest.raises(Forbidden):
                await sub_bot.send_message(9, "estetty")
            fake.control.post("script", {"answers": [{"kind": "429", "retry_after": 2}]})
            with pytest.raises(RetryAfter):
                await sub_bot.send_message(10, "kiire")
            fake.control.post("updates", {"kind": "text", "chat_id": 9, "text": "moi"})
            (update,) = await sub_bot.get_updates(timeout=1)
            assert update.message is not None and update.message.text == "moi"
            stats = fake.control.get("stats")
            assert (stats["too_many_requests"], stats["enforce_limits"]) == (1, True)
        fake.process.kill()  # SIGKILL: no chance to flush anything more
        fake.process.wait(5)
    assert [(m.chat_id, m.text) for m in read_sent_log(log)] == [(9, "ennen")]


# -- Twilio -----------------------------------------------------------------------------------


def test_twilio_client_creates_a_message(
    twilio_client: Client, twilio_fake: FakeTwilioApi, tmp_path: Path
) -> None:
    message = twilio_client.messages.create(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="Hei äö")

    assert message.sid is not None and re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert (message.status, message.to, message.from_, message.num_segments) == (
        "queued",
        CLIENT_NUMBER,
        OUR_NUMBER,
        "1",
    )
    (logged,) = read_sms_log(tmp_path / "twilio.jsonl")
    assert logged == twilio_fake.sent[0] and logged.sid == message.sid
    assert twilio_client.messages(message.sid).fetch().status == "queued"
    # å, ä, ö are GSM-7: 160 to a segment; an emoji makes the whole text UCS-2.
    assert num_segments("ä" * 160) == 1 and num_segments("ä" * 161) == 2
    assert num_segments("🙂" + "a" * 68) == 1 and num_segments("🙂" + "a" * 69) == 2


def test_twilio_errors_raise_twilio_rest_exception(
    twilio_client: Client, twilio_fake: FakeTwilioApi
) -> None:
    twilio_fake.add_script(Answer.too_many_requests(), Answer.server_error())
    with pytest.raises(TwilioRestException) as too_many:
        twilio_client.messages.create(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="a")
    assert (too_many.value.status, too_many.value.code) == (429, 20429)
    with pytest.raises(TwilioRestException) as server_error:
        twilio_client.messages.create(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="a")
    assert (server_error.value.status, server_error.value.code) == (500, 20500)

    twilio_fake.reject_number(CLIENT_NUMBER)
    with pytest.raises(TwilioRestException) as stopped:
        twilio_client.messages.create(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="a")
    assert (stopped.value.status, stopped.value.code) == (400, 21610)
    assert twilio_fake.sent == [] and twilio_fake.too_many_requests == 1

    wrong = point_client_at(Client(twilio_fake.account_sid, "wrong-token"), twilio_fake.url)
    with pytest.raises(TwilioRestException) as unauthorized:
        wrong.messages.create(to=OUR_NUMBER, from_=OUR_NUMBER, body="a")
    assert (unauthorized.value.status, unauthorized.value.code) == (401, 20003)
    wrong.http_client.session.close()

    # A hang: the sync client's timeout surfaces as requests' own exception, not twilio's.
    impatient_http = TwilioHttpClient(timeout=0.2)
    impatient = Client(twilio_fake.account_sid, twilio_fake.auth_token, http_client=impatient_http)
    point_client_at(impatient, twilio_fake.url)
    twilio_fake.add_script(Answer.hang(1.0, deliver=False))
    with pytest.raises(requests.exceptions.Timeout):
        impatient.messages.create(to=OUR_NUMBER, from_=OUR_NUMBER, body="a")
    assert impatient_http.session is not None
    impatient_http.session.close()


async def test_status_callbacks_arrive_signed(twilio_fake: FakeTwilioApi) -> None:
    http_client = MendedTwilioHttpClient(timeout=5)  # aiohttp: made inside the running loop
    client = Client(twilio_fake.account_sid, twilio_fake.auth_token, http_client=http_client)
    point_client_at(client, twilio_fake.url)
    twilio_fake.fail_number("+358400000003", "undelivered", 30003)
    twilio_fake.fail_number("+358400000005", "failed", 30005)
    try:
        async with Receiver() as receiver:
            callback = f"{receiver.url}/channels/sms/twilio/status?attempt=1"
            sids = [
                (
                    await client.messages.create_async(
                        to=to, from_=OUR_NUMBER, body="Hei", status_callback=callback
                    )
                ).sid
                for to in (CLIENT_NUMBER, "+358400000003", "+358400000005")
            ]
            await receiver.wait_for(5)
            validator = RequestValidator(twilio_fake.auth_token)
            by_sid: dict[str, list[tuple[str, str | None]]] = {}
            for url, form, headers, _body in receiver.requests:
                assert url == callback
                assert validator.validate(url, form, headers["X-Twilio-Signature"])
                assert not validator.validate(
                    url, {**form, "MessageStatus": "x"}, headers["X-Twilio-Signature"]
                )
                assert form["AccountSid"] == twilio_fake.account_sid
                assert form["From"] == OUR_NUMBER
                by_sid.setdefault(form["MessageSid"], []).append(
                    (form["MessageStatus"], form.get("ErrorCode"))
                )
            assert by_sid == {
                sids[0]: [("sent", None), ("delivered", None)],
                sids[1]: [("sent", None), ("undelivered", "30003")],
                sids[2]: [("failed", "30005")],
            }
            assert twilio_fake.message_status(sids[0]) == "delivered"

        # Nobody listens any more: the callbacks are dropped quietly, and counted.
        await client.messages.create_async(
            to=CLIENT_NUMBER, from_=OUR_NUMBER, body="Hei", status_callback=callback
        )
        await twilio_fake.wait_for_callbacks_async(7)
        assert twilio_fake.callbacks_dropped == 2
    finally:
        await http_client.close()


async def test_async_twilio_client_times_out_on_a_hang(twilio_fake: FakeTwilioApi) -> None:
    http_client = MendedTwilioHttpClient(timeout=0.2)
    client = point_client_at(
        Client(twilio_fake.account_sid, twilio_fake.auth_token, http_client=http_client),
        twilio_fake.url,
    )
    twilio_fake.add_script(Answer.hang(1.0, deliver=False))
    try:
        with pytest.raises(asyncio.TimeoutError):
            await client.messages.create_async(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="a")
    finally:
        await http_client.close()


async def test_signed_inbound_sms_passes_request_validation() -> None:
    async with Receiver() as receiver:
        url = f"{receiver.url}/channels/sms/twilio"
        headers, form = signed_inbound_sms(
            url, "tok", from_=CLIENT_NUMBER, to=OUR_NUMBER, body="Hei, en pääse tänään"
        )
        assert re.fullmatch(r"SM[0-9a-f]{32}", form["MessageSid"])
        validator = RequestValidator("tok")
        assert validator.validate(url, form, headers["X-Twilio-Signature"])
        assert not RequestValidator("other").validate(url, form, headers["X-Twilio-Signature"])
        http_client = MendedTwilioHttpClient(timeout=5)
        try:
            await http_client.request("POST", url, data=dict(form), headers=headers)
        finally:
            await http_client.close()
        (received_url, received_form, received_headers, _body) = receiver.requests[0]
        assert received_form == form
        assert validator.validate(
            received_url, received_form, received_headers["X-Twilio-Signature"]
        )


def test_twilio_fake_as_a_subprocess_survives_sigkill_in_its_log(tmp_path: Path) -> None:
    log = tmp_path / "sms.jsonl"
    sid, token = "AC" + "1" * 32, "2" * 32
    args = ("--account-sid", sid, "--auth-token", token, "--log", str(log))
    with spawn_fake("tests.fakes.twilio_api", *args) as fake:
        client = point_client_at(Client(sid, token), fake.url)
        try:
            created = client.messages.create(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="ennen")
            fake.control.post("script", {"answers": ["500"]})
            with pytest.raises(TwilioRestException):
                client.messages.create(to=CLIENT_NUMBER, from_=OUR_NUMBER, body="virhe")
            assert fake.control.get("stats")["accepted"] == 1
        finally:
            client.http_client.session.close()
        fake.process.kill()
        fake.process.wait(5)
    assert [(m.sid, m.body) for m in read_sms_log(log)] == [(created.sid, "ennen")]
