"""Maija's digest goes out on Monday at 08:00, once, by email through a real SMTP server.

The SMTP server is aiosmtpd on loopback, started by the test; what it receives is parsed back
with the standard library's email package, as a mail program would read it.
"""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from backend.channels.email_send import EmailSender
from backend.clock import FakeClock
from backend.context import AppContext, build_context
from backend.db import transaction
from backend.digest.sending import DIGEST, next_digest_time, plan_all_digests
from backend.dispatcher.worker import Dispatcher
from backend.models import (
    AlertKind,
    ChannelKind,
    Client,
    Coach,
    JobState,
    OutboxMessage,
    OutboxState,
    ScheduledJob,
)
from backend.scheduler.handlers import default_hooks, nothing_to_say
from backend.scheduler.worker import SchedulerWorker
from backend.services.alerts import raise_alert
from backend.settings import Settings
from tests.conftest import changed
from tests.unit.test_digest import HELSINKI, at, make_week


class Inbox:
    """An SMTP server's handler that keeps what it receives; some addresses it refuses."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def mail_context(
    settings: Settings, context: AppContext, clock: FakeClock, smtp: tuple[Inbox, int]
) -> Iterator[AppContext]:
    """The test's context with email going to the loopback SMTP server."""
    mail_settings = changed(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=smtp[1],
        smtp_starttls=False,
        smtp_from="askel@palvelu.example.fi",
    )
    built = build_context(mail_settings, clock)
    yield built
    built.close()


def _dispatcher(context: AppContext, clock: FakeClock) -> Dispatcher:
    return Dispatcher(context, {ChannelKind.EMAIL: EmailSender(context.settings, clock)})


def _scheduler(context: AppContext) -> SchedulerWorker:
    return SchedulerWorker(context, {DIGEST: nothing_to_say}, default_hooks(context))


def test_the_digest_is_due_on_the_coachs_day_and_hour_across_the_clock_change() -> None:
    maija = Coach(name="Maija", digest_weekday=1, digest_time=dt.time(8, 0))
    assert next_digest_time(maija, at("2026-11-22 12:00"), HELSINKI) == at("2026-11-23 08:00")
    # At 08:00 sharp the digest of that Monday is already due: the next one is a week later.
    assert next_digest_time(maija, at("2026-11-23 08:00"), HELSINKI) == at("2026-11-30 08:00")
    # The clocks go back on Sunday 25 October: Monday 26th is still 08:00 in Helsinki.
    autumn = next_digest_time(maija, at("2026-10-21 09:00"), HELSINKI)
    assert autumn == at("2026-10-26 08:00") and autumn.utcoffset() == dt.timedelta(0)
    assert autumn.astimezone(HELSINKI).hour == 8
    friday = Coach(name="Jussi", digest_weekday=5, digest_time=dt.time(14, 30))
    assert next_digest_time(friday, at("2026-11-23 08:00"), HELSINKI) == at("2026-11-27 14:30")


async def test_maijas_digest_arrives_on_monday_as_html_with_a_plain_text_part_once(
    mail_context: AppContext, clock: FakeClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    clock.set(at("2026-11-22 18:00"))
    with transaction(mail_context.sessions) as session:
        make_week(session)
        assert plan_all_digests(session, clock.now(), HELSINKI) == 1
    scheduler, dispatcher = _scheduler(mail_context), _dispatcher(mail_context, clock)

    clock.set(at("2026-11-23 07:59"))
    assert await scheduler.run_once() == 0
    clock.set(at("2026-11-23 08:00"))
    assert await scheduler.run_once() == 1
    assert await dispatcher.run_once() == 1

    [message] = inbox.received
    assert message["Subject"] == "Askel: viikkokooste ma 16.11. - su 22.11."
    assert message["To"] == "maija@example.fi"
    assert inbox.envelopes == [("askel@palvelu.example.fi", ["maija@example.fi"])]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    plain = text.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert plain.splitlines()[4] == "- Eero Laine: kriisihälytys ke 18.11."
    assert "== Liisa Koski ==\nei suostumusta tietojen jakamiseen" in plain
    markup = html.get_content()
    assert markup.count("<svg") == 3 and "Eero Laine: kriisihälytys ke 18.11." in markup

    with transaction(mail_context.sessions) as session:
        jobs = session.scalars(select(ScheduledJob).order_by(ScheduledJob.id)).all()
        assert [(j.state, j.due_at) for j in jobs] == [
            (JobState.DONE, at("2026-11-23 08:00")),
            (JobState.DUE, at("2026-11-30 08:00")),
        ]
        # The scheduler dies after writing the digest; the job is fired again after its lease.
        jobs[0].state, jobs[0].lease_until = JobState.CLAIMED, at("2026-11-23 08:01")
    clock.set(at("2026-11-23 08:05"))
    assert await scheduler.run_once() == 1
    assert await dispatcher.run_once() == 0
    assert len(inbox.received) == 1
    with transaction(mail_context.sessions) as session:
        assert session.scalar(select(ScheduledJob.id).where(ScheduledJob.id > jobs[1].id)) is None


async def test_an_urgent_alert_by_email_names_the_client_and_the_kind_only(
    mail_context: AppContext, clock: FakeClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    with transaction(mail_context.sessions) as session:
        make_week(session)
        aino = session.scalars(select(Client).where(Client.display_name == "Aino Virtanen")).one()
        for _ in range(2):  # she asks twice the same day: one alert
            key = "contact:aino:2026-11-23"
            raise_alert(
                session, aino, AlertKind.CONTACT_REQUEST, key, clock.now(), mail_context.renderer
            )
    dispatcher = _dispatcher(mail_context, clock)
    assert await dispatcher.run_once() == 1
    [message] = inbox.received
    assert message["Subject"] == "Askel: Aino Virtanen haluaa puhua kanssasi."
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().strip() == "Askel: Aino Virtanen haluaa puhua kanssasi."


async def test_an_address_the_server_refuses_is_not_tried_again(
    mail_context: AppContext, clock: FakeClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    with transaction(mail_context.sessions) as session:
        make_week(session)
        maija = session.scalars(select(Coach)).one()
        maija.email = "gone@example.fi"
        aino = session.scalars(select(Client).where(Client.display_name == "Aino Virtanen")).one()
        raise_alert(session, aino, AlertKind.CRISIS, "crisis:1", clock.now(), mail_context.renderer)
    assert await _dispatcher(mail_context, clock).run_once() == 1
    assert inbox.received == []
    with transaction(mail_context.sessions) as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert (row.state, row.attempts) == (OutboxState.DEAD, 1)
        assert row.last_error == "smtp: recipient refused [550]"


async def test_with_the_smtp_server_down_the_digest_waits_in_the_outbox(
    settings: Settings, context: AppContext, clock: FakeClock
) -> None:
    down = changed(settings, smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_starttls=False)
    with transaction(context.sessions) as session:
        make_week(session)
        maija = session.scalars(select(Coach)).one()
        aino = session.scalars(select(Client).where(Client.display_name == "Aino Virtanen")).one()
        raise_alert(session, aino, AlertKind.CRISIS, "crisis:1", clock.now(), context.renderer)
        assert maija.email
    dispatcher = Dispatcher(context, {ChannelKind.EMAIL: EmailSender(down, clock)})
    assert await dispatcher.run_once() == 1
    with transaction(context.sessions) as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert row.state is OutboxState.PENDING and row.last_error == "smtp: ConnectionRefusedError"
