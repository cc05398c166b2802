"""What a check-in's answers and a client's reports become in the diary, and what to say back.

The Rasa actions hand over the client's words; everything decided about them is decided here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CheckinKind, CheckinSchedule, Client
from backend.services.checkins import replan_checkins
from backend.services.diary import (
    celebration,
    meal_of,
    mood_score,
    record,
    record_pause,
    report_time,
    rhythm_progress,
)
from backend.services.onboarding import checkin_time, set_checkin_time
from backend.services.pause import pause_period, sensible
from backend.texts.formatting import clock_time, short_date

# The intents of reports at any time, and the diary entry kind each one makes.
REPORT_KINDS = {
    "report_wake_up": "wake_up",
    "report_bedtime": "bedtime",
    "report_meal": "meal",
    "report_activity": "activity",
    "report_mood": "mood",
}
_SLEEP = {"hyvin": "good", "ihan ok": "ok", "huonosti": "bad"}
_ATE = {"hyvin": "well", "vähän": "little", "en juuri": "hardly"}
_WENT_OUT = {"kävin": "yes", "en käynyt": "no"}


@dataclass(frozen=True)
class Said:
    """A response name and the values to fill it with."""

    response: str
    values: dict[str, object] = field(default_factory=dict)


def _choice(text: str, choices: dict[str, str]) -> str | None:
    return choices.get(text.strip().lower())


def _local_date(client: Client, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(client.timezone)).date()


def _on_time_today(session: Session, client: Client, now: dt.datetime) -> bool:
    return rhythm_progress(session, client.id, _local_date(client, now)).today_on_time


def _celebrated(
    session: Session, client: Client, now: dt.datetime, was_on_time: bool
) -> list[Said]:
    """A milestone of the morning rhythm, said once: when this very answer made today count."""
    if was_on_time:
        return []
    session.flush()
    found = celebration(rhythm_progress(session, client.id, _local_date(client, now)))
    return [Said(f"utter_{found[0]}", {"n": found[1]})] if found else []


def save_morning_checkin(
    session: Session, client: Client, sleep: str, plan: str, now: dt.datetime
) -> list[Said]:
    """Keep how the client slept and what they mean to do today; the thanks to say."""
    was_on_time = _on_time_today(session, client, now)
    record(session, client, "sleep", now, detail=_choice(sleep, _SLEEP), words=sleep)
    record(session, client, "plan", now, words=plan)
    return [Said("utter_checkin_morning_done"), *_celebrated(session, client, now, was_on_time)]


def save_evening_checkin(
    session: Session,
    client: Client,
    answers: dict[str, str],
    now: dt.datetime,
) -> list[Said]:
    """Keep the evening's mood, meals, going out and what went well; the thanks to say."""
    mood = mood_score(answers["mood"])
    record(session, client, "mood", now, mood=mood, words=answers["mood"])
    meals = answers["meals"]
    record(session, client, "meal", now, detail=_choice(meals, _ATE) or meal_of(meals), words=meals)
    went_out = answers["out"]
    record(session, client, "activity", now, detail=_choice(went_out, _WENT_OUT), words=went_out)
    record(session, client, "went_well", now, words=answers["good"])
    low = mood is not None and mood <= 2
    return [Said("utter_checkin_evening_done_low" if low else "utter_checkin_evening_done")]


def valid_mood(text: str) -> bool:
    """Whether an answer to the mood question gives a mood (a digit 1-5 or words)."""
    return mood_score(text) is not None


def record_report(
    session: Session, client: Client, intent: str, text: str, now: dt.datetime
) -> list[Said]:
    """A report at any time ("heräsin yhdeksältä", "söin lounaan"): kept with the right time,
    and answered warmly (a wake-up on time may be celebrated)."""
    kind = REPORT_KINDS[intent]
    zone = ZoneInfo(client.timezone)
    if kind in ("wake_up", "bedtime"):
        was_on_time = _on_time_today(session, client, now)
        happened = report_time(text, kind, now, client.timezone) or now
        record(session, client, kind, now, happened_at=happened, words=text)
        said = [Said(f"utter_noted_{kind}", {"time": clock_time(happened.astimezone(zone))})]
        if kind == "wake_up":
            said.extend(_celebrated(session, client, now, was_on_time))
        return said
    if kind == "mood":
        mood = mood_score(text)
        record(session, client, "mood", now, mood=mood, words=text)
        if mood is not None and mood <= 2:
            return [Said("utter_noted_mood_low")]
        return [Said("utter_noted_mood_good" if mood and mood >= 4 else "utter_noted_mood")]
    detail = meal_of(text) if kind == "meal" else None
    record(session, client, kind, now, detail=detail, words=text)
    return [Said(f"utter_noted_{kind}")]


def checkin_kind_of(text: str) -> CheckinKind | None:
    """Which check-in a request to change times is about ("aamuviesti", "illalla")."""
    lowered = text.lower()
    if "aamu" in lowered or "herätys" in lowered:
        return CheckinKind.MORNING
    if "ilta" in lowered or "illa" in lowered:
        return CheckinKind.EVENING
    return None


def weekdays_asked(text: str) -> str | None:
    """ "vain arkisin" -> "12345"; "joka päivä" -> "1234567"; None when not said."""
    lowered = text.lower().replace("ä", "a")
    if "arki" in lowered:
        return "12345"
    if "joka paiva" in lowered or "viikonlopu" in lowered:
        return "1234567"
    return None


def change_schedule(session: Session, client: Client, text: str, now: dt.datetime) -> Said:
    """ "aamuviesti vasta yhdeksältä", "iltaviesti klo 22", "vain arkisin": the client's own
    times, changed in words; what is unclear is asked, one thing at a time."""
    kind = checkin_kind_of(text)
    weekdays = weekdays_asked(text)
    schedules = {
        schedule.kind: schedule
        for schedule in session.scalars(
            select(CheckinSchedule).where(CheckinSchedule.client_id == client.id)
        )
    }
    if kind is None and weekdays is not None:
        for schedule in schedules.values():
            schedule.weekdays = weekdays
        replan_checkins(session, client, now)
        return Said(
            "utter_schedule_weekdays" if weekdays == "12345" else "utter_schedule_every_day"
        )
    if kind is None:
        return Said("utter_ask_which_checkin")
    chosen = checkin_time(text, kind, now, client.timezone)
    if chosen is None:
        return Said(f"utter_ask_{kind.value}_time_again")
    set_checkin_time(session, client, kind, chosen, now)
    if weekdays is not None and kind in schedules:
        schedules[kind].weekdays = weekdays
    replan_checkins(session, client, now)
    return Said(f"utter_schedule_changed_{kind.value}", {"time": clock_time(chosen)})


def pause_messages(session: Session, client: Client, text: str, now: dt.datetime) -> Said:
    """ "ei viestejä ensi viikolla": no check-ins on the days the client names; the rhythm's
    progress is frozen for them. A period that is not clear, past or too long is asked about."""
    period = pause_period(text, now, client.timezone)
    if period is None or not sensible(period, now, client.timezone):
        return Said("utter_ask_pause_period")
    zone = ZoneInfo(client.timezone)
    start = dt.datetime.combine(period.first, dt.time(0), tzinfo=zone).astimezone(dt.timezone.utc)
    end_day = period.last + dt.timedelta(days=1)
    client.paused_from = max(start, now)
    client.paused_until = dt.datetime.combine(end_day, dt.time(0), tzinfo=zone).astimezone(
        dt.timezone.utc
    )
    record_pause(session, client, period.first, period.last, now)
    replan_checkins(session, client, now)
    return Said(
        "utter_paused", {"first": short_date(period.first), "last": short_date(period.last)}
    )
