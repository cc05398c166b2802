"""What a Telegram update means for Askel, by one stated rule for each kind.

- A text message in a private chat is a message. "/start CODE" (an invite link) keeps its code
  for enrolment; from a client already known, "/start" is the START keyword.
- A button press (callback query) is the button's choice, and its title is what the client
  "said"; the query is answered so that the button stops spinning.
- A photo, sticker, voice message, video or file gets a calm "I read text only" (a caption is
  read as the text).
- Edited messages are ignored: the first version was answered already, and answering an edit
  would answer twice. So are groups, channels and every other kind of update.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Update


@dataclass(frozen=True)
class TelegramMessage:
    """One update that Askel answers."""

    update_id: int
    chat_id: str
    text: str
    # The callback data of a pressed button, and the query to answer.
    payload: str | None = None
    callback_query_id: str | None = None
    media: bool = False


def read_update(update: Update) -> TelegramMessage | None:
    """The message in `update`, or None for an update Askel ignores."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None or message.chat.type != Chat.PRIVATE:
            return None
        return TelegramMessage(
            update.update_id,
            str(message.chat.id),
            _button_title(update) or "",
            payload=query.data,
            callback_query_id=query.id,
        )
    message = update.message
    if message is None or message.chat.type != Chat.PRIVATE:
        return None
    text = message.text or message.caption
    if text is None:
        return TelegramMessage(update.update_id, str(message.chat.id), "", media=True)
    return TelegramMessage(update.update_id, str(message.chat.id), text)


def _button_title(update: Update) -> str | None:
    """The title of the pressed button, as shown on the message it was pressed under."""
    query = update.callback_query
    message = query.message if query else None
    markup = getattr(message, "reply_markup", None)
    if query is None or markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return str(button.text)
    return None
