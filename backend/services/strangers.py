"""Senders Askel does not know: a polite answer, and nothing kept but a keyed hash.

The hash lets answers (and invite-code guesses) be rate limited without keeping the number
or chat id: with a secret key, a phone number cannot be found again by hashing guesses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import ChannelKind, InboundMessage
from backend.settings import Settings

# Answers (and code tries) a stranger gets in an hour; after that they get no answer.
ANSWERS_PER_HOUR = 5


def secret_key(settings: Settings) -> bytes:
    """The key for sender hashes: the setting, or a random one kept in var_dir."""
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured.encode()
    path = settings.var_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written with O_EXCL so that two processes starting at once agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def sender_hash(key: bytes, channel: ChannelKind, address: str) -> str:
    """The keyed hash that stands for an unknown sender."""
    message = f"{channel.value}:{address}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def may_answer(session: Session, hashed: str, now: dt.datetime) -> bool:
    """Whether a stranger's message of now gets an answer (it is already stored)."""
    recent = session.scalar(
        select(func.count())
        .select_from(InboundMessage)
        .where(
            InboundMessage.sender_hash == hashed,
            InboundMessage.received_at > now - dt.timedelta(hours=1),
        )
    )
    return (recent or 0) <= ANSWERS_PER_HOUR
