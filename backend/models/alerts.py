"""Alerts that a coach must see at once, not in the weekly digest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, StrEnum


class AlertKind(StrEnum):
    CRISIS = "crisis"
    CANNOT_ATTEND = "cannot_attend"
    CONTACT_REQUEST = "contact_request"
    UNREACHABLE = "unreachable"
    NO_ANSWERS = "no_answers"
    CLIENT_LEFT = "client_left"


class Alert(Base):
    """One urgent thing about one client; the dedupe key keeps a repeated cause from doubling it."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id", ondelete="SET NULL"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    kind: Mapped[AlertKind]
    dedupe_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    acknowledged_at: Mapped[dt.datetime | None]
