"""Numbered choices: a digit answers the choices most recently offered on that channel."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from backend.models import ChannelIdentity
from backend.prepared import Prepared
from backend.texts.responses import Button, Reply

_DIGIT = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


_IDENTITIES = ChannelIdentity.__table__
_SET_CHOICES = Prepared(
    update(_IDENTITIES)  # type: ignore[arg-type]
    .where(_IDENTITIES.c.id == bindparam("identity_id"))
    .values(last_choices=bindparam("choices"))
)


def _choices_offered(replies: Sequence[Reply]) -> str | None:
    """The buttons of the last reply that had any, as stored; None when no reply had any."""
    offered = [reply.buttons for reply in replies if reply.buttons]
    return json.dumps([button.to_json() for button in offered[-1]]) if offered else None


def remember_choices(identity: ChannelIdentity, replies: Sequence[Reply]) -> None:
    """Keep the buttons of the last reply that had any; a reply without them keeps the old ones."""
    offered = _choices_offered(replies)
    if offered is not None:
        identity.last_choices = offered


def remember_choices_of(session: Session, identity_id: int, replies: Sequence[Reply]) -> None:
    """`remember_choices` for an identity known by its id alone, in one UPDATE.

    The answer to every client message goes this way: loading the identity only to set one
    column cost more than the rest of the answer's bookkeeping (the gateway benchmark).
    """
    offered = _choices_offered(replies)
    if offered is not None:
        _SET_CHOICES.execute(session.connection(), {"identity_id": identity_id, "choices": offered})


class ChoiceFacts(Protocol):
    """Where the choices last offered on a channel are kept (the identity, or a query's facts)."""

    @property
    def last_choices(self) -> str | None: ...


def offered_choices(identity: ChoiceFacts) -> list[Button]:
    """The choices most recently offered to this identity."""
    if not identity.last_choices:
        return []
    return [Button(item["title"], item["payload"]) for item in json.loads(identity.last_choices)]


def choice_payload(identity: ChoiceFacts, text: str) -> str | None:
    """The payload a reply of just a digit ("2", " 2. ") picks, if it picks one."""
    match = _DIGIT.match(text)
    if not match:
        return None
    choices = offered_choices(identity)
    index = int(match.group(1)) - 1
    if 0 <= index < len(choices):
        return choices[index].payload
    return None
