"""Long polling, for an organisation whose gateway has no public address.

An update is acknowledged (the offset moves past it) only by the next getUpdates call, which
comes after the update is stored: a crash in between makes Telegram send it again, and the
stored update_id drops the copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from backend.channels.background import BackgroundTurns
from backend.channels.telegram_routes import receive_update
from backend.channels.telegram_updates import read_update
from backend.gateway.conversations import Conversations

logger = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]


async def poll_telegram(
    bot: Bot,
    conversations: Conversations,
    background: BackgroundTurns,
    stop: asyncio.Event,
    timeout: int = 25,
) -> None:
    """Fetch and store updates until `stop` is set."""
    offset: int | None = None
    prepared = False
    failures = 0
    while not stop.is_set():
        try:
            if not prepared:
                # Initialised, the bot's connections are closed by its shutdown. A webhook and
                # polling exclude each other; polling is what was asked for.
                await bot.initialize()
                await bot.delete_webhook()
                prepared = True
                logger.info("Telegram long polling started")
            updates = await bot.get_updates(
                offset=offset or 0, timeout=timeout, allowed_updates=ALLOWED_UPDATES
            )
            failures = 0
        except RetryAfter as error:
            wait = error.retry_after
            await _pause(stop, wait.total_seconds() if isinstance(wait, dt.timedelta) else wait)
            continue
        except Exception as error:  # closing the bot at shutdown ends a poll this way too
            if stop.is_set():
                return
            failures += 1
            logger.warning("Telegram polling failed: %s", type(error).__name__)
            await _pause(stop, min(60.0, 2.0**failures))
            continue
        for update in updates:
            try:
                message = read_update(update)
                if message is not None:
                    receive_update(conversations, background, message)
                    if message.callback_query_id is not None:
                        background.spawn(_answer_query(bot, message.callback_query_id))
            except Exception:  # the database away: the update comes again with the next poll
                logger.exception("storing Telegram update %s failed", update.update_id)
                await _pause(stop, 1.0)
                break
            offset = update.update_id + 1


async def _answer_query(bot: Bot, query_id: str) -> None:
    try:
        await bot.answer_callback_query(query_id)
    except TelegramError as error:  # the spinner stops by itself after a while
        logger.info("answering a button press failed: %s", type(error).__name__)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
