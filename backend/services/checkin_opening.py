"""A check-in opened by the scheduler itself: the greeting and the first question come from the
catalog, without a turn of the dialogue, so that thousands of 08:00 check-ins are in the outbox
at once. The client's answer then opens the check-in's form in Rasa with that answer in it.
"""

from __future__ import annotations

import datetime as dt
import json

from backend.models import CheckinKind, Client
from backend.services.greeting import Greeted, greeting_for
from backend.texts.responses import Renderer, Reply

# Each check-in's first question, and the form slot its answer fills.
FIRST_QUESTION = {
    CheckinKind.MORNING: ("utter_ask_checkin_sleep", "checkin_sleep"),
    CheckinKind.EVENING: ("utter_ask_checkin_mood", "checkin_mood"),
}


def checkin_kind(intent: object) -> CheckinKind:
    """The kind of check-in a check-in job's intent names ("checkin_morning" -> morning)."""
    return CheckinKind(str(intent).removeprefix("checkin_"))


def opening_replies(
    client: Greeted, kind: CheckinKind, now: dt.datetime, renderer: Renderer, default_tz: str
) -> list[Reply]:
    """A short greeting by the time of day and name, then the check-in's first question."""
    greeting = greeting_for(client, now, default_tz)
    word = renderer.text(greeting.greeting_word, client.language)
    hello = "utter_checkin_hello_named" if greeting.name else "utter_checkin_hello"
    question, _slot = FIRST_QUESTION[kind]
    return [
        renderer.render(hello, client.language, greeting=word, name=greeting.name),
        renderer.render(question, client.language),
    ]


def nudge_replies(client: Greeted, kind: CheckinKind, renderer: Renderer) -> list[Reply]:
    """One gentle reminder, and the first question again (a nudge goes only to a client who
    has not answered it)."""
    question, _slot = FIRST_QUESTION[kind]
    return [
        renderer.render("utter_checkin_nudge", client.language),
        renderer.render(question, client.language),
    ]


def open_checkin(client: Client, kind: CheckinKind, until: dt.datetime) -> None:
    """The first question is out: the client's next words answer it, until `until`."""
    client.checkin_open = kind.value
    client.checkin_open_until = until


def take_open_checkin(client: Client, now: dt.datetime) -> CheckinKind | None:
    """The check-in a message answers, if one is open; it is closed by being taken."""
    kind, until = client.checkin_open, client.checkin_open_until
    if kind is None and until is None:
        return None  # nothing to close: the client is left clean (no flush on every message)
    client.checkin_open = None
    client.checkin_open_until = None
    if kind is None or until is None or until <= now:
        return None
    return CheckinKind(kind)


def first_answer_message(kind: CheckinKind, answer: str) -> str:
    """What Rasa is told: the check-in's intent with the answer as its first slot's value."""
    _question, slot = FIRST_QUESTION[kind]
    return f"/checkin_{kind.value}_answer{json.dumps({slot: answer}, ensure_ascii=False)}"
