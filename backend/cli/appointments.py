"""`askel appointment`: the coach adds, lists and cancels a client's appointments.

  askel appointment add 3 "to 26.11. klo 14" --title lääkäri [--place "Kalevantie 5"]
                         [--phone "09 310 5015"] [--follow-up]
  askel appointment list 3                    the client's coming appointments
  askel appointment cancel 7                  appointment #7 is cancelled; no reminder goes out

The time is read with the same Finnish parser as the client's words. Reminders are planned as
for an appointment the client added. Everything printed is in Finnish; errors say what to do.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from zoneinfo import ZoneInfo

from backend.cli.admin import AddCommand, CommandError, found_client, run_printed
from backend.context import AppContext
from backend.db import transaction
from backend.models import Appointment, AppointmentStatus, Client
from backend.services.appointment_reminders import ReminderRules
from backend.services.appointments import (
    PHONE_MAX,
    TITLE_MAX,
    Draft,
    Problem,
    add_appointment,
    coming,
    describe,
    set_status,
    understand,
)
from backend.settings import Settings

# What the coach is told when the time does not do, by the dialogue's problem.
PROBLEMS = {
    Problem.TOO_LONG: 'Aika on liian pitkä. Kirjoita esimerkiksi: "to 26.11. klo 14".',
    Problem.NO_DAY: 'Ajasta puuttuu päivä. Kirjoita esimerkiksi: "to 26.11. klo 14".',
    Problem.NO_TIME: 'Ajasta puuttuu kellonaika. Kirjoita esimerkiksi: "to 26.11. klo 14".',
    Problem.VAGUE: 'Tarvitaan tarkka päivä, esimerkiksi: "to 26.11. klo 14".',
    Problem.INVALID: "Tuota päivää tai kellonaikaa ei ole. Tarkista aika.",
    Problem.PAST: "Aika on jo mennyt. Tarkista päivä ja vuosi.",
    Problem.FAR: "Aika on yli vuoden päästä. Tarkista päivä ja vuosi.",
}
STATUS_NAMES = {
    AppointmentStatus.PLANNED: "tulossa",
    AppointmentStatus.CANCELLED: "peruttu",
    AppointmentStatus.RESCHEDULE: "siirrettävä",
    AppointmentStatus.KEPT: "kävi",
    AppointmentStatus.MISSED: "ei päässyt",
}


def _client(context: AppContext, number: int) -> Client:
    with transaction(context.sessions) as session:
        client = found_client(session.get(Client, number), number)
        session.expunge(client)
        return client


def _add(context: AppContext, args: argparse.Namespace) -> str:
    client = _client(context, args.client)
    title = (args.title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise CommandError(f"Anna tapaamiselle nimi (--title), enintään {TITLE_MAX} merkkiä.")
    if args.phone and len(args.phone) > PHONE_MAX:
        raise CommandError(f"Puhelinnumero on liian pitkä (enintään {PHONE_MAX}).")
    now, zone = context.clock.now(), ZoneInfo(client.timezone)
    understood = understand(
        Draft(), args.value or "", now, zone, context.settings.appointment_max_days_ahead
    )
    if understood.problem is not Problem.CONFIRM:
        raise CommandError(PROBLEMS[understood.problem])
    draft = replace(understood.draft, title=title)
    starts_at = draft.starts_at(zone)
    assert starts_at is not None  # a draft to confirm has both
    with transaction(context.sessions) as session:
        appointment = add_appointment(
            session,
            session.get_one(Client, client.id),
            title,
            starts_at,
            now,
            ReminderRules.from_settings(context.settings),
            location=args.place,
            contact_phone=args.phone,
            follow_up=args.follow_up,
            added_by_coach=True,
        )
        shown = describe(appointment.title, appointment.starts_at, appointment.location, zone)
        return f"Tapaaminen #{appointment.id} lisätty: {shown}. Muistutukset on ajastettu."


def _list(context: AppContext, args: argparse.Namespace) -> str:
    client = _client(context, args.client)
    zone = ZoneInfo(client.timezone)
    with transaction(context.sessions) as session:
        found = coming(session, session.get_one(Client, client.id), context.clock.now())
        lines = [
            f"#{a.id}  {describe(a.title, a.starts_at, a.location, zone)}"
            + (f"  puh. {a.contact_phone}" if a.contact_phone else "")
            for a in found
        ]
    if not lines:
        return f"Asiakkaalla #{client.id} ei ole tulevia tapaamisia."
    return "\n".join(lines)


def _cancel(context: AppContext, args: argparse.Namespace) -> str:
    with transaction(context.sessions) as session:
        appointment = session.get(Appointment, args.client)
        if appointment is None:
            raise CommandError(
                f"Tapaamista #{args.client} ei löydy. Katso: askel appointment list <asiakas>"
            )
        if appointment.status is not AppointmentStatus.PLANNED:
            raise CommandError(
                f"Tapaaminen #{appointment.id} on jo {STATUS_NAMES[appointment.status]}."
            )
        set_status(session, appointment, AppointmentStatus.CANCELLED, context.clock.now())
        return f"Tapaaminen #{appointment.id} peruttu. Muistutuksia ei lähetetä."


ACTIONS = {"add": _add, "list": _list, "cancel": _cancel}


def cmd_appointment(settings: Settings, args: argparse.Namespace) -> int:
    """askel appointment add|list|cancel."""
    return run_printed(settings, args, ACTIONS[args.action])


def register_appointment_commands(add: AddCommand) -> None:
    """Add `askel appointment` to the `askel` parser."""
    command = add("appointment", cmd_appointment, "add, list or cancel a client's appointments")
    command.add_argument("action", choices=sorted(ACTIONS))
    command.add_argument(
        "client", type=int, help="the client's number (add, list) or the appointment's (cancel)"
    )
    command.add_argument("value", nargs="?", help='the time in Finnish, e.g. "to 26.11. klo 14"')
    command.add_argument("--title", help="what it is, e.g. lääkäri")
    command.add_argument("--place", help="where, e.g. Kalevantie 5")
    command.add_argument("--phone", help="the number to call to cancel or move it")
    command.add_argument(
        "--follow-up", action="store_true", help="ask the next day whether the client got there"
    )
