"""What a provider made of one send: taken, to be tried again, or failed for good."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from backend.models import ChannelKind
from backend.texts.responses import Reply


@dataclass(frozen=True)
class Sent:
    """The provider took the message; `provider_id` finds it again (Twilio's status calls)."""

    provider_id: str | None


@dataclass(frozen=True)
class RetryLater:
    """A passing failure. `wait_seconds` is the provider's own wait (Telegram's retry_after);
    such a wait is flow control, not an attempt, and it holds back the whole channel."""

    reason: str
    wait_seconds: float | None = None


@dataclass(frozen=True)
class Failed:
    """Trying again cannot help. `unreachable`: the chat or number no longer reaches anyone
    (the bot was blocked, the chat or number is gone)."""

    reason: str
    unreachable: bool = False


Outcome = Sent | RetryLater | Failed


class Sender(Protocol):
    """Sends outbox messages on one channel."""

    channel: ChannelKind
    # Messages a second on the whole channel; 0 means no limit.
    messages_per_second: float

    async def send(self, address: str, reply: Reply) -> Outcome:
        """Send `reply` to `address`; provider failures come back as outcomes, not exceptions."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
