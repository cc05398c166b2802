"""Maija at her terminal on Monday morning: her clients, her alerts and her digest, in Finnish."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from backend.cli.main import main
from backend.context import AppContext
from backend.db import transaction
from backend.digest.sending import DIGEST
from backend.models import Client, Coach, JobState, NivelPhase, OutboxMessage, ScheduledJob
from backend.settings import Settings
from tests.unit.test_digest import make_week


@pytest.fixture
def terminal(
    settings: Settings, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AppContext:
    """`askel` on the test's database, at Monday 23 November 2026, 08:30 in Helsinki."""
    clock_file = tmp_path / "clock"
    clock_file.write_text("2026-11-23T08:30:00+02:00", encoding="utf-8")
    monkeypatch.setenv("ASKEL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ASKEL_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("ASKEL_CLOCK", f"file:{clock_file}")
    with transaction(context.sessions) as session:
        make_week(session)
    return context


def _ids(context: AppContext) -> dict[str, int]:
    with transaction(context.sessions) as session:
        return {c.display_name or "": c.id for c in session.scalars(select(Client))}


def test_client_show_lists_what_the_coach_keeps(
    terminal: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    aino = _ids(terminal)["Aino Virtanen"]
    assert main(["client", "show", str(aino)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Asiakas #{aino}"
    assert out[1].split() == ["Tieto", "Arvo"]
    rows = {line[:20].strip(): line[20:].strip() for line in out[3:]}
    assert rows["Ohjaaja"] == "#1 Maija"
    assert rows["Nivel-vaihe"] == "1 Aktivointi"
    assert rows["Ohjautui"] == "TE-toimisto"
    assert rows["Suostumus"] == "annettu"
    assert rows["Tulevia tapaamisia"] == "1"


def test_a_client_moves_to_another_coach_and_gets_a_phase(
    terminal: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    pekka = _ids(terminal)["Pekka Salo"]
    assert main(["coach", "add", "--name", "Jussi", "--email", "jussi@example.fi"]) == 0
    assert main(["client", "move", str(pekka), "--coach", "2"]) == 0
    assert main(["client", "set", str(pekka), "--phase", "3", "--referral", "kunta"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3:] == [
        f"Asiakas #{pekka} siirretty: Maija -> Jussi.",
        f"Asiakas #{pekka}: Nivel-vaihe 3 Kuntouttavaan työtoimintaan siirtyminen.",
        f"Asiakas #{pekka}: ohjautui kunta.",
    ]
    with transaction(terminal.sessions) as session:
        client = session.get_one(Client, pekka)
        assert client.coach_id == 2 and client.nivel_phase is NivelPhase.TRANSITION
        # Jussi's first digest was planned when he was added: Monday 30.11. at 08:00.
        job = session.scalars(select(ScheduledJob).where(ScheduledJob.kind == DIGEST)).one()
        assert job.payload == {"coach_id": 2} and job.state is JobState.DUE
        assert job.due_at.isoformat() == "2026-11-30T06:00:00+00:00"


def test_errors_say_what_to_do(terminal: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["client", "move", "999", "--coach", "1"]) == 1
    assert main(["client", "show"]) == 1
    assert main(["digest", "preview"]) == 1
    assert main(["digest", "preview", "--coach", "1", "--week", "maanantai"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "Anna asiakkaan numero, esim. askel client move 5 --coach 2",
        "Anna asiakkaan numero, esim. askel client show 5 (katso askel client list)",
        "Anna ohjaaja: askel digest preview --coach NUMERO",
        "Anna viikko päivämääränä, esim. --week 2026-11-16",
    ]


def test_a_coach_chooses_friday_afternoon_for_the_digest(
    terminal: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coach", "set", "1", "--digest-day", "5", "--digest-time", "14:30"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Ohjaaja #1 Maija: viikkokooste perjantaina klo 14.30, seuraava pe 27.11. klo 14.30."
    )


def test_alerts_are_listed_and_acknowledged(
    terminal: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["alerts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines[2:5]] == ["2", "1", "3"]
    assert "ke 18.11. klo 23.10" in lines[2] and "Eero Laine" in lines[2] and "KRIISI" in lines[2]
    assert main(["alerts", "ack", "2"]) == 0
    assert main(["alerts"]) == 0
    out = capsys.readouterr().out
    assert "Hälytys #2 kuitattu." in out
    assert "ke 18.11. klo 23.10" not in out.split("kuitattu.")[1]


def test_digest_preview_writes_html_and_prints_the_text(
    terminal: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kooste.html"
    assert main(["digest", "preview", "--coach", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Viikkokooste ma 16.11. - su 22.11.\n")
    assert "- Eero Laine: kriisihälytys ke 18.11." in printed
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_digest_send_queues_each_digest_once(
    terminal: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "send"]) == 0
    assert main(["digest", "send", "--coach", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Maija: viikon ma 16.11. kooste lähtee (email).",
        "Maija: viikon ma 16.11. kooste on jo lähetetty.",
    ]
    with transaction(terminal.sessions) as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert [(r.address, r.dedupe_key) for r in rows] == [
            ("maija@example.fi", "digest:1:2026-11-16:email:0")
        ]
        assert session.scalars(select(Coach)).one().email == "maija@example.fi"
