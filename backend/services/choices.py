"""Numbered choices: a digit answers the choices most recently offered on that channel."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from backend.models import ChannelIdentity
from backend.texts.responses import Button, Reply

_DIGIT = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def remember_choices(identity: ChannelIdentity, replies: Sequence[Reply]) -> None:
    """Keep the buttons of the last reply that had any; a reply without them keeps the old ones."""
    offered = [reply.buttons for reply in replies if reply.buttons]
    if offered:
        identity.last_choices = json.dumps([button.to_json() for button in offered[-1]])


def offered_choices(identity: ChannelIdentity) -> list[Button]:
    """The choices most recently offered to this identity."""
    if not identity.last_choices:
        return []
    return [Button(item["title"], item["payload"]) for item in json.loads(identity.last_choices)]


def choice_payload(identity: ChannelIdentity, text: str) -> str | None:
    """The payload a reply of just a digit ("2", " 2. ") picks, if it picks one."""
    match = _DIGIT.match(text)
    if not match:
        return None
    choices = offered_choices(identity)
    index = int(match.group(1)) - 1
    if 0 <= index < len(choices):
        return choices[index].payload
    return None
