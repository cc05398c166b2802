"""`askel client rhythm N`: a client's activity days, check-in times on them, and quiet hours.

    askel client rhythm 5 --activity-days ma,ke --activity-morning 6.30 --quiet 22.00-7.00

Without options it shows the client's rhythm. Everything a coach reads here is in Finnish;
errors say what to write instead. The rules are in `backend/services/checkins.py`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.cli.admin import _fail, _table
from backend.context import AppContext
from backend.db import transaction
from backend.models import CheckinKind, CheckinSchedule, Client
from backend.services.checkins import (
    CheckinRules,
    MissingCheckin,
    next_checkin,
    set_rhythm,
    times_in_quiet_hours,
)
from backend.texts.formatting import date_and_time, short_date

DAYS = ("ma", "ti", "ke", "to", "pe", "la", "su")
DAY_NAMES = ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai")
NOT_ANY = ("-", "ei")
KIND_NAMES = {CheckinKind.MORNING: "aamuviesti", CheckinKind.EVENING: "iltaviesti"}
_TIME = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?$")
DAYS_HELP = "esim. --activity-days ma,ke (ma ti ke to pe la su; - kun niitä ei ole)"


class InputError(ValueError):
    """What the coach wrote cannot be read; the message says what to write instead."""


def parse_days(text: str) -> str:
    """'ma,ke' -> '13' (ISO weekday digits); '-' or 'ei' -> '' (no activity days)."""
    if text.strip().lower() in NOT_ANY:
        return ""
    digits = []
    for word in re.split(r"[,\s]+", text.strip().lower()):
        if word[:2] not in DAYS or not DAY_NAMES[DAYS.index(word[:2])].startswith(word):
            raise InputError(f"Päivää '{word}' ei tunneta. Anna päivät lyhenteinä, {DAYS_HELP}.")
        digits.append(str(DAYS.index(word[:2]) + 1))
    return "".join(sorted(set(digits)))


def parse_clock(text: str) -> dt.time:
    """'6.30', '06:30' or '7' -> a time of day."""
    match = _TIME.match(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
    if hour > 23 or minute > 59:
        raise InputError(f"Kellonaikaa '{text}' ei voi lukea. Anna aika muodossa 6.30 tai 18.00.")
    return dt.time(hour, minute)


def parse_optional_clock(text: str) -> dt.time | None:
    """A time, or None for '-' / 'ei' (the ordinary time again)."""
    return None if text.strip().lower() in NOT_ANY else parse_clock(text)


def parse_quiet(text: str) -> tuple[dt.time, dt.time]:
    """'22.00-7.00' -> (22:00, 07:00)."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) != 2:
        raise InputError(f"Hiljaista aikaa '{text}' ei voi lukea. Anna se muodossa 22.00-7.00.")
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if start == end:
        raise InputError("Hiljaisen ajan alku ja loppu ovat samat. Anna esim. --quiet 22.00-7.00.")
    return start, end


def _clock(time: dt.time) -> str:
    return f"{time.hour}.{time.minute:02d}"


def _days(digits: str) -> str:
    return ", ".join(DAYS[int(digit) - 1] for digit in digits) or "-"


def _rhythm_rows(
    context: AppContext, client: Client, schedules: list[CheckinSchedule]
) -> list[tuple[str, str]]:
    """The client's rhythm as a coach reads it."""
    zone = ZoneInfo(context.settings.timezone)
    now = context.clock.now()
    rows = []
    for schedule in schedules:
        name = KIND_NAMES[schedule.kind].capitalize()
        times = f"klo {_clock(schedule.local_time)}"
        if schedule.activity_time is not None:
            times += f" (toimintapäivinä klo {_clock(schedule.activity_time)})"
        if not schedule.active:
            times += ", pois päältä"
        elif schedule.weekdays != "1234567":
            times += f", vain {_days(schedule.weekdays)}"
        rows.append((name, times))
        due = next_checkin(schedule, client, now)
        rows.append(("  seuraava", date_and_time(due.astimezone(zone)) if due else "-"))
    rows.append(("Toimintapäivät", _days(client.activity_days)))
    rows.append(("Hiljainen aika", f"{_clock(client.quiet_start)}–{_clock(client.quiet_end)}"))
    if client.paused_until is not None and client.paused_until > now:
        until = client.paused_until.astimezone(zone) - dt.timedelta(microseconds=1)
        rows.append(("Tauko", f"{short_date(until.date())} asti"))
    return rows


@dataclass(frozen=True)
class Changes:
    """What the options ask to change; None (or no time) leaves a thing as it is."""

    activity_days: str | None
    activity_times: dict[CheckinKind, dt.time | None]
    quiet: tuple[dt.time, dt.time] | None

    @classmethod
    def read(cls, args: argparse.Namespace) -> Changes:
        """The options read (raises InputError)."""
        times = {
            kind: parse_optional_clock(text)
            for kind, text in (
                (CheckinKind.MORNING, args.activity_morning),
                (CheckinKind.EVENING, args.activity_evening),
            )
            if text is not None
        }
        return cls(
            None if args.activity_days is None else parse_days(args.activity_days),
            times,
            None if args.quiet is None else parse_quiet(args.quiet),
        )

    def __bool__(self) -> bool:
        return bool(self.activity_days is not None or self.activity_times or self.quiet)


def client_rhythm(context: AppContext, args: argparse.Namespace) -> int:
    """askel client rhythm N [--activity-days ...] [--activity-morning ...] [--quiet ...]."""
    try:
        changes = Changes.read(args)
    except InputError as error:
        return _fail(str(error))
    with transaction(context.sessions) as session:
        client = session.get(Client, args.client) if args.client else None
        if client is None:
            return _fail(
                "Anna asiakkaan numero, esim. askel client rhythm 5 --activity-days ma,ke "
                "(katso askel client list)"
            )
        if changes:
            try:
                set_rhythm(
                    session,
                    client,
                    context.clock.now(),
                    activity_days=changes.activity_days,
                    activity_times=changes.activity_times,
                    quiet=changes.quiet,
                    rules=CheckinRules.from_settings(context.settings),
                )
            except MissingCheckin as error:
                return _fail(
                    f"Asiakas #{client.id} ei ole vielä valinnut {KIND_NAMES[error.kind]}n "
                    "aikaa. Se valitaan Askelin aloituksessa; toimintapäivän oman ajan voi "
                    "antaa sen jälkeen."
                )
        schedules = list(
            session.scalars(
                select(CheckinSchedule)
                .where(CheckinSchedule.client_id == client.id)
                .order_by(CheckinSchedule.kind != CheckinKind.MORNING)
            )
        )
        if changes and client.activity_days == "" and any(s.activity_time for s in schedules):
            print("Huom: toimintapäiviä ei ole, joten toimintapäivän ajat eivät ole käytössä.")
        for schedule, time in times_in_quiet_hours(client, schedules):
            print(
                f"Huom: {KIND_NAMES[schedule.kind]} klo {_clock(time)} osuu hiljaiseen aikaan, "
                f"joten se tulee vasta klo {_clock(client.quiet_end)}."
            )
        print(f"Asiakas #{client.id}: päivärytmi" + (" päivitetty" if changes else ""))
        print(_table(_rhythm_rows(context, client, schedules), ("Tieto", "Arvo")))
    return 0


def add_rhythm_options(client: argparse.ArgumentParser) -> None:
    """Add the options of `askel client rhythm` to the `askel client` command (made, with its
    list of actions, in backend/cli/admin.py; the action runs through `CLIENT_ACTIONS`)."""
    client.add_argument("--activity-days", help=f"toimintapäivät, {DAYS_HELP}")
    client.add_argument(
        "--activity-morning", help="aamuviestin aika toimintapäivinä, esim. 6.30 (- poistaa)"
    )
    client.add_argument(
        "--activity-evening", help="iltaviestin aika toimintapäivinä, esim. 20.00 (- poistaa)"
    )
    client.add_argument("--quiet", help="hiljainen aika, jolloin ei lähetetä, esim. 22.00-7.00")
