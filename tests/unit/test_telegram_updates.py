"""What a Telegram update means for Askel: one stated rule for each kind of update."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram import Update

from backend.channels.telegram_updates import read_update
from tests.fakes.telegram_api import FakeTelegramApi


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegramApi]:
    # Only its update builders are used: they make updates shaped exactly as Telegram's.
    yield FakeTelegramApi()


def _read(update: dict[str, object]):  # type: ignore[no-untyped-def]
    return read_update(Update.de_json(update, None))


def test_a_text_message_is_read_with_its_update_id_and_chat(fake: FakeTelegramApi) -> None:
    update = fake.text_update(42, "en pääse huomenna")
    message = _read(update)
    assert (message.update_id, message.chat_id, message.text) == (
        update["update_id"],
        "42",
        "en pääse huomenna",
    )
    assert not message.media and message.payload is None


def test_an_invite_link_keeps_its_code(fake: FakeTelegramApi) -> None:
    assert _read(fake.text_update(42, "/start ABCDE12345")).text == "/start ABCDE12345"


def test_photos_stickers_and_voice_are_media_and_a_caption_is_read(fake: FakeTelegramApi) -> None:
    for update in (fake.photo_update(42), fake.sticker_update(42), fake.voice_update(42)):
        message = _read(update)
        assert message.media and message.text == ""
    captioned = fake.photo_update(42)
    captioned["message"]["caption"] = "tässä lääkärin lappu"  # type: ignore[index]
    assert _read(captioned).text == "tässä lääkärin lappu"


def test_a_button_press_carries_its_payload_title_and_query(fake: FakeTelegramApi) -> None:
    update = fake.callback_update(42, "/affirm")
    update["callback_query"]["message"]["reply_markup"] = {  # type: ignore[index]
        "inline_keyboard": [[{"text": "Kyllä, sopii", "callback_data": "/affirm"}]]
    }
    message = _read(update)
    assert (message.payload, message.text) == ("/affirm", "Kyllä, sopii")
    assert message.callback_query_id == update["callback_query"]["id"]  # type: ignore[index]


def test_edits_groups_and_other_updates_are_ignored(fake: FakeTelegramApi) -> None:
    assert _read(fake.edited_message_update(42, "korjattu", message_id=1)) is None
    group = fake.text_update(42, "moi")
    group["message"]["chat"] = {"id": -100, "type": "group", "title": "Ryhmä"}  # type: ignore[index]
    assert _read(group) is None
    assert _read({"update_id": 5}) is None  # a kind of update Askel does not ask for
