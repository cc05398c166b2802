"""The scheduler's loop: claim due jobs, fire them, record the outcome with the outbox entries.

Jobs whose kind has a `SetHandler` (check-ins and their nudges: replies from the catalog, no
wait for anything) are fired as a set: the claimed batch's jobs and clients are loaded with a
query each, and every opening, outbox row, finish and follow-up is written in ONE transaction.
Thousands of 08:00 check-ins then cost a commit a batch, not three each. If that transaction
fails as a whole, its jobs are fired one by one instead, so one bad job holds back no other.

Other jobs (a dialogue in Rasa) are fired one by one, and outside any transaction (it waits for
Rasa); the outcome and the outgoing messages are written together afterwards. A worker killed
in between leaves the job claimed; once its lease runs out another claim fires it again, and the
outbox's dedupe keys ("job:<id>:<n>") keep the replayed replies from being queued twice. A
kind's hooks (`JobHooks`) run inside these transactions: a check that skips a job at fire time,
and a follow-up when a job is finished, however it ended (a check-in plans the next one there).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backend.context import AppContext
from backend.db import transaction
from backend.gateway.rasa_client import RasaUnavailable
from backend.models import ChannelIdentity, Client, JobState, OutboxMessage, ScheduledJob
from backend.scheduler.handlers import ClientView, Handler, JobHooks, JobView, SetHandler
from backend.services.choices import remember_choices
from backend.services.clients import preferred_identity
from backend.services.jobs import claim_due_jobs, finish_job, release_claim
from backend.services.outbox import enqueue_replies
from backend.services.subscription import receives_messages
from backend.texts.responses import Reply

logger = logging.getLogger(__name__)

# A job that keeps failing is retried this many times, one lease apart, then left as failed.
MAX_ATTEMPTS = 5
NO_HOOKS = JobHooks()


def _first_key(job_id: int) -> str:
    """The dedupe key of a job's first outbox message (all of a job's are written at once)."""
    return f"job:{job_id}:0"


class SchedulerWorker:
    """One scheduler process's worker."""

    def __init__(
        self,
        context: AppContext,
        handlers: Mapping[str, Handler | SetHandler],
        hooks: Mapping[str, JobHooks] | None = None,
    ) -> None:
        self._context = context
        self._handlers = handlers
        self._hooks = hooks or {}
        settings = context.settings
        self._lease = dt.timedelta(seconds=settings.scheduler_lease_seconds)
        self._batch = settings.scheduler_batch_size

    def claim(self) -> list[int]:
        """Claim the jobs that are due now."""
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            return claim_due_jobs(session, now, self._lease, self._batch)

    def _check(
        self,
        session: Session,
        job: ScheduledJob,
        client: Client | None,
        now: dt.datetime,
        finished: list[ScheduledJob] | None = None,
    ) -> JobView | None:
        """The job (with its client, if it has one) as a handler sees it, or None when it is not
        to be fired (and is finished, or handed back). See `_finish` for `finished`."""
        if job.due_at > now:
            # The clock was read before the claim waited for the database; time has since
            # been set back (a test's clock, or a system clock corrected backwards).
            release_claim(job)
            return None
        if job.expires_at is not None and now > job.expires_at:
            self._finish(session, job, JobState.SKIPPED, now, "window passed", finished)
            logger.info("job %s (%s) skipped: its window passed", job.id, job.kind)
            return None
        if job.kind not in self._handlers:
            self._finish(session, job, JobState.FAILED, now, "unknown kind", finished)
            return None
        conversation, seen = "", None
        if client is not None:
            if not receives_messages(client):
                self._finish(
                    session, job, JobState.SKIPPED, now, "client stopped messages", finished
                )
                return None
            conversation = client.conversation_id
            seen = ClientView(client.id, client.display_name, client.language, client.timezone)
        skip = self._hooks.get(job.kind, NO_HOOKS).skip
        reason = None if skip is None else skip(session, job, now)
        if reason is not None:
            self._finish(session, job, JobState.SKIPPED, now, reason, finished)
            logger.info("job %s (%s) skipped: %s", job.id, job.kind, reason)
            return None
        return JobView(job.id, job.kind, dict(job.payload), conversation, seen)

    def _view(self, job_id: int) -> JobView | None:
        """The job as a handler sees it, checked in a transaction of its own."""
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            job = session.get_one(ScheduledJob, job_id)
            client = None if job.client_id is None else session.get_one(Client, job.client_id)
            return self._check(session, job, client, now)

    def _finish(
        self,
        session: Session,
        job: ScheduledJob,
        state: JobState,
        now: dt.datetime,
        error: str | None = None,
        finished: list[ScheduledJob] | None = None,
    ) -> None:
        """Record how a job ended, and run its kind's follow-up in the same transaction. A kind
        with set follow-ups (`JobHooks.followups`) has them run at once, or, when the job is one
        of a set (`finished` given), later for the whole set (`_follow_up_set`)."""
        finish_job(session, job.id, state, now, error)
        hooks = self._hooks.get(job.kind, NO_HOOKS)
        if hooks.followup is not None:
            hooks.followup(session, job, now)
        if hooks.followups is not None:
            if finished is None:
                hooks.followups(session, [job], now)
            else:
                finished.append(job)

    def _follow_up_set(
        self, session: Session, finished: list[ScheduledJob], now: dt.datetime
    ) -> None:
        """Run the set follow-ups of the jobs a set finished, once for each kind."""
        by_kind: dict[str, list[ScheduledJob]] = {}
        for job in finished:
            by_kind.setdefault(job.kind, []).append(job)
        for kind, jobs in by_kind.items():
            followups = self._hooks[kind].followups
            assert followups is not None
            followups(session, jobs, now)

    def _done(
        self,
        session: Session,
        fired: Sequence[tuple[ScheduledJob, list[Reply]]],
        now: dt.datetime,
        *,
        replayed: Collection[str | None] | None = None,
        finished: list[ScheduledJob] | None = None,
    ) -> None:
        """Queue fired jobs' replies to their clients and finish the jobs. `replayed`: the first
        dedupe keys of the jobs whose replies are in the outbox already, when known (None: each
        job's are looked up); see `_finish` for `finished`.

        The outbox rows are written first and the rest after, so that each job's write is its
        rows alone and the updates (choices offered, jobs finished) go in one batch at commit.
        """
        offered: list[tuple[ChannelIdentity, list[Reply]]] = []
        for job, replies in fired:
            if job.client_id is None or not replies:
                continue
            identity = preferred_identity(session.get_one(Client, job.client_id))
            if identity is not None:
                enqueue_replies(
                    session,
                    identity,
                    replies,
                    now,
                    dedupe_prefix=f"job:{job.id}",
                    replayable=replayed is None or _first_key(job.id) in replayed,
                )
                offered.append((identity, replies))
        for identity, replies in offered:
            remember_choices(identity, replies)
        for job, _replies in fired:
            self._finish(session, job, JobState.DONE, now, finished=finished)

    async def fire(self, job_id: int) -> None:
        """Fire one claimed job and record its outcome."""
        view = self._view(job_id)
        if view is None:
            return
        handler = self._handlers[view.kind]
        try:
            if isinstance(handler, SetHandler):
                replies = handler.replies(view)
            else:
                replies = await handler(view)
        except RasaUnavailable as error:
            self._retry_later(job_id, f"rasa unavailable: {error}")
            return
        except Exception as error:
            logger.error("job %s (%s) failed: %s", job_id, view.kind, type(error).__name__)
            self._retry_later(job_id, type(error).__name__)
            return
        now = self._context.clock.now()
        # Nothing read below depends on the rows written here, so they are flushed once, at the
        # commit, instead of before every query (a tenth of a check-in's cost otherwise).
        with transaction(self._context.sessions) as session, session.no_autoflush:
            self._done(session, [(session.get_one(ScheduledJob, job_id), replies)], now)

    def _fire_set(self, job_ids: list[int]) -> list[int]:
        """Fire the claimed jobs that have a `SetHandler` together, in one transaction; returns
        the ids left to fire one by one (the other kinds, or all when the set failed)."""
        if not job_ids or not any(isinstance(h, SetHandler) for h in self._handlers.values()):
            return job_ids
        now = self._context.clock.now()
        try:
            with transaction(self._context.sessions) as session, session.no_autoflush:
                fired = self._fire_set_in(session, job_ids, now)
        except Exception as error:
            logger.error(
                "a set of %s jobs failed (%s): they are fired one by one",
                len(job_ids),
                type(error).__name__,
            )
            return job_ids
        return [job_id for job_id in job_ids if job_id not in fired]

    def _fire_set_in(self, session: Session, job_ids: list[int], now: dt.datetime) -> set[int]:
        """`_fire_set` inside its transaction; returns the ids of the set's jobs."""
        jobs = session.scalars(
            select(ScheduledJob)
            .where(ScheduledJob.id.in_(job_ids))
            .order_by(ScheduledJob.due_at, ScheduledJob.id)
        ).all()
        in_set = [job for job in jobs if isinstance(self._handlers.get(job.kind), SetHandler)]
        # Loaded with a query each for the set: the checks and follow-ups find them in the
        # session (which holds them only while they are referenced: here).
        clients = {
            client.id: client
            for client in session.scalars(
                select(Client)
                .where(Client.id.in_({job.client_id for job in in_set}))
                .options(selectinload(Client.identities))
            )
        }
        loaded = [
            load(session, [job for job in in_set if job.kind == kind])
            for kind in {job.kind for job in in_set}
            if (load := self._hooks.get(kind, NO_HOOKS).load) is not None
        ]
        replayed = set(
            session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.in_([_first_key(job.id) for job in in_set])
                )
            )
        )
        finished: list[ScheduledJob] = []
        fired: list[tuple[ScheduledJob, list[Reply]]] = []
        for job in in_set:
            view = self._check(session, job, clients.get(job.client_id or 0), now, finished)
            if view is not None:
                handler = self._handlers[job.kind]
                assert isinstance(handler, SetHandler)
                fired.append((job, handler.replies(view)))
        self._done(session, fired, now, replayed=replayed, finished=finished)
        self._follow_up_set(session, finished, now)
        del loaded  # held until the follow-ups have run
        return {job.id for job in in_set}

    def _retry_later(self, job_id: int, reason: str) -> None:
        # The claim stays until the lease runs out, which is the back-off; after enough tries
        # the job is given up so that one broken job cannot retry forever.
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            job = session.get_one(ScheduledJob, job_id)
            job.last_error = reason[:500]
            if job.attempts >= MAX_ATTEMPTS:
                self._finish(session, job, JobState.FAILED, now, reason[:500])

    async def run_once(self) -> int:
        """Claim and fire what is due now; returns how many jobs were claimed."""
        claimed = self.claim()
        for job_id in self._fire_set(claimed):
            await self.fire(job_id)
        return len(claimed)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; a full batch is followed at once by the next."""
        interval = self._context.settings.scheduler_poll_seconds
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception as error:
                # Claims already made are safe: their leases run out and they are claimed again.
                logger.error("scheduler round failed: %s", type(error).__name__)
                claimed = 0
            if claimed < self._batch:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)
