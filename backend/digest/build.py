"""One coach's week, built from the database: what needs attention first, then each client.

`build_digest` only reads; it returns a typed structure that `backend.digest.render` turns into
words. The week's bounds are local midnights in the service's time zone; a client's rhythm is
read in the client's own (`rhythm_summary.week_summaries`). Each part is read for all the
coach's clients at once, so that the queries do not grow with the number of clients.

A client who has not consented to sharing appears only as such (`ClientWeek.shared` is None):
nothing of their week is read, not even for the attention list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backend.models import (
    Alert,
    AlertKind,
    Appointment,
    AppointmentStatus,
    CheckinEntry,
    Client,
    ClientStatus,
    Coach,
    Consent,
    Goal,
    GoalStep,
    NivelPhase,
    ReferralSource,
    StepOutcome,
)
from backend.models.base import StrEnum
from backend.services import diary
from backend.services.alerts import client_label
from backend.services.checkins import silences_of
from backend.services.goals import LadderLevel, ladder_level
from backend.services.rhythm_summary import RhythmWeek, Trend, week_summaries

WEEK = dt.timedelta(days=7)
# The chart shows this many weeks, day by day, ending with the digest's week.
CHART_WEEKS = 4


class AttentionKind(StrEnum):
    """What a coach should see first, most urgent first (the digest lists them in this order)."""

    CRISIS = "crisis"
    CONTACT_REQUEST = "contact_request"
    MISSED = "missed"
    RESCHEDULE = "reschedule"
    UNREACHABLE = "unreachable"
    SILENT = "silent"
    MOOD_FALLING = "mood_falling"


_ORDER = {kind: index for index, kind in enumerate(AttentionKind)}
# Alerts of the week that the attention list repeats (the others are read from their causes).
_ALERT_ATTENTION = {
    AlertKind.CRISIS: AttentionKind.CRISIS,
    AlertKind.CONTACT_REQUEST: AttentionKind.CONTACT_REQUEST,
    AlertKind.UNREACHABLE: AttentionKind.UNREACHABLE,
}


@dataclass(frozen=True)
class Attention:
    """One thing about one client to look at first.

    `day` is when it happened (a missed appointment's day); `days` how long a silence has lasted;
    `moods` last week's and this week's mood average for a falling mood.
    """

    kind: AttentionKind
    client_id: int
    client: str
    day: dt.date | None = None
    days: int | None = None
    moods: tuple[float, float] | None = None


@dataclass(frozen=True)
class ChartDay:
    """One day of the chart: the day's mean mood and its (last-recorded) wake-up time."""

    day: dt.date
    mood: float | None
    wake: dt.time | None


@dataclass(frozen=True)
class StepWeek:
    """A goal step of the week and how it went (None: not yet told)."""

    words: str
    outcome: StepOutcome | None


@dataclass(frozen=True)
class GoalWeek:
    """An active goal: the client's words, what they wish from the coach, and the ladder."""

    words: str
    support_wish: str | None
    level: LadderLevel
    week_steps: tuple[StepWeek, ...]


@dataclass(frozen=True)
class AppointmentLine:
    """An appointment by its title and local start."""

    title: str
    starts_at: dt.datetime


@dataclass(frozen=True)
class AppointmentsWeek:
    """The week's appointments by how they went, and those still to come or to be moved."""

    kept: int
    missed: int
    cancelled: int
    reschedule: tuple[AppointmentLine, ...]
    coming: tuple[AppointmentLine, ...]


@dataclass(frozen=True)
class SharedWeek:
    """What a consenting client's week says."""

    rhythm: RhythmWeek
    chart: tuple[ChartDay, ...]
    goals: tuple[GoalWeek, ...]
    appointments: AppointmentsWeek
    contact_requests: tuple[dt.date, ...]


@dataclass(frozen=True)
class ClientWeek:
    """One client in the digest; `shared` is None when the client has not consented."""

    client_id: int
    label: str
    nivel_phase: NivelPhase | None
    referral_source: ReferralSource | None
    shared: SharedWeek | None


@dataclass(frozen=True)
class CoachDigest:
    """One coach's digest of the week that starts on `week_start` (a Monday)."""

    coach_id: int
    coach_name: str
    week_start: dt.date
    attention: tuple[Attention, ...]
    clients: tuple[ClientWeek, ...]

    @property
    def week_end(self) -> dt.date:
        """The week's last day (Sunday)."""
        return self.week_start + WEEK - dt.timedelta(days=1)


def previous_week(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The Monday of the last whole week before `now` (on Monday 23.11., Monday 16.11.)."""
    today = now.astimezone(zone).date()
    return today - dt.timedelta(days=today.weekday()) - WEEK


def build_digest(
    session: Session,
    coach_id: int,
    week_start: dt.date,
    now: dt.datetime,
    zone: ZoneInfo,
    silent_days: int,
    client_ids: Sequence[int] | None = None,
) -> CoachDigest:
    """The digest of coach `coach_id` for the week from `week_start`, as it stands at `now`.

    `silent_days`: a client who has not written for this many days needs attention
    (`ASKEL_CHECKIN_SILENT_DAYS`). `client_ids` narrows it to those of the coach's clients (the
    preview a client sees of their own part). Raises LookupError for an unknown coach.
    """
    coach = session.get(Coach, coach_id)
    if coach is None:
        raise LookupError(f"no coach {coach_id}")
    start = dt.datetime.combine(week_start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(week_start + WEEK, dt.time(), tzinfo=zone)
    query = select(Client).where(Client.coach_id == coach_id, Client.status != ClientStatus.LEFT)
    if client_ids is not None:
        query = query.where(Client.id.in_(client_ids))
    clients = sorted(session.scalars(query), key=lambda c: (client_label(c).casefold(), c.id))
    sharing = [client for client in clients if client.consent is Consent.GIVEN]
    ids = [client.id for client in sharing]
    alerts = _alerts(session, ids, start, end)
    appointments = _appointments(session, ids, start, end)
    goals = _goals(session, ids)
    chart = _chart(session, sharing, week_start)
    # All the clients' rhythm at once: a few queries for the coach, not a few for each client.
    rhythms = week_summaries(session, sharing, week_start)
    silences = silences_of(session, sharing)
    attention: list[Attention] = []
    weeks: list[ClientWeek] = []
    for client in clients:
        label = client_label(client)
        if client.consent is not Consent.GIVEN:
            weeks.append(ClientWeek(client.id, label, None, None, None))
            continue
        rhythm = rhythms[client.id]
        mine = appointments[client.id]
        appointment_week = _appointment_week(mine, start, end, zone)
        shared = SharedWeek(
            rhythm=rhythm,
            chart=tuple(chart[client.id]),
            goals=tuple(_goal_week(goal, week_start, start, end) for goal in goals[client.id]),
            appointments=appointment_week,
            contact_requests=tuple(
                _local_day(alert, zone)
                for alert in alerts[client.id]
                if alert.kind is AlertKind.CONTACT_REQUEST
            ),
        )
        weeks.append(
            ClientWeek(client.id, label, client.nivel_phase, client.referral_source, shared)
        )
        attention.extend(_attention(client, label, shared, alerts[client.id], now, zone))
        attention.extend(
            Attention(AttentionKind.MISSED, client.id, label, a.starts_at.astimezone(zone).date())
            for a in mine
            if a.status is AppointmentStatus.MISSED and start <= a.starts_at < end
        )
        attention.extend(
            Attention(AttentionKind.RESCHEDULE, client.id, label, line.starts_at.date())
            for line in appointment_week.reschedule
        )
        silence = _silent_for(client, silences[client.id], now, zone)
        if silence is not None and silence >= silent_days:
            attention.append(Attention(AttentionKind.SILENT, client.id, label, days=silence))
    attention.sort(key=lambda a: (_ORDER[a.kind], a.client.casefold(), a.day or week_start))
    return CoachDigest(coach.id, coach.name, week_start, tuple(attention), tuple(weeks))


def _attention(
    client: Client,
    label: str,
    shared: SharedWeek,
    alerts: Iterable[Alert],
    now: dt.datetime,
    zone: ZoneInfo,
) -> list[Attention]:
    """The week's alerts worth repeating, and a falling mood."""
    found = [
        Attention(_ALERT_ATTENTION[alert.kind], client.id, label, _local_day(alert, zone))
        for alert in alerts
        if alert.kind in _ALERT_ATTENTION
    ]
    rhythm = shared.rhythm
    if (
        rhythm.mood_trend is Trend.DOWN
        and rhythm.mood_previous_average is not None
        and rhythm.mood_average is not None
    ):
        moods = (rhythm.mood_previous_average, rhythm.mood_average)
        found.append(Attention(AttentionKind.MOOD_FALLING, client.id, label, moods=moods))
    return found


def _local_day(alert: Alert, zone: ZoneInfo) -> dt.date:
    return alert.created_at.astimezone(zone).date()


def _silent_for(client: Client, since: dt.datetime, now: dt.datetime, zone: ZoneInfo) -> int | None:
    """Days since the client's silence began (`silences_of`: the check-in rules' own count, so
    that a pause's days are not silence), for an active client who is not on a pause. Counted
    in calendar days, as the coach reads them: written on Tuesday, silent 6 days on Monday."""
    if client.status is not ClientStatus.ACTIVE:
        return None
    pausing = client.paused_until is not None and client.paused_until > now
    if pausing and (client.paused_from is None or client.paused_from <= now):
        return None
    return (now.astimezone(zone).date() - since.astimezone(zone).date()).days


def _alerts(
    session: Session, client_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> defaultdict[int, list[Alert]]:
    by_client: defaultdict[int, list[Alert]] = defaultdict(list)
    if not client_ids:
        return by_client
    rows = session.scalars(
        select(Alert)
        .where(Alert.client_id.in_(client_ids), Alert.created_at >= start, Alert.created_at < end)
        .order_by(Alert.created_at, Alert.id)
    )
    for alert in rows:
        by_client[alert.client_id or 0].append(alert)
    return by_client


def _appointments(
    session: Session, client_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> defaultdict[int, list[Appointment]]:
    """The appointments of the week and the next, and any still to be moved."""
    by_client: defaultdict[int, list[Appointment]] = defaultdict(list)
    if not client_ids:
        return by_client
    rows = session.scalars(
        select(Appointment)
        .where(
            Appointment.client_id.in_(client_ids),
            Appointment.starts_at >= start,
            Appointment.starts_at < end + WEEK,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    )
    for appointment in rows:
        by_client[appointment.client_id].append(appointment)
    return by_client


def _appointment_week(
    appointments: Sequence[Appointment], start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> AppointmentsWeek:
    """Kept, missed and cancelled in the week; to be moved from the week on; coming next week."""

    def counted(status: AppointmentStatus) -> int:
        return sum(1 for a in appointments if a.status is status and start <= a.starts_at < end)

    def lines(status: AppointmentStatus, first: dt.datetime) -> tuple[AppointmentLine, ...]:
        return tuple(
            AppointmentLine(a.title, a.starts_at.astimezone(zone))
            for a in appointments
            if a.status is status and a.starts_at >= first
        )

    return AppointmentsWeek(
        kept=counted(AppointmentStatus.KEPT),
        missed=counted(AppointmentStatus.MISSED),
        cancelled=counted(AppointmentStatus.CANCELLED),
        reschedule=lines(AppointmentStatus.RESCHEDULE, start),
        coming=lines(AppointmentStatus.PLANNED, end),
    )


def _goals(session: Session, client_ids: Sequence[int]) -> defaultdict[int, list[Goal]]:
    by_client: defaultdict[int, list[Goal]] = defaultdict(list)
    if not client_ids:
        return by_client
    rows = session.scalars(
        select(Goal)
        .where(Goal.client_id.in_(client_ids), Goal.active.is_(True))
        .options(selectinload(Goal.steps))
        .order_by(Goal.created_at, Goal.id)
    )
    for goal in rows:
        by_client[goal.client_id].append(goal)
    return by_client


def _goal_week(goal: Goal, week_start: dt.date, start: dt.datetime, end: dt.datetime) -> GoalWeek:
    """The ladder so far (`ladder_level`, as `askel goals show` gives it) and the week's steps:
    those planned for it, and those told about in it."""

    def this_week(step: GoalStep) -> bool:
        told = step.outcome_at is not None and start <= step.outcome_at < end
        return step.week_start == week_start or told

    return GoalWeek(
        words=goal.words,
        support_wish=goal.support_wish,
        level=ladder_level(goal),
        week_steps=tuple(StepWeek(s.words, s.outcome) for s in goal.steps if this_week(s)),
    )


def _chart(
    session: Session, clients: Sequence[Client], week_start: dt.date
) -> defaultdict[int, list[ChartDay]]:
    """Each client's days of the chart, from one query for all of them.

    A day's wake-up is the one recorded last (a correction wins), as in the weekly summary.
    """
    first = week_start - (CHART_WEEKS - 1) * WEEK
    last = week_start + WEEK - dt.timedelta(days=1)
    moods: defaultdict[tuple[int, dt.date], list[int]] = defaultdict(list)
    wakes: dict[tuple[int, dt.date], dt.datetime] = {}
    zones = {client.id: ZoneInfo(client.timezone) for client in clients}
    client_ids = list(zones)
    if client_ids:
        rows = session.execute(
            select(
                CheckinEntry.client_id,
                CheckinEntry.kind,
                CheckinEntry.local_date,
                CheckinEntry.mood,
                CheckinEntry.happened_at,
            )
            .where(
                CheckinEntry.client_id.in_(client_ids),
                CheckinEntry.kind.in_((diary.MOOD, diary.WAKE_UP)),
                CheckinEntry.local_date >= first,
                CheckinEntry.local_date <= last,
            )
            .order_by(CheckinEntry.created_at, CheckinEntry.id)
        )
        for client_id, kind, day, mood, happened in rows:
            if kind == diary.MOOD and mood is not None:
                moods[(client_id, day)].append(mood)
            elif kind == diary.WAKE_UP and happened is not None:
                wakes[(client_id, day)] = happened
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    chart: defaultdict[int, list[ChartDay]] = defaultdict(list)
    for client_id in client_ids:
        for day in days:
            scores = moods.get((client_id, day))
            woke = wakes.get((client_id, day))
            chart[client_id].append(
                ChartDay(
                    day,
                    sum(scores) / len(scores) if scores else None,
                    woke.astimezone(zones[client_id]).time() if woke else None,
                )
            )
    return chart
