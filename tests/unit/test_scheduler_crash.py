"""The scheduler as its own process: killed with SIGKILL in the middle of the 08:00 check-ins
and started again, it loses none and doubles none; two schedulers on PostgreSQL share them.

Each client's check-in is two outbox messages (greeting and first question) with the dedupe
keys "job:<id>:0" and ":1", so a check-in fired again after a crash adds nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from backend import migrate
from backend.clock import FileClock
from backend.context import build_context
from backend.db import transaction
from backend.models import (
    ChannelIdentity,
    ChannelKind,
    CheckinKind,
    Client,
    ClientStatus,
    Consent,
    JobState,
    OutboxMessage,
    ScheduledJob,
)
from backend.services.onboarding import set_checkin_time
from backend.settings import Settings
from tests.conftest import changed
from tests.processes import stop_gently

ROOT = Path(__file__).resolve().parents[2]
HELSINKI = ZoneInfo("Europe/Helsinki")
# Enough that a scheduler firing sets of 20 in one transaction is still busy at the kills.
CLIENTS = 1000


def _clients(settings: Settings, clock_file: Path) -> None:
    clock_file.write_text(dt.datetime(2026, 3, 10, 6, 0, tzinfo=HELSINKI).isoformat())
    context = build_context(settings, FileClock(str(clock_file)))
    try:
        now = context.clock.now()
        with transaction(context.sessions) as session:
            for n in range(CLIENTS):
                client = Client(
                    display_name=f"Asiakas {n}",
                    consent=Consent.GIVEN,
                    consent_at=now,
                    consent_asked_at=now,
                    status=ClientStatus.ACTIVE,
                    created_at=now,
                )
                client.identities.append(
                    ChannelIdentity(channel=ChannelKind.TELEGRAM, address=str(n), created_at=now)
                )
                session.add(client)
                session.flush()
                set_checkin_time(session, client, CheckinKind.MORNING, dt.time(8, 0), now)
    finally:
        context.close()
    # The scheduler wakes at 08:01: every check-in is due at once.
    clock_file.write_text(dt.datetime(2026, 3, 10, 8, 1, tzinfo=HELSINKI).isoformat())


def _scheduler(settings: Settings, clock_file: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ASKEL_VAR_DIR": str(settings.var_dir),
        "ASKEL_DATABASE_URL": settings.database_url,
        "ASKEL_CLOCK": f"file:{clock_file}",
        "ASKEL_RASA_TOKEN": "not-needed-for-check-ins",
        "ASKEL_SCHEDULER_LEASE_SECONDS": "2",
        "ASKEL_SCHEDULER_BATCH_SIZE": "20",
        "ASKEL_SCHEDULER_POLL_SECONDS": "0.1",
        "ASKEL_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "scheduler"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


OPENED = select(func.count(func.distinct(OutboxMessage.client_id)))


def _opened(settings: Settings) -> int:
    context = build_context(settings)
    try:
        with transaction(context.sessions) as session:
            return session.scalar(OPENED) or 0
    finally:
        context.close()


def _wait(settings: Settings, at_least: int, timeout: float) -> int:
    # A plain read on the driver's own connection: the application's transactions begin with
    # BEGIN IMMEDIATE on SQLite, and a poll queued behind a busy scheduler for the write lock
    # would see the whole morning fired before it read the first count.
    context = build_context(settings)
    connection = context.engine.raw_connection()
    query = str(OPENED.compile(context.engine))
    try:
        deadline = time.monotonic() + timeout
        while True:
            cursor = connection.cursor()
            cursor.execute(query)
            opened = int(cursor.fetchone()[0])
            cursor.close()
            connection.rollback()
            if opened >= at_least or time.monotonic() >= deadline:
                return opened
            time.sleep(0.01)
    finally:
        connection.close()
        context.close()


def _every_check_in_once(settings: Settings) -> None:
    context = build_context(settings)
    try:
        with transaction(context.sessions) as session:
            per_client = dict(
                session.execute(
                    select(OutboxMessage.client_id, func.count()).group_by(OutboxMessage.client_id)
                ).all()
            )
            states = session.scalars(
                select(ScheduledJob.state).where(ScheduledJob.kind == "checkin")
            ).all()
    finally:
        context.close()
    assert len(per_client) == CLIENTS  # nobody missed their morning
    assert set(per_client.values()) == {2}  # greeting and question, never twice
    # Today's check-ins are done; each planned tomorrow's.
    assert sorted(states).count(JobState.DONE) == CLIENTS
    assert sorted(states).count(JobState.DUE) == CLIENTS


def test_a_scheduler_killed_mid_batch_loses_and_doubles_no_check_in(
    settings: Settings, tmp_path: Path
) -> None:
    migrate.upgrade(settings.database_url)
    clock_file = tmp_path / "clock.txt"
    _clients(settings, clock_file)
    opened_at_kills = []
    for kill_after in (40, 150):
        process = _scheduler(settings, clock_file)
        _wait(settings, kill_after, timeout=60)
        process.kill()  # SIGKILL: claims and leases are left behind
        process.wait()
        opened_at_kills.append(_opened(settings))
    # On a busy machine the second scheduler may finish before its kill; the first never does.
    assert opened_at_kills[0] < CLIENTS, "the first kill came too late to test anything"
    # The dead worker's leases (2 s) run out: the stack's time is the clock file's.
    clock_file.write_text(dt.datetime(2026, 3, 10, 8, 2, tzinfo=HELSINKI).isoformat())
    process = _scheduler(settings, clock_file)
    try:
        assert _wait(settings, CLIENTS, timeout=90) == CLIENTS
        time.sleep(0.5)
    finally:
        stop_gently(process)
    _every_check_in_once(settings)


@pytest.mark.postgres
def test_two_schedulers_on_postgresql_share_the_morning(
    settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    migrate.upgrade(postgres_url)
    pg = changed(settings, database_url=postgres_url)
    clock_file = tmp_path / "clock.txt"
    _clients(pg, clock_file)
    workers = [_scheduler(pg, clock_file) for _ in range(2)]
    try:
        assert _wait(pg, CLIENTS, timeout=90) == CLIENTS
        time.sleep(0.5)
    finally:
        for worker in workers:
            stop_gently(worker)
    _every_check_in_once(pg)
