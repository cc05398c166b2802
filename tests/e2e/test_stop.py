"""LOPETA stops every message at once, over the whole stack; ALOITA brings the client back."""

from __future__ import annotations

import datetime as dt
import time

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import JobState, ScheduledJob
from backend.services.jobs import schedule_job
from tests.e2e.stack import Stack


def test_a_client_who_says_lopeta_gets_no_scheduled_message(stack: Stack) -> None:
    client_id = stack.enrol("e2e-stop")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    due = stack.now() + dt.timedelta(hours=1)
    with transaction(sessions) as session:
        before = schedule_job(session, "dialogue", due, stack.now(), client_id=client_id,
                              payload={"intent": "help"})  # fmt: skip
    [reply] = stack.say("e2e-stop", "LOPETA")
    assert "en lähetä sinulle enää viestejä" in str(reply["text"])
    with transaction(sessions) as session:
        assert session.get_one(ScheduledJob, before.id).state is JobState.CANCELLED
        # Something scheduled after STOP (by a coach, say) must not reach the client either.
        after = schedule_job(session, "dialogue", due, stack.now(), client_id=client_id,
                             payload={"intent": "help"})  # fmt: skip
    stack.set_clock(due + dt.timedelta(minutes=1))
    deadline = time.monotonic() + 30
    state = JobState.DUE
    # Claimed is the moment between the scheduler's claim and its check of the client.
    while state in (JobState.DUE, JobState.CLAIMED) and time.monotonic() < deadline:
        time.sleep(0.2)
        with transaction(sessions) as session:
            state = session.get_one(ScheduledJob, after.id).state
    assert state is JobState.SKIPPED
    assert stack.fetch("e2e-stop") == []
    [back] = stack.say("e2e-stop", "Aloita")
    assert str(back["text"]).startswith("Tervetuloa takaisin!")
    [answer] = stack.say("e2e-stop", "mitä osaat")
    assert str(answer["text"]).startswith("Voin auttaa näissä:")
