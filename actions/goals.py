"""The goal ladder's actions: thin, over `backend.services.goals`, `goal_week` and `ladder_text`.

The goal dialogue is a form asking one solution-focused question at a time; these actions start
it with the client's own words, save what it gathered, and carry the week's outcome and the
choices that follow it. Texts come from the catalog with the goal dialogue's choices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.appointments import answer_appointment_question
from actions.base import ContextAction, latest_text
from actions.slots import ASKED
from backend.context import AppContext
from backend.db import transaction
from backend.models import ChannelKind, Client, StepOutcome
from backend.services.appointments import Meaning
from backend.services.checkin_answers import Said
from backend.services.clients import client_by_conversation, preferred_identity
from backend.services.goal_week import (
    ASK_NEW_STEP,
    GoalAnswers,
    WeekPlan,
    again_step,
    new_step,
    outcome_in_words,
    report_outcome,
    set_goal,
    take_next_step,
)
from backend.services.goals import active_goals, goal_words_in, suggestions_for
from backend.services.ladder_text import ladder, render_said, suggestion_buttons
from backend.texts.responses import Reply

# The `asked` value of "Otetaanko se tämän viikon askeleeksi?": a typed yes or no answers it
# (bot/domain/questions.yml, actions/questions.py).
NEXT_STEP_ASKED = "goal_next_step"
OFFER_NEXT = "utter_goal_offer_next"
GOAL_SLOTS = ("goal_words", "goal_vision", "goal_history", "goal_step", "goal_support")
NEW_STEP_FORM = "goal_new_step_form"
GOAL_FORM = "goal_form"
# Goal questions that a typed "joo" answers as their first choice would, by that choice's
# payload: the `asked` value each is kept as (bot/domain/questions.yml).
CHOICE_ASKED = {
    "/set_goal": "goal_set",  # "Haluatko asettaa sellaisen?"
    "/show_goals": "goal_show",  # "Katsotaanko tavoitteitasi?"
    "/goal_step_next": "goal_choose_step",  # "Valitaanko tämän viikon askel?"
}
OUTCOME_INTENTS = {
    "step_done": True,
    "step_not_done": False,
}


def _send(dispatcher: CollectingDispatcher, replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """Send the replies; returns the question asked, when a typed yes answers the last one."""
    for reply in replies:
        dispatcher.utter_message(
            text=reply.text, buttons=[button.to_json() for button in reply.buttons]
        )
    last = replies[-1].buttons if replies else ()
    asked = CHOICE_ASKED.get(last[0].payload) if last else None
    return [SlotSet(ASKED, asked)] if asked is not None else []


class _GoalAction(ContextAction):
    """Says what a goal service returned, with the goal dialogue's choices; a reply that ends
    with the step form's question opens that form instead (the form asks it). An offer of the
    next step is remembered as the question asked, so that a typed "joo" or "ei" answers it."""

    def say(
        self, dispatcher: CollectingDispatcher, said: Sequence[Said], language: str
    ) -> list[dict[str, Any]]:
        asks_step = bool(said) and said[-1].response == ASK_NEW_STEP
        shown = said[:-1] if asks_step else said
        renderer = self._context.renderer
        asked = _send(dispatcher, [render_said(renderer, item, language) for item in shown])
        # The offer's "ei" means another step, not a plain no: it is asked as its own question.
        if any(item.response == OFFER_NEXT for item in shown):
            asked = [SlotSet(ASKED, NEXT_STEP_ASKED)]
        return [*([FollowupAction(NEW_STEP_FORM)] if asks_step else []), *asked]

    def plan(self) -> WeekPlan:
        return WeekPlan.from_settings(self._context.settings)


class ActionGoalStart(ContextAction):
    """ "haluan saada päivärytmin kuntoon": the goal dialogue starts afresh, with the goal in
    the client's own words when they said it (then it is not asked again)."""

    def name(self) -> str:
        return "action_goal_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        return _goal_start(None if text.startswith("/") else goal_words_in(text))


def _goal_start(words: str | None) -> list[dict[str, Any]]:
    """The goal form's answers cleared, with the goal's words when the client said them."""
    return [SlotSet(name, None) for name in GOAL_SLOTS[1:]] + [SlotSet("goal_words", words)]


class ActionAskGoalWords(ContextAction):
    """What is the goal? With no goal yet, suggestions that fit the client's Nivel phase."""

    def name(self) -> str:
        return "action_ask_goal_words"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        renderer = self._context.renderer
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            language = client.language
            names = () if active_goals(session, client) else suggestions_for(client)
        if not names:
            return _send(dispatcher, [renderer.render("utter_ask_goal_words", language)])
        text = renderer.text("utter_ask_goal_words_suggest", language)
        return _send(dispatcher, [Reply(text, suggestion_buttons(renderer, names, language))])


class ActionGoalSave(_GoalAction):
    """The goal form is done: the ladder is built and this week's step planned."""

    def name(self) -> str:
        return "action_goal_save"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        slots = {name: tracker.get_slot(name) for name in GOAL_SLOTS}
        answers = GoalAnswers(
            words=str(slots["goal_words"] or ""),
            vision=slots["goal_vision"],
            history=slots["goal_history"],
            step=str(slots["goal_step"] or ""),
            support=slots["goal_support"],
        )
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = set_goal(session, client, answers, self._context.clock.now(), self.plan())
            language = client.language
        return self.say(dispatcher, said, language) + [SlotSet(name, None) for name in GOAL_SLOTS]


class ActionStepOutcome(_GoalAction):
    """ "sain sen tehtyä", "en ehtinyt", or a choice of the week's question: kept, answered,
    and the next thing offered. Typed words that answer the next day's appointment question
    instead ("en päässyt", which the model may take for a step not done) answer that."""

    def name(self) -> str:
        return "action_step_outcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = str(tracker.get_intent_of_latest_message())
        if not latest_text(tracker).startswith("/"):
            # "en päässyt" right after the next day's "Pääsitkö paikalle?" answers that.
            answered = await answer_appointment_question(
                self._context, dispatcher, tracker, (Meaning.KEPT, Meaning.MISSED)
            )
            if answered is not None:
                return answered
        if intent == "step_partly":
            outcome = StepOutcome.PARTLY
        else:
            outcome = outcome_in_words(OUTCOME_INTENTS.get(intent, True), latest_text(tracker))
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = report_outcome(session, client, outcome, self._context.clock.now())
            language = client.language
        return self.say(dispatcher, said, language)


# A choice after the week's outcome: (session, client, now, plan) -> what to say.
WeekChoice = Callable[[Session, Client, dt.datetime, WeekPlan], Said]


class _WeekChoiceAction(_GoalAction):
    """Hands the client's choice to one goal-week service and says what it returns."""

    service: WeekChoice

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = type(self).service(session, client, self._context.clock.now(), self.plan())
            language = client.language
        return self.say(dispatcher, [said], language)


class ActionGoalStepNext(_WeekChoiceAction):
    """The next step of the ladder becomes this week's (with none left, the client names one)."""

    service = staticmethod(take_next_step)

    def name(self) -> str:
        return "action_goal_step_next"


class ActionGoalStepAgain(_WeekChoiceAction):
    """The step is tried again next week (moved, or gone on with after a partly done week)."""

    service = staticmethod(again_step)

    def name(self) -> str:
        return "action_goal_step_again"


async def answer_next_step(
    context: AppContext, dispatcher: CollectingDispatcher, tracker: Tracker, yes: bool
) -> list[dict[str, Any]]:
    """ "joo" or "ei" typed to "Otetaanko se tämän viikon askeleeksi?" does what its choices
    do: a yes takes the offered step as this week's, a no asks for another step in the
    client's own words (the step form asks it)."""
    if not yes:
        return [FollowupAction(NEW_STEP_FORM), SlotSet(ASKED, None)]
    events = await ActionGoalStepNext(context).run(dispatcher, tracker, {})
    return [*events, SlotSet(ASKED, None)]


async def answer_goal_choice(
    context: AppContext,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    asked: str,
    yes: bool,
) -> list[dict[str, Any]]:
    """ "joo" or "ei" typed to a goal question with choices (`CHOICE_ASKED`): a yes does what
    the first choice does, a no is acknowledged with what the client can do next."""
    answered = [SlotSet(ASKED, None)]
    if not yes:
        dispatcher.utter_message(response="utter_ack")
        return answered
    if asked == CHOICE_ASKED["/set_goal"]:
        return [*answered, *_goal_start(None), FollowupAction(GOAL_FORM)]
    action = ActionShowGoals if asked == CHOICE_ASKED["/show_goals"] else ActionGoalStepNext
    return [*answered, *await action(context).run(dispatcher, tracker, {})]


class _StepWordsAction(_GoalAction):
    """A step the client named in a form becomes this week's step."""

    slot: str
    smaller: bool

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        words = str(tracker.get_slot(self.slot) or "")
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            said = new_step(session, client, words, now, self.plan(), smaller=self.smaller)
            language = client.language
        return [*self.say(dispatcher, [said], language), SlotSet(self.slot, None)]


class ActionGoalNewStep(_StepWordsAction):
    """ "Mikä olisi seuraava pieni askel?" answered."""

    slot, smaller = "goal_new_step", False

    def name(self) -> str:
        return "action_goal_new_step"


class ActionGoalSmallerStep(_StepWordsAction):
    """ "Mikä olisi vielä pienempi askel?" answered: it comes before the step that did not go."""

    slot, smaller = "goal_smaller_step", True

    def name(self) -> str:
        return "action_goal_smaller_step"


class ActionShowGoals(ContextAction):
    """ "näytä tavoitteeni": the ladder, whole on Telegram, in two segments over SMS."""

    def name(self) -> str:
        return "action_show_goals"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with transaction(self._context.sessions) as session:
            client = client_by_conversation(session, tracker.sender_id)
            identity = preferred_identity(client)
            sms = identity is not None and identity.channel is ChannelKind.SMS
            reply = ladder(
                self._context.renderer,
                active_goals(session, client),
                sms=sms,
                language=client.language,
            )
        return _send(dispatcher, [reply])
