"""The outbox's claims: one chat's messages in order, one at a time; no message claimed twice."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from backend import migrate
from backend.clock import FakeClock
from backend.context import AppContext, build_context
from backend.db import transaction
from backend.models import ChannelKind, OutboxMessage, OutboxState
from backend.services.outbox import (
    Address,
    RetryPolicy,
    claim_sendable,
    enqueue_replies,
    held_message,
    mark_sent,
    retry_or_give_up,
)
from backend.settings import Settings
from backend.texts.responses import Reply

LEASE = dt.timedelta(seconds=60)
TELEGRAM = [ChannelKind.TELEGRAM]


def _queue(context: AppContext, chats: int, each: int) -> None:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        for n in range(each):
            for chat in range(chats):
                enqueue_replies(
                    session, Address(ChannelKind.TELEGRAM, f"chat{chat}"), [Reply(f"{n}")], now
                )


def _claim(context: AppContext, limit: int = 100) -> list[OutboxMessage]:
    with transaction(context.sessions) as session:
        return claim_sendable(session, TELEGRAM, context.clock.now(), LEASE, limit)


def _send(context: AppContext, rows: list[OutboxMessage]) -> None:
    with transaction(context.sessions) as session:
        for row in rows:
            held = held_message(session, row.id, row.claim_token or "")
            assert held is not None
            mark_sent(held, f"p{row.id}", context.clock.now())


def test_one_chat_gets_its_messages_in_order_one_at_a_time(context: AppContext) -> None:
    _queue(context, chats=3, each=3)
    sent: dict[str, list[str]] = {}
    while rows := _claim(context):
        assert len({row.address for row in rows}) == len(rows)  # one per chat at a time
        assert _claim(context) == []  # nothing more until those are answered
        for row in rows:
            sent.setdefault(row.address, []).append(row.text)
        _send(context, rows)
    assert sent == {f"chat{n}": ["0", "1", "2"] for n in range(3)}


def test_a_message_held_by_a_dead_sender_is_claimed_again_after_its_lease(
    context: AppContext, clock: FakeClock
) -> None:
    _queue(context, chats=1, each=1)
    first = _claim(context)
    assert len(first) == 1 and _claim(context) == []
    clock.advance(LEASE + dt.timedelta(seconds=1))
    second = _claim(context)
    assert [row.id for row in second] == [first[0].id] and second[0].attempts == 2
    # The first sender wakes up too late: its claim no longer holds the message.
    with transaction(context.sessions) as session:
        assert held_message(session, first[0].id, first[0].claim_token or "") is None


def test_a_waiting_retry_holds_back_the_chats_later_messages(
    context: AppContext, clock: FakeClock
) -> None:
    _queue(context, chats=1, each=2)
    [row] = _claim(context)
    policy = RetryPolicy(5, dt.timedelta(seconds=10), dt.timedelta(minutes=10))
    with transaction(context.sessions) as session:
        held = held_message(session, row.id, row.claim_token or "")
        assert held is not None
        assert not retry_or_give_up(held, "HTTP 500", clock.now(), policy, 0.5)
    assert _claim(context) == []  # the second message waits for the first
    clock.advance(dt.timedelta(seconds=11))
    assert [r.text for r in _claim(context)] == ["0"]


@given(st.integers(min_value=1, max_value=40), st.floats(min_value=0, max_value=0.999))
def test_backoff_doubles_up_to_its_cap(attempts: int, jitter: float) -> None:
    policy = RetryPolicy(50, dt.timedelta(seconds=2), dt.timedelta(minutes=15))
    wait = policy.wait(attempts, jitter)
    expected = min(dt.timedelta(seconds=2) * 2 ** (attempts - 1), dt.timedelta(minutes=15))
    assert expected * 0.8 <= wait <= expected * 1.2


def test_a_message_that_keeps_failing_is_dead_with_its_reason(
    context: AppContext, clock: FakeClock
) -> None:
    _queue(context, chats=1, each=1)
    policy = RetryPolicy(3, dt.timedelta(seconds=1), dt.timedelta(seconds=1))
    for attempt in range(1, 4):
        [row] = _claim(context)
        assert row.attempts == attempt
        with transaction(context.sessions) as session:
            held = held_message(session, row.id, row.claim_token or "")
            assert held is not None
            dead = retry_or_give_up(held, f"HTTP 500 #{attempt}", clock.now(), policy, 0.0)
        assert dead is (attempt == 3)
        clock.advance(dt.timedelta(seconds=2))
    with transaction(context.sessions) as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert (row.state, row.last_error) == (OutboxState.DEAD, "HTTP 500 #3")


def _two_senders_claim_everything(context: AppContext, other: AppContext) -> None:
    _queue(context, chats=200, each=2)
    claimed: list[list[int]] = [[], []]
    # Both hold a claim before either sends: on SQLite a waiting writer can otherwise sleep
    # in its busy handler while the other claims everything, and nothing would overlap.
    both_claimed = threading.Barrier(2, timeout=60)

    def sender(n: int, ctx: AppContext) -> None:
        while True:
            with transaction(ctx.sessions) as session:
                rows = claim_sendable(session, TELEGRAM, ctx.clock.now(), LEASE, 7)
            if not rows:
                return
            first = not claimed[n]
            claimed[n].extend(row.id for row in rows)
            if first:
                both_claimed.wait()
            _send(ctx, rows)

    threads = [
        threading.Thread(target=sender, args=(0, context)),
        threading.Thread(target=sender, args=(1, other)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = claimed[0] + claimed[1]
    assert len(both) == len(set(both)) == 400  # every message once, none twice
    assert claimed[0] and claimed[1]


def test_two_senders_on_sqlite_never_claim_the_same_message(context: AppContext) -> None:
    other = build_context(context.settings, context.clock)
    try:
        _two_senders_claim_everything(context, other)
    finally:
        other.close()


@pytest.mark.postgres
def test_two_senders_on_postgresql_never_claim_the_same_message(
    settings: Settings, clock: FakeClock, postgres_url: str
) -> None:
    migrate.upgrade(postgres_url)
    pg = settings.model_copy(update={"database_url": postgres_url})
    first, second = build_context(pg, clock), build_context(pg, clock)
    try:
        _two_senders_claim_everything(first, second)
    finally:
        first.close()
        second.close()
