"""What each kind of job does when it fires, and what the worker does around it.

A handler gets the job and returns the replies to put in the client's outbox; the worker writes
them and finishes the job in one transaction. A kind may also have hooks that run inside the
worker's transactions: a check that skips the job at fire time, and a follow-up that runs when
the job is finished, however it ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.digest.render import DigestRenderer
from backend.digest.sending import DIGEST, DigestFollowup, DigestPolicy
from backend.gateway.rasa_client import RasaClient
from backend.models import Client, JobState, ScheduledJob
from backend.services.appointment_reminders import FOLLOW_UP, REMINDER
from backend.services.appointment_reminders import skip_reason as appointment_skip_reason
from backend.services.appointments import scheduled_message
from backend.services.checkin_opening import (
    checkin_kind,
    nudge_replies,
    open_checkin,
    opening_replies,
)
from backend.services.checkins import (
    CHECKIN,
    CHECKIN_NUDGE,
    CheckinRules,
    after_checkins,
    checkin_schedules,
    checkin_skip_reason,
    nudge_skip_reason,
)
from backend.services.goal_week import (
    GOAL_CHECK,
    GOAL_CLOSE,
    GOAL_ENCOURAGE,
    after_week_question,
    close_unanswered,
    goal_job_skip_reason,
    week_message,
)
from backend.services.ladder_text import render_said
from backend.texts.responses import Reply


@dataclass(frozen=True)
class JobView:
    """What a handler may read of a claimed job and its client."""

    id: int
    kind: str
    payload: dict[str, Any]
    conversation_id: str
    client: ClientView | None = None


@dataclass(frozen=True)
class ClientView:
    """What a handler may know of the job's client, read with the job."""

    id: int
    display_name: str | None
    language: str
    timezone: str


Handler = Callable[[JobView], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class SetHandler:
    """A kind whose replies come from the job and the catalog alone, without waiting for
    anything: the worker fires a claimed batch of its jobs as a set, in one transaction."""

    replies: Callable[[JobView], list[Reply]]


# How long the words after a check-in answer its first question: a reply hours later (in the
# evening, after quiet hours begin) is still the answer; the next check-in opens anew anyway.
ANSWER_WINDOW = dt.timedelta(hours=10)
# The reason not to fire a due job now (it is then finished as skipped), or None to fire it.
SkipCheck = Callable[[Session, ScheduledJob, dt.datetime], str | None]
# Runs in the transaction that finishes a job (done, skipped or failed), e.g. to plan the next.
Followup = Callable[[Session, ScheduledJob, dt.datetime], None]
# The same for the jobs of one kind finished together (a set, or one job), with a query or two
# for all of them instead of a few for each.
Followups = Callable[[Session, Sequence[ScheduledJob], dt.datetime], None]


@dataclass(frozen=True)
class JobHooks:
    """What the worker does for one kind of job besides firing it."""

    skip: SkipCheck | None = None
    followup: Followup | None = None
    followups: Followups | None = None
    # Loads, with a query or two, what the checks and follow-ups of a set of the kind's jobs
    # read; the worker holds what it returns while the set is fired.
    load: Callable[[Session, Sequence[ScheduledJob]], Sequence[object]] | None = None


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


def checkin_opener(context: AppContext) -> SetHandler:
    """Opens a check-in (or nudges one) with texts from the catalog, without a dialogue turn:
    the client's answer starts the check-in's form in Rasa (see `checkin_opening`)."""
    settings, renderer = context.settings, context.renderer

    def fire(job: JobView) -> list[Reply]:
        # Everything needed came with the job: no database round trip for thousands at 08:00.
        assert job.client is not None
        if job.kind == CHECKIN_NUDGE:
            return nudge_replies(job.client, checkin_kind(job.payload["checkin"]), renderer)
        kind = checkin_kind(job.payload["intent"])
        return opening_replies(job.client, kind, context.clock.now(), renderer, settings.timezone)

    return SetHandler(fire)


async def nothing_to_say(job: JobView) -> list[Reply]:
    """For kinds whose work is all in their follow-up (a digest is written with the job's end)."""
    return []


def goal_week_messenger(context: AppContext) -> Handler:
    """Sends a goal step's mid-week encouragement and the week's question from the catalog."""

    async def fire(job: JobView) -> list[Reply]:
        with transaction(context.sessions) as session:
            said = week_message(session, job.kind, int(job.payload["step_id"]))
        language = job.client.language if job.client else None
        return [] if said is None else [render_said(context.renderer, said, language)]

    return fire


def appointment_messenger(context: AppContext) -> Handler:
    """Sends an appointment's reminder or next-day question, read from the appointment as it
    is when the job fires."""

    async def fire(job: JobView) -> list[Reply]:
        with transaction(context.sessions) as session:
            return scheduled_message(session, job.id, context.renderer)

    return fire


def default_handlers(rasa: RasaClient, context: AppContext) -> Mapping[str, Handler | SetHandler]:
    """The handlers of every job kind: check-ins open by themselves, other dialogues in Rasa."""
    opener = checkin_opener(context)
    return {
        "dialogue": dialogue_handler(rasa),
        CHECKIN: opener,
        CHECKIN_NUDGE: opener,
        DIGEST: nothing_to_say,
        GOAL_ENCOURAGE: goal_week_messenger(context),
        GOAL_CHECK: goal_week_messenger(context),
        GOAL_CLOSE: nothing_to_say,
        REMINDER: appointment_messenger(context),
        FOLLOW_UP: appointment_messenger(context),
    }


def default_hooks(context: AppContext) -> Mapping[str, JobHooks]:
    """The hooks of the kinds that have them. A check-in that went out stays open for its
    window (the client's next words answer its first question); every check-in, however it
    ended, plans the next one and its nudge; a nudge goes out only to a client who has not
    answered."""
    rules = CheckinRules.from_settings(context.settings)
    renderer = context.renderer

    def checkin_followups(session: Session, jobs: Sequence[ScheduledJob], now: dt.datetime) -> None:
        for job in jobs:
            if job.state is JobState.DONE and job.client_id is not None:
                client = session.get_one(Client, job.client_id)
                open_checkin(client, checkin_kind(job.payload["intent"]), now + ANSWER_WINDOW)
        after_checkins(session, jobs, now, rules, renderer)

    return {
        CHECKIN: JobHooks(
            skip=checkin_skip_reason, followups=checkin_followups, load=checkin_schedules
        ),
        CHECKIN_NUDGE: JobHooks(
            skip=lambda session, job, now: nudge_skip_reason(session, job, now, rules)
        ),
        DIGEST: JobHooks(
            followup=DigestFollowup(
                DigestPolicy.from_settings(context.settings), DigestRenderer(renderer)
            )
        ),
        GOAL_ENCOURAGE: JobHooks(skip=goal_job_skip_reason),
        GOAL_CHECK: JobHooks(skip=goal_job_skip_reason, followup=after_week_question),
        GOAL_CLOSE: JobHooks(skip=goal_job_skip_reason, followup=close_unanswered),
        REMINDER: JobHooks(skip=appointment_skip_reason),
        FOLLOW_UP: JobHooks(skip=appointment_skip_reason),
    }
