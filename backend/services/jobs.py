"""Claiming due jobs safely, on PostgreSQL and on SQLite alike.

A job is claimed by a compare-and-set: `UPDATE ... WHERE id = :id AND state = 'due'` (or a
claim whose lease ran out) succeeds for exactly one worker. SQLAlchemy silently drops
`FOR UPDATE SKIP LOCKED` on SQLite, so the candidates are only a hint there; the update is the
claim. On PostgreSQL SKIP LOCKED keeps workers from even trying the same rows.
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
) -> ScheduledJob:
    """Add a job; with `dedupe_key`, scheduling the same thing twice keeps the first job."""
    if dedupe_key is not None:
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
    session.flush()
    return job


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
    claimed: list[int] = []
    for job_id in candidates:
        result = session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.id == job_id, _claimable(now))
            .values(
                state=JobState.CLAIMED,
                lease_until=now + lease,
                attempts=ScheduledJob.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(job_id)
    return claimed


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
