"""Replies under load: 50 Telegram clients through the webhook against 50 senders straight to Rasa.

A stack in webhook mode (`askel serve` with a Telegram token, its dispatcher sending to a fake
Bot API subprocess that enforces Telegram's flood limits) gets 50 simulated clients at once
for one minute. Each client posts a private-chat text update to
`POST /channels/telegram/webhook`, waits until its reply reaches the fake, and sends the next.
Then the same load, 50 concurrent senders for one minute, goes straight to the Rasa server of
the same stack through Askel's channel with the token (as bench/gateway_latency.py does).

Reply time through Telegram is from just before the webhook POST to the instant the fake
accepted the reply's sendMessage: the fake stamps each accepted message with
`time.monotonic()`, and CLOCK_MONOTONIC is one clock for every process on Linux, so the two
instants compare directly. The benchmark learns of replies by tailing the fake's JSON-lines
log (flushed per line) every few milliseconds; how soon it notices only delays the client's
next message, never the measured time, and tailing a file costs the fake nothing, where
polling its control API would compete with the dispatcher for it. Straight to Rasa, the reply
is in the HTTP answer: reply time is the request's round trip.

Each client rotates over ten chats of its own. The dispatcher keeps Telegram's 1 s between two
messages to one chat (left at its default); a client that wrote again to the same chat at once
would have its next reply held back whenever Rasa answered within a second, and that would
measure the spacing rather than the path. With ten chats a chat's previous reply is ten turns
old; `replies_within_chat_interval` counts any reply that came less than 1.05 s after the one
before it in its chat, which would show the spacing binding after all.

Also written, to explain the difference between the two: where a webhook turn's time went
(`stages_ms`, from the database's timestamps: the stack runs on the system clock here), and
the CPU seconds each process used during each load, with `others`, what the rest of the
machine used meanwhile (someone's tests on a shared machine make a run unfair; the two loads
run one after the other, so the ratio is only as good as the machine was quiet). Both loads
start with 50 turns one after the other that are not counted: the first turns load code.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import os
import secrets
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import ChannelKind, ClientStatus, Consent
from backend.services.clients import client_for_address
from bench.common import percentile, summary, write_result
from bench.gateway_latency import MESSAGES
from bench.outbox import cpu_seconds, machine_busy_seconds, shipped_settings
from tests.e2e.stack import ROOT, Stack, descendants, prepare_stack, start_serving, stop
from tests.fakes import SpawnedFake, spawn_fake
from tests.fakes.telegram_api import DEFAULT_TOKEN

CLIENTS = 50
SECONDS = 60.0
CHATS_PER_CLIENT = 10
FIRST_CHAT = 800_000
# A reply later than this is counted as an error and the client goes on.
REPLY_TIMEOUT = 30.0
# How often the fake's log is read for new replies.
TAIL_SECONDS = 0.005
WEBHOOK_PATH = "/channels/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TELEGRAM_CHAT_INTERVAL = 1.0


@dataclass
class Load:
    """What one minute of load gave: reply times (ms), errors, and when it started and ended."""

    reply_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    ended: float = 0.0

    def error(self, kind: str) -> None:
        """Count one failed turn by its kind (an HTTP status, an exception's type, a timeout)."""
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def figures(self) -> dict[str, Any]:
        """Replies a second over the whole span, reply-time percentiles and the errors."""
        span = self.ended - self.started
        times = summary(self.reply_ms) if self.reply_ms else None
        return {
            "replies": len(self.reply_ms),
            "seconds": round(span, 2),
            "replies_per_second": round(len(self.reply_ms) / span, 2) if span else 0.0,
            "reply_ms": times,
            "p50_ms": round(times["median"], 1) if times else None,
            "p95_ms": round(times["p95"], 1) if times else None,
            "errors": sum(self.errors.values()),
            "errors_by_kind": dict(self.errors),
        }


class ReplyLog:
    """The fake's log of accepted messages, read as it grows: when each chat got each reply.

    A waiting client is woken only by its own chat's reply, so that 50 waiting clients do not
    all wake for every line: the benchmark's own CPU is taken from the two cores it measures.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.arrivals: dict[str, list[float]] = {}
        # Updates the gateway accepted, by chat: each asks for exactly one reply.
        self.posts: dict[str, int] = {}
        # Wall-clock times, to set beside the database's: each update's post, by update id,
        # and each reply's acceptance at the fake, by the fake's message id.
        self.posted_wall: dict[int, float] = {}
        self.accepted_wall: dict[int, float] = {}
        self._file: IO[str] | None = None
        self._partial = ""
        self._waiting: dict[str, tuple[int, asyncio.Future[float]]] = {}

    def count(self, chat: str) -> int:
        """How many replies `chat` has had so far."""
        return len(self.arrivals.get(chat, ()))

    def read_new(self) -> None:
        """Take in the lines written since the last read (a torn last line waits)."""
        if self._file is None:
            if not self.path.exists():
                return
            self._file = self.path.open(encoding="utf-8")
        chunk = self._file.read()
        if not chunk:
            return
        lines = (self._partial + chunk).split("\n")
        self._partial = lines.pop()
        for line in lines:
            record = json.loads(line)
            chat = str(record["chat_id"])
            times = self.arrivals.setdefault(chat, [])
            times.append(float(record["t"]))
            self.accepted_wall[int(record["message_id"])] = float(record["wall"])
            waiting = self._waiting.get(chat)
            if waiting is not None and len(times) > waiting[0] and not waiting[1].done():
                waiting[1].set_result(times[waiting[0]])

    def close(self) -> None:
        """Close the log file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    async def tail(self, stop: asyncio.Event) -> None:
        """Read new lines every few milliseconds until `stop` is set."""
        while not stop.is_set():
            self.read_new()
            await asyncio.sleep(TAIL_SECONDS)

    async def wait_for(self, chat: str, index: int, timeout: float) -> float:
        """The fake's monotonic time of `chat`'s reply number `index` (0-based), when it comes.

        One client waits on a chat at a time: each client has chats of its own.
        """
        times = self.arrivals.get(chat, [])
        if len(times) > index:
            return times[index]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat] = (index, future)
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(chat) from None
        finally:
            del self._waiting[chat]


def _process_name(pid: int) -> str:
    """Which part of the stack a process is (rasa, actions, gateway, dispatcher...)."""
    try:
        words = [
            w.decode(errors="replace")
            for w in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        ]
    except OSError:
        return str(pid)
    if any(word.endswith("/rasa") for word in words):
        return "rasa"
    for name in ("actions", "gateway", "scheduler", "dispatcher", "serve"):
        if name in words:
            return name
    return Path(words[0]).name if words and words[0] else str(pid)


def cpu_by_process(stack: Stack, fake: SpawnedFake) -> dict[str, float]:
    """CPU seconds used so far by each process of the stack, the fake and this benchmark.

    Taken before and after each load, the differences show where the machine's two cores
    went: the figure that explains a gap between the two paths.
    """
    assert stack.process is not None
    used: dict[str, float] = {}
    for pid in {stack.process.pid, *descendants(stack.process.pid)}:
        name = _process_name(pid)
        used[name] = used.get(name, 0.0) + cpu_seconds(pid)
    used["fake_api"] = cpu_seconds(fake.process.pid)
    used["benchmark"] = cpu_seconds(os.getpid())
    used["machine"] = machine_busy_seconds()
    return used


def _cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each part used between two readings, and `others`: what the machine spent
    on anything else (someone's tests on a shared machine), which makes a run unfair."""
    used = {name: round(after[name] - before.get(name, 0.0), 1) for name in sorted(after)}
    ours = sum(value for name, value in used.items() if name != "machine")
    used["others"] = round(max(0.0, used["machine"] - ours), 1)
    return used


def enrol_telegram_chats(stack: Stack, chats: list[int]) -> None:
    """Make each chat an enrolled client who has consented (as Stack.enrol does for local)."""
    engine = make_engine(stack.database_url)
    sessions = make_sessionmaker(engine)
    now = dt.datetime.now(dt.timezone.utc)
    try:
        with transaction(sessions) as session:
            for chat in chats:
                client = client_for_address(session, ChannelKind.TELEGRAM, str(chat), now)
                client.consent = Consent.GIVEN
                client.consent_at = client.consent_asked_at = now
                client.status = ClientStatus.ACTIVE
    finally:
        engine.dispose()


def text_update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    """A Telegram update carrying a text message in a private chat, as Telegram posts it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": chat, "is_bot": False, "first_name": "Testi", "language_code": "fi"},
            "chat": {"id": chat, "type": "private", "first_name": "Testi"},
            "date": int(time.time()),
            "text": text,
        },
    }


Turn = Callable[[httpx.AsyncClient, int, int, str], Awaitable[float]]


async def _load(turn: Turn, clients: int, seconds: float, warm_up: int) -> Load:
    """`clients` senders, each taking turns back to back for `seconds`; returns the figures.

    `warm_up` turns first, one after the other and not counted: the first turns of a path
    load code and fill caches.
    """
    load = Load()
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT, limits=limits) as http:
        for number in range(warm_up):
            try:
                await turn(http, number % clients, number, MESSAGES[number % len(MESSAGES)])
            except Exception as error:  # shown with the errors, but not a reason to stop
                load.error(f"warm-up: {_kind(error)}")
        load.started = time.monotonic()
        deadline = load.started + seconds

        async def sender(client: int) -> None:
            for number in itertools.count(warm_up):
                if time.monotonic() >= deadline:
                    return
                text = MESSAGES[(client + number) % len(MESSAGES)]
                try:
                    load.reply_ms.append(await turn(http, client, number, text))
                except Exception as error:  # counted, and the client goes on as a person would
                    load.error(_kind(error))

        await asyncio.gather(*(sender(client) for client in range(clients)))
        load.ended = time.monotonic()
    return load


class _Failed(Exception):
    """A turn that got an answer, but not a good one (its text is the kind of error)."""


def _kind(error: Exception) -> str:
    """What went wrong with a turn, for counting: the failure, or the exception's type."""
    return str(error) if isinstance(error, _Failed) else type(error).__name__


def _chat(client: int, number: int) -> int:
    """The chat of `client`'s turn `number`: each client rotates over its own chats."""
    return FIRST_CHAT + client * CHATS_PER_CLIENT + number % CHATS_PER_CLIENT


async def through_webhook(
    stack: Stack, secret: str, log_path: Path, clients: int, seconds: float
) -> tuple[Load, ReplyLog]:
    """The load through Telegram's webhook, replies timed at the fake."""
    replies = ReplyLog(log_path)
    replies.read_new()  # anything logged before (nothing, in a fresh run) counts as earlier
    update_ids = itertools.count(1)
    url = f"{stack.url}{WEBHOOK_PATH}"
    headers = {SECRET_HEADER: secret}

    async def turn(http: httpx.AsyncClient, client: int, number: int, text: str) -> float:
        chat = _chat(client, number)
        before = replies.count(str(chat))
        update_id = next(update_ids)
        replies.posted_wall[update_id] = time.time()
        posted = time.monotonic()
        response = await http.post(url, json=text_update(update_id, chat, text), headers=headers)
        if response.status_code != 200:
            raise _Failed(f"HTTP {response.status_code}")
        replies.posts[str(chat)] = replies.posts.get(str(chat), 0) + 1
        try:
            arrived = await replies.wait_for(str(chat), before, REPLY_TIMEOUT)
        except TimeoutError:
            raise _Failed("no reply in time") from None
        return (arrived - posted) * 1000

    stop_tail = asyncio.Event()
    tail = asyncio.create_task(replies.tail(stop_tail))
    try:
        load = await _load(turn, clients, seconds, warm_up=clients)
        # Replies that come after their client stopped waiting are counted, not timed.
        await asyncio.sleep(2)
    finally:
        stop_tail.set()
        await tail
    replies.read_new()
    replies.close()
    return load, replies


async def straight_to_rasa(stack: Stack, clients: int, seconds: float) -> Load:
    """The same load to the Rasa server's own channel; the reply is in the HTTP answer."""
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/askel/webhook"
    headers = {"Authorization": f"Bearer {stack.env['ASKEL_RASA_TOKEN']}"}

    async def turn(http: httpx.AsyncClient, client: int, number: int, text: str) -> float:
        sender = f"bench-inbound-{_chat(client, number)}"
        posted = time.monotonic()
        response = await http.post(url, json={"sender": sender, "message": text}, headers=headers)
        elapsed = (time.monotonic() - posted) * 1000
        if response.status_code != 200:
            raise _Failed(f"HTTP {response.status_code}")
        if not response.json().get("messages"):
            raise _Failed("no reply")
        return elapsed

    return await _load(turn, clients, seconds, warm_up=clients)


def _within_chat_interval(replies: ReplyLog) -> int:
    """Replies that came less than the chat interval (plus 5%) after the previous one to the
    same chat: those the dispatcher's per-chat spacing may have held back."""
    limit = TELEGRAM_CHAT_INTERVAL * 1.05
    return sum(
        1
        for times in replies.arrivals.values()
        for earlier, later in itertools.pairwise(times)
        if later - earlier < limit
    )


def _utc_seconds(stored: str) -> float:
    """A timestamp as the database keeps it (naive UTC text) in seconds since the epoch."""
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.timezone.utc).timestamp()


def stages(database_url: str, replies: ReplyLog, warm_up: int) -> dict[str, Any]:
    """Where a webhook turn's time went, from the database's timestamps (the system clock):

    - `post_to_stored`: from the POST to the gateway storing the message (`received_at`);
    - `stored_to_queued`: to its reply being written to the outbox (`created_at`), which holds
      the call to Rasa;
    - `queued_to_accepted`: to the fake accepting the reply's sendMessage (its `wall`), which
      holds the wait for the dispatcher's next claim and the send itself.

    Wall clocks only (ms, medians and p95 over the measured turns, the warm-up's left out).
    """
    database = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        rows = connection.execute(
            "SELECT i.external_id, i.received_at, o.created_at, o.provider_id "
            "FROM inbound_messages AS i JOIN outbox AS o ON o.in_reply_to = i.id "
            "WHERE i.channel = 'telegram' AND o.provider_id IS NOT NULL"
        ).fetchall()
    connection.close()
    parts: dict[str, list[float]] = {
        "post_to_stored": [],
        "stored_to_queued": [],
        "queued_to_accepted": [],
    }
    for external_id, received_at, created_at, provider_id in rows:
        update_id = int(str(external_id).removeprefix("update:"))
        posted = replies.posted_wall.get(update_id)
        accepted = replies.accepted_wall.get(int(provider_id))
        if update_id <= warm_up or posted is None or accepted is None:
            continue
        received, queued = _utc_seconds(received_at), _utc_seconds(created_at)
        parts["post_to_stored"].append((received - posted) * 1000)
        parts["stored_to_queued"].append((queued - received) * 1000)
        parts["queued_to_accepted"].append((accepted - queued) * 1000)
    return {
        name: {"median": round(statistics.median(v), 1), "p95": round(percentile(v, 0.95), 1)}
        for name, v in parts.items()
        if v
    }


def _unmatched(replies: ReplyLog) -> tuple[int, int]:
    """Updates that never got a reply, and replies beyond one an update, over all chats."""
    missing = extra = 0
    for chat in set(replies.posts) | set(replies.arrivals):
        difference = replies.count(chat) - replies.posts.get(chat, 0)
        missing += max(0, -difference)
        extra += max(0, difference)
    return missing, extra


def _telegram_env(stack: Stack, fake: SpawnedFake, secret: str) -> dict[str, str]:
    """Telegram in webhook mode against the fake; the outbox and its limits at their defaults
    (given explicitly, so that a developer's .env cannot change what is measured)."""
    return {
        **{f"ASKEL_{name.upper()}": str(value) for name, value in shipped_settings().items()},
        "ASKEL_TELEGRAM_TOKEN": DEFAULT_TOKEN,
        "ASKEL_TELEGRAM_API_URL": fake.url,
        "ASKEL_TELEGRAM_MODE": "webhook",
        "ASKEL_TELEGRAM_WEBHOOK_SECRET": secret,
        "ASKEL_TELEGRAM_BOT_USERNAME": "askel_test_bot",
        "ASKEL_PUBLIC_URL": stack.url,
        # The real clock (prepare_stack sets a file clock that stands still): the database's
        # timestamps then say where each turn's time went (see `stages`).
        "ASKEL_CLOCK": "system",
    }


def measure(
    stack: Stack, fake: SpawnedFake, secret: str, log_path: Path, clients: int, seconds: float
) -> dict[str, Any]:
    """Both loads on a running stack in webhook mode; returns the figures (also written)."""
    chats = [_chat(client, n) for client in range(clients) for n in range(CHATS_PER_CLIENT)]
    enrol_telegram_chats(stack, chats)
    before = cpu_by_process(stack, fake)
    webhook_load, replies = asyncio.run(through_webhook(stack, secret, log_path, clients, seconds))
    between = cpu_by_process(stack, fake)
    direct_load = asyncio.run(straight_to_rasa(stack, clients, seconds))
    after = cpu_by_process(stack, fake)
    webhook, direct = webhook_load.figures(), direct_load.figures()
    # Each includes its warm-up turns and, for the webhook, the 2 s wait for late replies.
    webhook["cpu_seconds"] = _cpu_used(before, between)
    direct["cpu_seconds"] = _cpu_used(between, after)
    stats = fake.control.get("stats")
    # Every update, the warm-up's too, was one message that asked for one reply.
    webhook["updates_without_reply"], webhook["extra_replies"] = _unmatched(replies)
    webhook["replies_within_chat_interval"] = _within_chat_interval(replies)
    webhook["too_many_requests"] = int(stats["too_many_requests"])
    webhook["stages_ms"] = stages(stack.database_url, replies, warm_up=clients)
    figures = {
        "clients": clients,
        "seconds_each": seconds,
        "chats_per_client": CHATS_PER_CLIENT,
        "settings": shipped_settings(),
        "unit": "ms",
        "telegram_webhook": webhook,
        "rasa_direct": direct,
        "replies_per_second_ratio": (
            round(webhook["replies_per_second"] / direct["replies_per_second"], 3)
            if direct["replies_per_second"]
            else None
        ),
        "p50_ratio": _ratio(webhook["p50_ms"], direct["p50_ms"]),
        "p95_ratio": _ratio(webhook["p95_ms"], direct["p95_ms"]),
    }
    write_result("inbound", figures)
    print(
        f"inbound, {clients} clients for {seconds:.0f} s: Telegram webhook "
        f"{webhook['replies_per_second']} replies/s, p50 {webhook['p50_ms']} ms, "
        f"p95 {webhook['p95_ms']} ms, {webhook['errors']} errors; Rasa direct "
        f"{direct['replies_per_second']} replies/s, p50 {direct['p50_ms']} ms, "
        f"p95 {direct['p95_ms']} ms, {direct['errors']} errors; ratios: replies/s "
        f"{figures['replies_per_second_ratio']}, p50 {figures['p50_ratio']}, "
        f"p95 {figures['p95_ratio']}",
        flush=True,
    )
    parts = ", ".join(
        f"{name} {webhook['cpu_seconds'][name]}|{direct['cpu_seconds'].get(name, 0.0)}"
        for name in webhook["cpu_seconds"]
    )
    print(f"inbound, CPU seconds (webhook|direct): {parts}", flush=True)
    return figures


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return round(numerator / denominator, 3) if numerator and denominator else None


def run(clients: int = CLIENTS, seconds: float = SECONDS) -> dict[str, Any]:
    """Start a fake Bot API and a stack in webhook mode, measure both loads, stop them."""
    secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="askel-bench-inbound-") as folder:
        log_path = Path(folder) / "sent.jsonl"
        args = ("--token", DEFAULT_TOKEN, "--log", str(log_path), "--enforce-limits")
        with spawn_fake("tests.fakes.telegram_api", *args, cwd=ROOT) as fake:
            stack = prepare_stack(Path(folder) / "stack", dt.datetime.now(dt.timezone.utc))
            stack.env.update(_telegram_env(stack, fake, secret))
            start_serving(stack)
            try:
                return measure(stack, fake, secret, log_path, clients, seconds)
            finally:
                stop(stack)


if __name__ == "__main__":
    run()
