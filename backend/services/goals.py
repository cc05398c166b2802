"""The goal ladder (tavoiteportaat): the client's own goal, its steps in order, the history of
what they have already done, and the support they wish from their coach.

The client's words are kept as they wrote them: the ladder is theirs (the Kumina model's
"asiakas kirjoittaa ja sanoittaa itse tavoitteensa"). The weekly rhythm of a step (choosing it,
the nudges, its outcome) is in `backend.services.goal_week`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Client, Goal, GoalStep, NivelPhase, StepOutcome

# Goal suggestions (catalog names) that fit each Nivel phase, offered when a client with no
# goal asks to set one: phase 1 everyday rhythm and trust, phase 2 own goals and schedules,
# phase 3 applying to and starting rehabilitative work activity.
PHASE_SUGGESTIONS: dict[NivelPhase | None, tuple[str, ...]] = {
    NivelPhase.ACTIVATION: ("goal_suggest_rhythm", "goal_suggest_outdoors"),
    NivelPhase.EMPOWERMENT: ("goal_suggest_calendar", "goal_suggest_own_thing"),
    NivelPhase.TRANSITION: ("goal_suggest_apply", "goal_suggest_start_work"),
    None: ("goal_suggest_rhythm", "goal_suggest_calendar"),
}

# Words that only ask to set a goal ("haluun tehdä uuden tavoitteen") and say nothing of it.
_ASKING_WORDS = frozenset(
    [
        "haluan",
        "haluun",
        "haluisin",
        "haluaisin",
        "mä",
        "ma",
        "mun",
        "mulla",
        "minä",
        "mina",
        "minun",
        "mulle",
        "voisinko",
        "voinko",
        "voiko",
        "voitaisko",
        "voisko",
        "tehdä",
        "tehda",
        "teha",
        "asettaa",
        "asetetaan",
        "laittaa",
        "laitetaan",
        "uusi",
        "uuden",
        "uus",
        "oma",
        "oman",
        "tavoite",
        "tavoitteen",
        "tavoitteita",
        "tavoitteet",
        "tavoitetta",
        "tavote",
        "tavotteen",
        "tavotteita",
        "tavoit",
        "päämäärä",
        "paamaara",
        "asettaisin",
        "tekisin",
        "tehdään",
        "tehdaan",
        "aloittaa",
        "aloitetaan",
        "yks",
        "yksi",
        "yhden",
        "ois",
        "olis",
        "olisi",
        "on",
        "jo",
        "nyt",
        "vähän",
        "vahan",
        "pitäis",
        "pitäisi",
        "pitais",
        "semmonen",
        "sellainen",
        "joku",
        "jonkun",
        "kans",
        "kanssa",
        "sun",
        "ja",
        "että",
        "etta",
        "tai",
    ]
)
# Answers that say "nothing yet" to "what have you already done?".
_NOTHING = re.compile(
    r"^\s*(-|en\b.*|ei\b.*|en mit[aä][aä]n|ei mit[aä][aä]n|ei oikein mit[aä][aä]n|"
    r"nada|nolla|0)\s*[.!]*\s*$",
    re.IGNORECASE,
)


def goal_words_in(text: str) -> str | None:
    """The goal in the client's words, or None when the words only ask to set one.

    "haluan saada päivärytmin kuntoon" is a goal; "haluun tehdä uuden tavoitteen" asks for the
    question "what is your goal?". The words are kept as written, only trimmed.
    """
    words = re.findall(r"[\wäöåÄÖÅ]+", text.lower())
    if all(word in _ASKING_WORDS for word in words):
        return None
    return text.strip().rstrip(".!").strip() or None


def says_nothing_yet(text: str | None) -> bool:
    """Whether an answer to "what have you already done?" says nothing is done yet."""
    return not text or not text.strip() or _NOTHING.match(text) is not None


def active_goals(session: Session, client: Client) -> list[Goal]:
    """The client's goals they are working on, oldest first."""
    return list(
        session.scalars(
            select(Goal)
            .where(Goal.client_id == client.id, Goal.active.is_(True))
            .order_by(Goal.created_at, Goal.id)
        )
    )


def suggestions_for(client: Client) -> tuple[str, ...]:
    """Goal suggestions (catalog names) that fit the client's Nivel phase."""
    return PHASE_SUGGESTIONS[client.nivel_phase]


def add_goal(
    session: Session,
    client: Client,
    words: str,
    now: dt.datetime,
    *,
    vision: str | None = None,
    history: str | None = None,
    support_wish: str | None = None,
) -> Goal:
    """A new goal in the client's words. What they have already done towards it (unless they
    said "nothing yet") is the first rung: the ladder shows what they bring with them."""
    goal = Goal(
        client_id=client.id,
        words=words.strip(),
        vision=(vision or "").strip() or None,
        support_wish=None if says_nothing_yet(support_wish) else (support_wish or "").strip(),
        active=True,
        created_at=now,
    )
    session.add(goal)
    session.flush()
    if not says_nothing_yet(history):
        add_step(session, goal, str(history), now, already_done=True)
    return goal


def add_step(
    session: Session,
    goal: Goal,
    words: str,
    now: dt.datetime,
    *,
    before: GoalStep | None = None,
    already_done: bool = False,
) -> GoalStep:
    """A step in the client's words: at the end of the ladder, or just before `before`."""
    steps = list(goal.steps)
    position = before.position if before is not None else len(steps) + 1
    for later in steps:
        if later.position >= position:
            later.position += 1
    step = GoalStep(
        goal_id=goal.id,
        position=position,
        words=words.strip(),
        already_done=already_done,
        created_at=now,
    )
    session.add(step)
    goal.steps.append(step)
    goal.steps.sort(key=lambda s: s.position)
    session.flush()
    return step


def is_climbed(step: GoalStep) -> bool:
    """Whether the step counts as a rung climbed: brought along, done, or partly done."""
    return step.already_done or step.outcome in (StepOutcome.DONE, StepOutcome.PARTLY)


def is_open(step: GoalStep) -> bool:
    """Whether the step is planned for a week and its outcome is not known yet."""
    return step.week_start is not None and step.outcome is None and not step.already_done


def is_planned(step: GoalStep) -> bool:
    """Whether the step is still ahead: not given a week, not done."""
    return step.week_start is None and step.outcome is None and not step.already_done


def current_step(session: Session, client: Client) -> GoalStep | None:
    """The client's "this week's step": the open one they chose last."""
    return session.scalars(
        select(GoalStep)
        .join(Goal)
        .where(
            Goal.client_id == client.id,
            Goal.active.is_(True),
            GoalStep.week_start.is_not(None),
            GoalStep.outcome.is_(None),
            GoalStep.already_done.is_(False),
        )
        .order_by(GoalStep.week_start.desc(), GoalStep.id.desc())
        .limit(1)
    ).first()


def next_planned(goal: Goal) -> GoalStep | None:
    """The goal's next step waiting for its week, in ladder order."""
    return next((step for step in goal.steps if is_planned(step)), None)


def last_reported(session: Session, client: Client) -> GoalStep | None:
    """The step the client last told an outcome of."""
    return session.scalars(
        select(GoalStep)
        .join(Goal)
        .where(Goal.client_id == client.id, GoalStep.outcome_at.is_not(None))
        .order_by(GoalStep.outcome_at.desc(), GoalStep.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class LadderLevel:
    """Where a client stands on a goal's ladder, for the coach's digest: rungs climbed (done and
    brought along count one, partly half) out of the rungs there are."""

    climbed: float
    rungs: int
    done: int
    partly: int
    not_done: int
    not_attempted: int


def ladder_level(goal: Goal) -> LadderLevel:
    """The goal's level. A step tried again after a week that did not go is one rung, so the
    rungs are the steps that were not retried (a retry has the same words later on)."""
    outcomes = [step.outcome for step in goal.steps]
    done = outcomes.count(StepOutcome.DONE) + sum(1 for s in goal.steps if s.already_done)
    partly = outcomes.count(StepOutcome.PARTLY)
    retried = (StepOutcome.NOT_DONE, StepOutcome.NOT_ATTEMPTED)
    rungs = sum(1 for step in goal.steps if step.outcome not in retried)
    return LadderLevel(
        climbed=done + partly / 2,
        rungs=rungs,
        done=done,
        partly=partly,
        not_done=outcomes.count(StepOutcome.NOT_DONE),
        not_attempted=outcomes.count(StepOutcome.NOT_ATTEMPTED),
    )
