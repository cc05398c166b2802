"""The coach's and the operator's commands: coaches, clients and invites, Telegram's webhook.

Everything a coach reads here is in Finnish; errors say what to do, not what went wrong inside.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from backend.context import AppContext, build_context
from backend.db import transaction
from backend.models import (
    ChannelKind,
    Client,
    ClientStatus,
    Coach,
    NivelPhase,
    OutboxMessage,
    ReferralSource,
)
from backend.services.enrolment import create_invite, display_code
from backend.settings import Settings
from backend.texts.formatting import short_date

Command = Callable[[Settings, argparse.Namespace], int]
AddCommand = Callable[[str, Command, str], argparse.ArgumentParser]


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


class CommandError(Exception):
    """What the coach needs to do differently, in Finnish; the command prints it and exits 1."""


def run_printed(
    settings: Settings,
    args: argparse.Namespace,
    run: Callable[[AppContext, argparse.Namespace], str],
) -> int:
    """Run a command that returns what it has to say, in a context of its own; a
    `CommandError` goes to stderr with exit status 1."""
    context = build_context(settings)
    try:
        print(run(context, args))
        return 0
    except CommandError as error:
        return _fail(str(error))
    finally:
        context.close()


def found_client(client: Client | None, number: int) -> Client:
    """The client the coach named, or a `CommandError` that says where to find the number."""
    if client is None:
        raise CommandError(f"Asiakasta #{number} ei löydy. Katso: askel client list")
    return client


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Rows under a header, in columns as wide as their widest cell."""
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


async def _bot_username(settings: Settings) -> str | None:
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if not settings.telegram_enabled:
        return None
    from backend.channels.telegram_send import make_bot

    async with make_bot(settings) as bot:
        return bot.username


def invite_text(settings: Settings, code: str, valid_until: str, username: str | None) -> str:
    """What a coach gives the client: the Telegram link and the SMS code."""
    lines = [f"Kutsukoodi: {display_code(code)} (voimassa {valid_until} asti, kertakäyttöinen)"]
    if username:
        lines.append(f"  Telegram: https://t.me/{username}?start={code}")
    if settings.sms_enabled:
        lines.append(f"  Tekstiviesti: asiakas lähettää koodin numeroon {settings.twilio_from}")
    return "\n".join(lines)


def _print_invite(context: AppContext, client: Client) -> None:
    settings = context.settings
    now = context.clock.now()
    with transaction(context.sessions) as session:
        code = create_invite(session, session.merge(client), now, settings.invite_valid_days)
    valid_until = short_date((now + dt.timedelta(days=settings.invite_valid_days)).date())
    username = asyncio.run(_bot_username(settings))
    print(invite_text(settings, code, valid_until, username))


def cmd_coach(settings: Settings, args: argparse.Namespace) -> int:
    """askel coach add|list|set."""
    context = build_context(settings)
    try:
        if args.action == "set":
            from backend.cli.coach import coach_set

            return coach_set(context, args)
        with transaction(context.sessions) as session:
            if args.action == "add":
                if not args.name:
                    return _fail("Anna ohjaajan nimi: askel coach add --name 'Maija Ohjaaja'")
                coach = Coach(
                    name=args.name,
                    email=args.email,
                    telegram_chat_id=args.telegram_chat,
                    alert_channel=ChannelKind(args.alert_channel or "email"),
                    created_at=context.clock.now(),
                )
                session.add(coach)
                session.flush()
                # The weekly digest is planned at once (Monday 08:00 unless set otherwise).
                from backend.digest.sending import plan_digest

                plan_digest(session, coach, context.clock.now(), ZoneInfo(settings.timezone))
                print(f"Ohjaaja #{coach.id} lisätty: {coach.name}")
                return 0
            counts: dict[int | None, int] = {
                coach_id: n
                for coach_id, n in session.execute(
                    select(Client.coach_id, func.count()).group_by(Client.coach_id)
                ).all()
            }
            rows = [
                (
                    str(coach.id),
                    coach.name,
                    coach.email or "-",
                    coach.alert_channel.value,
                    str(counts.get(coach.id, 0)),
                )
                for coach in session.scalars(select(Coach).order_by(Coach.id))
            ]
            print(_table(rows, ("#", "Nimi", "Sähköposti", "Hälytykset", "Asiakkaita")))
            return 0
    finally:
        context.close()


def cmd_client(settings: Settings, args: argparse.Namespace) -> int:
    """askel client add|list|invite|show|move|set|rhythm."""
    from backend.cli.coach import CLIENT_ACTIONS

    context = build_context(settings)
    try:
        if args.action in CLIENT_ACTIONS:
            return CLIENT_ACTIONS[args.action](context, args)
        if args.action == "add":
            return _add_client(context, args)
        if args.action == "invite":
            with transaction(context.sessions) as session:
                client = session.get(Client, args.client)
            if client is None:
                return _fail(f"Asiakasta #{args.client} ei löydy. Katso: askel client list")
            _print_invite(context, client)
            return 0
        return _list_clients(context, args)
    finally:
        context.close()


def _add_client(context: AppContext, args: argparse.Namespace) -> int:
    with transaction(context.sessions) as session:
        coach = session.get(Coach, args.coach)
        if coach is None:
            return _fail(f"Ohjaajaa #{args.coach} ei löydy. Katso: askel coach list")
        client = Client(
            display_name=args.name,
            coach_id=coach.id,
            nivel_phase=NivelPhase(args.phase) if args.phase else None,
            referral_source=ReferralSource(args.referral) if args.referral else None,
            timezone=context.settings.timezone,
            created_at=context.clock.now(),
        )
        session.add(client)
        session.flush()
        print(f"Asiakas #{client.id} lisätty ohjaajalle {coach.name}.")
    _print_invite(context, client)
    return 0


def _list_clients(context: AppContext, args: argparse.Namespace) -> int:
    with transaction(context.sessions) as session:
        query = select(Client).order_by(Client.id)
        if args.coach:
            query = query.where(Client.coach_id == args.coach)
        rows = []
        for client in session.scalars(query):
            channels = ", ".join(
                identity.channel.value + ("" if identity.reachable else " (ei tavoitettavissa)")
                for identity in client.identities
            )
            rows.append(
                (
                    str(client.id),
                    client.display_name or "-",
                    client.coach.name if client.coach else "-",
                    _STATUS[client.status],
                    channels or "ei vielä liittynyt",
                )
            )
    print(_table(rows, ("#", "Nimi", "Ohjaaja", "Tila", "Kanavat")))
    return 0


_STATUS = {
    ClientStatus.ONBOARDING: "aloittamassa",
    ClientStatus.ACTIVE: "mukana",
    ClientStatus.PAUSED: "tauolla",
    ClientStatus.STOPPED: "viestit pois",
    ClientStatus.LEFT: "lopettanut",
}


def cmd_telegram(settings: Settings, args: argparse.Namespace) -> int:
    """askel telegram set-webhook|delete-webhook|info."""
    from backend.channels.telegram_polling import ALLOWED_UPDATES
    from backend.channels.telegram_routes import WEBHOOK_PATH
    from backend.channels.telegram_send import make_bot

    if not settings.telegram_token.get_secret_value():
        return _fail("Aseta ensin ASKEL_TELEGRAM_TOKEN (BotFatherilta saatu tunnus).")
    secret = settings.telegram_webhook_secret.get_secret_value()
    if args.action == "set-webhook" and not (settings.public_url and secret):
        return _fail("Aseta ensin ASKEL_PUBLIC_URL ja ASKEL_TELEGRAM_WEBHOOK_SECRET.")

    async def run() -> str:
        async with make_bot(settings) as bot:
            if args.action == "set-webhook":
                url = settings.public_url.rstrip("/") + WEBHOOK_PATH
                await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
                return f"Webhook asetettu: {url} (botti @{bot.username})"
            if args.action == "delete-webhook":
                await bot.delete_webhook()
                return "Webhook poistettu: Askel hakee viestit itse (long polling)."
            info = await bot.get_webhook_info()
            return f"Botti @{bot.username}; webhook: {info.url or 'ei käytössä'}"

    print(asyncio.run(run()))
    return 0


def cmd_outbox(settings: Settings, args: argparse.Namespace) -> int:
    """askel outbox: how many messages are in each state, and the latest dead letters."""
    context = build_context(settings)
    try:
        with transaction(context.sessions) as session:
            counts = session.execute(
                select(OutboxMessage.channel, OutboxMessage.state, func.count()).group_by(
                    OutboxMessage.channel, OutboxMessage.state
                )
            ).all()
            rows = [(channel.value, state.value, str(n)) for channel, state, n in counts]
            print(_table(sorted(rows), ("Kanava", "Tila", "Viestejä")))
            dead = session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.state == "dead")
                .order_by(OutboxMessage.id.desc())
                .limit(10)
            ).all()
            if dead:
                print("\nViimeisimmät perille menemättömät:")
                for row in dead:
                    print(f"  #{row.id} {row.channel.value}: {row.last_error}")
        return 0
    finally:
        context.close()


def register_admin_commands(add: AddCommand) -> None:
    """Add the coach's and operator's commands to the `askel` parser."""
    coach = add("coach", cmd_coach, "add or list coaches, or change one's settings")
    coach.add_argument("action", choices=["add", "list", "set"])
    coach.add_argument("coach_id", nargs="?", type=int, help="the coach's number (set)")
    coach.add_argument("--name")
    coach.add_argument("--email")
    coach.add_argument("--telegram-chat", help="the coach's own Telegram chat id, for alerts")
    coach.add_argument("--alert-channel", choices=["email", "telegram"], help="default: email")
    coach.add_argument("--digest-day", type=int, choices=range(1, 8), help="1 = Monday")
    coach.add_argument("--digest-time", help="local time of the weekly digest, e.g. 08:00")

    client = add("client", cmd_client, "add, list, show, move or change clients; invites")
    client.add_argument(
        "action", choices=["add", "list", "invite", "show", "move", "set", "rhythm"]
    )
    client.add_argument("client", nargs="?", type=int, help="the client's number")
    client.add_argument("--coach", type=int, help="the coach's number")
    client.add_argument("--name", help="the client's name as the coach wants to see it")
    client.add_argument("--phase", choices=[p.value for p in NivelPhase], help="Nivel phase")
    client.add_argument(
        "--referral", choices=[r.value for r in ReferralSource], help="who referred the client"
    )

    telegram = add("telegram", cmd_telegram, "set or delete the Telegram webhook, or show it")
    telegram.add_argument("action", choices=["set-webhook", "delete-webhook", "info"])

    add("outbox", cmd_outbox, "show the outbox: messages by state and the latest dead letters")
