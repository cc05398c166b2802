"""Names of the slots the actions share (declared in bot/domain/), and how they are read."""

from __future__ import annotations

from rasa_sdk import Tracker

# What the bot just asked: consent, morning, evening or delete (bot/domain/questions.yml).
ASKED = "asked"


def asked_last_turn(tracker: Tracker) -> bool:
    """Whether the question now in `asked` was put in the bot's last turn, with no other
    message of the client's since: a yes typed later may mean something else."""
    asked = tracker.get_slot(ASKED)
    messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            messages += 1
            if messages > 1:
                return False
        elif event.get("event") == "slot" and event.get("name") == ASKED and messages == 1:
            return bool(event.get("value") == asked)
    return False
