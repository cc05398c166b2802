"""Appointments the client must get to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, StrEnum


class AppointmentStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    RESCHEDULE = "reschedule"
    KEPT = "kept"
    MISSED = "missed"


class Appointment(Base):
    """A time and place; reminders for it are scheduled jobs that point here."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime]
    location: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[AppointmentStatus] = mapped_column(default=AppointmentStatus.PLANNED)
    follow_up: Mapped[bool] = mapped_column(default=False)
    # Why the client cannot come, as they chose it: "sick", "other_business", "other"; empty
    # when they skipped the question or have not said they cannot come.
    miss_reason: Mapped[str | None] = mapped_column(String(16))
    added_by_coach: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime]
