"""Sending the weekly digest: a scheduled job per coach, and the outbox.

Each coach has one due `coach_digest` job at their chosen weekday and local time (Monday 08:00
unless they chose otherwise). When it fires, the digest is built and written to the outbox in
the same transaction that finishes the job, under keys named after the coach and the week
("digest:<coach>:<week>:email"): a replayed job, or `askel digest send` for the same week, finds
the rows already there, so a digest is never sent twice; and a row in the outbox is sent until
it goes (the dispatcher retries), so none is lost. The next week's job is planned in that same
transaction, however the job ended.

A coach gets the digest by email when they have an address, and in their Telegram chat when
they chose Telegram for alerts or have no address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.channels.email_send import email_body
from backend.digest.build import WEEK, build_digest, previous_week
from backend.digest.render import DigestRenderer
from backend.models import ChannelKind, Coach, JobState, OutboxMessage, ScheduledJob
from backend.services.jobs import schedule_job
from backend.settings import Settings

DIGEST = "coach_digest"
# A digest that could not go out within this time after its hour waits for next week's.
DIGEST_WINDOW = dt.timedelta(days=2)


@dataclass(frozen=True)
class DigestPolicy:
    """What sending needs besides the database: the service's time zone and silence limit."""

    zone: ZoneInfo
    silent_days: int

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestPolicy:
        """The policy the settings give."""
        return cls(ZoneInfo(settings.timezone), settings.checkin_silent_days)


def next_digest_time(coach: Coach, after: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The coach's next digest moment strictly after `after`, at their local wall-clock time
    (08:00 stays 08:00 across the clock changes)."""
    local = after.astimezone(zone)
    day = local.date() + dt.timedelta(days=(coach.digest_weekday - local.isoweekday()) % 7)
    while True:
        moment = dt.datetime.combine(day, coach.digest_time, tzinfo=zone)
        if moment > after:
            return moment.astimezone(dt.timezone.utc)
        day += WEEK


def _key_prefix(coach_id: int) -> str:
    return f"digest:{coach_id}:"


def plan_digest(session: Session, coach: Coach, now: dt.datetime, zone: ZoneInfo) -> ScheduledJob:
    """Make sure the coach's next digest is due at their chosen time; returns its job.

    A due job at another time (the coach changed it) is cancelled and replaced.
    """
    due_at = next_digest_time(coach, now, zone)
    key = f"{_key_prefix(coach.id)}{due_at.isoformat()}"
    for job in session.scalars(
        select(ScheduledJob).where(
            ScheduledJob.kind == DIGEST,
            ScheduledJob.state == JobState.DUE,
            ScheduledJob.dedupe_key.like(f"{_key_prefix(coach.id)}%"),
        )
    ):
        if job.dedupe_key != key:
            job.state = JobState.CANCELLED
            job.finished_at = now
    job = schedule_job(
        session,
        DIGEST,
        due_at,
        now,
        expires_at=due_at + DIGEST_WINDOW,
        payload={"coach_id": coach.id},
        dedupe_key=key,
    )
    if job.state is JobState.CANCELLED:  # the coach went back to a time they had before
        job.state, job.finished_at = JobState.DUE, None
    return job


def plan_all_digests(session: Session, now: dt.datetime, zone: ZoneInfo) -> int:
    """Plan every coach's next digest (at the scheduler's start); returns how many coaches."""
    coaches = list(session.scalars(select(Coach)))
    for coach in coaches:
        plan_digest(session, coach, now, zone)
    return len(coaches)


def digest_channels(coach: Coach) -> list[tuple[ChannelKind, str]]:
    """Where the coach's digest goes."""
    channels: list[tuple[ChannelKind, str]] = []
    if coach.email:
        channels.append((ChannelKind.EMAIL, coach.email))
    if coach.telegram_chat_id and (coach.alert_channel is ChannelKind.TELEGRAM or not coach.email):
        channels.append((ChannelKind.TELEGRAM, coach.telegram_chat_id))
    return channels


def queue_digest(
    session: Session,
    coach: Coach,
    week_start: dt.date,
    now: dt.datetime,
    policy: DigestPolicy,
    texts: DigestRenderer,
) -> tuple[list[OutboxMessage], bool]:
    """Write the coach's digest of the week to the outbox; returns its rows and whether they
    are new (False: this week's digest was already queued, and nothing was added)."""
    prefix = f"{_key_prefix(coach.id)}{week_start.isoformat()}:"
    existing = list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.like(f"{prefix}%"))
            .order_by(OutboxMessage.id)
        )
    )
    if existing:
        return existing, False
    digest = build_digest(session, coach.id, week_start, now, policy.zone, policy.silent_days)
    rendered = texts.render(digest)
    rows: list[OutboxMessage] = []
    for channel, address in digest_channels(coach):
        if channel is ChannelKind.EMAIL:
            bodies = [email_body(rendered.subject, rendered.text, rendered.html)]
        else:
            bodies = rendered.telegram_parts()
        for index, body in enumerate(bodies):
            rows.append(
                OutboxMessage(
                    coach_id=coach.id,
                    channel=channel,
                    address=address,
                    text=body,
                    dedupe_key=f"{prefix}{channel.value}:{index}",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    session.add_all(rows)
    session.flush()
    return rows, True


@dataclass(frozen=True)
class DigestFollowup:
    """The digest job's follow-up, run in the transaction that finishes the job: queue the
    digest when the job fired, and plan the next one however it ended."""

    policy: DigestPolicy
    texts: DigestRenderer

    def __call__(self, session: Session, job: ScheduledJob, now: dt.datetime) -> None:
        """Queue the digest of the week before the job's time, then plan the next job."""
        coach = session.get(Coach, int(job.payload["coach_id"]))
        if coach is None:
            return  # the coach was removed: no more digests
        if job.state is JobState.DONE:
            week = previous_week(job.due_at, self.policy.zone)
            queue_digest(session, coach, week, now, self.policy, self.texts)
        plan_digest(session, coach, max(now, job.due_at), self.policy.zone)
