"""Job rules and the job services on in-memory adapters."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain.errors import IdempotencyKeyReusedError
from app.domain.jobs import (
    InvalidTransitionError,
    Job,
    JobKind,
    JobStatus,
    NewJob,
)
from app.services.jobs import JobService
from app.services.work import Checkpoint, Idempotency, JobEngine, JobPolicy, Sweeper
from fakes import FakeQueue, engine
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import FixedClock, incoming

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


def factory(store: MemoryStore):  # type: ignore[no-untyped-def]
    return lambda: MemoryUnitOfWork(store)


def new_job(store: MemoryStore, queue: FakeQueue, clock: FixedClock, **kw: Any) -> Job:
    job, _ = engine(store, queue, clock).create(NewJob(JobKind.DELIVER, **kw))
    return job


def test_status_rules() -> None:
    job = Job(
        id=uuid.uuid4(), kind=JobKind.DELIVER, status=JobStatus.QUEUED, account_id=None,
        params={}, phase=None, progress_done=0, progress_total=None, attempt=1, error=None,
        result=None, retry_of=None, schedule_slot=None, parent_id=None, cancel_requested_at=None,
        heartbeat_at=None, created_at=T0, updated_at=T0, started_at=None, finished_at=None,
    )  # fmt: skip
    running = job.start(T0)
    assert running.status is JobStatus.RUNNING
    with pytest.raises(InvalidTransitionError):
        running.start(T0)  # no running -> running, nor back to queued
    done = running.succeed({"sent": 1}, T0)
    for leave_final in (lambda j: j.fail("x", T0), lambda j: j.cancel(T0), lambda j: j.start(T0)):
        with pytest.raises(InvalidTransitionError, match="succeeded"):
            leave_final(done)
    with pytest.raises(InvalidTransitionError):
        done.request_cancel(T0)
    with pytest.raises(InvalidTransitionError):
        running.retry()  # only failed or cancelled jobs are retried
    assert job.request_cancel(T0).status is JobStatus.CANCELLED
    flagged = running.request_cancel(T0)
    assert (flagged.status, flagged.cancel_requested_at) == (JobStatus.RUNNING, T0)
    retry = running.fail("boom", T0).retry()
    assert (retry.attempt, retry.retry_of, retry.kind) == (2, job.id, job.kind)


def test_a_created_job_is_enqueued_after_commit(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    assert queue.ids == [job.id]
    assert store.jobs[job.id].status is JobStatus.QUEUED


def test_queue_down_keeps_the_job_queued_and_the_sweeper_enqueues_it_later(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    queue.down = True
    job = new_job(store, queue, clock)
    assert store.jobs[job.id].status is JobStatus.QUEUED
    queue.down = False
    clock.at = T0 + timedelta(seconds=5)  # within the grace: maybe still on its way
    assert Sweeper(engine(store, queue, clock, policy=JobPolicy())).sweep().jobs_requeued == 0
    clock.at = T0 + timedelta(minutes=5)
    assert Sweeper(engine(store, queue, clock, policy=JobPolicy())).sweep().jobs_requeued == 1
    assert queue.ids == [job.id]
    assert Sweeper(engine(store, queue, clock, policy=JobPolicy())).sweep().jobs_requeued == 0


def test_run_job_records_progress_and_success(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    seen: list[tuple[str | None, int]] = []

    def handler(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        for done in range(3):
            checkpoint("work", done, 3)
            current = store.jobs[j.id]
            seen.append((current.phase, current.progress_done))
        return {"done": 3}

    final = engine(store, queue, clock).run(job.id, {JobKind.DELIVER: handler})
    assert final is not None
    assert (final.status, final.result, final.progress_done) == (
        JobStatus.SUCCEEDED,
        {"done": 3},
        2,
    )
    assert seen == [("work", 0), ("work", 1), ("work", 2)]
    # a second delivery of the same id does nothing
    again = engine(store, queue, clock).run(job.id, {JobKind.DELIVER: handler})
    assert again is not None
    assert again.status is JobStatus.SUCCEEDED
    assert len(seen) == 3


def test_an_error_fails_the_job_with_a_readable_message(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)

    def handler(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        raise ConnectionError("receiver refused the connection")

    final = engine(store, queue, clock).run(job.id, {JobKind.DELIVER: handler})
    assert final is not None
    assert final.status is JobStatus.FAILED
    assert final.error == "ConnectionError: receiver refused the connection"


def test_cancel_running_stops_at_the_next_checkpoint(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    batches: list[int] = []

    def handler(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        for n in range(10):
            checkpoint("work", n, 10)
            batches.append(n)
            if n == 2:
                JobService(engine(store, queue, clock)).cancel(j.id)
        return {}

    final = engine(store, queue, clock).run(job.id, {JobKind.DELIVER: handler})
    assert final is not None
    assert final.status is JobStatus.CANCELLED
    assert batches == [0, 1, 2]


def test_cancel_queued_removes_it_from_the_queue(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    cancelled = JobService(engine(store, queue, clock)).cancel(job.id)
    assert cancelled.status is JobStatus.CANCELLED
    assert queue.ids == []
    with pytest.raises(InvalidTransitionError):
        JobService(engine(store, queue, clock)).cancel(job.id)


def test_retry_with_an_idempotency_key(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    JobService(engine(store, queue, clock)).cancel(job.id)
    key = Idempotency("k1", "fingerprint-a")
    first, created = JobService(engine(store, queue, clock)).retry(job.id, key)
    again, created_again = JobService(engine(store, queue, clock)).retry(job.id, key)
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert (first.retry_of, first.attempt) == (job.id, 2)
    with pytest.raises(IdempotencyKeyReusedError):
        JobService(engine(store, queue, clock)).retry(job.id, Idempotency("k1", "fingerprint-b"))
    assert queue.ids == [first.id]


def test_a_dead_workers_job_is_failed_and_retried_up_to_the_bound(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    policy = JobPolicy(heartbeat_timeout=timedelta(seconds=60), max_attempts=2)
    job = new_job(store, queue, clock)

    def die(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        checkpoint("work", 1, 5)
        raise SystemExit  # the worker vanished mid-job: nothing after this runs

    with pytest.raises(SystemExit):
        engine(store, queue, clock).run(job.id, {JobKind.DELIVER: die})
    clock.at = T0 + timedelta(seconds=30)
    assert (
        Sweeper(engine(store, queue, clock, policy=policy)).sweep().jobs_lost == 0
    )  # heartbeat still fresh
    clock.at = T0 + timedelta(seconds=90)
    report = Sweeper(engine(store, queue, clock, policy=policy)).sweep()
    assert (report.jobs_lost, report.jobs_retried) == (1, 1)
    lost = store.jobs[job.id]
    assert lost.status is JobStatus.FAILED
    assert lost.error is not None
    assert lost.error.startswith("worker lost: no heartbeat since")
    (retry,) = [j for j in store.jobs.values() if j.retry_of == job.id]
    assert (retry.status, retry.attempt) == (JobStatus.QUEUED, 2)
    assert retry.id in queue.ids

    with pytest.raises(SystemExit):
        engine(store, queue, clock).run(retry.id, {JobKind.DELIVER: die})
    clock.at += timedelta(minutes=5)
    report = Sweeper(engine(store, queue, clock, policy=policy)).sweep()
    assert (report.jobs_lost, report.jobs_retried) == (1, 0)  # attempt 2 of 2: no third try


def test_the_sweeper_starts_one_delivery_job_for_rows_left_due(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    with MemoryUnitOfWork(store) as uow:
        uow.outbox.add([incoming("c1", uuid.uuid4(), T0)], T0)
        uow.commit()
    policy = JobPolicy()
    # just queued: whoever queued it is delivering it
    assert Sweeper(engine(store, queue, clock, policy=policy)).sweep().delivery_job is None
    clock.at = T0 + policy.requeue_after + timedelta(seconds=1)
    started = Sweeper(engine(store, queue, clock, policy=policy)).sweep().delivery_job
    assert started is not None
    assert store.jobs[started].kind is JobKind.DELIVER
    assert queue.ids == [started]
    assert (
        Sweeper(engine(store, queue, clock, policy=policy)).sweep().delivery_job is None
    )  # on its way


class LostConnection(Exception):
    """Stands in for a driver's connection error; the policy below calls it transient."""


TRANSIENT = JobPolicy(max_attempts=3, is_transient=lambda e: isinstance(e, LostConnection))


def test_a_transient_failure_fails_the_attempt_and_queues_a_retry_after_a_backoff(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    waits: list[float] = []

    def flaky(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        checkpoint("work", 1, 5)
        raise LostConnection("server closed the connection unexpectedly")

    done = engine(store, queue, clock, policy=TRANSIENT, sleep=waits.append).run(
        job.id, {JobKind.DELIVER: flaky}
    )
    assert done is not None
    assert done.status is JobStatus.FAILED
    assert done.error is not None
    assert done.error.startswith("transient failure (attempt 1 of 3): LostConnection: server")
    (retry,) = [j for j in store.jobs.values() if j.retry_of == job.id]
    assert f"retried as job {retry.id}" in done.error
    assert (retry.status, retry.attempt, retry.params) == (JobStatus.QUEUED, 2, job.params)
    assert queue.ids[-1] == retry.id
    assert len(waits) == 1
    assert 1.0 <= waits[0] <= 2.0  # half to all of 2 s before attempt 2

    # attempt 2 fails the same way: a longer wait; attempt 3 is the last
    engine(store, queue, clock, policy=TRANSIENT, sleep=waits.append).run(
        retry.id, {JobKind.DELIVER: flaky}
    )
    (third,) = [j for j in store.jobs.values() if j.retry_of == retry.id]
    assert 2.0 <= waits[1] <= 4.0
    last = engine(store, queue, clock, policy=TRANSIENT, sleep=waits.append).run(
        third.id, {JobKind.DELIVER: flaky}
    )
    assert last is not None
    assert last.status is JobStatus.FAILED
    assert not [j for j in store.jobs.values() if j.retry_of == third.id]
    assert len(waits) == 2


def test_a_permanent_failure_is_not_retried(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)

    def bug(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        raise KeyError("reference_time")

    done = engine(store, queue, clock, policy=TRANSIENT).run(job.id, {JobKind.DELIVER: bug})
    assert done is not None
    assert (done.status, done.error) == (JobStatus.FAILED, "KeyError: 'reference_time'")
    assert len(store.jobs) == 1


class FlakyUnitOfWork(MemoryUnitOfWork):
    """The database goes away for the next `outages` units of work."""

    outages = 0

    def __enter__(self):  # type: ignore[no-untyped-def]
        if FlakyUnitOfWork.outages:
            FlakyUnitOfWork.outages -= 1
            raise LostConnection("could not connect to server")
        return super().__enter__()


def test_starting_and_recording_wait_for_the_database_to_come_back(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)
    waits: list[float] = []

    def work(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        FlakyUnitOfWork.outages = 3  # gone again when the job tries to record its end
        return {"ok": True}

    FlakyUnitOfWork.outages = 2
    done = JobEngine(
        lambda: FlakyUnitOfWork(store), queue, clock, policy=TRANSIENT, sleep=waits.append
    ).run(job.id, {JobKind.DELIVER: work})
    assert done is not None
    assert done.status is JobStatus.SUCCEEDED
    assert waits == [0.25, 0.5, 0.25, 0.5, 1.0]


def test_a_worker_that_cannot_record_leaves_the_job_to_the_sweeper(
    store: MemoryStore, queue: FakeQueue, clock: FixedClock
) -> None:
    job = new_job(store, queue, clock)

    def work(j: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        FlakyUnitOfWork.outages = 1000
        return {"ok": True}

    with pytest.raises(LostConnection):
        JobEngine(
            lambda: FlakyUnitOfWork(store), queue, clock, policy=TRANSIENT, sleep=lambda _: None
        ).run(job.id, {JobKind.DELIVER: work})
    FlakyUnitOfWork.outages = 0
    assert store.jobs[job.id].status is JobStatus.RUNNING
    clock.at = T0 + timedelta(minutes=5)
    report = Sweeper(engine(store, queue, clock, policy=TRANSIENT)).sweep()
    assert (report.jobs_lost, report.jobs_retried) == (1, 1)
