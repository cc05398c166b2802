"""Turns that a webhook hands over after acknowledging: run in the background, kept track of."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

logger = logging.getLogger(__name__)


class BackgroundTurns:
    """Runs coroutines after the provider has its answer; waits for them at shutdown.

    A turn cut short (a crash, a shutdown) is not lost: its message is stored as received,
    and the gateway's retry loop answers it.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` in the background."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            logger.error("a background turn failed: %s", type(error).__name__)

    async def wait(self, timeout: float = 30.0) -> None:
        """Let running turns finish (up to `timeout` seconds), then cancel the rest."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
