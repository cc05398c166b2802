"""Delivery reports from the SMS provider: delivered, or failed (then retried or given up)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from backend.models import OutboxState
from backend.services.outbox import (
    RetryPolicy,
    mark_dead,
    message_by_provider_id,
    retry_or_give_up,
)
from backend.services.reachability import channel_unreachable
from backend.texts.responses import Renderer

# Twilio's error codes that mean the number will not take messages: unknown number, landline,
# blocked by the recipient or the carrier for good, unsubscribed, not a mobile number.
PERMANENT_ERRORS = frozenset({"21211", "21610", "21614", "30004", "30005", "30006"})
FAILED = ("failed", "undelivered")


def record_delivery_status(
    session: Session,
    provider_id: str,
    status: str,
    error_code: str | None,
    now: dt.datetime,
    policy: RetryPolicy,
    jitter: float,
    renderer: Renderer,
) -> bool:
    """Apply one status report; False when the message is not known as sent yet.

    Reports come more than once and out of order: only a report about a message last known as
    sent changes it. A report can also overtake the sender's own record of the send (the
    provider calls back as soon as it has answered): then it is not applied, and False tells
    the caller to try again shortly.
    """
    row = message_by_provider_id(session, provider_id)
    if row is None or row.state is OutboxState.SENDING:
        return False
    if row.state is not OutboxState.SENT:
        return True
    if status == "delivered":
        row.state = OutboxState.DELIVERED
        return True
    if status not in FAILED:
        return True  # queued, sending, sent: still on its way
    reason = f"sms {status}, code {error_code or '-'}"
    if error_code in PERMANENT_ERRORS:
        mark_dead(row, reason)
        channel_unreachable(session, row, reason, now, renderer)
        return True
    # Not delivered, so sending it again cannot make a double.
    retry_or_give_up(row, reason, now, policy, jitter)
    return True
