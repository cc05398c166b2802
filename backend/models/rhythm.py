"""Daily rhythm: the client's check-in schedules and what they answered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, StrEnum


class CheckinKind(StrEnum):
    MORNING = "morning"
    EVENING = "evening"


class CheckinSchedule(Base):
    """When a client wants their morning or evening check-in, in their local time."""

    __tablename__ = "checkin_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[CheckinKind]
    local_time: Mapped[dt.time] = mapped_column(Time())
    # ISO weekdays as digits, "1234567" for every day, "12345" for weekdays only.
    weekdays: Mapped[str] = mapped_column(String(7), default="1234567")
    # The time on the client's activity days (`Client.activity_days`), if it differs there.
    activity_time: Mapped[dt.time | None] = mapped_column(Time())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime]


class CheckinEntry(Base):
    """One thing the client told about their day, in a check-in or at any time."""

    __tablename__ = "checkin_entries"
    # A client's days are read by date (the rhythm, the digest): without it each read scans all
    # clients' entries (the digest benchmark spent 90 % of its time there).
    __table_args__ = (Index("ix_checkin_entries_client_date", "client_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # wake_up, bedtime, mood, meal, activity
    local_date: Mapped[dt.date] = mapped_column(Date())
    happened_at: Mapped[dt.datetime | None]
    mood: Mapped[int | None] = mapped_column(SmallInteger)
    detail: Mapped[str | None] = mapped_column(String(64))
    words: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
