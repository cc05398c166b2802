"""Sending to Telegram with python-telegram-bot: buttons as an inline keyboard."""

from __future__ import annotations

import datetime as dt

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from backend.channels.outcomes import Failed, Outcome, RetryLater, Sent
from backend.models import ChannelKind
from backend.settings import Settings
from backend.texts.responses import Reply

# Telegram's words for a chat that no longer reaches anyone. Any other 400 is our own mistake
# (a malformed message): retrying will not help, but the client is still reachable.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "peer_id_invalid")


def make_bot(settings: Settings, pool_size: int = 8) -> Bot:
    """A Bot for the configured token and API address (a fake one on loopback in tests)."""
    timeout = settings.outbox_send_timeout_seconds
    request = HTTPXRequest(
        connection_pool_size=pool_size,
        connect_timeout=timeout,
        read_timeout=timeout,
        write_timeout=timeout,
        pool_timeout=timeout,
    )
    api = settings.telegram_api_url.rstrip("/")
    return Bot(
        settings.telegram_token.get_secret_value(),
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
        request=request,
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=60),
    )


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's choices as buttons, one a row; the payload comes back as callback data."""
    if not reply.buttons:
        return None
    rows = [[InlineKeyboardButton(b.title, callback_data=b.payload)] for b in reply.buttons]
    return InlineKeyboardMarkup(rows)


def _seconds(value: int | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class TelegramSender:
    """Sends outbox messages to Telegram chats."""

    channel = ChannelKind.TELEGRAM

    def __init__(self, settings: Settings, bot: Bot | None = None) -> None:
        self._bot = bot or make_bot(settings, pool_size=settings.outbox_concurrency + 2)
        self.messages_per_second = settings.telegram_messages_per_second
        self._started = False

    async def send(self, address: str, reply: Reply) -> Outcome:
        """Send one message; Telegram's errors become outcomes."""
        if not self._started:
            await self._bot.initialize()
            self._started = True
        try:
            message = await self._bot.send_message(
                chat_id=address, text=reply.text, reply_markup=keyboard(reply)
            )
        except RetryAfter as error:
            return RetryLater("telegram: flood control", _seconds(error.retry_after))
        except Forbidden as error:
            return Failed(f"telegram: {error.message}", unreachable=True)
        except BadRequest as error:
            gone = any(words in error.message.lower() for words in _GONE)
            return Failed(f"telegram: {error.message}", unreachable=gone)
        except TelegramError as error:
            # Timeouts and network errors: the message may or may not have arrived. Sending it
            # again risks a double; dropping it risks a loss, which is worse for a reminder.
            return RetryLater(f"telegram: {type(error).__name__}")
        return Sent(str(message.message_id))

    async def aclose(self) -> None:
        """Close the bot's connections."""
        await self._bot.shutdown()
