"""`askel goals`: the coach sees a client's goal ladder and adjusts it with them.

  askel goals show 3                          the ladder of client #3
  askel goals add 3 "haluan ..."              a new goal in the client's words
  askel goals add-step 3 "soitan ..." [--goal 2] [--done] [--now]
  askel goals support 3 "soittaa kerran viikossa" [--goal 2]
  askel goals close 3 --goal 2                the goal is reached or left (kept, not shown)

The client's Nivel phase, which the goal suggestions follow, is set with `askel client set`.

Everything printed is in Finnish, in the client's own words; errors say what to do.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from backend.cli.admin import AddCommand, CommandError, found_client, run_printed
from backend.cli.coach import PHASES
from backend.context import AppContext
from backend.db import transaction
from backend.models import Client, Goal, GoalStep, StepOutcome
from backend.services.goal_week import WeekPlan, choose_step
from backend.services.goals import active_goals, add_goal, add_step, ladder_level
from backend.settings import Settings
from backend.texts.formatting import number, short_date

OUTCOME_NAMES = {
    StepOutcome.DONE: "tehty",
    StepOutcome.PARTLY: "osittain",
    StepOutcome.NOT_DONE: "ei tehty",
    StepOutcome.NOT_ATTEMPTED: "ei vastausta",
}


def _goal(goals: Sequence[Goal], number: int | None, client_id: int) -> Goal:
    """The goal the coach named, or the client's only (or newest) goal."""
    if not goals:
        raise CommandError(
            f"Asiakkaalla #{client_id} ei ole tavoitetta. Lisää: askel goals add {client_id} '...'"
        )
    if number is None:
        return goals[-1]
    for goal in goals:
        if goal.id == number:
            return goal
    raise CommandError(f"Tavoitetta #{number} ei löydy. Katso: askel goals show {client_id}")


def step_line(step: GoalStep) -> str:
    """One rung as the coach reads it: its state and the client's words."""
    if step.already_done:
        state = "tehty jo ennen"
    elif step.outcome is not None:
        state = OUTCOME_NAMES[step.outcome]
    elif step.week_start is not None:
        state = f"viikon askel ({short_date(step.week_start)} alkava viikko)"
    else:
        state = "tulossa"
    return f"  {step.position}. [{state}] {step.words}"


def ladder_text(client: Client, goals: Sequence[Goal]) -> str:
    """The client's ladders for the coach: every step with its state, the wished support."""
    phase = PHASES[client.nivel_phase] if client.nivel_phase else "ei merkitty"
    lines = [f"Asiakas #{client.id} {client.display_name or ''}".rstrip(), f"Nivel-vaihe: {phase}"]
    if not goals:
        lines.append("Ei tavoitteita vielä.")
    for goal in goals:
        level = ladder_level(goal)
        lines.append("")
        lines.append(f"Tavoite #{goal.id}: {goal.words}")
        if goal.vision:
            lines.append(f"  Kun tavoite on saavutettu: {goal.vision}")
        lines.extend(step_line(step) for step in goal.steps)
        lines.append(f"  Portailla: {number(level.climbed)} / {level.rungs}")
        lines.append(f"  Toivoo ohjaajalta: {goal.support_wish or '-'}")
    return "\n".join(lines)


def run_goals(context: AppContext, args: argparse.Namespace) -> str:
    """Carry out one `askel goals` command; returns what to print."""
    now = context.clock.now()
    with transaction(context.sessions) as session:
        client = found_client(session.get(Client, args.client), args.client)
        goals = active_goals(session, client)
        if args.action == "show":
            return ladder_text(client, goals)
        if args.action == "close":
            goal = _goal(goals, args.goal, client.id)
            goal.active = False
            return f"Tavoite #{goal.id} suljettu (se säilyy, mutta ei näy asiakkaalle)."
        if not args.value:
            raise CommandError(f"Kirjoita asiakkaan omin sanoin: askel goals {args.action} ...")
        if args.action == "add":
            goal = add_goal(session, client, args.value, now)
            return f"Tavoite #{goal.id} lisätty asiakkaalle #{client.id}."
        goal = _goal(goals, args.goal, client.id)
        if args.action == "support":
            goal.support_wish = args.value.strip()
            return f"Toive ohjaajalta kirjattu tavoitteeseen #{goal.id}."
        step = add_step(session, goal, args.value, now, already_done=args.done)
        if args.now:
            check_day = choose_step(
                session, client, step, now, WeekPlan.from_settings(context.settings)
            )
            return (
                f"Askel {step.position} lisätty viikon askeleeksi; kysymys asiakkaalle "
                f"{short_date(check_day)}"
            )
        return f"Askel {step.position} lisätty tavoitteeseen #{goal.id}."


def cmd_goals(settings: Settings, args: argparse.Namespace) -> int:
    """askel goals show|add|add-step|support|close."""
    return run_printed(settings, args, run_goals)


def register_goal_commands(add: AddCommand) -> None:
    """Add `askel goals` to the `askel` parser."""
    goals = add("goals", cmd_goals, "see and adjust a client's goal ladder with them")
    goals.add_argument("action", choices=["show", "add", "add-step", "support", "close"])
    goals.add_argument("client", type=int, help="the client's number (askel client list)")
    goals.add_argument("value", nargs="?", help="the client's words")
    goals.add_argument("--goal", type=int, help="the goal's number (default: the newest)")
    goals.add_argument("--done", action="store_true", help="a step the client has already done")
    goals.add_argument("--now", action="store_true", help="make the step this week's step")
