"""Daily check-ins: when each one is due, planning it as a job, its one nudge, and silence.

A schedule is kept in the client's local time; everything handed in and out here is aware UTC.
Each schedule has at most one check-in job waiting at a time. When that job ends (fired, skipped
or failed), the scheduler's follow-up (`after_checkins`) plans the next one in the same
transaction. A change of times, weekdays, pause or status re-plans them (`replan_checkins`). A
job's dedupe key names its schedule and its local day, so however often planning is repeated, no
day gets two check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import (
    AlertKind,
    CheckinKind,
    CheckinSchedule,
    Client,
    ClientStatus,
    Consent,
    InboundMessage,
    JobState,
    ScheduledJob,
)
from backend.services.alerts import raise_alert
from backend.services.holidays import is_holiday
from backend.services.jobs import schedule_job
from backend.settings import Settings
from backend.texts.responses import Renderer

# Job kinds. Both fire through the dialogue handler, which sends "/<payload intent>" to Rasa.
CHECKIN = "checkin"
CHECKIN_NUDGE = "checkin_nudge"
INTENTS = {CheckinKind.MORNING: "checkin_morning", CheckinKind.EVENING: "checkin_evening"}
NUDGE_INTENT = "checkin_nudge"
EVERY_DAY = "1234567"

_UTC = dt.timezone.utc
_DAY = dt.timedelta(days=1)
# How many days are searched for the next check-in, from yesterday on: holidays can take a
# one-weekday schedule's day two weeks running (Fridays 25 December and 1 January), so after
# today's has passed the next can be three weeks away.
_HORIZON_DAYS = 29


@dataclass(frozen=True)
class CheckinRules:
    """How late a check-in may still go out, when its nudge comes, and when silence is told.

    The defaults are the settings' defaults; `from_settings` gives the configured values.
    """

    late_window: dt.timedelta = dt.timedelta(minutes=120)
    nudge_after: dt.timedelta = dt.timedelta(minutes=60)
    silent_days: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> CheckinRules:
        """The rules as configured by `ASKEL_CHECKIN_*`."""
        return cls(
            late_window=dt.timedelta(minutes=settings.checkin_late_minutes),
            nudge_after=dt.timedelta(minutes=settings.checkin_nudge_minutes),
            silent_days=settings.checkin_silent_days,
        )


DEFAULT_RULES = CheckinRules()


class Occurrence(NamedTuple):
    """One check-in of a schedule: the local day it belongs to, and when it is due (UTC)."""

    day: dt.date
    due: dt.datetime


def takes_checkins(client: Client) -> bool:
    """Whether check-ins are planned for the client at all (a pause only moves them later).

    A client who consented is planned for while still in onboarding, because their evening time
    is kept just before onboarding finishes. A client with status PAUSED is planned for after
    `paused_until`, and not at all without one.
    """
    if client.consent is not Consent.GIVEN:
        return False
    if client.status is ClientStatus.PAUSED:
        return client.paused_until is not None
    return client.status in (ClientStatus.ACTIVE, ClientStatus.ONBOARDING)


def is_paused(client: Client, when: dt.datetime) -> bool:
    """Whether `when` falls inside the client's pause."""
    if client.paused_until is None or when >= client.paused_until:
        return False
    return client.paused_from is None or when >= client.paused_from


def _exists(wall: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the naive local time `wall` happens at all (the spring-forward skips an hour)."""
    back = wall.replace(tzinfo=zone).astimezone(_UTC).astimezone(zone)
    return back.replace(tzinfo=None) == wall


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """`time` on `day` in `zone`, as UTC.

    A time that the spring-forward skips becomes the first existing minute after it; a time that
    the autumn fall-back repeats is taken the first time it comes.
    """
    wall = dt.datetime.combine(day, time)
    while not _exists(wall, zone):
        wall = wall.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return wall.replace(tzinfo=zone).astimezone(_UTC)


def _in_quiet_hours(time: dt.time, client: Client) -> bool:
    start, end = client.quiet_start, client.quiet_end
    if start <= end:  # equal: no quiet hours
        return start <= time < end
    return time >= start or time < end


def _after_quiet_hours(due: dt.datetime, client: Client, zone: ZoneInfo) -> dt.datetime:
    """`due`, or the end of the client's quiet hours when it falls inside them."""
    local = due.astimezone(zone)
    if not _in_quiet_hours(local.time(), client):
        return due
    # Quiet hours that run over midnight end on the next day for a time before midnight.
    day = local.date() if local.time() < client.quiet_end else local.date() + _DAY
    return _at(day, client.quiet_end, zone)


def _window_end(due: dt.datetime, client: Client, rules: CheckinRules) -> dt.datetime:
    """The latest a check-in due at `due` may go out: within the late window, and never into
    the client's next quiet hours (a late evening check-in is skipped rather than sent then)."""
    latest = due + rules.late_window
    if client.quiet_start == client.quiet_end:
        return latest
    zone = ZoneInfo(client.timezone)
    day = due.astimezone(zone).date()
    quiet = _at(day, client.quiet_start, zone)
    if quiet <= due:
        quiet = _at(day + _DAY, client.quiet_start, zone)
    return min(latest, quiet)


def is_activity_day(client: Client, day: dt.date) -> bool:
    """Whether the client goes to their workshop or work activity on `day`: one of their
    activity days, unless it is a public holiday (the workshop is closed then)."""
    return str(day.isoweekday()) in client.activity_days and not is_holiday(day)


def local_time(schedule: CheckinSchedule, client: Client, day: dt.date) -> dt.time:
    """The schedule's time of day on `day`: its own time on the client's activity days, if it
    has one, else its ordinary time."""
    if schedule.activity_time is not None and is_activity_day(client, day):
        return schedule.activity_time
    return schedule.local_time


def next_occurrence(
    schedule: CheckinSchedule, client: Client, after: dt.datetime
) -> Occurrence | None:
    """The schedule's next check-in strictly after `after`, with the local day it belongs to.

    See `next_checkin` for the rules. The day differs from the due time's local date only when
    quiet hours carry a check-in past midnight.
    """
    if not schedule.active or not takes_checkins(client):
        return None
    zone = ZoneInfo(client.timezone)
    search_from = after
    if is_paused(client, after) and client.paused_until is not None:
        search_from = client.paused_until
    # Yesterday's check-in, moved past midnight by quiet hours, can still be the next one.
    first_day = search_from.astimezone(zone).date() - _DAY
    # A schedule for some days only follows a workshop's week, which is closed on holidays.
    workdays_only = set(schedule.weekdays) != set(EVERY_DAY)
    for offset in range(_HORIZON_DAYS):
        day = first_day + offset * _DAY
        if str(day.isoweekday()) not in schedule.weekdays:
            continue
        if workdays_only and is_holiday(day):
            continue
        due = _after_quiet_hours(_at(day, local_time(schedule, client, day), zone), client, zone)
        if due > after and not is_paused(client, due):
            return Occurrence(day, due)
    return None


def next_checkin(
    schedule: CheckinSchedule, client: Client, after: dt.datetime
) -> dt.datetime | None:
    """When the schedule's next check-in is due, strictly after `after` (both aware UTC).

    It is `schedule.local_time` in the client's time zone on one of the schedule's weekdays (or
    `schedule.activity_time` on the client's activity days, see `local_time`), so
    08:00 stays 08:00 across the daylight-saving changes; a time that the spring-forward skips
    comes at the first existing minute after it. A schedule for some weekdays only skips Finnish
    public holidays. A time inside the client's quiet hours comes at their end; a time inside
    the client's pause (before `paused_until`) does not come at all. None when the schedule is
    switched off or the client takes no check-ins (see `takes_checkins`).
    """
    occurrence = next_occurrence(schedule, client, after)
    return None if occurrence is None else occurrence.due


def _checkin_key(schedule: CheckinSchedule, occurrence: Occurrence) -> str:
    return f"checkin:{schedule.id}:{occurrence.day.isoformat()}"


def _plan_next(
    session: Session, schedules: Sequence[CheckinSchedule], now: dt.datetime, rules: CheckinRules
) -> dict[int, ScheduledJob | None]:
    """The next check-in of each schedule after `now`, planned (see `schedule_next_checkin`),
    by schedule id. The days' jobs are looked up with one query for all the schedules; the new
    ones are added without a flush (a set of check-ins fired together plans all at once)."""
    planned: dict[int, ScheduledJob | None] = {}
    after = dict.fromkeys((schedule.id for schedule in schedules), now)
    todo = list({schedule.id: schedule for schedule in schedules}.values())
    while todo:
        found: list[tuple[CheckinSchedule, Client, Occurrence]] = []
        for schedule in todo:
            client = session.get_one(Client, schedule.client_id)
            occurrence = next_occurrence(schedule, client, after[schedule.id])
            if occurrence is None:
                planned[schedule.id] = None
            else:
                found.append((schedule, client, occurrence))
        keys = [_checkin_key(schedule, occurrence) for schedule, _client, occurrence in found]
        existing = (
            {
                job.dedupe_key: job
                for job in session.scalars(
                    select(ScheduledJob).where(ScheduledJob.dedupe_key.in_(keys))
                )
            }
            if keys
            else {}
        )
        todo = []
        for (schedule, client, occurrence), key in zip(found, keys, strict=True):
            job = existing.get(key)
            payload = {"intent": INTENTS[schedule.kind], "schedule_id": schedule.id}
            expires_at = _window_end(occurrence.due, client, rules)
            if job is None:
                planned[schedule.id] = schedule_job(
                    session,
                    CHECKIN,
                    occurrence.due,
                    now,
                    client_id=client.id,
                    expires_at=expires_at,
                    payload=payload,
                    dedupe_key=key,
                    looked_up=True,
                )
            elif job.state in (JobState.DUE, JobState.CANCELLED):
                job.state = JobState.DUE
                job.due_at = occurrence.due
                job.expires_at = expires_at
                job.payload = payload
                job.finished_at = None
                job.last_error = None
                planned[schedule.id] = job
            else:
                # That day's check-in has gone out, was skipped or is going out now.
                after[schedule.id] = occurrence.due
                todo.append(schedule)
    return planned


def schedule_next_checkin(
    session: Session,
    schedule: CheckinSchedule,
    now: dt.datetime,
    *,
    rules: CheckinRules = DEFAULT_RULES,
) -> ScheduledJob | None:
    """Plan the schedule's next check-in after `now` as a "checkin" job; None when none is due.

    The job's payload is {"intent": "checkin_morning" | "checkin_evening", "schedule_id": id},
    its dedupe key "checkin:<schedule id>:<local day>". It expires at the end of the late window,
    or earlier when the client's quiet hours begin. Planning again re-times the day's waiting (or
    cancelled) job instead of adding one; a day whose check-in has gone out, was skipped or is
    going out right now is passed over for the next day.
    """
    job = _plan_next(session, [schedule], now, rules)[schedule.id]
    session.flush()
    return job


def replan_checkins(
    session: Session, client: Client, now: dt.datetime, *, rules: CheckinRules = DEFAULT_RULES
) -> list[ScheduledJob]:
    """Plan the client's check-ins afresh, after a change of times, weekdays, pause or status.

    The client's waiting check-ins and nudges are cancelled and the next check-in of each of
    their schedules is planned; returns the planned jobs. Call it in the transaction that makes
    the change (also on resuming after STOP or a pause: nothing else plans the check-ins again).
    """
    waiting = session.scalars(
        select(ScheduledJob).where(
            ScheduledJob.client_id == client.id,
            ScheduledJob.kind.in_((CHECKIN, CHECKIN_NUDGE)),
            ScheduledJob.state == JobState.DUE,
        )
    ).all()
    for job in waiting:
        job.state = JobState.CANCELLED
        job.finished_at = now
        job.last_error = "re-planned"
    schedules = session.scalars(
        select(CheckinSchedule)
        .where(CheckinSchedule.client_id == client.id)
        .order_by(CheckinSchedule.id)
    ).all()
    planned = _plan_next(session, schedules, now, rules)
    session.flush()
    return [next_job for schedule in schedules if (next_job := planned[schedule.id])]


def silences_of(session: Session, clients: Collection[Client]) -> dict[int, dt.datetime]:
    """When each client's present silence began, by client id: their last message, else their
    consent (one query for all). A pause is not silence: its end starts the count afresh."""
    last = dict(
        session.execute(
            select(InboundMessage.client_id, func.max(InboundMessage.received_at))
            .where(InboundMessage.client_id.in_([client.id for client in clients]))
            .group_by(InboundMessage.client_id)
        )
        .tuples()
        .all()
    )
    silences: dict[int, dt.datetime] = {}
    for client in clients:
        since = last.get(client.id) or client.consent_at or client.created_at
        if client.paused_until is not None and since < client.paused_until:
            since = client.paused_until
        silences[client.id] = since
    return silences


def _silent_since(session: Session, client: Client) -> dt.datetime:
    """When the client's present silence began (see `silences_of`)."""
    return silences_of(session, [client])[client.id]


def _whole_days(since: dt.datetime, now: dt.datetime) -> int:
    return max(0, (now - since) // _DAY)


def silent_days(session: Session, client_id: int, now: dt.datetime) -> int:
    """Whole days (24 hours each) since the client last wrote anything, or since their consent
    if they never have; the days of a pause do not count."""
    client = session.get_one(Client, client_id)
    return _whole_days(_silent_since(session, client), now)


def _nudge_or_alert(
    session: Session,
    checkin: ScheduledJob,
    client: Client,
    since: dt.datetime,
    now: dt.datetime,
    rules: CheckinRules,
    renderer: Renderer,
    planned: Collection[str | None],
) -> None:
    """The check-in's one nudge (unless its key is among the `planned` ones); or, after
    `rules.silent_days` of silence since `since`, the coach's alert instead."""
    if _whole_days(since, now) >= rules.silent_days:
        # One alert for one silence, however many check-ins go unanswered in it.
        began = since.astimezone(ZoneInfo(client.timezone)).date().isoformat()
        key = f"no_answers:{client.id}:{began}"
        raise_alert(session, client, AlertKind.NO_ANSWERS, key, now, renderer)
        return
    # Counted from when the check-in went out, so that a late one is not nudged at once.
    nudge_at = now + rules.nudge_after
    key = _nudge_key(checkin)
    if checkin.expires_at is not None and nudge_at < checkin.expires_at and key not in planned:
        schedule_job(
            session,
            CHECKIN_NUDGE,
            nudge_at,
            now,
            client_id=client.id,
            expires_at=checkin.expires_at,
            # The check-in it nudges: its kind says which question to ask again.
            payload={
                "intent": NUDGE_INTENT,
                "checkin_job_id": checkin.id,
                "checkin": checkin.payload["intent"],
            },
            dedupe_key=key,
            looked_up=True,
        )


def _nudge_key(checkin: ScheduledJob) -> str:
    return f"checkin_nudge:{checkin.id}"


def after_checkins(
    session: Session,
    checkins: Sequence[ScheduledJob],
    now: dt.datetime,
    rules: CheckinRules,
    renderer: Renderer,
) -> None:
    """The scheduler's follow-up when "checkin" jobs have ended, however they ended (one, or a
    set fired together: a query or two for all of them).

    Each schedule's next check-in is planned. A check-in that went out gets one "checkin_nudge"
    job (payload {"intent": "checkin_nudge", "checkin_job_id": id, "checkin": its intent})
    `rules.nudge_after` later, expiring with the check-in's window; unless the client has been
    silent `rules.silent_days`: then there is no nudge, and the coach gets one NO_ANSWERS alert
    for that silence. The check-ins themselves go on: one a day is a greeting, not talking to
    no one.
    """
    sent = [checkin for checkin in checkins if checkin.state is JobState.DONE]
    if sent:
        _nudge_or_alert_all(session, sent, now, rules, renderer)
    _plan_next(session, checkin_schedules(session, checkins), now, rules)


def _nudge_or_alert_all(
    session: Session,
    sent: Sequence[ScheduledJob],
    now: dt.datetime,
    rules: CheckinRules,
    renderer: Renderer,
) -> None:
    """`_nudge_or_alert` for check-ins that went out, with a query or two for all of them."""
    clients = {
        checkin.id: session.get_one(Client, checkin.client_id)
        for checkin in sent
        if checkin.client_id is not None
    }
    silences = silences_of(session, list(clients.values()))
    # Planned already only if a check-in's end was recorded twice; looked up for all at once.
    planned = set(
        session.scalars(
            select(ScheduledJob.dedupe_key).where(
                ScheduledJob.dedupe_key.in_([_nudge_key(checkin) for checkin in sent])
            )
        )
    )
    for checkin in sent:
        client = clients[checkin.id]
        since = silences[client.id]
        _nudge_or_alert(session, checkin, client, since, now, rules, renderer, planned)


def checkin_schedules(
    session: Session, checkins: Sequence[ScheduledJob]
) -> Sequence[CheckinSchedule]:
    """The schedules of these "checkin" jobs, with one query."""
    schedule_ids = {int(checkin.payload["schedule_id"]) for checkin in checkins}
    return session.scalars(
        select(CheckinSchedule).where(CheckinSchedule.id.in_(schedule_ids))
    ).all()


def checkin_skip_reason(session: Session, checkin: ScheduledJob, now: dt.datetime) -> str | None:
    """Why a due check-in is not to go out (None: send it).

    Re-planning cancels check-ins that no longer apply; this catches a schedule switched off or
    a pause set without re-planning.
    """
    schedule = session.get(CheckinSchedule, int(checkin.payload["schedule_id"]))
    if schedule is None or not schedule.active:
        return "schedule switched off"
    client = session.get_one(Client, checkin.client_id)
    if not takes_checkins(client) or is_paused(client, now):
        return "client takes no check-ins now"
    return None


def nudge_skip_reason(
    session: Session, nudge: ScheduledJob, now: dt.datetime, rules: CheckinRules
) -> str | None:
    """Why a due nudge is not to go out (None: send it): the client has written something since
    the check-in's time, or has been silent `rules.silent_days` (the coach is told instead)."""
    client = session.get_one(Client, nudge.client_id)
    checkin = session.get_one(ScheduledJob, int(nudge.payload["checkin_job_id"]))
    answered = session.scalar(
        select(InboundMessage.id)
        .where(
            InboundMessage.client_id == client.id,
            InboundMessage.received_at >= checkin.due_at,
        )
        .limit(1)
    )
    if answered is not None:
        return "client answered"
    if _whole_days(_silent_since(session, client), now) >= rules.silent_days:
        return "client silent"
    return None


class MissingCheckin(LookupError):
    """A time was given for a check-in the client has not chosen (it is chosen in onboarding)."""

    def __init__(self, kind: CheckinKind) -> None:
        super().__init__(kind.value)
        self.kind = kind


def set_rhythm(
    session: Session,
    client: Client,
    now: dt.datetime,
    *,
    activity_days: str | None = None,
    activity_times: Mapping[CheckinKind, dt.time | None] | None = None,
    quiet: tuple[dt.time, dt.time] | None = None,
    rules: CheckinRules = DEFAULT_RULES,
) -> list[CheckinSchedule]:
    """Change what a coach sets of the client's rhythm, and re-plan their check-ins.

    `activity_days` are ISO weekday digits ("" for none); `activity_times` gives a check-in's
    own time on those days (None: the ordinary time again); `quiet` the start and end of the
    quiet hours. Anything not given stays. Returns the client's schedules. Raises
    `MissingCheckin` (and changes nothing) for a time of a check-in the client has not chosen.
    """
    schedules = {
        schedule.kind: schedule
        for schedule in session.scalars(
            select(CheckinSchedule).where(CheckinSchedule.client_id == client.id)
        )
    }
    for kind in activity_times or {}:
        if kind not in schedules:
            raise MissingCheckin(kind)
    for kind, time in (activity_times or {}).items():
        schedules[kind].activity_time = time
    if activity_days is not None:
        client.activity_days = "".join(sorted(set(activity_days)))
    if quiet is not None:
        client.quiet_start, client.quiet_end = quiet
    replan_checkins(session, client, now, rules=rules)
    return sorted(schedules.values(), key=lambda schedule: schedule.kind != CheckinKind.MORNING)


def times_in_quiet_hours(
    client: Client, schedules: Iterable[CheckinSchedule]
) -> list[tuple[CheckinSchedule, dt.time]]:
    """The check-in times (ordinary or activity-day) that fall inside the client's quiet hours:
    those check-ins come only when the quiet hours end."""
    return [
        (schedule, time)
        for schedule in schedules
        for time in (schedule.local_time, schedule.activity_time)
        if time is not None and _in_quiet_hours(time, client)
    ]
