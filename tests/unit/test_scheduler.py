"""The scheduler fires due jobs into the client's outbox once, skips stale ones, and retries;
a morning's check-ins go out together, as a set, with the same guarantees."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import (
    ChannelKind,
    CheckinKind,
    Client,
    ClientStatus,
    JobState,
    OutboxMessage,
    ScheduledJob,
)
from backend.scheduler.handlers import JobView, SetHandler, checkin_opener, default_hooks
from backend.scheduler.worker import MAX_ATTEMPTS, SchedulerWorker
from backend.services.checkins import CHECKIN, CHECKIN_NUDGE
from backend.services.clients import client_for_address
from backend.services.jobs import schedule_job
from backend.services.onboarding import give_consent, set_checkin_time
from backend.texts.responses import Button, Reply

HELSINKI = ZoneInfo("Europe/Helsinki")


class Recorder:
    """A handler that records what it fired and answers with a check-in question."""

    def __init__(self) -> None:
        self.fired: list[JobView] = []
        self.fail_with: Exception | None = None

    async def __call__(self, job: JobView) -> list[Reply]:
        if self.fail_with is not None:
            raise self.fail_with
        self.fired.append(job)
        return [Reply("Huomenta! Miten nukuit?", (Button("Hyvin", "/affirm"),))]


def _client_with_job(context: AppContext, due: dt.datetime, **job: object) -> tuple[int, int]:
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", due)
        scheduled = schedule_job(
            session, "dialogue", due, due, client_id=client.id, payload={"intent": "greet"}, **job
        )
        return client.id, scheduled.id


def _outbox(context: AppContext) -> list[OutboxMessage]:
    with transaction(context.sessions) as session:
        return list(session.scalars(select(OutboxMessage)))


async def test_a_due_job_puts_its_messages_in_the_clients_outbox(
    context: AppContext, clock: FakeClock
) -> None:
    recorder = Recorder()
    client_id, job_id = _client_with_job(context, clock.now() + dt.timedelta(minutes=5))
    worker = SchedulerWorker(context, {"dialogue": recorder})
    assert await worker.run_once() == 0
    clock.advance(dt.timedelta(minutes=5))
    assert await worker.run_once() == 1
    [message] = _outbox(context)
    assert message.text == "Huomenta! Miten nukuit?" and message.client_id == client_id
    assert message.dedupe_key == f"job:{job_id}:0"
    assert message.buttons == [{"title": "Hyvin", "payload": "/affirm"}]
    with transaction(context.sessions) as session:
        assert session.get_one(ScheduledJob, job_id).state is JobState.DONE
    assert await worker.run_once() == 0


async def test_a_job_fired_again_after_a_crash_is_not_sent_twice(
    context: AppContext, clock: FakeClock
) -> None:
    recorder = Recorder()
    _, job_id = _client_with_job(context, clock.now())
    worker = SchedulerWorker(context, {"dialogue": recorder})
    await worker.fire(job_id)
    # As if the first worker had died after queueing the messages but before finishing the job.
    with transaction(context.sessions) as session:
        session.get_one(ScheduledJob, job_id).state = JobState.CLAIMED
    await worker.fire(job_id)
    assert len(recorder.fired) == 2
    assert len(_outbox(context)) == 1


async def test_a_job_claimed_just_before_the_clock_went_back_waits_for_its_time(
    context: AppContext, clock: FakeClock
) -> None:
    recorder = Recorder()
    due = clock.now() + dt.timedelta(hours=10)
    _, job_id = _client_with_job(context, due)
    worker = SchedulerWorker(context, {"dialogue": recorder})
    clock.advance(dt.timedelta(days=30))
    [claimed] = worker.claim()
    clock.set(due - dt.timedelta(minutes=1))  # set back between the claim and the firing
    await worker.fire(claimed)
    assert recorder.fired == [] and _outbox(context) == []
    with transaction(context.sessions) as session:
        job = session.get_one(ScheduledJob, job_id)
        assert job.state is JobState.DUE and job.attempts == 0
    clock.set(due)
    assert await worker.run_once() == 1
    assert len(recorder.fired) == 1


async def test_a_job_whose_window_passed_is_skipped(context: AppContext, clock: FakeClock) -> None:
    recorder = Recorder()
    _, job_id = _client_with_job(
        context, clock.now(), expires_at=clock.now() + dt.timedelta(hours=2)
    )
    clock.advance(dt.timedelta(hours=3))
    await SchedulerWorker(context, {"dialogue": recorder}).run_once()
    assert recorder.fired == [] and _outbox(context) == []
    with transaction(context.sessions) as session:
        assert session.get_one(ScheduledJob, job_id).state is JobState.SKIPPED


async def test_a_failing_job_is_retried_after_its_lease_and_then_given_up(
    context: AppContext, clock: FakeClock
) -> None:
    recorder = Recorder()
    recorder.fail_with = RuntimeError("boom")
    _, job_id = _client_with_job(context, clock.now())
    worker = SchedulerWorker(context, {"dialogue": recorder})
    for _ in range(MAX_ATTEMPTS):
        assert await worker.run_once() == 1
        clock.advance(dt.timedelta(seconds=context.settings.scheduler_lease_seconds + 1))
    with transaction(context.sessions) as session:
        job = session.get_one(ScheduledJob, job_id)
        assert job.state is JobState.FAILED and job.last_error == "RuntimeError"
    assert await worker.run_once() == 0


async def test_nothing_is_fired_for_a_client_who_said_stop(
    context: AppContext, clock: FakeClock
) -> None:
    recorder = Recorder()
    client_id, job_id = _client_with_job(context, clock.now() + dt.timedelta(hours=1))
    with transaction(context.sessions) as session:
        # A job added after STOP (by a coach, say) must not reach the client either.
        session.get_one(Client, client_id).status = ClientStatus.STOPPED
    clock.advance(dt.timedelta(hours=1))
    await SchedulerWorker(context, {"dialogue": recorder}).run_once()
    assert recorder.fired == [] and _outbox(context) == []
    with transaction(context.sessions) as session:
        assert session.get_one(ScheduledJob, job_id).state is JobState.SKIPPED


async def test_a_failing_round_does_not_stop_the_worker(
    context: AppContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = SchedulerWorker(context, {"dialogue": Recorder()})
    rounds = 0

    async def flaky() -> int:
        nonlocal rounds
        rounds += 1
        if rounds == 1:
            raise OSError("database went away")
        stop.set()
        return 0

    stop = asyncio.Event()
    monkeypatch.setattr(worker, "run_once", flaky)
    await asyncio.wait_for(worker.run_forever(stop), timeout=10)
    assert rounds == 2


def _morning_clients(context: AppContext, clock: FakeClock, names: list[str]) -> dict[str, int]:
    """Clients who all chose 08:00 for their morning check-in; by local sender id."""
    now = clock.now()
    ids = {}
    with transaction(context.sessions) as session:
        for name in names:
            client = client_for_address(session, ChannelKind.LOCAL, name, now)
            client.display_name = name.capitalize()
            give_consent(client, now)
            set_checkin_time(session, client, CheckinKind.MORNING, dt.time(8, 0), now)
            ids[name] = client.id
    return ids


def _checkins(context: AppContext, state: JobState) -> list[ScheduledJob]:
    with transaction(context.sessions) as session:
        return list(
            session.scalars(
                select(ScheduledJob).where(
                    ScheduledJob.kind == CHECKIN, ScheduledJob.state == state
                )
            )
        )


async def test_the_morning_s_check_ins_go_out_together_and_a_rasa_dialogue_one_by_one(
    context: AppContext, clock: FakeClock
) -> None:
    clock.set(dt.datetime(2026, 11, 24, 6, 0, tzinfo=HELSINKI))
    ids = _morning_clients(context, clock, ["aino", "bertta", "cecilia", "daniel", "eero"])
    with transaction(context.sessions) as session:
        session.get_one(Client, ids["eero"]).status = ClientStatus.STOPPED
        # Aino's coach also planned a dialogue for her at the same minute.
        schedule_job(session, "dialogue", clock.now(), clock.now(), client_id=ids["aino"],
                     payload={"intent": "greet"})  # fmt: skip
    recorder = Recorder()
    handlers = {"dialogue": recorder, CHECKIN: checkin_opener(context)}
    worker = SchedulerWorker(context, handlers, default_hooks(context))
    clock.set(dt.datetime(2026, 11, 24, 8, 1, tzinfo=HELSINKI))
    assert await worker.run_once() == 6
    opened: dict[int | None, list[str]] = {}
    for message in _outbox(context):
        opened.setdefault(message.client_id, []).append(message.text)
    assert opened[ids["bertta"]] == ["Huomenta, Bertta!", "Miten nukuit?"]
    assert opened[ids["aino"]] == ["Huomenta, Aino!", "Miten nukuit?", "Huomenta! Miten nukuit?"]
    assert ids["eero"] not in opened  # said STOP
    assert len(_checkins(context, JobState.DONE)) == 4
    [skipped] = _checkins(context, JobState.SKIPPED)
    assert skipped.client_id == ids["eero"] and skipped.last_error == "client stopped messages"
    # Every check-in that went out planned its nudge, and every one tomorrow's check-in.
    tomorrow = _checkins(context, JobState.DUE)
    assert {job.client_id for job in tomorrow} == set(ids.values()) - {ids["eero"]}
    assert {job.due_at for job in tomorrow} == {dt.datetime(2026, 11, 25, 8, tzinfo=HELSINKI)}
    with transaction(context.sessions) as session:
        nudges = session.scalars(select(ScheduledJob).where(ScheduledJob.kind == CHECKIN_NUDGE))
        assert len(list(nudges)) == 4
    assert await worker.run_once() == 0


async def test_a_set_with_a_broken_job_is_fired_one_by_one_and_the_rest_go_out(
    context: AppContext, clock: FakeClock
) -> None:
    clock.set(dt.datetime(2026, 11, 24, 6, 0, tzinfo=HELSINKI))
    ids = _morning_clients(context, clock, ["aino", "bertta", "cecilia"])
    opener = checkin_opener(context)

    def breaks_for_bertta(job: JobView) -> list[Reply]:
        if job.client is not None and job.client.id == ids["bertta"]:
            raise ValueError("a broken text")
        return opener.replies(job)

    worker = SchedulerWorker(
        context, {CHECKIN: SetHandler(breaks_for_bertta)}, default_hooks(context)
    )
    clock.set(dt.datetime(2026, 11, 24, 8, 1, tzinfo=HELSINKI))
    assert await worker.run_once() == 3
    assert {message.client_id for message in _outbox(context)} == {ids["aino"], ids["cecilia"]}
    with transaction(context.sessions) as session:
        bertta = session.scalars(
            select(ScheduledJob).where(
                ScheduledJob.client_id == ids["bertta"], ScheduledJob.kind == CHECKIN
            )
        ).one()
        # Left under its lease, to be tried again when it runs out.
        assert bertta.state is JobState.CLAIMED and bertta.last_error == "ValueError"


async def test_a_set_claimed_just_before_the_clock_went_back_waits_for_its_time(
    context: AppContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set(dt.datetime(2026, 11, 24, 6, 0, tzinfo=HELSINKI))
    _morning_clients(context, clock, ["aino", "bertta"])
    worker = SchedulerWorker(context, {CHECKIN: checkin_opener(context)}, default_hooks(context))
    claim = worker.claim

    def claim_then_the_clock_goes_back() -> list[int]:
        claimed = claim()
        clock.set(dt.datetime(2026, 11, 24, 7, 59, tzinfo=HELSINKI))
        return claimed

    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI))
    monkeypatch.setattr(worker, "claim", claim_then_the_clock_goes_back)
    assert await worker.run_once() == 2
    monkeypatch.undo()
    assert _outbox(context) == []
    handed_back = _checkins(context, JobState.DUE)
    assert len(handed_back) == 2 and {job.attempts for job in handed_back} == {0}
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI))
    assert await worker.run_once() == 2
    assert len(_outbox(context)) == 4
