"""Weekly digests for 200 coaches with 25 clients each and a week of data: the time to build and
render all of them, and the peak memory. Target: under 20 s and under 300 MB on 2 cores.

The database (SQLite, the embedded default) is filled first; the digests are then built and
rendered in a fresh process, so that its peak memory (VmHWM, see `_peak_mb`) is the digests'
own, with the interpreter and libraries it needs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert

from backend import migrate
from backend.clock import FakeClock
from backend.context import build_context
from backend.db import transaction
from backend.digest.build import build_digest
from backend.digest.render import DigestRenderer
from backend.models import (
    Alert,
    AlertKind,
    Appointment,
    AppointmentStatus,
    CheckinEntry,
    CheckinKind,
    CheckinSchedule,
    Client,
    ClientStatus,
    Coach,
    Consent,
    Goal,
    GoalStep,
    StepOutcome,
)
from backend.settings import Settings
from bench.common import write_result

COACHES = 200
CLIENTS_PER_COACH = 25
HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = dt.date(2026, 11, 16)
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=HELSINKI)
TARGET_SECONDS = 20.0
TARGET_MB = 300.0


def _settings(folder: Path) -> Settings:
    return Settings(
        _env_file=None, var_dir=folder, database_url=f"sqlite:///{folder / 'digests.db'}"
    )


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def fill(settings: Settings, seed: int = 8) -> None:
    """200 coaches, 25 clients each: two weeks of check-ins, a goal, appointments, alerts."""
    rng = random.Random(seed)
    migrate.upgrade(settings.database_url)
    context = build_context(settings, FakeClock(NOW))
    created = _local(dt.date(2026, 10, 1), 12, 0)
    coaches = [
        {"id": n + 1, "name": f"Ohjaaja {n + 1}", "email": f"o{n + 1}@example.fi"}
        for n in range(COACHES)
    ]
    clients, schedules, entries, goals, steps, appointments, alerts = [], [], [], [], [], [], []
    days = [WEEK - dt.timedelta(days=7) + dt.timedelta(days=n) for n in range(14)]
    for index in range(COACHES * CLIENTS_PER_COACH):
        client_id = index + 1
        consent = Consent.GIVEN if rng.random() > 0.05 else Consent.REFUSED
        clients.append(
            {
                "id": client_id,
                "conversation_id": f"{client_id:032x}",
                "display_name": f"Asiakas {client_id}",
                "coach_id": index // CLIENTS_PER_COACH + 1,
                "status": ClientStatus.ACTIVE,
                "consent": consent,
                "created_at": created,
                "last_seen_at": NOW - dt.timedelta(days=rng.choice((0, 1, 1, 2, 5))),
            }
        )
        for kind, hour in ((CheckinKind.MORNING, 8), (CheckinKind.EVENING, 20)):
            schedules.append(
                {
                    "client_id": client_id,
                    "kind": kind,
                    "local_time": dt.time(hour, 0),
                    "weekdays": "1234567",
                    "active": True,
                    "created_at": created,
                }
            )
        for day in days:
            if rng.random() < 0.2:
                continue  # a day without answers
            woke = _local(day, rng.randint(6, 10), rng.randint(0, 59))
            evening = _local(day, 20, 5)
            for entry_kind, moment, mood, detail in (
                ("wake_up", woke, None, None),
                ("mood", evening, rng.randint(1, 5), None),
                ("meal", evening, None, rng.choice(("well", "little", "hardly"))),
                ("activity", evening, None, rng.choice(("yes", "no"))),
            ):
                entries.append(
                    {
                        "client_id": client_id,
                        "kind": entry_kind,
                        "local_date": day,
                        "happened_at": moment,
                        "mood": mood,
                        "detail": detail,
                        "words": "ihan ok päivä" if entry_kind == "mood" else None,
                        "created_at": moment,
                    }
                )
        goals.append(
            {
                "id": client_id,
                "client_id": client_id,
                "words": "Haluan päivärytmin kuntoon",
                "support_wish": "Soitto kerran viikossa",
                "active": True,
                "created_at": created,
            }
        )
        for position in (1, 2, 3):
            steps.append(
                {
                    "goal_id": client_id,
                    "position": position,
                    "words": f"Askel {position}",
                    "already_done": position == 1,
                    "week_start": WEEK if position == 2 else None,
                    "outcome": StepOutcome.DONE if position == 2 else None,
                    "outcome_at": _local(WEEK, 18, 0) if position == 2 else None,
                    "created_at": created,
                }
            )
        for starts, status in (
            (_local(WEEK + dt.timedelta(days=2), 10, 0), rng.choice(list(AppointmentStatus))),
            (_local(WEEK + dt.timedelta(days=9), 13, 0), AppointmentStatus.PLANNED),
        ):
            appointments.append(
                {
                    "client_id": client_id,
                    "title": "Tapaaminen",
                    "starts_at": starts,
                    "status": status,
                    "created_at": created,
                }
            )
        if rng.random() < 0.1:
            alerts.append(
                {
                    "coach_id": index // CLIENTS_PER_COACH + 1,
                    "client_id": client_id,
                    "kind": rng.choice((AlertKind.CONTACT_REQUEST, AlertKind.CRISIS)),
                    "dedupe_key": f"bench:{client_id}",
                    "created_at": _local(WEEK + dt.timedelta(days=3), 12, 0),
                }
            )
    with transaction(context.sessions) as session:
        for model, rows in (
            (Coach, [{**c, "created_at": created} for c in coaches]),
            (Client, clients),
            (CheckinSchedule, schedules),
            (CheckinEntry, entries),
            (Goal, goals),
            (GoalStep, steps),
            (Appointment, appointments),
            (Alert, alerts),
        ):
            session.execute(insert(model), rows)
    context.close()


def _peak_mb() -> float:
    """This process's peak resident memory in MB: VmHWM where Linux has it, because the
    ru_maxrss of a process started by fork and exec also counts what its parent held at the
    fork (here the filled rows, about 180 MB), which is not the digests'."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(settings: Settings) -> dict[str, Any]:
    """Build and render every coach's digest; the time of each, and this process's peak."""
    context = build_context(settings, FakeClock(NOW))
    texts = DigestRenderer(context.renderer)
    per_coach: list[float] = []
    queries: list[int] = []
    characters = 0
    statements = 0

    def counted(*_: object) -> None:
        nonlocal statements
        statements += 1

    # The number of statements a digest takes shows whether it grows with the clients.
    event.listen(context.engine, "before_cursor_execute", counted)
    started = time.perf_counter()
    for coach_id in range(1, COACHES + 1):
        begun = time.perf_counter()
        before = statements
        with transaction(context.sessions) as session:
            digest = build_digest(session, coach_id, WEEK, NOW, HELSINKI, silent_days=3)
        rendered = texts.render(digest)
        characters += len(rendered.html) + len(rendered.text)
        per_coach.append(time.perf_counter() - begun)
        queries.append(statements - before)
    total = time.perf_counter() - started
    context.close()
    peak_mb = _peak_mb()
    return {
        "total_seconds": round(total, 2),
        "per_coach_median_ms": round(sorted(per_coach)[len(per_coach) // 2] * 1000, 1),
        "per_coach_max_ms": round(max(per_coach) * 1000, 1),
        "queries_per_coach_median": sorted(queries)[len(queries) // 2],
        "peak_rss_mb": round(peak_mb, 1),
        "characters_rendered": characters,
    }


def run() -> dict[str, Any]:
    """Fill a database, measure in a fresh process, print and write the figures."""
    with tempfile.TemporaryDirectory() as folder:
        settings = _settings(Path(folder))
        filling = time.perf_counter()
        fill(settings)
        filled = time.perf_counter() - filling
        child = subprocess.run(
            [sys.executable, "-m", "bench.digests", "measure", folder],
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            raise RuntimeError(f"measuring failed:\n{child.stderr}")
    figures: dict[str, Any] = json.loads(child.stdout)
    result = {
        "coaches": COACHES,
        "clients_per_coach": CLIENTS_PER_COACH,
        "fill_seconds": round(filled, 1),
        **figures,
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "within_target": figures["total_seconds"] < TARGET_SECONDS
        and figures["peak_rss_mb"] < TARGET_MB,
    }
    path = write_result("digests", result)
    print(
        f"digests: {COACHES} coaches x {CLIENTS_PER_COACH} clients built and rendered in "
        f"{figures['total_seconds']} s (median {figures['per_coach_median_ms']} ms and "
        f"{figures['queries_per_coach_median']} queries a coach), "
        f"peak {figures['peak_rss_mb']} MB (targets {TARGET_SECONDS:.0f} s, {TARGET_MB:.0f} MB)"
        f" -> {path}"
    )
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(_settings(Path(sys.argv[2])))))
    else:
        run()
