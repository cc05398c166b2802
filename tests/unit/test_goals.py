"""The goal ladder, as a coach would follow it: Aino (Nivel phase 1) words her own goal, brings
what she has already done, chooses this week's step, hears from Askel mid-week and at the week's
end, and climbs; a week that did not go gets a smaller step, never blame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.gateway.rasa_client import RasaClient
from backend.models import (
    ChannelKind,
    Client,
    ClientStatus,
    Goal,
    GoalStep,
    JobState,
    NivelPhase,
    OutboxMessage,
    ScheduledJob,
    StepOutcome,
)
from backend.scheduler.handlers import default_handlers, default_hooks
from backend.scheduler.worker import SchedulerWorker
from backend.services.clients import client_for_address
from backend.services.goal_week import (
    GOAL_CHECK,
    GOAL_CLOSE,
    GOAL_ENCOURAGE,
    GoalAnswers,
    WeekPlan,
    again_step,
    new_step,
    next_step_offered,
    outcome_in_words,
    report_outcome,
    set_goal,
    step_week,
    take_next_step,
)
from backend.services.goals import (
    active_goals,
    add_step,
    current_step,
    goal_words_in,
    ladder_level,
    says_nothing_yet,
    suggestions_for,
)
from backend.services.onboarding import give_consent
from tests.fakes.rasa_server import FakeRasa

HELSINKI = ZoneInfo("Europe/Helsinki")
ROOT = Path(__file__).resolve().parents[2]


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    """A local time in Helsinki in late 2026 (23 November is a Monday)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def plan(context: AppContext) -> WeekPlan:
    return WeekPlan.from_settings(context.settings)


@pytest.fixture
async def rasa_client(rasa: FakeRasa) -> AsyncIterator[RasaClient]:
    client = RasaClient(rasa.url, "test-rasa-token", 5.0)
    yield client
    await client.aclose()


@pytest.fixture
def worker(context: AppContext, rasa_client: RasaClient) -> SchedulerWorker:
    return SchedulerWorker(context, default_handlers(rasa_client, context), default_hooks(context))


def _aino(context: AppContext, clock: FakeClock) -> int:
    clock.set(at(23, 10))
    now = clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", now)
        client.display_name = "Aino Virtanen"
        give_consent(client, now)
        client.status = ClientStatus.ACTIVE
        client.nivel_phase = NivelPhase.ACTIVATION
        return client.id


AINO_GOAL = GoalAnswers(
    words="haluan saada päivärytmin kuntoon",
    vision="jaksaisin lähteä aamulla liikkeelle",
    history="herään jo arkisin kymmeneltä",
    step="herään kolmena aamuna yhdeksältä",
    support="että ohjaaja kysyy välillä miten menee",
)


def _set_aino_goal(context: AppContext, client_id: int, plan: WeekPlan) -> list[str]:
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        said = set_goal(session, client, AINO_GOAL, context.clock.now(), plan)
    return [item.response for item in said]


def _jobs(context: AppContext) -> list[tuple[str, dt.datetime, JobState]]:
    with transaction(context.sessions) as session:
        rows = session.scalars(
            select(ScheduledJob).where(ScheduledJob.kind.like("goal_%")).order_by(ScheduledJob.id)
        ).all()
        return [(job.kind, job.due_at.astimezone(HELSINKI), job.state) for job in rows]


def _outbox_texts(context: AppContext) -> list[str]:
    with transaction(context.sessions) as session:
        return [
            row.text for row in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("haluan saada päivärytmin kuntoon", "haluan saada päivärytmin kuntoon"),
        (
            "mun tavoite on päästä kuntouttavaan työtoimintaan.",
            "mun tavoite on päästä kuntouttavaan työtoimintaan",
        ),
        ("haluun tehdä uuden tavoitteen", None),
        ("uus tavote", None),
        ("voisinko asettaa tavoitteen", None),
    ],
)
def test_the_goal_is_kept_in_the_clients_words_or_asked_for(text: str, goal: str | None) -> None:
    assert goal_words_in(text) == goal


@pytest.mark.parametrize("text", ["en mitään", "ei mitään vielä", "-", "en oo vielä", ""])
def test_nothing_done_yet_adds_no_history(text: str) -> None:
    assert says_nothing_yet(text)


def test_having_been_to_the_shop_is_history_not_nothing() -> None:
    assert not says_nothing_yet("kävin kaupassa yksin")


def test_suggestions_fit_the_clients_nivel_phase(context: AppContext, clock: FakeClock) -> None:
    client_id = _aino(context, clock)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert suggestions_for(client) == ("goal_suggest_rhythm", "goal_suggest_outdoors")
        client.nivel_phase = NivelPhase.TRANSITION
        assert suggestions_for(client) == ("goal_suggest_apply", "goal_suggest_start_work")


def test_the_ladder_holds_the_goal_history_support_and_this_weeks_step(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    assert _set_aino_goal(context, client_id, plan) == [
        "utter_goal_saved",
        "utter_goal_step_chosen",
    ]
    with transaction(context.sessions) as session:
        (goal,) = active_goals(session, session.get_one(Client, client_id))
        assert goal.words == "haluan saada päivärytmin kuntoon"
        assert goal.vision == "jaksaisin lähteä aamulla liikkeelle"
        assert goal.support_wish == "että ohjaaja kysyy välillä miten menee"
        history, step = goal.steps
        assert (history.words, history.already_done) == ("herään jo arkisin kymmeneltä", True)
        assert step.words == "herään kolmena aamuna yhdeksältä"
        assert step.week_start == dt.date(2026, 11, 23)
        assert current_step(session, session.get_one(Client, client_id)) == step
    # Encouragement on Wednesday, the question on Friday, both at noon; closed quietly Monday.
    assert _jobs(context) == [
        (GOAL_ENCOURAGE, at(25, 12), JobState.DUE),
        (GOAL_CHECK, at(27, 12), JobState.DUE),
        (GOAL_CLOSE, at(30, 12), JobState.DUE),
    ]


def test_a_step_chosen_late_in_the_week_is_next_weeks(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert step_week(client, at(25, 20), plan) == dt.date(2026, 11, 23)  # Wednesday
        assert step_week(client, at(26, 9), plan) == dt.date(2026, 11, 30)  # Thursday
        assert step_week(client, at(29, 23), plan) == dt.date(2026, 11, 30)  # Sunday


@pytest.mark.parametrize(
    ("done", "text", "outcome"),
    [
        (True, "sain sen tehtyä", StepOutcome.DONE),
        (True, "sain osan tehtyä", StepOutcome.PARTLY),
        (True, "melkein sain", StepOutcome.PARTLY),
        (False, "en ehtinyt", StepOutcome.NOT_DONE),
        (False, "osittain vaan", StepOutcome.PARTLY),
    ],
)
def test_the_outcome_the_words_tell(done: bool, text: str, outcome: StepOutcome) -> None:
    assert outcome_in_words(done, text) is outcome


async def test_a_week_encouraged_mid_week_and_asked_about_at_its_end(
    context: AppContext, clock: FakeClock, plan: WeekPlan, worker: SchedulerWorker
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    clock.set(at(25, 12))
    assert await worker.run_once() == 1
    clock.set(at(27, 12))
    assert await worker.run_once() == 1
    assert _outbox_texts(context) == [
        "Muistathan tämän viikon askeleesi: herään kolmena aamuna yhdeksältä. "
        "Pienikin yritys on hyvä!",
        "Saitko askeleen tehtyä? (herään kolmena aamuna yhdeksältä)",
    ]
    with transaction(context.sessions) as session:
        question = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert question is not None
        assert [b["payload"] for b in question.buttons or []] == [
            "/step_done",
            "/step_partly",
            "/step_not_done",
        ]
        said = report_outcome(
            session, session.get_one(Client, client_id), StepOutcome.DONE, clock.now()
        )
    # Done, and nothing planned after it: celebrated, and the next step asked in her words.
    assert [s.response for s in said] == ["utter_goal_step_done", "utter_ask_goal_new_step"]
    assert _jobs(context)[-1] == (GOAL_CLOSE, at(30, 12), JobState.CANCELLED)


async def test_a_step_told_done_early_cancels_the_nudges_still_pending(
    context: AppContext, clock: FakeClock, plan: WeekPlan, worker: SchedulerWorker
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    clock.set(at(24, 18))  # "sain sen tehtyä" on Tuesday evening
    with transaction(context.sessions) as session:
        report_outcome(session, session.get_one(Client, client_id), StepOutcome.DONE, clock.now())
    assert [state for _, _, state in _jobs(context)] == [JobState.CANCELLED] * 3
    clock.set(at(30, 13))
    assert await worker.run_once() == 0
    assert _outbox_texts(context) == []


async def test_an_unanswered_week_is_not_attempted_and_nothing_is_said(
    context: AppContext, clock: FakeClock, plan: WeekPlan, worker: SchedulerWorker
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    for when in (at(25, 12), at(27, 12), at(30, 12)):
        clock.set(when)
        await worker.run_once()
    assert len(_outbox_texts(context)) == 2  # the encouragement and the question, no more
    with transaction(context.sessions) as session:
        step = session.scalars(select(GoalStep).where(GoalStep.already_done.is_(False))).one()
        assert step.outcome is StepOutcome.NOT_ATTEMPTED


def test_done_offers_the_next_step_and_taking_it_plans_its_week(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        goal = active_goals(session, client)[0]
        add_step(session, goal, "käyn aamulla kävelyllä", clock.now())  # the coach, with Aino
    clock.set(at(27, 13))
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        said = report_outcome(session, client, StepOutcome.DONE, clock.now())
        assert [(s.response, s.values) for s in said] == [
            ("utter_goal_step_done", {}),
            ("utter_goal_offer_next", {"step": "käyn aamulla kävelyllä"}),
        ]
        # The offer stands (a typed "joo" answers it) until a step is chosen.
        assert next_step_offered(session, client) == clock.now()
        chosen = take_next_step(session, client, clock.now(), plan)
        assert chosen.values == {"step": "käyn aamulla kävelyllä", "first": "pe 4.12."}
        step = current_step(session, client)
        assert step is not None and step.week_start == dt.date(2026, 11, 30)
        assert next_step_offered(session, client) is None


def test_not_done_gets_a_smaller_step_first_and_the_step_stays_ahead(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    clock.set(at(27, 13))
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        said = report_outcome(session, client, StepOutcome.NOT_DONE, clock.now())
        assert [s.response for s in said] == ["utter_goal_step_not_done"]
        new_step(
            session, client, "herään yhtenä aamuna yhdeksältä", clock.now(), plan, smaller=True
        )
        goal = active_goals(session, client)[0]
        assert [(s.words, s.outcome) for s in goal.steps] == [
            ("herään jo arkisin kymmeneltä", None),
            ("herään kolmena aamuna yhdeksältä", StepOutcome.NOT_DONE),
            ("herään yhtenä aamuna yhdeksältä", None),
            ("herään kolmena aamuna yhdeksältä", None),
        ]
        step = current_step(session, client)
        assert step is not None and step.words == "herään yhtenä aamuna yhdeksältä"


def test_a_step_moved_to_next_week_keeps_the_week_that_did_not_go(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    clock.set(at(27, 13))
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        report_outcome(session, client, StepOutcome.NOT_DONE, clock.now())
        moved = again_step(session, client, clock.now(), plan)
        assert moved.values["first"] == "pe 4.12."
        level = ladder_level(active_goals(session, client)[0])
    assert (level.climbed, level.rungs, level.not_done) == (1, 2, 1)


def test_the_level_counts_partly_as_half_a_rung(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        report_outcome(session, client, StepOutcome.PARTLY, clock.now())
        level = ladder_level(active_goals(session, client)[0])
    assert (level.climbed, level.done, level.partly, level.rungs) == (1.5, 1, 1, 2)


def test_several_goals_have_one_step_of_the_week(
    context: AppContext, clock: FakeClock, plan: WeekPlan
) -> None:
    client_id = _aino(context, clock)
    _set_aino_goal(context, client_id, plan)
    second = GoalAnswers("haluan käydä ulkona joka päivä", None, "en mitään", "käyn pihalla", None)
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        set_goal(session, client, second, clock.now(), plan)
        first, other = active_goals(session, client)
        assert [s.words for s in other.steps] == ["käyn pihalla"]
        assert first.steps[1].week_start is None  # back on the ladder, its messages cancelled
        step = current_step(session, client)
        assert step is not None and step.words == "käyn pihalla"
        assert session.scalar(select(Goal.id).where(Goal.client_id == client_id)) is not None
    states = [state for kind, _, state in _jobs(context)]
    assert states == [JobState.CANCELLED] * 3 + [JobState.DUE] * 3
