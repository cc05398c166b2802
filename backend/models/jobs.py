"""Scheduled jobs: every future thing Askel will do (check-ins, reminders, digests) is a row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, StrEnum


class JobState(StrEnum):
    DUE = "due"  # waiting for its time
    CLAIMED = "claimed"  # a worker holds it under a lease
    DONE = "done"
    SKIPPED = "skipped"  # its window passed, or it no longer applies
    CANCELLED = "cancelled"
    FAILED = "failed"


class ScheduledJob(Base):
    """A unit of due work; a worker claims it with a compare-and-set under a lease."""

    __tablename__ = "scheduled_jobs"
    __table_args__ = (Index("ix_scheduled_jobs_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(48))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE")
    )
    due_at: Mapped[dt.datetime]
    # After this the job is no longer worth doing (a morning greeting at 15:00 is worse than none).
    expires_at: Mapped[dt.datetime | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[JobState] = mapped_column(default=JobState.DUE)
    lease_until: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
