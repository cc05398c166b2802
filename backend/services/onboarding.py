"""Onboarding: what Askel is, consent in plain words, and the client's own check-in times."""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CheckinKind, CheckinSchedule, Client, ClientStatus, Consent
from backend.services.checkins import replan_checkins
from backend.timeparse import parse_time

DEFAULT_TIMES = {CheckinKind.MORNING: dt.time(8, 0), CheckinKind.EVENING: dt.time(21, 0)}
# The hours a check-in of each kind may be at; outside them the client is asked again. The
# evening ends where the default quiet hours begin (21.30): no message crosses them, so a later
# evening check-in would only arrive the next morning.
ALLOWED = {
    CheckinKind.MORNING: (dt.time(5, 0), dt.time(12, 0)),
    CheckinKind.EVENING: (dt.time(16, 0), dt.time(21, 30)),
}


class ConsentFacts(Protocol):
    """What consent rules read of a client: the client, or the facts of one read by a query."""

    @property
    def consent(self) -> Consent: ...

    @property
    def consent_asked_at(self) -> dt.datetime | None: ...


def needs_onboarding(client: ConsentFacts) -> bool:
    """A client who has not been asked for consent yet (new, or back after refusing)."""
    return client.consent is Consent.PENDING and client.consent_asked_at is None


def start_onboarding(client: Client, now: dt.datetime) -> None:
    """The consent question is being put now."""
    client.status = ClientStatus.ONBOARDING
    client.consent_asked_at = now


def give_consent(client: Client, now: dt.datetime) -> None:
    """The client said yes to what is stored and who sees it."""
    client.consent = Consent.GIVEN
    client.consent_at = now


def refuse_consent(client: Client, now: dt.datetime) -> None:
    """The client said no: only the refusal itself is to be kept.

    The gateway erases their messages (and Rasa's copy of the conversation) as soon as the turn
    is over, and after every later message, for as long as the refusal stands.
    """
    client.consent = Consent.REFUSED
    client.consent_at = now
    client.status = ClientStatus.STOPPED


# A number alone ("8"): asked for a time of day, the client means the hour. The parser reads a
# bare number as an hour only after "klo", as elsewhere it may be anything.
_HOUR_ALONE = re.compile(r"^\s*(\d{1,2})\s*$")


def checkin_time(text: str, kind: CheckinKind, now: dt.datetime, tz: str) -> dt.time | None:
    """The time of day a client's answer names for a check-in of `kind`, if it is a sensible one.

    "yhdeksältä" as an evening time means 21.00: in the evening question, a small hour is the
    evening one, and a number alone is the hour.
    """
    hour = _HOUR_ALONE.match(text)
    parsed = parse_time(f"klo {hour.group(1)}" if hour else text, now, tz=ZoneInfo(tz))
    if parsed is None or parsed.time is None:
        return None
    chosen = parsed.time.replace(second=0, microsecond=0)
    if kind is CheckinKind.EVENING and chosen.hour < 12:
        chosen = chosen.replace(hour=chosen.hour + 12)
    low, high = ALLOWED[kind]
    return chosen if low <= chosen <= high else None


def set_checkin_time(
    session: Session, client: Client, kind: CheckinKind, local_time: dt.time, now: dt.datetime
) -> None:
    """Keep the client's chosen time for a check-in (replacing an earlier choice) and plan it."""
    schedule = session.scalars(
        select(CheckinSchedule).where(
            CheckinSchedule.client_id == client.id, CheckinSchedule.kind == kind
        )
    ).one_or_none()
    if schedule is None:
        session.add(
            CheckinSchedule(client_id=client.id, kind=kind, local_time=local_time, created_at=now)
        )
    else:
        schedule.local_time = local_time
    replan_checkins(session, client, now)


def finish_onboarding(client: Client) -> None:
    """Onboarding is done; the client is active."""
    client.status = ClientStatus.ACTIVE


def checkin_times(session: Session, client_id: int) -> dict[CheckinKind, dt.time]:
    """The client's chosen check-in times by kind."""
    schedules = session.scalars(
        select(CheckinSchedule).where(CheckinSchedule.client_id == client_id)
    )
    return {schedule.kind: schedule.local_time for schedule in schedules}
