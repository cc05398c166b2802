"""Askel's data model (SQLAlchemy 2, typed mappings). Importing this registers every table."""

from backend.models.alerts import Alert, AlertKind
from backend.models.appointments import Appointment, AppointmentStatus
from backend.models.base import Base, UTCDateTime
from backend.models.goals import Goal, GoalStep, StepOutcome
from backend.models.jobs import JobState, ScheduledJob
from backend.models.messages import InboundMessage, InboundState, OutboxMessage, OutboxState
from backend.models.people import (
    ChannelIdentity,
    ChannelKind,
    Client,
    ClientStatus,
    Coach,
    Consent,
    Invite,
    NivelPhase,
    ReferralSource,
)
from backend.models.rhythm import CheckinEntry, CheckinKind, CheckinSchedule

__all__ = [
    "Alert",
    "AlertKind",
    "Appointment",
    "AppointmentStatus",
    "Base",
    "ChannelIdentity",
    "ChannelKind",
    "CheckinEntry",
    "CheckinKind",
    "CheckinSchedule",
    "Client",
    "ClientStatus",
    "Coach",
    "Consent",
    "Goal",
    "GoalStep",
    "InboundMessage",
    "InboundState",
    "Invite",
    "JobState",
    "NivelPhase",
    "OutboxMessage",
    "OutboxState",
    "ReferralSource",
    "ScheduledJob",
    "StepOutcome",
    "UTCDateTime",
]
