"""`askel`: run the stack or one of its processes, chat, migrate, train, and parse times."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence

from backend.cli.admin import register_admin_commands
from backend.cli.appointments import register_appointment_commands
from backend.cli.coach import register_coach_commands
from backend.cli.goals import register_goal_commands
from backend.cli.rhythm import add_rhythm_options
from backend.settings import Settings

log = logging.getLogger("askel")


def _configure_logging(settings: Settings) -> None:
    # Log lines carry ids and kinds, never a client's words or numbers (see README, Privacy).
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request's URL at INFO, and a Telegram URL holds the bot's token; twilio
    # logs each request's form, which holds the phone number and the text.
    for noisy in ("httpx", "httpcore", "twilio", "telegram"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from backend import migrate

    if args.action == "upgrade":
        migrate.upgrade(settings.database_url, args.revision or "head")
    elif args.action == "downgrade":
        migrate.downgrade(settings.database_url, args.revision or "base")
    elif args.action == "revision":
        migrate.make_revision(settings.database_url, args.message or "change")
    return 0


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from backend.stack.model import ensure_model

    model = ensure_model(settings, force=args.force)
    print(f"Model: {model}")
    return 0


def cmd_gateway(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from backend.context import build_context
    from backend.gateway.app import create_app

    context = build_context(settings)
    uvicorn.run(create_app(context), host=settings.host, port=settings.port, access_log=False)
    context.close()
    return 0


def cmd_actions(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from backend.actionserver.app import create_app
    from backend.context import build_context

    if not settings.actions_token.get_secret_value():
        print("ASKEL_ACTIONS_TOKEN is required for the action server.", file=sys.stderr)
        return 2
    context = build_context(settings)
    # Loopback only, whatever ASKEL_HOST says: only the Rasa server calls this.
    uvicorn.run(create_app(context), host="127.0.0.1", port=settings.actions_port, access_log=False)
    context.close()
    return 0


def cmd_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from backend.context import build_context
    from backend.db import transaction
    from backend.digest.sending import DigestPolicy, plan_all_digests
    from backend.gateway.rasa_client import RasaClient
    from backend.scheduler.handlers import default_handlers, default_hooks
    from backend.scheduler.worker import SchedulerWorker

    context = build_context(settings)
    # Every coach has their next weekly digest planned (a new coach, a changed time).
    with transaction(context.sessions) as session:
        plan_all_digests(session, context.clock.now(), DigestPolicy.from_settings(settings).zone)

    async def main() -> None:
        rasa = RasaClient(
            settings.rasa_url, settings.rasa_token.get_secret_value(), settings.rasa_timeout_seconds
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            worker = SchedulerWorker(
                context, default_handlers(rasa, context), default_hooks(context)
            )
            await worker.run_forever(stop)
        finally:
            await rasa.aclose()

    asyncio.run(main())
    context.close()
    return 0


def cmd_dispatcher(settings: Settings, args: argparse.Namespace) -> int:
    from backend.context import build_context
    from backend.dispatcher.senders import chat_intervals, configured_senders
    from backend.dispatcher.worker import Dispatcher

    if not (settings.telegram_enabled or settings.sms_enabled or settings.email_enabled):
        print(
            "No channel to send on: set ASKEL_TELEGRAM_TOKEN, ASKEL_TWILIO_* or ASKEL_SMTP_HOST.",
            file=sys.stderr,
        )
        return 2
    context = build_context(settings)

    async def main() -> None:
        senders = configured_senders(settings)  # inside the loop: the Twilio client needs one
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        dispatcher = Dispatcher(context, senders, chat_intervals(settings))
        try:
            await dispatcher.run(stop)
        finally:
            await dispatcher.aclose()

    asyncio.run(main())
    context.close()
    return 0


def _prepare(settings: Settings) -> None:
    """Migrate the database and make sure the model is current."""
    from backend import migrate
    from backend.stack.model import ensure_model

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url)
    ensure_model(settings)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve(settings: Settings, args: argparse.Namespace, chat: bool) -> int:
    from backend.stack.processes import stack_processes, stack_tokens
    from backend.stack.supervisor import StackFailed, Supervisor

    started = time.monotonic()
    _prepare(settings)
    tokens = stack_tokens(settings)
    os.environ.update(tokens)  # the terminal chat's own settings must match the stack's
    specs = stack_processes(settings, tokens)
    print(
        "==> Starting Rasa, the action server, the gateway and the scheduler (about 20 s)...",
        flush=True,
    )
    supervisor = Supervisor(specs, settings.var_dir / "log", to_console=not chat)
    # SIGTERM (from a test, systemd or a container runtime) stops the stack as Ctrl-C does. A
    # shell starts a background job with Ctrl-C ignored, and the stack would inherit that; the
    # person at the terminal chat still means Ctrl-C to stop it.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with supervisor:
            supervisor.wait_ready(f"{settings.gateway_url}/healthz", timeout=args.ready_timeout)
            print(
                f"==> Askel is ready at {settings.gateway_url} "
                f"({time.monotonic() - started:.0f} s). Logs: {settings.var_dir / 'log'}",
                flush=True,
            )
            if chat:
                _chat(settings, args.sender)
            else:
                supervisor.wait()
    except StackFailed as error:
        print(f"Askel stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    print("==> Askel stopped.", flush=True)
    return 0


def _chat(settings: Settings, sender: str | None) -> None:
    from backend.chat import TerminalChat, terminal_reader
    from backend.context import text_constants
    from backend.texts.catalogs import Catalogs
    from backend.texts.responses import Renderer

    renderer = Renderer(Catalogs(settings.locales_dir), text_constants(settings))
    sender_id = sender or f"terminal-{getpass.getuser()}"
    TerminalChat(settings.gateway_url, sender_id, renderer, read=terminal_reader()).run()


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    return _serve(settings, args, chat=False)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    return _serve(settings, args, chat=True)


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    _chat(settings, args.sender)
    return 0


def cmd_parse_time(settings: Settings, args: argparse.Namespace) -> int:
    """Finnish phrases from standard input, one a line, to JSON lines (the contract's format)."""
    import datetime as dt
    import json
    from zoneinfo import ZoneInfo

    from backend.timeparse import parse_time

    zone = ZoneInfo(args.tz or settings.timezone)
    now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now(zone)
    for line in sys.stdin:
        text = line.rstrip("\n")
        parsed = parse_time(text, now, tz=zone, prefer=args.prefer)
        value = parsed.to_value() if parsed else None
        print(json.dumps({"text": text, "value": value}, ensure_ascii=False), flush=True)
    return 0


Command = Callable[[Settings, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The command line of `askel`."""
    parser = argparse.ArgumentParser(prog="askel", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        return command

    for name, func, text in (
        ("run", cmd_run, "migrate, train if needed, start the stack and chat in the terminal"),
        ("serve", cmd_serve, "migrate, train if needed and run the whole stack"),
    ):
        command = add(name, func, text)
        command.add_argument("--ready-timeout", type=float, default=180.0)
        command.add_argument("--sender", help="the local sender id of the terminal chat")
    add("chat", cmd_chat, "chat with a running stack through its local channel").add_argument(
        "--sender", help="the local sender id (default: terminal-<user>)"
    )
    add("gateway", cmd_gateway, "run the gateway (channels and health check) alone")
    add("actions", cmd_actions, "run the action server (custom actions and NLG) alone")
    add("scheduler", cmd_scheduler, "run the scheduler worker alone")
    add("dispatcher", cmd_dispatcher, "run the outbox sender (Telegram, SMS) alone")
    register_admin_commands(add)
    register_goal_commands(add)
    register_appointment_commands(add)
    register_coach_commands(add)
    add_rhythm_options(sub.choices["client"])
    train = add("train", cmd_train, "train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if nothing changed")
    parse = add("parse-time", cmd_parse_time, "read Finnish time phrases from stdin, print JSON")
    parse.add_argument("--now", help="the reference time, e.g. 2026-11-23T09:00 (default: now)")
    parse.add_argument("--tz", help="time zone of --now and of the values (default: setting)")
    parse.add_argument("--prefer", choices=["future", "past"], default="future")
    db = add("db", cmd_db, "migrate the database")
    db.add_argument("action", choices=["upgrade", "downgrade", "revision"])
    db.add_argument("revision", nargs="?", help="target revision (default: head / base)")
    db.add_argument("-m", "--message", help="message of a new revision")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `askel` command."""
    args = build_parser().parse_args(argv)
    settings = Settings()
    _configure_logging(settings)
    result: int = args.func(settings, args)
    return result


if __name__ == "__main__":
    sys.exit(main())
