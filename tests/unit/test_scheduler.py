"""The scheduler fires due jobs into the client's outbox once, skips stale ones, and retries."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import (
    ChannelKind,
    Client,
    ClientStatus,
    JobState,
    OutboxMessage,
    ScheduledJob,
)
from backend.scheduler.handlers import JobView
from backend.scheduler.worker import MAX_ATTEMPTS, SchedulerWorker
from backend.services.clients import client_for_address
from backend.services.jobs import schedule_job
from backend.texts.responses import Button, Reply


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
