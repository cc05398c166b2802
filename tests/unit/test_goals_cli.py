"""Maija, Aino's coach, looks at Aino's ladder at their meeting and adjusts it with her from the
command line: a step Aino already took, a next step, the support she wishes for."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.cli.admin import CommandError
from backend.cli.goals import run_goals
from backend.cli.main import build_parser
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import Client, Goal, JobState, NivelPhase, ScheduledJob

HELSINKI = ZoneInfo("Europe/Helsinki")


def goals(context: AppContext, *argv: str) -> str:
    return run_goals(context, build_parser().parse_args(["goals", *argv]))


@pytest.fixture
def aino(context: AppContext, clock: FakeClock) -> int:
    clock.set(dt.datetime(2026, 11, 24, 14, 0, tzinfo=HELSINKI))  # Tuesday
    with transaction(context.sessions) as session:
        client = Client(
            display_name="Aino V.",
            nivel_phase=NivelPhase.EMPOWERMENT,
            created_at=clock.now(),
        )
        session.add(client)
        session.flush()
        return client.id


def test_the_coach_builds_and_reads_a_ladder_with_the_client(
    context: AppContext, aino: int
) -> None:
    assert goals(context, "show", str(aino)).endswith("Ei tavoitteita vielä.")
    assert goals(context, "add", str(aino), "haluan päästä työtoimintaan") == (
        f"Tavoite #1 lisätty asiakkaalle #{aino}."
    )
    goals(context, "add-step", str(aino), "kävin tutustumassa pajalla", "--done")
    assert goals(context, "add-step", str(aino), "soitan pajan ohjaajalle", "--now") == (
        "Askel 2 lisätty viikon askeleeksi; kysymys asiakkaalle pe 27.11."
    )
    goals(context, "add-step", str(aino), "käyn pajalla kokeilupäivän")
    goals(context, "support", str(aino), "että ohjaaja tulee mukaan ensimmäisellä kerralla")
    assert goals(context, "show", str(aino)) == (
        f"Asiakas #{aino} Aino V.\n"
        "Nivel-vaihe: 2 Voimaantuminen\n"
        "\n"
        "Tavoite #1: haluan päästä työtoimintaan\n"
        "  1. [tehty jo ennen] kävin tutustumassa pajalla\n"
        "  2. [viikon askel (ma 23.11. alkava viikko)] soitan pajan ohjaajalle\n"
        "  3. [tulossa] käyn pajalla kokeilupäivän\n"
        "  Portailla: 1 / 3\n"
        "  Toivoo ohjaajalta: että ohjaaja tulee mukaan ensimmäisellä kerralla"
    )
    with transaction(context.sessions) as session:
        kinds = session.scalars(
            select(ScheduledJob.kind).where(ScheduledJob.state == JobState.DUE)
        ).all()
    assert sorted(kinds) == ["goal_check", "goal_close", "goal_encourage"]


def test_a_closed_goal_is_kept_but_no_longer_on_the_ladder(context: AppContext, aino: int) -> None:
    goals(context, "add", str(aino), "haluan oppia laittamaan ruokaa")
    assert goals(context, "close", str(aino), "--goal", "1") == (
        "Tavoite #1 suljettu (se säilyy, mutta ei näy asiakkaalle)."
    )
    assert goals(context, "show", str(aino)).endswith("Ei tavoitteita vielä.")
    with transaction(context.sessions) as session:
        assert session.scalars(select(Goal.words)).all() == ["haluan oppia laittamaan ruokaa"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("show", "99"), "Asiakasta #99 ei löydy. Katso: askel client list"),
        (("add-step", "{aino}", "soitan"), "Asiakkaalla #{aino} ei ole tavoitetta."),
        (("add", "{aino}"), "Kirjoita asiakkaan omin sanoin: askel goals add ..."),
    ],
)
def test_mistakes_say_what_to_do(
    context: AppContext, aino: int, argv: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as raised:
        goals(context, *(arg.format(aino=aino) for arg in argv))
    assert str(raised.value).startswith(message.format(aino=aino))
