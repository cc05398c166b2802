"""What each kind of job does when it fires.

A handler gets the job and returns the replies to put in the client's outbox; the worker writes
them and finishes the job in one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backend.gateway.rasa_client import RasaClient
from backend.texts.responses import Reply


@dataclass(frozen=True)
class JobView:
    """What a handler may read of a claimed job and its client."""

    id: int
    kind: str
    payload: dict[str, Any]
    conversation_id: str


Handler = Callable[[JobView], Awaitable[list[Reply]]]


def dialogue_handler(rasa: RasaClient) -> Handler:
    """Starts a turn of the dialogue in Rasa for the client, as if they had chosen an intent.

    This is how scheduled conversations (check-ins, reminders) begin: the dialogue lives in the
    Rasa project, the timing in the database.
    """

    async def fire(job: JobView) -> list[Reply]:
        intent = str(job.payload["intent"])
        return await rasa.send(job.conversation_id, f"/{intent}")

    return fire


def default_handlers(rasa: RasaClient) -> Mapping[str, Handler]:
    """The handlers of every job kind."""
    return {"dialogue": dialogue_handler(rasa)}
