"""The outbox sender's throughput: 10,000 queued messages sent to a fake Bot API on loopback.

One `askel dispatcher` process sends from a SQLite database in a temporary folder to the fake
Telegram Bot API (tests/fakes/telegram_api.py), both as subprocesses: the fake in the
benchmark's own process would share its GIL and slow itself down. The fake's JSON-lines log of
accepted sendMessage calls is the judge: its monotonic `t` per message gives the timing, its
texts the lost and doubled counts.

Two runs:

- limits off (`ASKEL_TELEGRAM_MESSAGES_PER_SECOND=0`, `ASKEL_TELEGRAM_CHAT_INTERVAL_SECONDS=0`):
  messages a second from the first accepted message to the last;
- Telegram's limits on (the defaults, 30 a second and 1 s per chat) against a fake that
  enforces them (`--enforce-limits`, answering 429 to a message that would break them): the
  time from the first accepted message to the last against the ideal 10,000 / 30 s. Target: a
  ratio of at most 1.03, and no 429 at all.

The messages are spread over 1,000 chats (10 each, queued round-robin), so that the global
limit binds and the per-chat one does not: one chat's next message is ~1,000 messages away.
Every other setting of the sender is at its default. The limits-on run takes about 5.6 minutes
at 10,000 messages; `run(messages=...)` tries fewer (the ratio is then a little under 1: the
first 30 messages go at once).

Each run also gives the CPU seconds the dispatcher used, and what the rest of the machine
used meanwhile (`others`): on a shared two-core machine someone else's tests take CPU from the
sender, which makes its figures worse than the code is.
"""

from __future__ import annotations

import collections
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend import migrate
from backend.context import build_context
from backend.db import transaction
from backend.models import ChannelKind
from backend.services.outbox import Address, enqueue_replies
from backend.settings import Settings
from backend.texts.responses import Reply
from bench.common import summary, write_result
from tests.fakes import spawn_fake
from tests.fakes.telegram_api import DEFAULT_TOKEN, SentMessage, read_sent_log
from tests.processes import stop_gently

ROOT = Path(__file__).resolve().parents[1]
# Telegram's global limit, the one the limits-on run should reach (README: "The outbox").
TELEGRAM_RATE = 30.0
TARGET_RATIO = 1.03
CHATS = 1_000
# Each chat's first id: well clear of anything a test might use, and positive (a private chat).
FIRST_CHAT = 700_000


@dataclass(frozen=True)
class Outcome:
    """What one run delivered, read from the fake and the database afterwards."""

    sent: list[SentMessage]
    expected: list[str]
    wall_seconds: float
    fake_stats: dict[str, Any]
    states: dict[str, int]
    dispatcher_cpu_seconds: float
    fake_cpu_seconds: float
    # What the whole machine spent busy meanwhile, ours included.
    machine_cpu_seconds: float


def _queue(settings: Settings, messages: int, chats: int) -> list[str]:
    """Put `messages` texts in the outbox, round-robin over `chats` chats; returns the texts.

    Round-robin, so that consecutive ids go to different chats, as replies to many clients
    would: the sender's batches then hold many chats and per-chat order never holds it back.
    """
    migrate.upgrade(settings.database_url)
    context = build_context(settings)
    texts: list[str] = []
    try:
        with transaction(context.sessions) as session:
            now = context.clock.now()
            for number in range(messages):
                chat = FIRST_CHAT + number % chats
                text = f"viesti {number}"
                texts.append(text)
                enqueue_replies(
                    session, Address(ChannelKind.TELEGRAM, str(chat)), [Reply(text)], now
                )
    finally:
        context.close()
    return texts


def _states(database: Path) -> dict[str, int]:
    """Outbox rows by state, read without a write lock.

    The app's engine opens every transaction with BEGIN IMMEDIATE (it takes SQLite's write
    lock), so polling through it would compete with the sender being measured; a plain
    read-only connection under WAL does not.
    """
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        rows = connection.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
    connection.close()
    return {str(state).lower(): int(count) for state, count in rows}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (0 once it is gone), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all the machine's cores have spent busy so far, from /proc/stat.

    Set against what the measured processes used, it shows how much went to anything else: on
    a shared machine someone's tests take cores from the system under test.
    """
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    # user, nice, system, idle, iowait, irq, softirq, steal: busy is all but idle and iowait
    # (and steal, which is time the hypervisor gave to another machine, not to this one).
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
    return busy / os.sysconf("SC_CLK_TCK")


def shipped_settings() -> dict[str, Any]:
    """The sender's tuning settings at their defaults in backend/settings.py."""
    names = (
        "outbox_concurrency",
        "outbox_batch_size",
        "outbox_poll_seconds",
        "outbox_lease_seconds",
        "outbox_send_timeout_seconds",
        "telegram_messages_per_second",
        "telegram_chat_interval_seconds",
    )
    return {name: Settings.model_fields[name].default for name in names}


def _dispatcher(settings: Settings, api_url: str, limits: bool) -> subprocess.Popen[bytes]:
    """`askel dispatcher` on the benchmark's database, with Telegram's limits or without."""
    env = {
        **os.environ,
        "ASKEL_VAR_DIR": str(settings.var_dir),
        "ASKEL_DATABASE_URL": settings.database_url,
        "ASKEL_TELEGRAM_TOKEN": DEFAULT_TOKEN,
        "ASKEL_TELEGRAM_API_URL": api_url,
        "ASKEL_TELEGRAM_MODE": "polling",
        "ASKEL_LOG_LEVEL": "WARNING",
    }
    # The sender as shipped: every tuning setting at the code's default, given explicitly so
    # that a developer's .env or shell cannot change what is measured.
    env.update({f"ASKEL_{name.upper()}": str(value) for name, value in shipped_settings().items()})
    if not limits:
        env["ASKEL_TELEGRAM_MESSAGES_PER_SECOND"] = "0"
        env["ASKEL_TELEGRAM_CHAT_INTERVAL_SECONDS"] = "0"
    log = (settings.var_dir / "dispatcher.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "dispatcher"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process


def _send_all(folder: Path, messages: int, limits: bool) -> Outcome:
    """Queue `messages`, start the fake and one sender, and wait until the outbox is empty."""
    var = folder / "var"
    database = var / "askel.db"
    settings = Settings(_env_file=None, var_dir=var, database_url=f"sqlite:///{database}")
    expected = _queue(settings, messages, min(CHATS, messages))
    log = folder / "sent.jsonl"
    args = ["--token", DEFAULT_TOKEN, "--log", str(log)]
    if limits:
        args.append("--enforce-limits")
    # At 30 a second, 10,000 take 333 s; anything far beyond that is a stuck sender.
    timeout = (messages / TELEGRAM_RATE if limits else messages / 50) * 1.5 + 120
    with spawn_fake("tests.fakes.telegram_api", *args, cwd=ROOT) as fake:
        started = time.monotonic()
        machine_before, fake_before = machine_busy_seconds(), cpu_seconds(fake.process.pid)
        benchmark_before = cpu_seconds(os.getpid())
        process = _dispatcher(settings, fake.url, limits)
        try:
            states = _wait_until_done(fake.control.get, database, messages, process, timeout)
            wall = time.monotonic() - started
            fake_stats = fake.control.get("stats")
            dispatcher_cpu = cpu_seconds(process.pid)
            fake_cpu = cpu_seconds(fake.process.pid) - fake_before
            # The benchmark's own polling is counted as the fake's: neither is the sender.
            fake_cpu += cpu_seconds(os.getpid()) - benchmark_before
            machine = machine_busy_seconds() - machine_before
        finally:
            stop_gently(process)
    return Outcome(
        read_sent_log(log), expected, wall, fake_stats, states, dispatcher_cpu, fake_cpu, machine
    )


def _wait_until_done(
    control_get: Any,
    database: Path,
    messages: int,
    process: subprocess.Popen[bytes],
    timeout: float,
) -> dict[str, int]:
    """Wait until no message is pending or being sent; returns the outbox's states then.

    The fake's counter is cheap to ask and says when all may be done; the database, asked
    only then (or now and then, in case some never arrive), says whether they are.
    """
    deadline = time.monotonic() + timeout
    checked = time.monotonic()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dispatcher exited with {process.returncode}")
        accepted = int(control_get("stats")["accepted"])
        if accepted >= messages or time.monotonic() - checked > 10:
            checked = time.monotonic()
            states = _states(database)
            if not states.get("pending") and not states.get("sending"):
                return states
        time.sleep(0.25)
    raise RuntimeError(f"the outbox was not empty after {timeout:.0f} s: {_states(database)}")


def _per_second(sent: list[SentMessage]) -> list[int]:
    """Accepted messages in each whole second from the first (the last, partial second
    dropped), so that a median describes the steady rate."""
    if not sent:
        return []
    first = sent[0].t
    counts = collections.Counter(int(message.t - first) for message in sent)
    seconds = max(counts) if len(counts) > 1 else 1
    return [counts.get(second, 0) for second in range(seconds)]


def _figures(outcome: Outcome) -> dict[str, Any]:
    """The figures both runs share: timing, losses, doubles, how busy each process was."""
    counts = collections.Counter(message.text for message in outcome.sent)
    expected = set(outcome.expected)
    span = outcome.sent[-1].t - outcome.sent[0].t if len(outcome.sent) > 1 else 0.0
    per_second = _per_second(outcome.sent)
    ours = outcome.dispatcher_cpu_seconds + outcome.fake_cpu_seconds
    return {
        "messages": len(outcome.expected),
        "accepted": len(outcome.sent),
        "first_to_last_seconds": round(span, 3),
        "messages_per_second": round((len(outcome.sent) - 1) / span, 1) if span else None,
        "per_second": summary([float(n) for n in per_second]) if per_second else None,
        "lost": len(expected - set(counts)),
        "doubled": sum(n - 1 for n in counts.values() if n > 1),
        "unexpected": sum(n for text, n in counts.items() if text not in expected),
        "outbox_states": outcome.states,
        "too_many_requests": int(outcome.fake_stats.get("too_many_requests", 0)),
        "fake_answers": outcome.fake_stats.get("answers", {}),
        "wall_seconds_from_dispatcher_start": round(outcome.wall_seconds, 2),
        "cpu_seconds": {
            "dispatcher": round(outcome.dispatcher_cpu_seconds, 1),
            "fake_api_and_benchmark": round(outcome.fake_cpu_seconds, 1),
            "others": round(max(0.0, outcome.machine_cpu_seconds - ours), 1),
        },
    }


def _cpu_note(figures: dict[str, Any]) -> str:
    """The CPU the sender used, and what else the machine was doing meanwhile."""
    cpu = figures["cpu_seconds"]
    return f"CPU s: dispatcher {cpu['dispatcher']}, others on the machine {cpu['others']}"


def run(messages: int = 10_000) -> dict[str, Any]:
    """Send `messages` without limits, then with Telegram's; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="askel-bench-outbox-") as folder:
        unlimited = _figures(_send_all(Path(folder) / "unlimited", messages, limits=False))
    print(
        f"outbox, limits off: {unlimited['messages_per_second']} messages/s "
        f"(median {unlimited['per_second']['median']:.0f} a second) over "
        f"{unlimited['accepted']} accepted; lost {unlimited['lost']}, "
        f"doubled {unlimited['doubled']}; {_cpu_note(unlimited)}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="askel-bench-outbox-") as folder:
        limited = _figures(_send_all(Path(folder) / "limited", messages, limits=True))
    ideal = messages / TELEGRAM_RATE
    limited["ideal_seconds"] = round(ideal, 2)
    limited["ratio_to_ideal"] = round(limited["first_to_last_seconds"] / ideal, 4)
    limited["target_ratio_at_most"] = TARGET_RATIO
    limited["target_too_many_requests"] = 0
    figures = {
        "chats": min(CHATS, messages),
        "settings": shipped_settings(),
        "limits_off": unlimited,
        "limits_on": limited,
    }
    write_result("outbox", figures)
    print(
        f"outbox, Telegram's limits on: {limited['first_to_last_seconds']:.1f} s for "
        f"{messages} messages against {ideal:.1f} s ideal (ratio "
        f"{limited['ratio_to_ideal']:.3f}, target <= {TARGET_RATIO}); "
        f"median {limited['per_second']['median']:.0f} a second; "
        f"429s {limited['too_many_requests']}; lost {limited['lost']}, "
        f"doubled {limited['doubled']}; {_cpu_note(limited)}",
        flush=True,
    )
    return figures


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
