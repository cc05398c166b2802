"""Enrolment by invite: a coach's single-use code binds a Telegram chat or a phone number.

A code is ten characters of Crockford's base 32 (50 random bits; no I, L, O or U to misread),
shown as "ABCDE-FGHJK". Only its SHA-256 is kept. A client may type it in any case, with or
without the hyphen or spaces, or arrive with it in a Telegram link (`/start ABCDEFGHJK`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.models import ChannelIdentity, ChannelKind, Client, Invite

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
# A code inside a message: ten code characters, perhaps split in two by a hyphen or a space.
_CODE = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{5})[- ]?([0-9A-Z]{5})(?![0-9A-Z])")
# Letters people write for the digits they resemble, as Crockford's decoding allows.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    """A fresh random code, without the hyphen."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """The code as a coach reads it out: "ABCDE-FGHJK"."""
    return f"{code[:5]}-{code[5:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def code_in(text: str) -> str | None:
    """The invite code a message carries, if it carries one."""
    match = _CODE.search(text.upper().translate(_READ_AS))
    if match is None:
        return None
    code = match.group(1) + match.group(2)
    return code if all(char in ALPHABET for char in code) else None


def create_invite(session: Session, client: Client, now: dt.datetime, valid_days: int) -> str:
    """A new code for `client`; their earlier unused codes stop working."""
    session.execute(
        update(Invite)
        .where(Invite.client_id == client.id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(expires_at=now)
    )
    code = new_code()
    session.add(
        Invite(
            client_id=client.id,
            code_hash=_hash(code),
            expires_at=now + dt.timedelta(days=valid_days),
            created_at=now,
        )
    )
    session.flush()
    return code


class InviteProblem(Enum):
    """Why a code did not bind the sender."""

    UNKNOWN = "unknown"  # no such code, or it has expired or been used
    TAKEN = "taken"  # the chat or number already belongs to another client


@dataclass(frozen=True)
class Redeemed:
    """The code was good: `identity` now reaches its client."""

    identity: ChannelIdentity


def redeem_invite(
    session: Session, code: str, channel: ChannelKind, address: str, now: dt.datetime
) -> Redeemed | InviteProblem:
    """Bind `address` on `channel` to the client whose code this is; the code is used up."""
    invite = session.scalars(
        select(Invite).where(Invite.code_hash == _hash(code)).with_for_update()
    ).one_or_none()
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return InviteProblem.UNKNOWN
    taken = session.scalars(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.address == address
        )
    ).one_or_none()
    if taken is not None and taken.client_id != invite.client_id:
        return InviteProblem.TAKEN
    invite.used_at = now
    client = session.get_one(Client, invite.client_id)
    if taken is not None:
        return Redeemed(taken)
    # A new channel becomes the preferred one: the client chose it just now.
    for other in client.identities:
        other.preferred = False
    identity = ChannelIdentity(channel=channel, address=address, created_at=now)
    client.identities.append(identity)
    client.last_seen_at = now
    session.flush()
    return Redeemed(identity)
