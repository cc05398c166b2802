"""Coaches, clients, the channels that reach a client, and enrolment invites."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.models.base import Base, StrEnum


def new_conversation_id() -> str:
    """A random id for the client's conversation in Rasa: the tracker never sees a phone number."""
    return secrets.token_hex(16)


class Consent(StrEnum):
    PENDING = "pending"
    GIVEN = "given"
    REFUSED = "refused"


class ClientStatus(StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    LEFT = "left"


class NivelPhase(StrEnum):
    """The Nivel model's phases before rehabilitative work activity."""

    ACTIVATION = "1"  # Aktivointi
    EMPOWERMENT = "2"  # Voimaantuminen
    TRANSITION = "3"  # Kuntouttavaan työtoimintaan siirtyminen


class ReferralSource(StrEnum):
    TE_OFFICE = "te"  # TE-toimisto
    MUNICIPALITY = "kunta"
    SELF = "oma"  # oma hakeutuminen
    ASSOCIATION = "jarjesto"
    OTHER = "muu"


class ChannelKind(StrEnum):
    LOCAL = "local"
    TELEGRAM = "telegram"
    SMS = "sms"
    EMAIL = "email"


class Coach(Base):
    """A job coach or social instructor with their own clients."""

    __tablename__ = "coaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64))
    alert_channel: Mapped[ChannelKind] = mapped_column(default=ChannelKind.EMAIL)
    # ISO weekday (1 = Monday) and local time of the weekly digest.
    digest_weekday: Mapped[int] = mapped_column(default=1)
    digest_time: Mapped[dt.time] = mapped_column(Time(), default=dt.time(8, 0))
    created_at: Mapped[dt.datetime]

    clients: Mapped[list[Client]] = relationship(back_populates="coach")


class Client(Base):
    """A person using Askel. Their words and answers are special-category personal data."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        String(32), unique=True, default=new_conversation_id
    )
    display_name: Mapped[str | None] = mapped_column(String(200))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id", ondelete="SET NULL"))
    status: Mapped[ClientStatus] = mapped_column(default=ClientStatus.ONBOARDING)
    consent: Mapped[Consent] = mapped_column(default=Consent.PENDING)
    consent_at: Mapped[dt.datetime | None]
    # When the consent question was put; empty means onboarding has not started.
    consent_asked_at: Mapped[dt.datetime | None]
    nivel_phase: Mapped[NivelPhase | None]
    referral_source: Mapped[ReferralSource | None]
    language: Mapped[str] = mapped_column(String(8), default="fi")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    quiet_start: Mapped[dt.time] = mapped_column(Time(), default=dt.time(21, 30))
    quiet_end: Mapped[dt.time] = mapped_column(Time(), default=dt.time(7, 30))
    # The days the client goes to the workshop or rehabilitative work activity, as ISO weekday
    # digits ("13": Monday and Wednesday); a check-in schedule may have its own time on them.
    activity_days: Mapped[str] = mapped_column(String(7), default="", server_default="")
    # A pause the client asked for: no check-ins or reminders from `paused_from` (empty: from
    # now) until `paused_until`.
    paused_from: Mapped[dt.datetime | None]
    paused_until: Mapped[dt.datetime | None]
    # A check-in whose first question the scheduler sent ("morning", "evening"), open until the
    # client answers or its window ends: the answer then goes to the dialogue as that question's.
    checkin_open: Mapped[str | None] = mapped_column(String(16))
    checkin_open_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime | None]

    coach: Mapped[Coach | None] = relationship(back_populates="clients")
    identities: Mapped[list[ChannelIdentity]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )


class ChannelIdentity(Base):
    """One way to reach a client: a Telegram chat, a phone number, or a local sender id."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    channel: Mapped[ChannelKind]
    address: Mapped[str] = mapped_column(String(128))
    reachable: Mapped[bool] = mapped_column(default=True)
    # Why the channel stopped reaching the client (blocked the bot, number gone), for the coach.
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    preferred: Mapped[bool] = mapped_column(default=True)
    # The choices most recently offered on this channel, so that a digit can answer them.
    last_choices: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]

    client: Mapped[Client] = relationship(back_populates="identities")


class Invite(Base):
    """A single-use enrolment code; only its hash is kept."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
