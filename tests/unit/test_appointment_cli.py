"""Sanna, a coach, adds Aino's doctor's appointment from the command line, lists it, cancels it;
a time that does not do is refused with what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from backend import migrate
from backend.cli.appointments import cmd_appointment
from backend.cli.main import build_parser
from backend.context import build_context
from backend.db import transaction
from backend.models import Appointment, Client, JobState, ScheduledJob
from backend.settings import Settings
from tests.conftest import changed


@pytest.fixture
def coach_settings(settings: Settings, tmp_path: Path) -> Settings:
    """Settings on a migrated database with Aino as client #1, on Monday 23.11. at 09:00."""
    clock_file = tmp_path / "clock"
    clock_file.write_text("2026-11-23T09:00:00+02:00", encoding="utf-8")
    moved = changed(settings, clock=f"file:{clock_file}")
    migrate.upgrade(moved.database_url)
    context = build_context(moved)
    with transaction(context.sessions) as session:
        session.add(Client(display_name="Aino Virtanen", created_at=context.clock.now()))
    context.close()
    return moved


def _run(settings: Settings, *argv: str) -> int:
    return cmd_appointment(settings, build_parser().parse_args(["appointment", *argv]))


def test_the_coach_adds_lists_and_cancels(
    coach_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(
        coach_settings, "add", "1", "to 26.11. klo 14", "--title", "lääkäri",
        "--place", "Kalevantie 5", "--phone", "09 310 5015", "--follow-up",
    ) == 0  # fmt: skip
    assert capsys.readouterr().out == (
        "Tapaaminen #1 lisätty: to 26.11. klo 14.00, lääkäri, Kalevantie 5. "
        "Muistutukset on ajastettu.\n"
    )
    assert _run(coach_settings, "list", "1") == 0
    assert capsys.readouterr().out == (
        "#1  to 26.11. klo 14.00, lääkäri, Kalevantie 5  puh. 09 310 5015\n"
    )
    assert _run(coach_settings, "cancel", "1") == 0
    assert "peruttu" in capsys.readouterr().out
    context = build_context(coach_settings)
    with transaction(context.sessions) as session:
        [appointment] = session.scalars(select(Appointment)).all()
        jobs = session.scalars(select(ScheduledJob)).all()
        assert appointment.added_by_coach and appointment.follow_up
        assert len(jobs) == 3 and {job.state for job in jobs} == {JobState.CANCELLED}
    context.close()
    assert _run(coach_settings, "list", "1") == 0
    assert capsys.readouterr().out == "Asiakkaalla #1 ei ole tulevia tapaamisia.\n"


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (("add", "1", "joskus ensi viikolla", "--title", "lääkäri"), "tarkka päivä"),
        (("add", "1", "31.2. klo 10", "--title", "lääkäri"), "ei ole"),
        (("add", "1", "1.1.1990 klo 10", "--title", "lääkäri"), "jo mennyt"),
        (("add", "1", "to 26.11.", "--title", "lääkäri"), "puuttuu kellonaika"),
        (("add", "1", "to 26.11. klo 14", "--title", "x" * 201), "enintään 200"),
        (("add", "9", "to 26.11. klo 14", "--title", "lääkäri"), "Asiakasta #9 ei löydy"),
        (("cancel", "5"), "Tapaamista #5 ei löydy"),
    ],
)
def test_what_does_not_do_is_refused_and_nothing_is_stored(
    coach_settings: Settings, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], error: str
) -> None:
    assert _run(coach_settings, *argv) == 1
    assert error in capsys.readouterr().err
    context = build_context(coach_settings)
    with transaction(context.sessions) as session:
        assert session.scalars(select(Appointment)).all() == []
    context.close()
