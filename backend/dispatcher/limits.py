"""Rate limits measured from the provider's side, so that it never sees more than allowed.

A send holds a slot from before its request until its answer; the slot is free again a window
after the answer. Whatever the network delay, no window at the provider holds more sends than
there are slots.
"""

from __future__ import annotations

import asyncio
import heapq
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class RateLimiter:
    """At most `rate` sends a second (0: no limit), and a pause when the provider asks for one."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._unlimited = rate <= 0
        slots = max(1, math.floor(rate)) if not self._unlimited else 1
        # Fractional rates: one slot a window of 1/rate seconds (0.5/s -> one every 2 s).
        self._window = slots / rate if not self._unlimited else 0.0
        self._free_at = [0.0] * slots  # a heap: when each slot not in use comes free
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self._released = asyncio.Event()

    def pause(self, seconds: float) -> None:
        """Hold every send back for `seconds` (Telegram's retry_after is for the whole bot)."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    async def _acquire(self) -> None:
        async with self._lock:  # first come, first served
            while True:
                if not self._free_at:  # every slot is waiting for an answer
                    self._released.clear()
                    await self._released.wait()
                    continue
                now = self._monotonic()
                ready_at = max(self._free_at[0], self._paused_until)
                if ready_at <= now:
                    heapq.heappop(self._free_at)
                    return
                await asyncio.sleep(ready_at - now)

    def _release(self) -> None:
        heapq.heappush(self._free_at, self._monotonic() + self._window)
        self._released.set()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot for one send, from before the request until after the answer."""
        if self._unlimited:
            yield
            return
        await self._acquire()
        try:
            yield
        finally:
            self._release()


class ChatSpacing:
    """At least `interval` seconds between the end of one message to a chat and the next."""

    def __init__(self, interval: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._monotonic = monotonic
        self._last: dict[str, float] = {}

    async def wait(self, address: str) -> None:
        """Wait until `address` may get its next message."""
        last = self._last.get(address)
        if last is not None:
            delay = last + self._interval - self._monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

    def sent(self, address: str) -> None:
        """A message to `address` was answered now; forget chats that are long quiet."""
        now = self._monotonic()
        self._last[address] = now
        if len(self._last) > 10_000:
            self._last = {a: t for a, t in self._last.items() if t > now - self._interval}
