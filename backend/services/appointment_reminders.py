"""Reminders of an appointment, and the next day's "did you get there?", as scheduled jobs.

By default a reminder comes the evening before at 18:00 and another two hours before
(`ASKEL_APPOINTMENT_REMINDER_*`). None comes inside the client's quiet hours: one that would
is sent before they begin instead, and dropped if another reminder came shortly before it
(two reminders in one evening are one too many). Planning again cancels the appointment's
waiting jobs first, so a changed time changes its reminders; a cancelled appointment has none,
and the scheduler's skip check stops any that is claimed after all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from backend.models import Appointment, AppointmentStatus, Client, ScheduledJob
from backend.services.jobs import cancel_due_jobs, schedule_job
from backend.settings import Settings

# Job kinds; both are opened by the scheduler itself with texts from the catalog.
REMINDER = "appointment_reminder"
FOLLOW_UP = "appointment_follow_up"
KINDS = (REMINDER, FOLLOW_UP)

_UTC = dt.timezone.utc
_DAY = dt.timedelta(days=1)
# A reminder moved out of quiet hours comes this long before they begin.
BEFORE_QUIET = dt.timedelta(minutes=30)
# A reminder this soon after another one is not sent.
MERGE_WINDOW = dt.timedelta(hours=4)
# A reminder that would come this soon (or already passed) is not planned: the client has
# just told us about the appointment.
TOO_SOON = dt.timedelta(minutes=15)


def _clock(value: str) -> dt.time | None:
    return dt.time.fromisoformat(value.strip()) if value.strip() else None


@dataclass(frozen=True)
class ReminderRules:
    """When reminders come, when the follow-up asks, and how far ahead a time may be."""

    evening: dt.time | None = dt.time(18, 0)
    hours_before: tuple[float, ...] = (2.0,)
    follow_up_time: dt.time = dt.time(10, 0)

    @classmethod
    def from_settings(cls, settings: Settings) -> ReminderRules:
        """The rules as configured by `ASKEL_APPOINTMENT_*`."""
        hours = tuple(
            float(part) for part in settings.appointment_reminder_hours.split(",") if part.strip()
        )
        return cls(
            evening=_clock(settings.appointment_reminder_evening),
            hours_before=hours,
            follow_up_time=_clock(settings.appointment_follow_up_time) or dt.time(10, 0),
        )


def _local(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """`time` on `day` on the local wall clock, as UTC (a skipped spring hour reads forward)."""
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(_UTC)


def _quiet_began(moment: dt.datetime, client: Client, zone: ZoneInfo) -> dt.datetime | None:
    """When the quiet hours that `moment` falls in began, or None when it is not in them."""
    start, end = client.quiet_start, client.quiet_end
    if start == end:
        return None
    local_day = moment.astimezone(zone).date()
    for day in (local_day, local_day - _DAY):
        began = _local(day, start, zone)
        ends = _local(day if start < end else day + _DAY, end, zone)
        if began <= moment < ends:
            return began
    return None


def reminder_times(
    starts_at: dt.datetime, client: Client, now: dt.datetime, rules: ReminderRules
) -> list[dt.datetime]:
    """When the reminders of an appointment starting at `starts_at` go out (aware UTC).

    "The evening before" is wall-clock time, as the client reads it; "two hours before" is
    elapsed time, right across a change of the clocks.
    """
    zone = ZoneInfo(client.timezone)
    wanted = [starts_at - dt.timedelta(hours=hours) for hours in rules.hours_before]
    if rules.evening is not None:
        wanted.append(_local(starts_at.astimezone(zone).date() - _DAY, rules.evening, zone))
    moved = []
    for due in wanted:
        began = _quiet_began(due, client, zone)
        moved.append(due if began is None else began - BEFORE_QUIET)
    kept: list[dt.datetime] = []
    for due in sorted(set(moved)):
        if due < now + TOO_SOON or due >= starts_at:
            continue
        if kept and due - kept[-1] < MERGE_WINDOW:
            continue
        kept.append(due)
    return kept


def follow_up_time(starts_at: dt.datetime, client: Client, rules: ReminderRules) -> dt.datetime:
    """The next day's question at the follow-up time, local."""
    zone = ZoneInfo(client.timezone)
    return _local(starts_at.astimezone(zone).date() + _DAY, rules.follow_up_time, zone)


def cancel_reminders(session: Session, appointment_id: int, now: dt.datetime) -> None:
    """Cancel every waiting reminder and follow-up of the appointment."""
    cancel_due_jobs(
        session,
        now,
        "appointment changed",
        ScheduledJob.appointment_id == appointment_id,
        ScheduledJob.kind.in_(KINDS),
    )


def plan_reminders(
    session: Session,
    appointment: Appointment,
    client: Client,
    now: dt.datetime,
    rules: ReminderRules,
) -> list[ScheduledJob]:
    """(Re)plan the appointment's reminders and follow-up; returns the jobs planned."""
    cancel_reminders(session, appointment.id, now)
    if appointment.status is not AppointmentStatus.PLANNED:
        return []
    starts_at = appointment.starts_at
    jobs = [
        schedule_job(
            session,
            REMINDER,
            due,
            now,
            client_id=client.id,
            appointment_id=appointment.id,
            expires_at=starts_at,
        )
        for due in reminder_times(starts_at, client, now, rules)
    ]
    if appointment.follow_up:
        due = follow_up_time(starts_at, client, rules)
        jobs.append(
            schedule_job(
                session,
                FOLLOW_UP,
                due,
                now,
                client_id=client.id,
                appointment_id=appointment.id,
                expires_at=due + dt.timedelta(hours=10),
            )
        )
    return jobs


def skip_reason(session: Session, job: ScheduledJob, now: dt.datetime) -> str | None:
    """Why a claimed reminder or follow-up must not go out, or None to send it.

    A reminder of an appointment no longer planned (cancelled, to be moved) or already begun is
    never sent; a follow-up only asks about an appointment whose outcome nobody has told.
    """
    appointment = (
        None if job.appointment_id is None else session.get(Appointment, job.appointment_id)
    )
    if appointment is None:
        return "appointment gone"
    if appointment.status is not AppointmentStatus.PLANNED:
        return f"appointment {appointment.status.value}"
    if job.kind == REMINDER and appointment.starts_at <= now:
        return "appointment begun"
    return None
