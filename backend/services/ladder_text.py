"""The goal ladder in the client's words, for Telegram and for SMS, and the goal dialogue's
choices.

Telegram shows the whole ladder. An SMS must fit two segments (every segment costs), so the SMS
version shortens the client's words at a word boundary, then leaves out what matters least (the
wished support, then the goals after the first), and never cuts a word in half.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from backend.channels.sms_text import segments, sms_body
from backend.models import Goal, GoalStep
from backend.services.checkin_answers import Said
from backend.services.goals import is_climbed, is_open, next_planned
from backend.texts.responses import Button, Renderer, Reply

SMS_SEGMENTS = 2
# The longest a client's words are quoted in a message; the catalog tests measure the texts
# with values this long (tests/unit/catalog_values.py).
WORDS_IN_MESSAGE = 80
# The SMS ladder's ways to fit, tried in order: (all goals shown, wished support shown, longest
# words). Words are shortened a little first, then the support goes, then the later goals.
_SMS_FITTINGS = (
    *((True, True, limit) for limit in (WORDS_IN_MESSAGE, 60, 45)),
    *((True, False, limit) for limit in (45, 32)),
    *((False, False, limit) for limit in (60, 45, 32, 24)),
)
ELLIPSIS = "..."


def shorten(words: str, limit: int) -> str:
    """`words` in at most `limit` characters, cut at a word boundary with "..." if need be."""
    words = " ".join(words.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - len(ELLIPSIS) + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else ""
    return (head.rstrip(" ,.;:-") or words.split(" ", 1)[0][: limit - len(ELLIPSIS)]) + ELLIPSIS


def _quoted(values: Mapping[str, object], limit: int) -> dict[str, object]:
    return {
        key: shorten(value, limit) if key in ("goal", "step") and isinstance(value, str) else value
        for key, value in values.items()
    }


def render_said(renderer: Renderer, said: Said, language: str | None = None) -> Reply:
    """A goal response with the client's words quoted (at most `WORDS_IN_MESSAGE` long) and
    its choices."""
    text = renderer.text(said.response, language, **_quoted(said.values, WORDS_IN_MESSAGE))
    return Reply(text, renderer.buttons(said.response, language))


def suggestion_buttons(
    renderer: Renderer, names: Sequence[str], language: str | None = None
) -> tuple[Button, ...]:
    """Goal suggestions as buttons whose payload is the suggestion itself: the goal form takes
    the pressed words as the client's answer."""
    texts = [renderer.text(name, language) for name in names]
    return tuple(Button(text, text) for text in texts)


def _goal_lines(
    renderer: Renderer,
    goal: Goal,
    language: str | None,
    limit: int | None,
    *,
    all_done: bool,
    support: bool,
) -> list[str]:
    def say(name: str, **values: Any) -> str:
        quoted = values if limit is None else _quoted(values, limit)
        return renderer.text(name, language, **quoted)

    lines = [say("ladder_goal", goal=goal.words)]
    climbed: list[GoalStep] = [step for step in goal.steps if is_climbed(step)]
    if all_done:
        lines.extend(say("ladder_done", step=step.words) for step in climbed)
    elif climbed:
        lines.append(renderer.count("ladder_done_count", len(climbed), language))
    now = next((step for step in goal.steps if is_open(step)), None)
    if now is not None:
        lines.append(say("ladder_now", step=now.words))
    upcoming = next_planned(goal)
    if upcoming is not None:
        lines.append(say("ladder_next", step=upcoming.words))
    if support and goal.support_wish:
        lines.append(say("ladder_support", step=goal.support_wish))
    return lines


def _footer(renderer: Renderer, goals: Sequence[Goal], language: str | None) -> Reply:
    if any(is_open(step) for goal in goals for step in goal.steps):
        return Reply(renderer.text("ladder_footer_now", language))
    choose = "ladder_choose_step"
    return Reply(renderer.text(choose, language), renderer.buttons(choose, language))


def ladder_for_telegram(
    renderer: Renderer, goals: Sequence[Goal], language: str | None = None
) -> Reply:
    """Every goal with every rung climbed, this week's step, what comes next and the support
    the client wished, in their own words, and the next thing to do."""
    blocks = [
        "\n".join(_goal_lines(renderer, goal, language, None, all_done=True, support=True))
        for goal in goals
    ]
    footer = _footer(renderer, goals, language)
    # One newline only: Rasa sends the parts of a text split at a blank line as messages apart.
    return Reply("\n".join([*blocks, footer.text]), footer.buttons)


def ladder_for_sms(renderer: Renderer, goals: Sequence[Goal], language: str | None = None) -> Reply:
    """The ladder in at most two SMS segments, choices included: rungs climbed as a count, the
    client's words shortened at word boundaries, then the support and later goals left out, as
    much as it takes."""
    footer = _footer(renderer, goals, language)
    candidate = Reply("")
    for all_goals, support, limit in _SMS_FITTINGS:
        shown = goals if all_goals else goals[:1]
        lines = [
            line
            for goal in shown
            for line in _goal_lines(
                renderer, goal, language, limit, all_done=False, support=support
            )
        ]
        if len(shown) < len(goals):
            lines.append(renderer.count("ladder_more_goals", len(goals) - len(shown), language))
        candidate = Reply("\n".join([*lines, footer.text]), footer.buttons)
        if segments(sms_body(candidate)) <= SMS_SEGMENTS:
            return candidate
    return candidate


def ladder(
    renderer: Renderer, goals: Sequence[Goal], *, sms: bool, language: str | None = None
) -> Reply:
    """The client's ladder for their channel ("näytä tavoitteeni"); with no goal yet, the offer
    to set one."""
    if not goals:
        return render_said(renderer, Said("utter_goal_none"), language)
    if sms:
        return ladder_for_sms(renderer, goals, language)
    return ladder_for_telegram(renderer, goals, language)
