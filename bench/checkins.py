"""Check-ins due at the same minute: how fast the scheduler puts them all in the outbox.

10,000 consented, active clients (Telegram chats, each with a name) have a morning check-in at
08:00, kept and planned by the onboarding service itself (`set_checkin_time`, which plans the job
through `replan_checkins`), so that every client has exactly one "checkin" job due at 08:00 on
the same day. The real scheduler (`askel scheduler`, a subprocess; batch size, poll interval and
lease at their defaults) then starts with its file clock at 08:01, and the benchmark polls the
database until every client's greeting ("job:<id>:0") is in the outbox. A job's greeting, its
first question, its finish and its follow-ups (the open check-in, the nudge, tomorrow's check-in)
are written in one transaction (with the rest of its claimed batch, fired as a set), so a
greeting in the outbox is a check-in done. Figures:
check-ins a second from the scheduler's start (its start-up included) and from the first
check-in to the last, the scheduler's CPU seconds, and doubles: a client with more than two
outbox rows (greeting and question), a dedupe key twice.

Runs: one scheduler on SQLite (repeated; the median), two at once on SQLite (the compare-and-set
claim must double nothing), then one and two on PostgreSQL (databases of the benchmark's own on
ASKEL_TEST_POSTGRES_URL's server, dropped afterwards; skipped when there is none).

The baseline does what Rasa's own reminders would: the Rasa server with the trained model and
its HTTP API on (loopback, a token) and Askel's action server (custom actions and the NLG
endpoint), configured as the stack configures them; `POST /conversations/<id>/trigger_intent`
with "greet", one by one, for 1,000 of the same clients. Rasa runs a reminder through the same
path (the conversation's lock, the tracker, `trigger_external_user_uttered`). The "greet" rule
runs action_greet, which reads the client and greets them by name and time of day through the
NLG endpoint: one reply to our two, and it is returned in the answer rather than written to any
outbox, so the baseline is if anything a little fast.

Target: at least 150 check-ins a second (five times Telegram's overall send rate, so that the
scheduler is never what keeps a client waiting), no doubles. `run(clients=...)` tries fewer.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from backend import migrate
from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import (
    ChannelIdentity,
    ChannelKind,
    CheckinKind,
    Client,
    ClientStatus,
    Consent,
    JobState,
    ScheduledJob,
)
from backend.services.checkins import CHECKIN
from backend.services.onboarding import set_checkin_time
from backend.settings import Settings
from backend.stack.model import ensure_model, rasa_environment, rasa_executable
from backend.stack.rasa_config import write_rasa_config
from bench.common import summary, write_result
from tests.e2e.stack import ASKEL, ROOT, free_port
from tests.processes import stop_gently

TARGET_PER_SECOND = 150.0
ZONE = ZoneInfo("Europe/Helsinki")
# An ordinary Tuesday: no holiday, no daylight-saving change.
DAY = dt.date(2026, 3, 10)
MORNING = dt.time(8, 0)
# The clients are set up an hour before their check-in, and the scheduler starts a minute after
# it: well inside the late window (120 minutes), so that every check-in is to go out at once.
SETUP_AT = dt.datetime.combine(DAY, dt.time(7, 0), ZONE).astimezone(dt.timezone.utc)
DUE_AT = dt.datetime.combine(DAY, MORNING, ZONE).astimezone(dt.timezone.utc)
FIRE_AT = dt.datetime.combine(DAY, dt.time(8, 1), ZONE).astimezone(dt.timezone.utc)
# Each client's Telegram chat id: well clear of anything a test might use.
FIRST_CHAT = 800_000
SETUP_BATCH = 500
POLL_SECONDS = 0.1
BASELINE_WARMUP = 20


@dataclass(frozen=True)
class Database:
    """A database to run on: its URL, and a read-only URL for the benchmark's own polling."""

    url: str
    reader_url: str


@dataclass(frozen=True)
class Outcome:
    """What one run of the scheduler(s) did, timed from their start."""

    wall_seconds: float
    first_seconds: float
    first_count: int
    cpu_seconds: list[float]
    checks: dict[str, int]


def _sqlite(path: Path) -> Database:
    # A read-only connection under WAL takes no write lock (the app's engine opens every
    # transaction with BEGIN IMMEDIATE), so polling does not compete with the scheduler.
    return Database(f"sqlite:///{path}", f"sqlite:///file:{path}?mode=ro&uri=true")


def _reader(database: Database) -> Engine:
    """An engine for polling: autocommit, so that every query sees the latest commits."""
    return create_engine(database.reader_url, isolation_level="AUTOCOMMIT")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a living process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def _write_clock(path: Path, when: dt.datetime) -> None:
    """The file clock's format (backend/clock.py FileClock): one ISO-8601 time."""
    path.write_text(when.isoformat(), encoding="utf-8")


def _populate(url: str, clients: int) -> None:
    """Migrate and add `clients` clients, each with exactly one morning check-in due at 08:00.

    Through the services (as onboarding keeps a time and plans it), in transactions of
    SETUP_BATCH clients: this is set-up, not measured, but it should plan as the app plans.
    """
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now = SETUP_AT
    try:
        for first in range(0, clients, SETUP_BATCH):
            with transaction(sessions) as session:
                for number in range(first, min(clients, first + SETUP_BATCH)):
                    client = Client(
                        display_name=f"Asiakas {number}",
                        status=ClientStatus.ACTIVE,
                        consent=Consent.GIVEN,
                        consent_at=now,
                        consent_asked_at=now,
                        created_at=now,
                        last_seen_at=now,
                    )
                    client.identities.append(
                        ChannelIdentity(
                            channel=ChannelKind.TELEGRAM,
                            address=str(FIRST_CHAT + number),
                            created_at=now,
                        )
                    )
                    session.add(client)
                    session.flush()
                    set_checkin_time(session, client, CheckinKind.MORNING, MORNING, now)
        with transaction(sessions) as session:
            count, distinct, first_due, last_due = session.execute(
                select(
                    func.count(),
                    func.count(ScheduledJob.client_id.distinct()),
                    func.min(ScheduledJob.due_at),
                    func.max(ScheduledJob.due_at),
                ).where(ScheduledJob.kind == CHECKIN, ScheduledJob.state == JobState.DUE)
            ).one()
    finally:
        engine.dispose()
    if not (count == distinct == clients and first_due == last_due == DUE_AT):
        raise RuntimeError(
            f"set-up planned {count} check-ins for {distinct} clients, due {first_due} to "
            f"{last_due}; wanted {clients} for {clients}, all due {DUE_AT}"
        )


def _scheduler(var: Path, database: Database, clock: Path) -> subprocess.Popen[bytes]:
    """`askel scheduler` on `database`, its clock read from the file `clock`."""
    env = {
        **os.environ,
        "ASKEL_VAR_DIR": str(var),
        "ASKEL_DATABASE_URL": database.url,
        "ASKEL_CLOCK": f"file:{clock}",
        # Check-ins need no Rasa; a port nobody listens on makes any call to it fail loudly
        # instead of reaching some other stack's Rasa.
        "ASKEL_RASA_TOKEN": "unused",
        "ASKEL_RASA_PORT": str(free_port()),
        "ASKEL_LOG_LEVEL": "WARNING",
    }
    # The figures are for the scheduler as shipped: batch size, poll interval, lease and the
    # check-in rules at their defaults, whatever the calling shell has set.
    for name in list(env):
        if name.startswith(("ASKEL_SCHEDULER_", "ASKEL_CHECKIN_")):
            del env[name]
    log = (var / "scheduler.log").open("ab")
    process = subprocess.Popen(
        [str(ASKEL), "scheduler"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    return process


# A check-in's greeting: reply 0 of job <id> ("job:<id>:0"; a bind parameter, since text()
# would read ":0" as one).
_OPENED = text("SELECT count(DISTINCT client_id) FROM outbox WHERE dedupe_key LIKE :greeting")
_GREETING = {"greeting": "job:%:0"}
_ROWS = text("SELECT count(*) FROM outbox")


def _checks(reader: Engine, clients: int) -> dict[str, int]:
    """What the outbox and the jobs hold after a run: losses, doubles and follow-ups."""
    with reader.connect() as connection:

        def scalar(sql: str) -> int:
            return int(connection.execute(text(sql)).scalar_one())

        states = {
            str(state).lower(): int(count)
            for state, count in connection.execute(
                text("SELECT state, count(*) FROM scheduled_jobs GROUP BY state")
            )
        }
        return {
            "clients_opened": int(connection.execute(_OPENED, _GREETING).scalar_one()),
            "outbox_rows": scalar("SELECT count(*) FROM outbox"),
            # Exactly a greeting and a question each: a third row would be a second check-in.
            "clients_doubled": scalar(
                "SELECT count(*) FROM (SELECT client_id FROM outbox GROUP BY client_id "
                "HAVING count(*) > 2) AS doubled"
            ),
            "clients_short": clients
            - scalar(
                "SELECT count(*) FROM (SELECT client_id FROM outbox GROUP BY client_id "
                "HAVING count(*) = 2) AS whole"
            ),
            # The unique index forbids these; counted so that a broken index would show.
            "duplicate_dedupe_keys": scalar(
                "SELECT count(*) FROM (SELECT dedupe_key FROM outbox WHERE dedupe_key IS NOT "
                "NULL GROUP BY dedupe_key HAVING count(*) > 1) AS twice"
            ),
            "checkins_done": scalar(
                f"SELECT count(*) FROM scheduled_jobs WHERE kind = '{CHECKIN}' "
                "AND finished_at IS NOT NULL AND attempts > 0"
            ),
            # A job claimed more than once: its lease ran out, or two claims raced.
            "checkins_claimed_twice": scalar(
                f"SELECT count(*) FROM scheduled_jobs WHERE kind = '{CHECKIN}' AND attempts > 1"
            ),
            "nudges_planned": scalar(
                "SELECT count(*) FROM scheduled_jobs WHERE kind = 'checkin_nudge'"
            ),
            "jobs_still_claimed": states.get("claimed", 0),
            "jobs_failed": states.get("failed", 0),
            "jobs_skipped": states.get("skipped", 0),
        }


def _fire(var: Path, database: Database, clients: int, workers: int) -> Outcome:
    """Start `workers` schedulers at 08:01 and wait until every client's check-in is out."""
    var.mkdir(parents=True, exist_ok=True)
    clock = var / "clock.txt"
    _write_clock(clock, FIRE_AT)
    reader = _reader(database)
    # Far beyond any plausible run: a stuck scheduler, not a slow one.
    deadline = time.monotonic() + clients / 10 + 120
    first_seconds, first_count = 0.0, 0
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with reader.connect() as connection:
            started = time.monotonic()
            processes = [_scheduler(var, database, clock) for _ in range(workers)]
            while True:
                # Counting rows is cheap; the exact count (a scan with LIKE) only when the rows
                # say the first check-ins are out, or that all may be.
                rows = int(connection.execute(_ROWS).scalar_one())
                elapsed = time.monotonic() - started
                opened = 0
                if (rows and not first_count) or rows >= 2 * clients:
                    opened = int(connection.execute(_OPENED, _GREETING).scalar_one())
                if opened and not first_count:
                    first_seconds, first_count = elapsed, opened
                if opened >= clients:
                    break
                for process in processes:
                    if process.poll() is not None:
                        raise RuntimeError(f"a scheduler exited with {process.returncode}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{rows} of {2 * clients} messages after {elapsed:.0f} s")
                time.sleep(POLL_SECONDS)
            cpu = [_cpu_seconds(process.pid) for process in processes]
    finally:
        for process in processes:
            stop_gently(process)
    checks = _checks(reader, clients)
    reader.dispose()
    return Outcome(elapsed, first_seconds, first_count, cpu, checks)


def _figures(outcome: Outcome, clients: int) -> dict[str, Any]:
    """One run's figures."""
    span = outcome.wall_seconds - outcome.first_seconds
    checks = outcome.checks
    return {
        "seconds_from_start": round(outcome.wall_seconds, 2),
        "checkins_per_second": round(clients / outcome.wall_seconds, 1),
        "seconds_to_first": round(outcome.first_seconds, 2),
        "checkins_per_second_first_to_last": (
            round((clients - outcome.first_count) / span, 1) if span > 0 else None
        ),
        "scheduler_cpu_seconds": [round(cpu, 1) for cpu in outcome.cpu_seconds],
        "doubles": checks["clients_doubled"] + checks["duplicate_dedupe_keys"],
        "checks": checks,
    }


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time (the middle one of an odd count), with every run's times."""
    ordered = sorted(runs, key=lambda figures: figures["seconds_from_start"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median["runs_seconds_from_start"] = [figures["seconds_from_start"] for figures in runs]
    median["runs_checkins_per_second"] = [figures["checkins_per_second"] for figures in runs]
    median["doubles"] = sum(figures["doubles"] for figures in runs)
    return median


def _print_run(label: str, figures: dict[str, Any], clients: int) -> None:
    cpu = " + ".join(f"{value:.1f}" for value in figures["scheduler_cpu_seconds"])
    print(
        f"check-ins, {label}: {clients} in the outbox {figures['seconds_from_start']:.1f} s "
        f"after start ({figures['checkins_per_second']:.0f}/s; "
        f"{figures['checkins_per_second_first_to_last']:.0f}/s from the first to the last); "
        f"scheduler CPU {cpu} s; doubles {figures['doubles']}",
        flush=True,
    )


def _sqlite_path(database: Database) -> Path:
    return Path(make_url(database.url).database or "")


def _copy_sqlite(pristine: Path, target: Path) -> Database:
    """A fresh copy of the set-up database for one run."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pristine, target)
    return _sqlite(target)


def _on_sqlite_copy(pristine: Path, folder: Path, clients: int, workers: int) -> dict[str, Any]:
    """One run of `workers` schedulers on a fresh copy of the set-up database."""
    database = _copy_sqlite(pristine, folder / "askel.db")
    return _figures(_fire(folder, database, clients, workers), clients)


def _pristine_sqlite(folder: Path, clients: int) -> Path:
    """The set-up SQLite database, checkpointed into one file so that a copy is whole."""
    path = folder / "pristine" / "askel.db"
    _populate(f"sqlite:///{path}", clients)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@contextmanager
def _postgres_databases(admin_url: str) -> Iterator[tuple[Engine, list[str]]]:
    """An admin engine and a list to put created database names in; all dropped at the end."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names: list[str] = []
    try:
        yield admin, names
    finally:
        with admin.connect() as connection:
            for name in reversed(names):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postgres_runs(clients: int, workers: list[int], folder: Path) -> dict[str, Any]:
    """One run for each count in `workers`, on PostgreSQL databases of the benchmark's own
    (ASKEL_TEST_POSTGRES_URL's server), each a copy of one set-up database."""
    admin_url = Settings(_env_file=None).test_postgres_url
    figures: dict[str, Any] = {}
    with _postgres_databases(admin_url) as (admin, names):
        prefix = f"askel_bench_checkins_{uuid.uuid4().hex[:8]}"
        pristine = f"{prefix}_setup"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{pristine}"'))
        names.append(pristine)
        pristine_url = make_url(admin_url).set(database=pristine)
        started = time.monotonic()
        _populate(pristine_url.render_as_string(hide_password=False), clients)
        figures["setup_seconds"] = round(time.monotonic() - started, 1)
        for count in workers:
            # CREATE DATABASE ... TEMPLATE copies the set-up data in a moment; the template
            # must have no open session, which _populate's disposed engine ensures.
            name = f"{prefix}_{count}w"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pristine}"'))
            names.append(name)
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            outcome = _fire(folder / name, Database(url, url), clients, count)
            figures[_workers_key(count)] = _figures(outcome, clients)
            _print_run(
                f"PostgreSQL, {_workers_label(count)}", figures[_workers_key(count)], clients
            )
    return figures


def _workers_key(count: int) -> str:
    return "one_scheduler" if count == 1 else f"{count}_schedulers"


def _workers_label(count: int) -> str:
    return "1 scheduler" if count == 1 else f"{count} schedulers at once"


def _code_version() -> dict[str, Any]:
    """The commit measured, and whether the scheduler's code differs from it (work in progress
    is measured as it stands in the working tree)."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "backend_changed_since_commit": bool(git("status", "--porcelain", "--", "backend")),
    }


def _postgres_reachable() -> str | None:
    """Why PostgreSQL cannot be used (None: it can)."""
    admin_url = Settings(_env_file=None).test_postgres_url
    admin = create_engine(admin_url)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        return f"no PostgreSQL at {make_url(admin_url).render_as_string()}: {type(error).__name__}"
    finally:
        admin.dispose()
    return None


def _wait_for(url: str, params: dict[str, str], processes: list[subprocess.Popen[bytes]]) -> None:
    """Wait until `url` answers 200 (Rasa: once the model is loaded), failing if one dies."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            if httpx.get(url, params=params, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} was not ready in 300 s")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session, with whatever it started itself."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass(frozen=True)
class RasaServer:
    """A running Rasa server with its HTTP API, and the action server beside it."""

    url: str
    token: str
    model: str
    processes: list[subprocess.Popen[bytes]]


@contextmanager
def _rasa_with_actions(var: Path, database: Database) -> Iterator[RasaServer]:
    """The Rasa server (API on, loopback, a token; the trained model) and `askel actions`, on
    `database`, configured as the stack configures them (backend/stack/processes.py)."""
    var.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    tokens = {"ASKEL_RASA_TOKEN": token, "ASKEL_ACTIONS_TOKEN": secrets.token_urlsafe(24)}
    settings = Settings(
        _env_file=None,
        var_dir=var,
        database_url=database.url,
        rasa_port=free_port(),
        actions_port=free_port(),
    )
    model = ensure_model(settings)  # trains only if the model's inputs changed
    endpoints, credentials = write_rasa_config(settings, var / "rasa")
    clock = var / "clock.txt"
    # The scheduler's morning, so that action_greet says a morning greeting as a check-in would.
    _write_clock(clock, FIRE_AT)
    actions_env = {
        **os.environ,
        **tokens,
        "ASKEL_VAR_DIR": str(var),
        "ASKEL_DATABASE_URL": database.url,
        "ASKEL_ACTIONS_PORT": str(settings.actions_port),
        "ASKEL_CLOCK": f"file:{clock}",
        "ASKEL_LOG_LEVEL": "WARNING",
    }
    rasa_argv = [
        str(rasa_executable(settings)), "run",
        "--enable-api", "--auth-token", token,
        "--model", str(model),
        "--endpoints", str(endpoints),
        "--credentials", str(credentials),
        "--interface", "127.0.0.1",
        "--port", str(settings.rasa_port),
        "--response-timeout", str(int(settings.rasa_timeout_seconds)),
    ]  # fmt: skip
    commands = [
        ("actions", [str(ASKEL), "actions"], actions_env, ROOT),
        ("rasa", rasa_argv, {**rasa_environment(settings), **tokens}, var / "rasa"),
    ]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for name, argv, env, cwd in commands:
            log = (var / f"{name}.log").open("ab")
            # A session of its own, so that stopping it stops whatever it started too.
            processes.append(
                subprocess.Popen(
                    argv,
                    env=env,
                    cwd=cwd,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            log.close()
        _wait_for(f"{settings.actions_url}/health", {}, processes)
        _wait_for(f"{settings.rasa_url}/status", {"token": token}, processes)
        yield RasaServer(settings.rasa_url, token, model.name, processes)
    finally:
        for process in reversed(processes):
            _stop_group(process)


def _baseline(var: Path, database: Database, triggers: int) -> dict[str, Any]:
    """`trigger_intent` "greet" one by one for `triggers` of the clients, through Rasa."""
    reader = _reader(database)
    with reader.connect() as connection:
        conversations = list(
            connection.execute(
                select(Client.conversation_id).order_by(Client.id).limit(triggers + BASELINE_WARMUP)
            ).scalars()
        )
    reader.dispose()
    latencies: list[float] = []
    silent, messages, sample = 0, 0, ""
    with _rasa_with_actions(var, database) as rasa, httpx.Client(timeout=60) as http:
        params = {"token": rasa.token, "include_events": "NONE"}

        def trigger(conversation: str) -> httpx.Response:
            return http.post(
                f"{rasa.url}/conversations/{conversation}/trigger_intent",
                params=params,
                json={"name": "greet"},
            ).raise_for_status()

        # The first turns load the policies' graphs and open connections; the last clients
        # take them, so that every measured trigger is a client's first turn, as at 08:00.
        for conversation in conversations[triggers:]:
            trigger(conversation)
        cpu_before = [_cpu_seconds(process.pid) for process in rasa.processes]
        started = time.monotonic()
        for conversation in conversations[:triggers]:
            sent = time.perf_counter()
            replies = trigger(conversation).json().get("messages") or []
            latencies.append((time.perf_counter() - sent) * 1000)
            messages += len(replies)
            silent += not replies
            if replies and not sample:
                sample = str(replies[0].get("text", ""))
        wall = time.monotonic() - started
        cpu = [
            _cpu_seconds(process.pid) - before
            for process, before in zip(rasa.processes, cpu_before, strict=True)
        ]
        model = rasa.model
    return {
        "triggers": triggers,
        "intent": "greet",
        "seconds": round(wall, 2),
        "triggers_per_second": round(triggers / wall, 1),
        "latency_ms": {key: round(value, 1) for key, value in summary(latencies).items()},
        "messages_per_trigger": round(messages / triggers, 2),
        "triggers_without_reply": silent,
        "sample_reply": sample,
        "cpu_seconds": {"actions": round(cpu[0], 1), "rasa": round(cpu[1], 1)},
        "model": model,
    }


def run(
    clients: int = 10_000,
    baseline_triggers: int = 1_000,
    repeats: int = 3,
    postgres: bool = True,
) -> dict[str, Any]:
    """Measure `clients` check-ins due at once (one scheduler `repeats` times and two at once on
    SQLite, one and two on PostgreSQL unless `postgres` is false) and `baseline_triggers`
    check-ins' worth of turns through Rasa; returns the figures."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="askel-bench-checkins-") as name:
        folder = Path(name)
        started = time.monotonic()
        pristine = _pristine_sqlite(folder, clients)
        setup = time.monotonic() - started
        print(f"check-ins: set up {clients} clients on SQLite in {setup:.0f} s", flush=True)
        single = []
        for number in range(repeats):
            single.append(_on_sqlite_copy(pristine, folder / f"one-{number}", clients, 1))
        one = _median_run(single)
        _print_run(f"SQLite, 1 scheduler (median of {repeats})", one, clients)
        two = _on_sqlite_copy(pristine, folder / "two", clients, 2)
        _print_run("SQLite, 2 schedulers at once", two, clients)
        unavailable = _postgres_reachable() if postgres else "postgres=False"
        if unavailable is None:
            on_postgres = _postgres_runs(clients, [1, 2], folder)
        else:
            on_postgres = {"skipped": unavailable}
            print(f"check-ins, PostgreSQL: skipped ({unavailable})", flush=True)
        baseline = _baseline(
            folder / "baseline" / "var",
            _copy_sqlite(pristine, folder / "baseline" / "askel.db"),
            min(baseline_triggers, clients - BASELINE_WARMUP),
        )
    ratio = one["checkins_per_second"] / baseline["triggers_per_second"]
    print(
        f"check-ins, baseline (Rasa trigger_intent 'greet' one by one, with the action server "
        f"and NLG): {baseline['triggers']} in {baseline['seconds']:.1f} s "
        f"({baseline['triggers_per_second']:.1f}/s; median {baseline['latency_ms']['median']:.0f}"
        f" ms a turn); without a reply {baseline['triggers_without_reply']}",
        flush=True,
    )
    doubles = sum(
        figures["doubles"]
        for figures in (one, two, *on_postgres.values())
        if isinstance(figures, dict)
    )
    print(
        f"check-ins: ours/baseline {ratio:.1f}x; target >= {TARGET_PER_SECOND:.0f}/s "
        f"{'met' if one['checkins_per_second'] >= TARGET_PER_SECOND else 'NOT met'} "
        f"({one['checkins_per_second']:.0f}/s); doubles {doubles} (target 0)",
        flush=True,
    )
    defaults = Settings.model_fields
    figures = {
        "clients": clients,
        "due_local": dt.datetime.combine(DAY, MORNING, ZONE).isoformat(),
        "scheduler_clock_local": FIRE_AT.astimezone(ZONE).isoformat(),
        "settings": {
            "scheduler_batch_size": defaults["scheduler_batch_size"].default,
            "scheduler_poll_seconds": defaults["scheduler_poll_seconds"].default,
            "scheduler_lease_seconds": defaults["scheduler_lease_seconds"].default,
        },
        "load_average_at_start": round(load, 2),
        "code": _code_version(),
        "setup_seconds_sqlite": round(setup, 1),
        "sqlite_one_scheduler": one,
        "sqlite_two_schedulers": two,
        "postgresql": on_postgres,
        "baseline_rasa_trigger_intent": baseline,
        "ratio_to_baseline": round(ratio, 1),
        "doubles": doubles,
        "target_checkins_per_second_at_least": TARGET_PER_SECOND,
        "target_doubles": 0,
    }
    write_result("checkins", figures)
    return figures


if __name__ == "__main__":
    # python -m bench.checkins [clients [baseline triggers [repeats]]]
    given = [int(argument) for argument in sys.argv[1:4]]
    given += [10_000, 1_000, 3][len(given) :]
    run(given[0], given[1], given[2])
