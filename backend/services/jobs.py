"""Claiming due jobs safely, on PostgreSQL and on SQLite alike.

A job is claimed by a compare-and-set: `UPDATE ... WHERE id IN (:candidates) AND (state = 'due'
or its lease ran out) RETURNING id` claims each row for exactly one worker. SQLAlchemy silently
drops `FOR UPDATE SKIP LOCKED` on SQLite, so the candidates are only a hint there; the update is
the claim. On PostgreSQL SKIP LOCKED keeps workers from even trying the same rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from backend.models import JobState, ScheduledJob


def schedule_job(
    session: Session,
    kind: str,
    due_at: dt.datetime,
    now: dt.datetime,
    *,
    client_id: int | None = None,
    appointment_id: int | None = None,
    expires_at: dt.datetime | None = None,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    looked_up: bool = False,
) -> ScheduledJob:
    """Add a job; with `dedupe_key`, scheduling the same thing twice keeps the first job.

    `looked_up=True` when the caller has looked the key up itself (often for many jobs at once):
    then there is no look-up here, and no flush (the job is written with the transaction).
    """
    if dedupe_key is not None and not looked_up:
        existing = session.scalars(
            select(ScheduledJob).where(ScheduledJob.dedupe_key == dedupe_key)
        ).one_or_none()
        if existing is not None:
            return existing
    job = ScheduledJob(
        kind=kind,
        client_id=client_id,
        appointment_id=appointment_id,
        due_at=due_at,
        expires_at=expires_at,
        payload=payload or {},
        dedupe_key=dedupe_key,
        created_at=now,
    )
    session.add(job)
    if not looked_up:
        session.flush()
    return job


def cancel_due_jobs(session: Session, now: dt.datetime, why: str, *where: Any) -> None:
    """Cancel the jobs still waiting (due) that match `where`; `why` is kept as their error.

    One UPDATE, without looking for the jobs among the session's objects: the callers hold
    none of the jobs they cancel.
    """
    session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.state == JobState.DUE, *where)
        .values(state=JobState.CANCELLED, finished_at=now, last_error=why)
        .execution_options(synchronize_session=False)
    )


def _claimable(now: dt.datetime) -> Any:
    return or_(
        and_(ScheduledJob.state == JobState.DUE, ScheduledJob.due_at <= now),
        and_(ScheduledJob.state == JobState.CLAIMED, ScheduledJob.lease_until < now),
    )


def claim_due_jobs(
    session: Session, now: dt.datetime, lease: dt.timedelta, limit: int
) -> list[int]:
    """Claim up to `limit` due jobs for this worker until `now + lease`; returns their ids.

    A job whose worker died is claimable again once its lease has run out, so a crash delays a
    job by at most one lease and loses none.
    """
    candidates = session.scalars(
        select(ScheduledJob.id)
        .where(_claimable(now))
        .order_by(ScheduledJob.due_at, ScheduledJob.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        return []
    # One compare-and-set for all of them: a row another worker claimed in the meantime no
    # longer matches `_claimable` and is left out of what comes back.
    claimed = set(
        session.scalars(
            update(ScheduledJob)
            .where(ScheduledJob.id.in_(candidates), _claimable(now))
            .values(
                state=JobState.CLAIMED,
                lease_until=now + lease,
                attempts=ScheduledJob.attempts + 1,
            )
            .returning(ScheduledJob.id)
            .execution_options(synchronize_session=False)
        )
    )
    return [job_id for job_id in candidates if job_id in claimed]


def release_claim(job: ScheduledJob) -> None:
    """Hand a claimed job back untried: it is due again, and the claim does not count as a try."""
    job.state = JobState.DUE
    job.lease_until = None
    job.attempts = max(job.attempts - 1, 0)


def finish_job(
    session: Session, job_id: int, state: JobState, now: dt.datetime, error: str | None = None
) -> None:
    """Record how a claimed job ended."""
    job = session.get_one(ScheduledJob, job_id)
    job.state = state
    job.finished_at = now
    job.lease_until = None
    job.last_error = error
