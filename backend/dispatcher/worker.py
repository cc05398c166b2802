"""The outbox sender's loop: claim sendable messages, send them within the limits, record.

Every outcome is written against the claim that sent it: a sender whose lease ran out (it
hung, or was killed) cannot overwrite what the sender after it recorded. A sender killed
between the provider's answer and the record leaves the message claimed; once the lease runs
out it is sent again. That is the one way a message can arrive twice, and only once per crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
from collections.abc import Mapping
from typing import Any

from backend.channels.outcomes import Outcome, RetryLater, Sender, Sent
from backend.context import AppContext
from backend.db import transaction
from backend.dispatcher.limits import ChatSpacing, RateLimiter
from backend.models import ChannelKind, OutboxMessage
from backend.services.outbox import (
    RetryPolicy,
    claim_sendable,
    held_message,
    mark_dead,
    mark_sent,
    reply_from_row,
    retry_or_give_up,
    wait_as_asked,
)
from backend.services.reachability import channel_unreachable

logger = logging.getLogger(__name__)


class Dispatcher:
    """One sender process: delivers outbox messages for the channels it has senders for."""

    def __init__(
        self,
        context: AppContext,
        senders: Mapping[ChannelKind, Sender],
        chat_intervals: Mapping[ChannelKind, float] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._context = context
        self._senders = dict(senders)
        settings = context.settings
        self._lease = dt.timedelta(seconds=settings.outbox_lease_seconds)
        self._batch = settings.outbox_batch_size
        self._policy = RetryPolicy.from_settings(settings)
        self._limits = {kind: RateLimiter(s.messages_per_second) for kind, s in senders.items()}
        self._spacing = {
            kind: ChatSpacing(interval) for kind, interval in (chat_intervals or {}).items()
        }
        self._concurrency = asyncio.Semaphore(settings.outbox_concurrency)
        # Claimed ahead of sending, so the limiter never waits for the database; bounded, so
        # a slow provider does not sit on many leases.
        self._max_claimed = settings.outbox_concurrency * 2
        self._tasks: set[asyncio.Task[None]] = set()
        self._rng = rng or random.Random()

    def claim(self, limit: int) -> list[OutboxMessage]:
        """Claim up to `limit` messages that may be sent now."""
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            return claim_sendable(session, self._senders, now, self._lease, limit)

    async def _send(self, row: OutboxMessage, claimed_at: float) -> Outcome:
        kind = row.channel
        spacing = self._spacing.get(kind)
        if spacing is not None:
            await spacing.wait(row.address)
        try:
            async with self._limits[kind].slot(), self._concurrency:
                # A claim that waited long for its turn may be near its lease's end, when another
                # sender may take the message over: it is handed back rather than sent twice.
                if time.monotonic() - claimed_at > self._lease.total_seconds() / 2:
                    return RetryLater("claim too old to send", wait_seconds=0.0)
                return await self._senders[kind].send(row.address, reply_from_row(row))
        except Exception as error:  # a bug or an unforeseen library error: retry, never lose
            logger.exception("sending outbox message %s failed", row.id)
            return RetryLater(f"{type(error).__name__}")
        finally:
            if spacing is not None:
                spacing.sent(row.address)

    def record(self, row: OutboxMessage, outcome: Outcome) -> None:
        """Write what became of a claimed message, if the claim still holds it."""
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            held = held_message(session, row.id, row.claim_token or "")
            if held is None:
                logger.warning("outbox message %s: claim lost before its outcome", row.id)
                return
            if isinstance(outcome, Sent):
                mark_sent(held, outcome.provider_id, now)
            elif isinstance(outcome, RetryLater) and outcome.wait_seconds is not None:
                retry_at = now + dt.timedelta(seconds=outcome.wait_seconds)
                wait_as_asked(held, outcome.reason, retry_at)
            elif isinstance(outcome, RetryLater):
                if retry_or_give_up(held, outcome.reason, now, self._policy, self._rng.random()):
                    logger.error("outbox message %s dead: %s", row.id, outcome.reason)
            else:
                mark_dead(held, outcome.reason)
                logger.warning("outbox message %s failed: %s", row.id, outcome.reason)
                if outcome.unreachable:
                    renderer = self._context.renderer
                    channel_unreachable(session, held, outcome.reason, now, renderer)

    async def deliver(self, row: OutboxMessage, claimed_at: float | None = None) -> None:
        """Send one claimed message and record the outcome."""
        outcome = await self._send(row, time.monotonic() if claimed_at is None else claimed_at)
        if isinstance(outcome, RetryLater) and outcome.wait_seconds:
            self._limits[row.channel].pause(outcome.wait_seconds)
        self.record(row, outcome)

    async def run_once(self) -> int:
        """Claim what may be sent now and send it all; returns how many were claimed."""
        claimed_at = time.monotonic()
        rows = self.claim(self._batch)
        await asyncio.gather(*(self.deliver(row, claimed_at) for row in rows))
        return len(rows)

    def _claim_quietly(self, limit: int) -> list[OutboxMessage]:
        try:
            return self.claim(limit)
        except Exception:  # the database restarting: try again after a pause
            logger.exception("claiming outbox messages failed")
            return []

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; messages in flight then are finished first."""
        poll = self._context.settings.outbox_poll_seconds
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                limit = min(self._max_claimed - len(self._tasks), self._batch)
                claimed_at = time.monotonic()
                rows = self._claim_quietly(limit) if limit > 0 else []
                for row in rows:
                    task = asyncio.create_task(self.deliver(row, claimed_at))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                if rows and len(rows) == limit and len(self._tasks) < self._max_claimed:
                    continue  # a full batch: there may be more at once
                await self._wait_for_room(stopping, poll)
        finally:
            stopping.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _wait_for_room(self, stopping: asyncio.Future[Any], poll: float) -> None:
        """Wait for a send to finish (it may free the next message of its chat), and while more
        than half the claims are still out, for more of them, up to the poll interval. A claim
        scans the unsent messages, so claiming after every single send costs more than sending."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + poll
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0 or stopping.done():
                return
            waiting: set[asyncio.Future[Any]] = {stopping, *self._tasks}
            await asyncio.wait(waiting, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            if len(self._tasks) <= self._max_claimed // 2:
                return

    async def aclose(self) -> None:
        """Close every sender's connections."""
        for sender in self._senders.values():
            with contextlib.suppress(Exception):
                await sender.aclose()
