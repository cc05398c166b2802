"""The coach's commands: a client's details, moving a client, Nivel phase and referral, a
coach's digest settings, alerts, and the weekly digest (preview and send).

Everything a coach reads here is in Finnish, in plain tables; errors say what to do next.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from backend.cli.admin import _STATUS, AddCommand, _fail, _table
from backend.cli.rhythm import client_rhythm
from backend.context import AppContext, build_context
from backend.db import transaction
from backend.digest.build import build_digest, previous_week
from backend.digest.render import DigestRenderer
from backend.digest.sending import DigestPolicy, plan_digest, queue_digest
from backend.models import (
    Alert,
    AlertKind,
    ChannelKind,
    Client,
    Coach,
    Consent,
    Goal,
    NivelPhase,
    ReferralSource,
)
from backend.services.alerts import client_label
from backend.services.appointments import coming as coming_appointments
from backend.settings import Settings
from backend.texts.formatting import clock_time, date_and_time, short_date, weekday_essive

ClientAction = Callable[[AppContext, argparse.Namespace], int]

PHASES = {
    NivelPhase.ACTIVATION: "1 Aktivointi",
    NivelPhase.EMPOWERMENT: "2 Voimaantuminen",
    NivelPhase.TRANSITION: "3 Kuntouttavaan työtoimintaan siirtyminen",
}
REFERRALS = {
    ReferralSource.TE_OFFICE: "TE-toimisto",
    ReferralSource.MUNICIPALITY: "kunta",
    ReferralSource.SELF: "oma hakeutuminen",
    ReferralSource.ASSOCIATION: "järjestö",
    ReferralSource.OTHER: "muu",
}
CONSENTS = {
    Consent.PENDING: "ei vielä kysytty",
    Consent.GIVEN: "annettu",
    Consent.REFUSED: "ei suostumusta",
}
ALERT_KINDS = {
    AlertKind.CRISIS: "KRIISI",
    AlertKind.CANNOT_ATTEND: "ei pääse tapaamiseen",
    AlertKind.CONTACT_REQUEST: "haluaa puhua",
    AlertKind.UNREACHABLE: "ei tavoitettavissa",
    AlertKind.NO_ANSWERS: "ei vastauksia",
    AlertKind.CLIENT_LEFT: "lopetti",
}


def _local(context: AppContext, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(_zone(context))


def client_show(context: AppContext, args: argparse.Namespace) -> int:
    """askel client show N: one client's details, as the coach keeps them."""
    with transaction(context.sessions) as session:
        client = session.get(Client, args.client) if args.client else None
        if client is None:
            return _fail(
                "Anna asiakkaan numero, esim. askel client show 5 (katso askel client list)"
            )
        now = context.clock.now()
        coming = len(coming_appointments(session, client, now))
        goals = session.scalar(
            select(func.count())
            .select_from(Goal)
            .where(Goal.client_id == client.id, Goal.active.is_(True))
        )
        channels = ", ".join(
            identity.channel.value + ("" if identity.reachable else " (ei tavoitettavissa)")
            for identity in client.identities
        )
        seen = _local(context, client.last_seen_at) if client.last_seen_at else None
        rows = [
            ("Nimi", client.display_name or "-"),
            ("Ohjaaja", f"#{client.coach.id} {client.coach.name}" if client.coach else "-"),
            ("Tila", _STATUS[client.status]),
            ("Suostumus", CONSENTS[client.consent]),
            ("Nivel-vaihe", PHASES[client.nivel_phase] if client.nivel_phase else "-"),
            ("Ohjautui", REFERRALS[client.referral_source] if client.referral_source else "-"),
            ("Kanavat", channels or "ei vielä liittynyt"),
            ("Viimeksi kirjoitti", date_and_time(seen) if seen else "-"),
            ("Tulevia tapaamisia", str(coming or 0)),
            ("Tavoitteita", str(goals or 0)),
        ]
    print(f"Asiakas #{args.client}")
    print(_table(rows, ("Tieto", "Arvo")))
    return 0


def client_move(context: AppContext, args: argparse.Namespace) -> int:
    """askel client move N --coach M: the client's next digests and alerts go to coach M."""
    with transaction(context.sessions) as session:
        client = session.get(Client, args.client) if args.client else None
        if client is None:
            return _fail("Anna asiakkaan numero, esim. askel client move 5 --coach 2")
        coach = session.get(Coach, args.coach) if args.coach else None
        if coach is None:
            return _fail("Anna uusi ohjaaja: --coach NUMERO (katso askel coach list)")
        before = client.coach.name if client.coach else "ei ohjaajaa"
        client.coach_id = coach.id
        print(f"Asiakas #{client.id} siirretty: {before} -> {coach.name}.")
    return 0


def client_set(context: AppContext, args: argparse.Namespace) -> int:
    """askel client set N --phase P --referral R: Nivel phase and referral source."""
    if not (args.phase or args.referral):
        return _fail("Anna muutettava tieto: --phase 1|2|3 ja/tai --referral te|kunta|oma|...")
    with transaction(context.sessions) as session:
        client = session.get(Client, args.client) if args.client else None
        if client is None:
            return _fail("Anna asiakkaan numero, esim. askel client set 5 --phase 2")
        if args.phase:
            client.nivel_phase = NivelPhase(args.phase)
            print(f"Asiakas #{client.id}: Nivel-vaihe {PHASES[client.nivel_phase]}.")
        if args.referral:
            client.referral_source = ReferralSource(args.referral)
            print(f"Asiakas #{client.id}: ohjautui {REFERRALS[client.referral_source]}.")
    return 0


CLIENT_ACTIONS: Mapping[str, ClientAction] = {
    "show": client_show,
    "move": client_move,
    "set": client_set,
    "rhythm": client_rhythm,
}


def coach_set(context: AppContext, args: argparse.Namespace) -> int:
    """askel coach set N: the coach's email, Telegram chat, alert channel and digest time."""
    with transaction(context.sessions) as session:
        coach = session.get(Coach, args.coach_id) if args.coach_id else None
        if coach is None:
            return _fail("Anna ohjaajan numero, esim. askel coach set 2 --digest-day 1")
        if args.email is not None:
            coach.email = args.email or None
        if args.telegram_chat is not None:
            coach.telegram_chat_id = args.telegram_chat or None
        if args.alert_channel:
            coach.alert_channel = ChannelKind(args.alert_channel)
        if args.digest_day:
            coach.digest_weekday = args.digest_day
        if args.digest_time:
            try:
                coach.digest_time = dt.time.fromisoformat(args.digest_time)
            except ValueError:
                return _fail("Anna kellonaika muodossa TT:MM, esim. --digest-time 08:00")
        job = plan_digest(session, coach, context.clock.now(), _zone(context))
        due = _local(context, job.due_at)
        print(
            f"Ohjaaja #{coach.id} {coach.name}: viikkokooste {weekday_essive(due.date())} "
            f"{clock_time(coach.digest_time)}, seuraava {date_and_time(due)}."
        )
    return 0


def _zone(context: AppContext) -> ZoneInfo:
    return ZoneInfo(context.settings.timezone)


def cmd_alerts(settings: Settings, args: argparse.Namespace) -> int:
    """askel alerts [list|ack N]: the alerts not yet acknowledged (all with --all)."""
    context = build_context(settings)
    try:
        with transaction(context.sessions) as session:
            if args.action == "ack":
                alert = session.get(Alert, args.alert) if args.alert else None
                if alert is None:
                    return _fail("Anna hälytyksen numero, esim. askel alerts ack 12")
                alert.acknowledged_at = alert.acknowledged_at or context.clock.now()
                print(f"Hälytys #{alert.id} kuitattu.")
                return 0
            query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
            if not args.all:
                query = query.where(Alert.acknowledged_at.is_(None))
            if args.coach:
                query = query.where(Alert.coach_id == args.coach)
            rows = []
            for alert in session.scalars(query.limit(args.limit)):
                client = session.get(Client, alert.client_id) if alert.client_id else None
                rows.append(
                    (
                        str(alert.id),
                        date_and_time(_local(context, alert.created_at)),
                        client_label(client) if client else "(poistettu)",
                        ALERT_KINDS[alert.kind],
                        "kuitattu" if alert.acknowledged_at else "uusi",
                    )
                )
        if not rows:
            print("Ei kuittaamattomia hälytyksiä." if not args.all else "Ei hälytyksiä.")
            return 0
        print(_table(rows, ("#", "Aika", "Asiakas", "Hälytys", "Tila")))
        print("\nKuittaa käsitelty hälytys: askel alerts ack NUMERO")
        return 0
    finally:
        context.close()


def _week(context: AppContext, text: str | None) -> dt.date | None:
    """The Monday of the week `text` (any day of it) names; the last whole week by default."""
    if not text:
        return previous_week(context.clock.now(), _zone(context))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day - dt.timedelta(days=day.weekday())


def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    """askel digest preview --coach N | send [--coach N]: the weekly digest."""
    context = build_context(settings)
    try:
        week = _week(context, args.week)
        if week is None:
            return _fail("Anna viikko päivämääränä, esim. --week 2026-11-16")
        policy = DigestPolicy.from_settings(settings)
        texts = DigestRenderer(context.renderer)
        now = context.clock.now()
        with transaction(context.sessions) as session:
            if args.action == "preview":
                coach = session.get(Coach, args.coach) if args.coach else None
                if coach is None:
                    return _fail("Anna ohjaaja: askel digest preview --coach NUMERO")
                digest = build_digest(session, coach.id, week, now, policy.zone, policy.silent_days)
                rendered = texts.render(digest)
                out = Path(args.out or settings.var_dir / f"kooste-{coach.id}-{week}.html")
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(rendered.html, encoding="utf-8")
                print(rendered.text, end="")
                print(f"\n(HTML-versio tallennettu: {out})")
                return 0
            query = select(Coach).order_by(Coach.id)
            if args.coach:
                query = query.where(Coach.id == args.coach)
            coaches = list(session.scalars(query))
            if not coaches:
                return _fail("Ohjaajaa ei löydy. Katso: askel coach list")
            for coach in coaches:
                rows, new = queue_digest(session, coach, week, now, policy, texts)
                if not rows:
                    print(f"{coach.name}: ei sähköpostia eikä Telegramia, koostetta ei lähetetä.")
                elif new:
                    channels = ", ".join(sorted({row.channel.value for row in rows}))
                    print(f"{coach.name}: viikon {short_date(week)} kooste lähtee ({channels}).")
                else:
                    print(f"{coach.name}: viikon {short_date(week)} kooste on jo lähetetty.")
        return 0
    finally:
        context.close()


def register_coach_commands(add: AddCommand) -> None:
    """Add `askel alerts` and `askel digest` to the `askel` parser."""
    alerts = add("alerts", cmd_alerts, "list the coaches' alerts, or acknowledge one")
    alerts.add_argument("action", nargs="?", choices=["list", "ack"], default="list")
    alerts.add_argument("alert", nargs="?", type=int, help="the alert's number (ack)")
    alerts.add_argument("--coach", type=int, help="only this coach's alerts")
    alerts.add_argument("--all", action="store_true", help="acknowledged ones too")
    alerts.add_argument("--limit", type=int, default=50)

    digest = add("digest", cmd_digest, "preview a coach's weekly digest, or send the digests")
    digest.add_argument("action", choices=["preview", "send"])
    digest.add_argument("--coach", type=int, help="the coach's number (send: default all)")
    digest.add_argument("--week", help="a day of the week, e.g. 2026-11-16 (default: last week)")
    digest.add_argument("--out", help="where preview writes the HTML (default: var/)")
