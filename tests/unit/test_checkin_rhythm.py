"""Aino's workshop days, as her coach sets them: on Mondays and Wednesdays she goes to the
workshop and wants her morning check-in at 6.30, on other days at 8.00; a public holiday closes
the workshop, so that morning comes at 8.00; her quiet hours are her own, and no check-in crosses
them. The coach sets all this with `askel client rhythm`, in Finnish, and a mistake in what
they wrote is told plainly, with nothing changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.cli.main import main
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import (
    ChannelKind,
    CheckinKind,
    CheckinSchedule,
    Client,
    JobState,
    ScheduledJob,
)
from backend.services.checkins import (
    CHECKIN,
    MissingCheckin,
    next_checkin,
    set_rhythm,
    times_in_quiet_hours,
)
from backend.services.clients import client_for_address
from backend.services.onboarding import give_consent, set_checkin_time
from backend.settings import Settings

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def _aino(context: AppContext, clock: FakeClock) -> int:
    """Aino on Sunday 3 January 2027 (Wednesday 6 January is Epiphany), with her morning
    check-in at 8.00."""
    clock.set(helsinki(2027, 1, 3, 12))
    now = clock.now()
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", now)
        client.display_name = "Aino"
        give_consent(client, now)
        set_checkin_time(session, client, CheckinKind.MORNING, dt.time(8, 0), now)
        return client.id


def _workshop(
    context: AppContext,
    clock: FakeClock,
    client_id: int,
    days: str,
    morning: dt.time,
    quiet: tuple[dt.time, dt.time] | None = None,
) -> list[tuple[CheckinKind, dt.time]]:
    """The coach sets Aino's workshop days and her morning on them (and her quiet hours);
    returns the check-in times that then fall inside her quiet hours."""
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        schedules = set_rhythm(
            session,
            client,
            clock.now(),
            activity_days=days,
            activity_times={CheckinKind.MORNING: morning},
            quiet=quiet,
        )
        return [(schedule.kind, time) for schedule, time in times_in_quiet_hours(client, schedules)]


def _mornings(context: AppContext, client_id: int, after: dt.datetime, count: int) -> list[str]:
    """Aino's next `count` morning check-ins, as 'ma 4.1. 6.30'."""
    days = ("ma", "ti", "ke", "to", "pe", "la", "su")
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        schedule = session.scalars(
            select(CheckinSchedule).where(CheckinSchedule.client_id == client_id)
        ).one()
        found: list[str] = []
        while len(found) < count:
            due = next_checkin(schedule, client, after)
            assert due is not None
            local = due.astimezone(HELSINKI)
            found.append(f"{days[local.weekday()]} {local:%-d.%-m. %-H.%M}")
            after = due
        return found


def _waiting_checkin(context: AppContext, client_id: int) -> dt.datetime:
    with transaction(context.sessions) as session:
        job = session.scalars(
            select(ScheduledJob).where(
                ScheduledJob.client_id == client_id,
                ScheduledJob.kind == CHECKIN,
                ScheduledJob.state == JobState.DUE,
            )
        ).one()
        return job.due_at.astimezone(HELSINKI)


def test_workshop_mornings_come_earlier_and_a_holiday_is_an_ordinary_day(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context, clock)
    assert (
        _workshop(context, clock, client_id, "13", dt.time(6, 30), (dt.time(22), dt.time(6))) == []
    )
    assert _mornings(context, client_id, clock.now(), 10) == [
        "ma 4.1. 6.30",
        "ti 5.1. 8.00",
        "ke 6.1. 8.00",  # the workshop is closed on Epiphany
        "to 7.1. 8.00",
        "pe 8.1. 8.00",
        "la 9.1. 8.00",
        "su 10.1. 8.00",
        "ma 11.1. 6.30",
        "ti 12.1. 8.00",
        "ke 13.1. 6.30",
    ]
    # The waiting check-in was planned again at once.
    assert _waiting_checkin(context, client_id) == helsinki(2027, 1, 4, 6, 30)


def test_a_workshop_morning_inside_quiet_hours_waits_for_their_end(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context, clock)  # her quiet hours are the default 21.30-7.30
    assert _workshop(context, clock, client_id, "1", dt.time(6, 30)) == [
        (CheckinKind.MORNING, dt.time(6, 30))
    ]
    assert _waiting_checkin(context, client_id) == helsinki(2027, 1, 4, 7, 30)


def test_clearing_the_workshop_days_brings_back_the_ordinary_mornings(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context, clock)
    _workshop(context, clock, client_id, "1", dt.time(7, 45))
    assert _waiting_checkin(context, client_id) == helsinki(2027, 1, 4, 7, 45)
    with transaction(context.sessions) as session:
        set_rhythm(session, session.get_one(Client, client_id), clock.now(), activity_days="")
    assert _waiting_checkin(context, client_id) == helsinki(2027, 1, 4, 8, 0)


def test_a_time_for_a_check_in_she_has_not_chosen_changes_nothing(
    context: AppContext, clock: FakeClock
) -> None:
    client_id = _aino(context, clock)  # no evening check-in
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        with pytest.raises(MissingCheckin) as raised:
            set_rhythm(
                session,
                client,
                clock.now(),
                activity_days="13",
                activity_times={CheckinKind.EVENING: dt.time(20, 0)},
            )
        assert raised.value.kind is CheckinKind.EVENING
        assert client.activity_days == ""


@pytest.fixture
def askel_env(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`askel` run in-process reads the test's settings; its clock file holds the fake time."""
    clock_file = tmp_path / "clock.txt"
    clock_file.write_text(helsinki(2027, 1, 3, 12).isoformat())
    monkeypatch.setenv("ASKEL_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("ASKEL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ASKEL_CLOCK", f"file:{clock_file}")


@pytest.mark.usefixtures("askel_env")
def test_the_coach_sets_workshop_days_and_quiet_hours_from_the_command_line(
    context: AppContext, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    client_id = _aino(context, clock)
    argv = ["--activity-days", "ma,ke", "--activity-morning", "6.30", "--quiet", "22.00-7.00"]
    assert main(["client", "rhythm", str(client_id), *argv]) == 0
    out = capsys.readouterr().out
    # 6.30 is inside the quiet hours she has now, and the coach is told what that means.
    assert "Huom: aamuviesti klo 6.30 osuu hiljaiseen aikaan, joten se tulee vasta klo 7.00." in out
    assert "klo 8.00 (toimintapäivinä klo 6.30)" in out
    assert "ma 4.1. klo 7.00" in out  # the next one
    assert "Toimintapäivät  ma, ke" in out and "Hiljainen aika  22.00–7.00" in out
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert client.activity_days == "13"
        assert (client.quiet_start, client.quiet_end) == (dt.time(22, 0), dt.time(7, 0))
    # Without options the rhythm is only shown.
    assert main(["client", "rhythm", str(client_id)]) == 0
    assert "päivitetty" not in capsys.readouterr().out


@pytest.mark.usefixtures("askel_env")
@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (["--activity-days", "ma,kk"], "Päivää 'kk' ei tunneta."),
        (["--activity-morning", "25.00"], "Kellonaikaa '25.00' ei voi lukea."),
        (["--quiet", "22"], "Anna se muodossa 22.00-7.00."),
        (["--quiet", "7.00-7.00"], "Hiljaisen ajan alku ja loppu ovat samat."),
        (["--activity-evening", "20.00"], "ei ole vielä valinnut iltaviestin aikaa"),
    ],
)
def test_a_mistake_on_the_command_line_is_told_plainly_and_changes_nothing(
    context: AppContext,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    told: str,
) -> None:
    client_id = _aino(context, clock)
    assert main(["client", "rhythm", str(client_id), *argv]) == 1
    assert told in capsys.readouterr().err
    with transaction(context.sessions) as session:
        client = session.get_one(Client, client_id)
        assert client.activity_days == "" and client.quiet_end == dt.time(7, 30)


@pytest.mark.usefixtures("askel_env")
def test_an_unknown_client_is_told_how_to_find_the_number(
    context: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["client", "rhythm", "99"]) == 1
    assert "katso askel client list" in capsys.readouterr().err
