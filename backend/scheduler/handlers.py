"""What each kind of job does when it fires, and what the worker does around it.

A handler gets the job and returns the replies to put in the client's outbox; the worker writes
them and finishes the job in one transaction. A kind may also have hooks that run inside the
worker's transactions: a check that skips the job at fire time, and a follow-up that runs when
the job is finished, however it ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.gateway.rasa_client import RasaClient
from backend.models import ScheduledJob
from backend.services.checkins import (
    CHECKIN,
    CHECKIN_NUDGE,
    CheckinRules,
    after_checkin,
    checkin_skip_reason,
    nudge_skip_reason,
)
from backend.texts.responses import Reply


@dataclass(frozen=True)
class JobView:
    """What a handler may read of a claimed job and its client."""

    id: int
    kind: str
    payload: dict[str, Any]
    conversation_id: str


Handler = Callable[[JobView], Awaitable[list[Reply]]]
# The reason not to fire a due job now (it is then finished as skipped), or None to fire it.
SkipCheck = Callable[[Session, ScheduledJob, dt.datetime], str | None]
# Runs in the transaction that finishes a job (done, skipped or failed), e.g. to plan the next.
Followup = Callable[[Session, ScheduledJob, dt.datetime], None]


@dataclass(frozen=True)
class JobHooks:
    """What the worker does for one kind of job besides firing it."""

    skip: SkipCheck | None = None
    followup: Followup | None = None


def dialogue_handler(rasa: RasaClient) -> Handler:
    """Starts a turn of the dialogue in Rasa for the client, as if they had chosen an intent.

    This is how scheduled conversations (check-ins, reminders) begin: the dialogue lives in the
    Rasa project, the timing in the database.
    """

    async def fire(job: JobView) -> list[Reply]:
        intent = str(job.payload["intent"])
        return await rasa.send(job.conversation_id, f"/{intent}")

    return fire


def dialogue_kinds(fire: Handler) -> Mapping[str, Handler]:
    """Every kind of job that starts a dialogue, each fired by `fire`."""
    return {"dialogue": fire, CHECKIN: fire, CHECKIN_NUDGE: fire}


def default_handlers(rasa: RasaClient) -> Mapping[str, Handler]:
    """The handlers of every job kind."""
    return dialogue_kinds(dialogue_handler(rasa))


def default_hooks(context: AppContext) -> Mapping[str, JobHooks]:
    """The hooks of the kinds that have them: a check-in plans the next one and its nudge when
    it ends, and a nudge goes out only to a client who has not answered."""
    rules = CheckinRules.from_settings(context.settings)
    renderer = context.renderer
    return {
        CHECKIN: JobHooks(
            skip=checkin_skip_reason,
            followup=lambda session, job, now: after_checkin(session, job, now, rules, renderer),
        ),
        CHECKIN_NUDGE: JobHooks(
            skip=lambda session, job, now: nudge_skip_reason(session, job, now, rules)
        ),
    }
