"""The outbox: every outgoing message is a row first, written with the change that caused it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from backend.models import ChannelIdentity, ChannelKind, OutboxMessage, OutboxState
from backend.prepared import Prepared
from backend.settings import Settings
from backend.texts.responses import Button, Reply


class Recipient(Protocol):
    """Whom a message goes to: a client's channel identity, or a bare address (a stranger)."""

    @property
    def client_id(self) -> int | None: ...

    @property
    def channel(self) -> ChannelKind: ...

    @property
    def address(self) -> str: ...


@dataclass(frozen=True)
class Address:
    """A bare address: someone Askel answers but does not know."""

    channel: ChannelKind
    address: str
    client_id: int | None = None


def enqueue_replies(
    session: Session,
    identity: Recipient,
    replies: Sequence[Reply],
    now: dt.datetime,
    *,
    dedupe_prefix: str | None = None,
    in_reply_to: int | None = None,
    state: OutboxState = OutboxState.PENDING,
    replayable: bool = True,
) -> list[OutboxMessage]:
    """Put `replies` to the client behind `identity` in the outbox, in order.

    With `dedupe_prefix`, reply n gets the key "<prefix>:<n>": a replayed cause (a job fired
    again after a crash) finds its messages already there and adds none. A cause that cannot
    be replayed (`replayable=False`: an inbound message, processed once by its own key) skips
    the look-up; the unique key still guards it.
    """
    keys = [f"{dedupe_prefix}:{index}" if dedupe_prefix else None for index in range(len(replies))]
    existing: dict[str, OutboxMessage] = {}
    if dedupe_prefix and replayable and replies:
        # One look-up for all of them: a replayed cause finds every one of its messages.
        existing = {
            row.dedupe_key or "": row
            for row in session.scalars(
                select(OutboxMessage).where(OutboxMessage.dedupe_key.in_(keys))
            )
        }
    rows: list[OutboxMessage] = []
    for key, reply in zip(keys, replies, strict=True):
        if key is not None and key in existing:
            rows.append(existing[key])
            continue
        row = OutboxMessage(**_row_values(identity, reply, key, in_reply_to, state, now))
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def write_replies(
    session: Session,
    identity: Recipient,
    replies: Sequence[Reply],
    now: dt.datetime,
    *,
    dedupe_prefix: str,
    in_reply_to: int,
    state: OutboxState,
) -> None:
    """The rows `enqueue_replies` writes for a cause that is never replayed (an inbound
    message, processed once), in one INSERT and without loading them back.

    This is on every client message's path: the ORM's unit of work and the RETURNING of each
    new id cost more than the INSERT itself. The unique key "<prefix>:<n>" still guards
    against a second answer.
    """
    if not replies:
        return
    session.flush()  # what the rows refer to (the inbound message) goes first; cheap if clean
    values = [
        _row_values(identity, reply, f"{dedupe_prefix}:{index}", in_reply_to, state, now)
        for index, reply in enumerate(replies)
    ]
    _INSERT_ROW.execute_many(session.connection(), values)


# Every column a new row sets (`_row_values`), so that one compiled statement serves all.
_INSERT_ROW = Prepared(insert(OutboxMessage.__table__))  # type: ignore[arg-type]


def _row_values(
    identity: Recipient,
    reply: Reply,
    key: str | None,
    in_reply_to: int | None,
    state: OutboxState,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "client_id": identity.client_id,
        "coach_id": None,
        "channel": identity.channel,
        "address": identity.address,
        "text": reply.text,
        "buttons": [button.to_json() for button in reply.buttons] or None,
        "dedupe_key": key,
        "in_reply_to": in_reply_to,
        "state": state,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "sent_at": now if state is OutboxState.DELIVERED else None,
    }


def take_pending(session: Session, identity: ChannelIdentity, now: dt.datetime) -> list[Reply]:
    """Hand over the messages waiting for a client who fetches them (the local channel).

    They are marked delivered in the same transaction, so two fetches never get the same one.
    """
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == identity.channel,
            OutboxMessage.address == identity.address,
            OutboxMessage.state == OutboxState.PENDING,
        )
        .order_by(OutboxMessage.id)
    ).all()
    for row in rows:
        row.state = OutboxState.DELIVERED
        row.sent_at = now
    return [reply_from_row(row) for row in rows]


def reply_from_row(row: OutboxMessage) -> Reply:
    """The reply an outbox row holds."""
    buttons = tuple(Button(b["title"], b["payload"]) for b in row.buttons or ())
    return Reply(row.text, buttons)


def _claimable(now: dt.datetime) -> Any:
    return or_(
        and_(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.state == OutboxState.SENDING, OutboxMessage.lease_until < now),
    )


def claim_sendable(
    session: Session,
    channels: Collection[ChannelKind],
    now: dt.datetime,
    lease: dt.timedelta,
    limit: int,
) -> list[OutboxMessage]:
    """Claim up to `limit` messages that may be sent now, for one sender, until `now + lease`.

    A message waits while an earlier one to the same address is unsent, so one chat gets its
    messages in order and one at a time, whichever sender process holds them. The claim is a
    compare-and-set on a fresh token, safe on SQLite where SKIP LOCKED is
    dropped; on PostgreSQL SKIP LOCKED keeps senders from even trying the same rows.
    """
    earlier = aliased(OutboxMessage)
    unsent_before = (
        select(earlier.id)
        .where(
            earlier.channel == OutboxMessage.channel,
            earlier.address == OutboxMessage.address,
            earlier.state.in_((OutboxState.PENDING, OutboxState.SENDING)),
            earlier.id < OutboxMessage.id,
        )
        .exists()
    )
    conditions = [OutboxMessage.channel.in_(list(channels)), _claimable(now), ~unsent_before]
    candidates = session.scalars(
        select(OutboxMessage.id)
        .where(*conditions)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        return []
    token = secrets.token_hex(16)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), _claimable(now))
        .values(
            state=OutboxState.SENDING,
            lease_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
            claim_token=token,
        )
        .execution_options(synchronize_session=False)
    )
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.claim_token == token)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        ).all()
    )


def held_message(session: Session, message_id: int, token: str) -> OutboxMessage | None:
    """The message, if this sender's claim still holds it (a lapsed lease passes it on)."""
    return session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id == message_id,
            OutboxMessage.claim_token == token,
            OutboxMessage.state == OutboxState.SENDING,
        )
    ).one_or_none()


def mark_sent(row: OutboxMessage, provider_id: str | None, now: dt.datetime) -> None:
    """The provider took the message."""
    row.state = OutboxState.SENT
    row.provider_id = provider_id
    row.sent_at = now
    row.lease_until = None
    row.last_error = None


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to try: waits double from `backoff` up to `backoff_max`."""

    max_attempts: int
    backoff: dt.timedelta
    backoff_max: dt.timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        """The policy the settings give."""
        return cls(
            settings.outbox_max_attempts,
            dt.timedelta(seconds=settings.outbox_backoff_seconds),
            dt.timedelta(seconds=settings.outbox_backoff_max_seconds),
        )

    def wait(self, attempts: int, jitter: float) -> dt.timedelta:
        """The wait after the `attempts`-th failure; `jitter` in [0, 1) spreads retries out."""
        doubled: dt.timedelta = self.backoff * (2 ** min(max(attempts - 1, 0), 30))
        capped: dt.timedelta = min(self.backoff_max, doubled)
        return capped * (0.8 + 0.4 * jitter)


def retry_or_give_up(
    row: OutboxMessage, reason: str, now: dt.datetime, policy: RetryPolicy, jitter: float
) -> bool:
    """After a passing failure: pending again after a backoff, or dead once the tries are
    used up. Returns True when the message is dead."""
    row.lease_until = None
    row.last_error = reason[:500]
    if row.attempts >= policy.max_attempts:
        row.state = OutboxState.DEAD
        return True
    row.state = OutboxState.PENDING
    row.next_attempt_at = now + policy.wait(row.attempts, jitter)
    return False


def wait_as_asked(row: OutboxMessage, reason: str, retry_at: dt.datetime) -> None:
    """The provider asked us to wait (flow control): not a failed attempt."""
    row.state = OutboxState.PENDING
    row.next_attempt_at = retry_at
    row.lease_until = None
    row.last_error = reason[:500]
    row.attempts = max(0, row.attempts - 1)


def mark_dead(row: OutboxMessage, reason: str) -> None:
    """Give up on the message, keeping the reason."""
    row.state = OutboxState.DEAD
    row.lease_until = None
    row.last_error = reason[:500]


def message_by_provider_id(session: Session, provider_id: str) -> OutboxMessage | None:
    """The outbox message a provider knows by `provider_id` (a Twilio MessageSid)."""
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.provider_id == provider_id)
    ).first()
