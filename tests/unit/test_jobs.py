"""Due jobs are claimed by exactly one worker, on SQLite and on PostgreSQL, and survive a crash."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest

from backend import migrate
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import JobState, ScheduledJob
from backend.services.jobs import claim_due_jobs, finish_job, schedule_job
from backend.settings import Settings

LEASE = dt.timedelta(seconds=60)


def _add_jobs(url: str, count: int, due: dt.datetime) -> None:
    sessions = make_sessionmaker(make_engine(url))
    with transaction(sessions) as session:
        for number in range(count):
            schedule_job(session, "dialogue", due, due, payload={"n": number})


def _race(url: str, now: dt.datetime, workers: int) -> Counter[int]:
    """Workers claim in small batches until nothing is left; returns claims per job id."""
    claims: Counter[int] = Counter()
    lock = threading.Lock()

    def work() -> None:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        while True:
            with transaction(sessions) as session:
                claimed = claim_due_jobs(session, now, LEASE, limit=7)
                for job_id in claimed:
                    finish_job(session, job_id, JobState.DONE, now)
            if not claimed:
                break
            with lock:
                claims.update(claimed)
        engine.dispose()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return claims


def test_two_workers_on_sqlite_never_claim_the_same_job(settings: Settings) -> None:
    migrate.upgrade(settings.database_url)
    now = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.timezone.utc)
    _add_jobs(settings.database_url, 400, now)
    claims = _race(settings.database_url, now, workers=2)
    assert len(claims) == 400
    assert max(claims.values()) == 1


@pytest.mark.postgres
def test_two_workers_on_postgres_never_claim_the_same_job(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    now = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.timezone.utc)
    _add_jobs(postgres_url, 400, now)
    claims = _race(postgres_url, now, workers=2)
    assert len(claims) == 400
    assert max(claims.values()) == 1


def test_a_job_is_not_claimed_before_its_time(context: AppContext, clock: FakeClock) -> None:
    due = clock.now() + dt.timedelta(hours=1)
    with transaction(context.sessions) as session:
        schedule_job(session, "dialogue", due, clock.now())
        assert claim_due_jobs(session, clock.now(), LEASE, 10) == []
        assert len(claim_due_jobs(session, due, LEASE, 10)) == 1


def test_a_crashed_workers_job_is_claimed_again_after_its_lease(
    context: AppContext, clock: FakeClock
) -> None:
    now = clock.now()
    with transaction(context.sessions) as session:
        job = schedule_job(session, "dialogue", now, now)
        assert claim_due_jobs(session, now, LEASE, 10) == [job.id]
    # The worker dies here without finishing; nobody else may take the job while it is leased.
    with transaction(context.sessions) as session:
        assert claim_due_jobs(session, now + LEASE / 2, LEASE, 10) == []
        assert claim_due_jobs(session, now + LEASE * 2, LEASE, 10) == [job.id]
        assert session.get_one(ScheduledJob, job.id).attempts == 2


def test_scheduling_the_same_thing_twice_keeps_one_job(
    context: AppContext, clock: FakeClock
) -> None:
    now = clock.now()
    with transaction(context.sessions) as session:
        first = schedule_job(session, "dialogue", now, now, dedupe_key="morning:1:2026-11-23")
        second = schedule_job(session, "dialogue", now, now, dedupe_key="morning:1:2026-11-23")
    assert first.id == second.id
