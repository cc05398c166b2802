"""The goal ladder (tavoiteportaat): a client's own goal and its steps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.models.base import Base, StrEnum


class StepOutcome(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not_done"
    NOT_ATTEMPTED = "not_attempted"


class Goal(Base):
    """A goal in the client's own words, with what they wish from their coach."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    words: Mapped[str] = mapped_column(Text)
    vision: Mapped[str | None] = mapped_column(Text)  # what would be different when reached
    support_wish: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime]

    steps: Mapped[list[GoalStep]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalStep.position"
    )


class GoalStep(Base):
    """One rung of the ladder; `already_done` marks the history the client brings with them."""

    __tablename__ = "goal_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    words: Mapped[str] = mapped_column(Text)
    already_done: Mapped[bool] = mapped_column(default=False)
    week_start: Mapped[dt.date | None] = mapped_column(Date())
    outcome: Mapped[StepOutcome | None]
    outcome_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]

    goal: Mapped[Goal] = relationship(back_populates="steps")
