"""Trackers as the action server hands them to an action, for tests that run actions directly."""

from __future__ import annotations

from rasa_sdk import Tracker


def tracker_for(conversation: str, text: str = "", intent: str | None = None) -> Tracker:
    """The tracker of `conversation` whose latest message is `text`, read as `intent`."""
    read = {"name": intent, "confidence": 1.0} if intent else {}
    latest = {"text": text, "intent": read, "entities": []}
    return Tracker.from_dict(
        {"sender_id": conversation, "events": [], "slots": {}, "latest_message": latest}
    )
