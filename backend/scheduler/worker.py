"""The scheduler's loop: claim due jobs, fire them, record the outcome with the outbox entries.

Firing happens outside the database transaction (it waits for Rasa); the outcome and the
outgoing messages are written together afterwards. A worker killed in between leaves the job
claimed; once its lease runs out another claim fires it again, and the outbox's dedupe keys
("job:<id>:<n>") keep the replayed replies from being queued twice. A kind's hooks (`JobHooks`)
run inside these transactions: a check that skips a job at fire time, and a follow-up when a job
is finished, however it ended (a check-in plans the next one there).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Mapping

from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.gateway.rasa_client import RasaUnavailable
from backend.models import Client, JobState, ScheduledJob
from backend.scheduler.handlers import ClientView, Handler, JobHooks, JobView
from backend.services.choices import remember_choices
from backend.services.clients import preferred_identity
from backend.services.jobs import claim_due_jobs, finish_job, release_claim
from backend.services.outbox import enqueue_replies
from backend.services.subscription import receives_messages

logger = logging.getLogger(__name__)

# A job that keeps failing is retried this many times, one lease apart, then left as failed.
MAX_ATTEMPTS = 5
NO_HOOKS = JobHooks()


class SchedulerWorker:
    """One scheduler process's worker."""

    def __init__(
        self,
        context: AppContext,
        handlers: Mapping[str, Handler],
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

    def _view(self, job_id: int) -> JobView | None:
        """The job as a handler sees it, or None when it is not to be fired (and is finished)."""
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            job = session.get_one(ScheduledJob, job_id)
            if job.due_at > now:
                # The clock was read before the claim waited for the database; time has since
                # been set back (a test's clock, or a system clock corrected backwards).
                release_claim(job)
                return None
            if job.expires_at is not None and now > job.expires_at:
                self._finish(session, job, JobState.SKIPPED, now, "window passed")
                logger.info("job %s (%s) skipped: its window passed", job_id, job.kind)
                return None
            if job.kind not in self._handlers:
                self._finish(session, job, JobState.FAILED, now, "unknown kind")
                return None
            conversation, seen = "", None
            if job.client_id is not None:
                client = session.get_one(Client, job.client_id)
                if not receives_messages(client):
                    self._finish(session, job, JobState.SKIPPED, now, "client stopped messages")
                    return None
                conversation = client.conversation_id
                seen = ClientView(client.id, client.display_name, client.language, client.timezone)
            skip = self._hooks.get(job.kind, NO_HOOKS).skip
            reason = None if skip is None else skip(session, job, now)
            if reason is not None:
                self._finish(session, job, JobState.SKIPPED, now, reason)
                logger.info("job %s (%s) skipped: %s", job_id, job.kind, reason)
                return None
            return JobView(job.id, job.kind, dict(job.payload), conversation, seen)

    def _finish(
        self,
        session: Session,
        job: ScheduledJob,
        state: JobState,
        now: dt.datetime,
        error: str | None = None,
    ) -> None:
        """Record how a job ended, and run its kind's follow-up in the same transaction."""
        finish_job(session, job.id, state, now, error)
        followup = self._hooks.get(job.kind, NO_HOOKS).followup
        if followup is not None:
            followup(session, job, now)

    async def fire(self, job_id: int) -> None:
        """Fire one claimed job and record its outcome."""
        view = self._view(job_id)
        if view is None:
            return
        try:
            replies = await self._handlers[view.kind](view)
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
            job = session.get_one(ScheduledJob, job_id)
            if job.client_id is not None and replies:
                identity = preferred_identity(session.get_one(Client, job.client_id))
                if identity is not None:
                    enqueue_replies(session, identity, replies, now, dedupe_prefix=f"job:{job_id}")
                    remember_choices(identity, replies)
            self._finish(session, job, JobState.DONE, now)

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
        for job_id in claimed:
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
