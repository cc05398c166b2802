"""The week of a goal step: chosen, encouraged mid-week, asked about at the week's end.

A step chosen by the encouragement day (Wednesday by default) is this week's; a step chosen
later is next week's, so the client always has days to take it. The scheduler sends a short
encouragement on the encouragement day and "Saitko askeleen tehtyä?" on the check day (Friday),
both at `message_time` local time. An outcome told at any time ("sain sen tehtyä", "en
ehtinyt") cancels what is still pending for the step. A week's question left unanswered for
`answer_days` marks the step not attempted, quietly: no answer is not failure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from backend.models import (
    Client,
    Goal,
    GoalStep,
    JobState,
    ScheduledJob,
    StepOutcome,
)
from backend.services.checkin_answers import Said
from backend.services.checkin_opening import take_open_checkin
from backend.services.checkins import is_paused
from backend.services.goals import (
    active_goals,
    add_goal,
    add_step,
    current_step,
    last_reported,
    next_planned,
)
from backend.services.jobs import cancel_due_jobs, schedule_job
from backend.services.subscription import receives_messages
from backend.settings import Settings
from backend.texts.formatting import short_date

GOAL_ENCOURAGE = "goal_encourage"
GOAL_CHECK = "goal_check"
GOAL_CLOSE = "goal_close"
GOAL_KINDS = (GOAL_ENCOURAGE, GOAL_CHECK, GOAL_CLOSE)
# The question of the dialogue's step form: an answer ending with it opens the form.
ASK_NEW_STEP = "utter_ask_goal_new_step"

# Words that tell a step went partly ("osittain", "puoliks", "vähän sinne päin").
_PARTLY_WORDS = (
    "osittain",
    "osittai",
    "puoli",
    "osan",
    "osa ",
    "vahan",
    "vähän",
    "melkein",
    "lähes",
)


@dataclass(frozen=True)
class WeekPlan:
    """When in the week the step's messages go (ISO weekdays, local time)."""

    encourage_weekday: int
    check_weekday: int
    message_time: dt.time
    answer_days: int

    @classmethod
    def from_settings(cls, settings: Settings) -> WeekPlan:
        """The plan the settings describe (ASKEL_GOAL_*)."""
        return cls(
            encourage_weekday=settings.goal_encourage_weekday,
            check_weekday=settings.goal_check_weekday,
            message_time=settings.goal_message_time,
            answer_days=settings.goal_answer_days,
        )


def step_week(client: Client, now: dt.datetime, plan: WeekPlan) -> dt.date:
    """The Monday of the week a step chosen now belongs to."""
    today = now.astimezone(ZoneInfo(client.timezone)).date()
    monday = today - dt.timedelta(days=today.weekday())
    if today.isoweekday() > plan.encourage_weekday:
        return monday + dt.timedelta(days=7)
    return monday


def _local(client: Client, day: dt.date, plan: WeekPlan) -> dt.datetime:
    zone = ZoneInfo(client.timezone)
    # fold=0: an ambiguous autumn time is taken the first time it comes.
    return dt.datetime.combine(day, plan.message_time, tzinfo=zone).astimezone(dt.timezone.utc)


def cancel_step_jobs(session: Session, step: GoalStep, now: dt.datetime, why: str) -> None:
    """Nothing still pending for the step is sent."""
    cancel_due_jobs(
        session,
        now,
        why,
        ScheduledJob.kind.in_(GOAL_KINDS),
        ScheduledJob.dedupe_key.like(f"goal:{step.id}:%"),
    )


def choose_step(
    session: Session, client: Client, step: GoalStep, now: dt.datetime, plan: WeekPlan
) -> dt.date:
    """Make `step` the client's step of the week and plan its messages; returns the day the
    week's question comes.

    A client has one step of the week: one chosen before and still open goes back to the
    ladder, and its messages are cancelled.
    """
    previous = current_step(session, client)
    if previous is not None and previous.id != step.id:
        previous.week_start = None
        cancel_step_jobs(session, previous, now, "another step chosen")
    monday = step_week(client, now, plan)
    step.week_start = monday
    # The key names the step and this choice of it (a step moved back and forth gets new ones).
    key = f"goal:{step.id}:{int(now.timestamp())}"
    encourage = _local(client, monday + dt.timedelta(days=plan.encourage_weekday - 1), plan)
    check = _local(client, monday + dt.timedelta(days=plan.check_weekday - 1), plan)
    planned = {
        GOAL_ENCOURAGE: encourage,
        GOAL_CHECK: check,
        GOAL_CLOSE: check + dt.timedelta(days=plan.answer_days),
    }
    for kind, due in planned.items():
        if due > now:  # a step chosen on Wednesday afternoon has missed its encouragement
            schedule_job(
                session,
                kind,
                due,
                now,
                client_id=client.id,
                payload={"step_id": step.id},
                dedupe_key=f"{key}:{kind}",
            )
    session.flush()
    return monday + dt.timedelta(days=plan.check_weekday - 1)


@dataclass(frozen=True)
class GoalAnswers:
    """The client's answers to the goal dialogue's questions, in their own words."""

    words: str
    vision: str | None
    history: str | None
    step: str
    support: str | None


def set_goal(
    session: Session, client: Client, answers: GoalAnswers, now: dt.datetime, plan: WeekPlan
) -> list[Said]:
    """The ladder from the goal dialogue: the goal, what is already done, the wished support,
    and the smallest step as this week's step (its week's messages planned)."""
    goal = add_goal(
        session,
        client,
        answers.words,
        now,
        vision=answers.vision,
        history=answers.history,
        support_wish=answers.support,
    )
    step = add_step(session, goal, answers.step, now)
    return [
        Said("utter_goal_saved", {"goal": goal.words}),
        _chosen(step, choose_step(session, client, step, now, plan)),
    ]


def outcome_in_words(said_done: bool, text: str) -> StepOutcome:
    """The outcome the client's words tell: "sain osan tehtyä" is partly, not done."""
    folded = f" {text.lower()} "
    if any(word in folded for word in _PARTLY_WORDS):
        return StepOutcome.PARTLY
    return StepOutcome.DONE if said_done else StepOutcome.NOT_DONE


def report_outcome(
    session: Session, client: Client, outcome: StepOutcome, now: dt.datetime
) -> list[Said]:
    """The client tells how this week's step went: kept on the step, its pending messages
    cancelled, and an answer that says what comes next.

    Done is celebrated and the next step offered; partly counts and is celebrated too, with the
    choice of going on with the same step; not done is met with understanding and the offer to
    make the step smaller or move it to next week.
    """
    step = current_step(session, client)
    if step is None:
        return [Said("utter_goal_no_step")]
    step.outcome = outcome
    step.outcome_at = now
    cancel_step_jobs(session, step, now, f"client told: {outcome.value}")
    if outcome is StepOutcome.NOT_DONE:
        return [Said("utter_goal_step_not_done")]
    upcoming = next_planned(step.goal)
    celebrate = "utter_goal_step_done" if outcome is StepOutcome.DONE else "utter_goal_step_partly"
    if outcome is StepOutcome.PARTLY:
        return [Said(celebrate), Said("utter_goal_partly_next")]
    if upcoming is None:
        return [Said(celebrate), Said(ASK_NEW_STEP)]
    return [Said(celebrate), Said("utter_goal_offer_next", {"step": upcoming.words})]


def _chosen(step: GoalStep, check_day: dt.date) -> Said:
    """The step chosen, with the day the week's question comes."""
    return Said("utter_goal_step_chosen", {"step": step.words, "first": short_date(check_day)})


def take_next_step(session: Session, client: Client, now: dt.datetime, plan: WeekPlan) -> Said:
    """The client takes the next step of the ladder as this week's; with none left, they are
    asked for one in their own words."""
    reported = last_reported(session, client)
    goal = reported.goal if reported is not None else _latest_goal(session, client)
    upcoming = next_planned(goal) if goal is not None else None
    if upcoming is None:
        return Said(ASK_NEW_STEP)
    return _chosen(upcoming, choose_step(session, client, upcoming, now, plan))


def next_step_offered(session: Session, client: Client) -> dt.datetime | None:
    """When the next step of the ladder was offered ("Otetaanko se tämän viikon askeleeksi?"),
    if the offer still waits for its answer: the step last told about was done, no step has
    been chosen since, and the ladder has a next one. None otherwise."""
    reported = last_reported(session, client)
    if reported is None or reported.outcome is not StepOutcome.DONE:
        return None
    if current_step(session, client) is not None or next_planned(reported.goal) is None:
        return None
    return reported.outcome_at


def again_step(session: Session, client: Client, now: dt.datetime, plan: WeekPlan) -> Said:
    """The step last told about is tried again (moved to a new week, or gone on with after a
    partly done week): a new rung with the same words, so the week that went is kept as it was."""
    reported = last_reported(session, client)
    if reported is None:
        return Said("utter_goal_no_step")
    following = next((s for s in reported.goal.steps if s.position > reported.position), None)
    retry = add_step(session, reported.goal, reported.words, now, before=following)
    return _chosen(retry, choose_step(session, client, retry, now, plan))


def new_step(
    session: Session,
    client: Client,
    words: str,
    now: dt.datetime,
    plan: WeekPlan,
    *,
    smaller: bool = False,
) -> Said:
    """A step in the client's own words becomes this week's. A smaller step goes just before
    the one that did not go this week, which stays ahead on the ladder."""
    reported = last_reported(session, client)
    goal = reported.goal if reported is not None else _latest_goal(session, client)
    if goal is None:
        return Said("utter_goal_none")
    if smaller and reported is not None and reported.outcome is StepOutcome.NOT_DONE:
        following = next((s for s in goal.steps if s.position > reported.position), None)
        step = add_step(session, goal, words, now, before=following)
        # The step that did not go stays ahead on the ladder, right after the smaller one.
        add_step(session, goal, reported.words, now, before=following)
    else:
        step = add_step(session, goal, words, now)
    return _chosen(step, choose_step(session, client, step, now, plan))


def _latest_goal(session: Session, client: Client) -> Goal | None:
    goals = active_goals(session, client)
    return goals[-1] if goals else None


def goal_job_skip_reason(session: Session, job: ScheduledJob, now: dt.datetime) -> str | None:
    """Why a due message of a step's week is not to go out (None: send it)."""
    step = session.get(GoalStep, int(job.payload["step_id"]))
    if step is None or step.outcome is not None or not step.goal.active:
        return "step already told about"
    if job.kind == GOAL_CLOSE:
        return None
    client = session.get_one(Client, job.client_id)
    if not receives_messages(client) or is_paused(client, now):
        return "client takes no messages now"
    return None


def close_unanswered(session: Session, job: ScheduledJob, now: dt.datetime) -> None:
    """A week whose question went unanswered: the step was not attempted, as far as we know.
    The client is not told: no answer is not failure."""
    if job.state is not JobState.DONE:
        return
    step = session.get(GoalStep, int(job.payload["step_id"]))
    if step is not None and step.outcome is None:
        step.outcome = StepOutcome.NOT_ATTEMPTED
        step.outcome_at = now


# What the scheduler says for each message of a step's week.
WEEK_MESSAGES = {GOAL_ENCOURAGE: "utter_goal_encourage", GOAL_CHECK: "utter_goal_check"}


def week_message(session: Session, kind: str, step_id: int) -> Said | None:
    """The encouragement or the week's question for the step, or None if it is gone."""
    step = session.get(GoalStep, step_id)
    if step is None or kind not in WEEK_MESSAGES:
        return None
    return Said(WEEK_MESSAGES[kind], {"step": step.words})


def after_week_question(session: Session, job: ScheduledJob, now: dt.datetime) -> None:
    """The week's question went out: the client's next words answer it, not a check-in's first
    question still open from the morning (the check-in is closed, as an unanswered one is)."""
    if job.state is JobState.DONE and job.client_id is not None:
        take_open_checkin(session.get_one(Client, job.client_id), now)
