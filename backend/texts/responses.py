"""Named responses: a text from the catalog, its buttons, and the values it is filled with.

A response's name (`utter_greet`) is its msgid in `locales/<lang>/LC_MESSAGES/askel.po`; the
Finnish text lives only there. Buttons are declared here because their payloads are intents, not
words; their titles are catalog entries too.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.texts.catalogs import Catalogs


class UnknownResponse(LookupError):
    """The catalog has no text for this name: a bug, caught by the catalog tests."""


@dataclass(frozen=True)
class Button:
    """One choice: Telegram shows it as a button, SMS as a numbered line."""

    title: str
    payload: str

    def to_json(self) -> dict[str, str]:
        """The shape Rasa and the local channel use."""
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class Reply:
    """One message to a client: text and optional choices."""

    text: str
    buttons: tuple[Button, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The shape of the contract's local channel (`buttons` only when there are some)."""
        body: dict[str, Any] = {"text": self.text}
        if self.buttons:
            body["buttons"] = [button.to_json() for button in self.buttons]
        return body


# Response name -> its choices as (title msgid, payload): the one place every response's buttons
# are declared. Payloads are "/intent" messages that the gateway passes to Rasa as they are, so a
# choice never depends on the NLU model; a check-in question's payloads are plain words, which
# its form takes as the answer. A payload with doubled braces is a template filled with the
# reply's values (`{id}`: the appointment a reminder's choice is about); others are literal.
CHOICES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "utter_greet": (("button_help", "/help"),),
    "utter_fallback": (("button_help", "/help"),),
    "utter_ask_consent": (("button_consent_yes", "/affirm"), ("button_consent_no", "/deny")),
    "utter_confirm_delete": (("button_delete_yes", "/affirm"), ("button_delete_no", "/deny")),
    "utter_ask_morning_time": (
        ("button_time_0700", '/inform_time{"time": "07:00"}'),
        ("button_time_0800", '/inform_time{"time": "08:00"}'),
        ("button_time_0900", '/inform_time{"time": "09:00"}'),
    ),
    "utter_ask_checkin_sleep": (
        ("button_sleep_good", "hyvin"),
        ("button_sleep_ok", "ihan ok"),
        ("button_sleep_bad", "huonosti"),
    ),
    # The mood's payload is its number: a digit typed over SMS and a button press agree.
    "utter_ask_checkin_mood": tuple((f"button_mood_{n}", str(n)) for n in range(1, 6)),
    "utter_ask_checkin_meals": (
        ("button_meals_well", "hyvin"),
        ("button_meals_little", "vähän"),
        ("button_meals_hardly", "en juuri"),
    ),
    "utter_ask_checkin_out": (("button_out_yes", "kävin"), ("button_out_no", "en käynyt")),
    "utter_ask_evening_time": (
        ("button_time_1900", '/inform_time{"time": "19:00"}'),
        ("button_time_2000", '/inform_time{"time": "20:00"}'),
        ("button_time_2100", '/inform_time{"time": "21:00"}'),
    ),
    # The goal ladder (backend/services/goals.py, goal_week.py): the week's questions.
    "utter_goal_check": (
        ("button_step_done", "/step_done"),
        ("button_step_partly", "/step_partly"),
        ("button_step_not_done", "/step_not_done"),
    ),
    "utter_goal_step_not_done": (
        ("button_step_smaller", "/goal_step_smaller"),
        ("button_step_move", "/goal_step_again"),
    ),
    "utter_goal_partly_next": (
        ("button_step_again", "/goal_step_again"),
        ("button_step_next", "/goal_step_next"),
    ),
    "utter_goal_offer_next": (
        ("button_step_take", "/goal_step_next"),
        ("button_step_other", "/goal_step_new"),
    ),
    "utter_goal_no_step": (
        ("button_show_goals", "/show_goals"),
        ("button_new_goal", "/set_goal"),
    ),
    "utter_goal_none": (("button_new_goal", "/set_goal"),),
    "ladder_choose_step": (("button_step_next_choose", "/goal_step_next"),),
    # Appointments (backend/services/appointments.py): the read-back, "en pääse"'s questions,
    # and the scheduler's reminder and next-day question, whose choices name the appointment.
    "utter_appointment_confirm": (("button_yes", "/affirm"), ("button_no", "/deny")),
    "utter_ask_wants_new_time": (("button_yes", "/affirm"), ("button_no", "/deny")),
    "utter_ask_miss_reason": (
        ("button_reason_sick", '/inform_miss_reason{"miss_reason": "sick"}'),
        ("button_reason_business", '/inform_miss_reason{"miss_reason": "other_business"}'),
        ("button_reason_other", '/inform_miss_reason{"miss_reason": "other"}'),
        ("button_reason_skip", '/inform_miss_reason{"miss_reason": "skip"}'),
    ),
    "utter_appointment_reminder": (
        ("button_appointment_coming", '/appointment_coming{{"appointment_id": "{id}"}}'),
        ("button_appointment_cannot", '/cannot_attend{{"appointment_id": "{id}"}}'),
    ),
    "utter_appointment_follow_up": (
        ("button_appointment_kept", '/appointment_kept{{"appointment_id": "{id}"}}'),
        ("button_appointment_missed", '/appointment_missed{{"appointment_id": "{id}"}}'),
    ),
}


def _payload(template: str, values: Mapping[str, Any]) -> str:
    """A choice's payload: a template (doubled braces) filled with `values`, else as it is."""
    return template.format_map(values) if "{{" in template else template


def placeholders(text: str) -> set[str]:
    """The `{names}` a text is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Renderer:
    """Turns a response name and its values into the client's words, in their language."""

    def __init__(self, catalogs: Catalogs, constants: Mapping[str, str]) -> None:
        self._catalogs = catalogs
        # Values every text may use, such as the crisis line; they come from settings.
        self._constants = dict(constants)

    def text(self, name: str, language: str | None = None, /, **values: Any) -> str:
        """The text of `name`, filled with `values` and the constants."""
        translated = self._catalogs.get(language).gettext(name)
        if translated == name:
            raise UnknownResponse(name)
        return translated.format_map({**self._constants, **values})

    def count(self, name: str, n: int, language: str | None = None) -> str:
        """A number with its noun in the right form: "1 viesti", "3 viestiä".

        The catalog entry has `msgid name`, `msgid_plural name_plural` and `{n}` in its texts.
        """
        translated = self._catalogs.get(language).ngettext(name, f"{name}_plural", n)
        if translated in (name, f"{name}_plural"):
            raise UnknownResponse(name)
        return translated.format(n=n)

    def render(self, name: str, language: str | None = None, /, **values: Any) -> Reply:
        """The whole reply of `name`: its text and its buttons."""
        return Reply(self.text(name, language, **values), self.buttons(name, language, **values))

    def buttons(
        self, name: str, language: str | None = None, /, **values: Any
    ) -> tuple[Button, ...]:
        """The choices of `name`, their payloads filled with `values` where they are templates."""
        return tuple(
            Button(self.text(title, language), _payload(payload, values))
            for title, payload in CHOICES.get(name, ())
        )

    def knows(self, name: str, language: str | None = None) -> bool:
        """Whether the catalog has a text for `name`."""
        return self._catalogs.get(language).gettext(name) != name
