"""The outbox under `kill -9`, and two senders at once: nothing lost, nothing doubled beyond what
was in flight at a crash.

The sender runs as its own process (`askel dispatcher`), killed with SIGKILL mid-batch and
started again; the fake Bot API's log of accepted messages is the judge.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend import migrate
from backend.context import build_context
from backend.db import transaction
from backend.models import ChannelKind, OutboxMessage, OutboxState
from backend.services.outbox import Address, enqueue_replies
from backend.settings import Settings
from backend.texts.responses import Reply
from tests.conftest import changed
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramApi
from tests.processes import stop_gently

ROOT = Path(__file__).resolve().parents[2]
CONCURRENCY = 8


@pytest.fixture
def telegram_api() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi() as fake:
        yield fake


def _queue(settings: Settings, chats: int, each: int) -> list[str]:
    context = build_context(settings)
    texts: list[str] = []
    try:
        with transaction(context.sessions) as session:
            now = context.clock.now()
            for n in range(each):
                for chat in range(chats):
                    text = f"viesti {chat}.{n}"
                    texts.append(text)
                    enqueue_replies(
                        session, Address(ChannelKind.TELEGRAM, str(1000 + chat)), [Reply(text)], now
                    )
    finally:
        context.close()
    return texts


def _dispatcher(
    database_url: str, api_url: str, var_dir: Path, lease: float = 30.0
) -> subprocess.Popen[bytes]:
    """`askel dispatcher` as its own process. A short `lease` makes a killed one's messages
    come back soon; it must still be longer than a send takes, or a slow send is doubled."""
    env = {
        **os.environ,
        "ASKEL_VAR_DIR": str(var_dir),
        "ASKEL_DATABASE_URL": database_url,
        "ASKEL_TELEGRAM_TOKEN": DEFAULT_TOKEN,
        "ASKEL_TELEGRAM_API_URL": api_url,
        "ASKEL_TELEGRAM_MODE": "polling",
        # Slow enough to be killed mid-batch.
        "ASKEL_TELEGRAM_MESSAGES_PER_SECOND": "150",
        "ASKEL_TELEGRAM_CHAT_INTERVAL_SECONDS": "0",
        "ASKEL_OUTBOX_CONCURRENCY": str(CONCURRENCY),
        "ASKEL_OUTBOX_LEASE_SECONDS": str(lease),
        "ASKEL_OUTBOX_POLL_SECONDS": "0.05",
        "ASKEL_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "dispatcher"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _unsent(settings: Settings) -> int:
    context = build_context(settings)
    try:
        with transaction(context.sessions) as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.state.not_in((OutboxState.SENT, OutboxState.DELIVERED)))
                )
                or 0
            )
    finally:
        context.close()


def _wait_until_sent(settings: Settings, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _unsent(settings) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _unsent(settings) == 0


def test_a_sender_killed_mid_batch_loses_nothing_and_doubles_only_what_was_in_flight(
    settings: Settings, telegram_api: FakeTelegramApi, tmp_path: Path
) -> None:
    migrate.upgrade(settings.database_url)
    texts = _queue(settings, chats=60, each=10)
    kills = 0
    for delay in (0.8, 0.6, 0.7):
        process = _dispatcher(settings.database_url, telegram_api.url, tmp_path / "var", lease=3)
        before = len(telegram_api.sent)
        deadline = time.monotonic() + 20
        while len(telegram_api.sent) < before + 50 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(delay / 10)
        process.kill()  # SIGKILL: no cleanup, leases left behind
        process.wait()
        kills += 1
    process = _dispatcher(settings.database_url, telegram_api.url, tmp_path / "var", lease=3)
    try:
        _wait_until_sent(settings, timeout=60)
    finally:
        stop_gently(process)
    counts = collections.Counter(message.text for message in telegram_api.sent)
    assert set(counts) == set(texts)  # nothing lost
    doubled = {text: n for text, n in counts.items() if n > 1}
    assert all(n == 2 for n in doubled.values())
    assert len(doubled) <= kills * CONCURRENCY * 2  # at most what the killed ones had claimed
    # Each chat still got its messages in order.
    by_chat: dict[str, list[str]] = collections.defaultdict(list)
    for message in telegram_api.sent:
        if not by_chat[str(message.chat_id)] or by_chat[str(message.chat_id)][-1] != message.text:
            by_chat[str(message.chat_id)].append(message.text)
    for chat, seen in by_chat.items():
        numbers = [int(text.rsplit(".", 1)[1]) for text in dict.fromkeys(seen)]
        assert numbers == sorted(numbers), chat


@pytest.mark.postgres
def test_two_senders_on_postgresql_send_one_batch_together_exactly_once(
    settings: Settings, telegram_api: FakeTelegramApi, postgres_url: str, tmp_path: Path
) -> None:
    migrate.upgrade(postgres_url)
    pg = changed(settings, database_url=postgres_url)
    texts = _queue(pg, chats=100, each=4)
    senders = [_dispatcher(postgres_url, telegram_api.url, tmp_path / "var") for _ in range(2)]
    try:
        _wait_until_sent(pg, timeout=60)
    finally:
        for sender in senders:
            stop_gently(sender)
    counts = collections.Counter(message.text for message in telegram_api.sent)
    assert sorted(counts) == sorted(texts) and set(counts.values()) == {1}
