"""Jobs: rows in PostgreSQL first, ids on the queue after the commit, run by workers.

The queue may lose an id (Redis flushed or down) and a worker may die mid-job; the sweeper
finds both from what PostgreSQL holds and puts the work back on its way.
"""

import logging
import random
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Any, Protocol, TypeVar
from uuid import UUID

from app.domain.errors import DomainError, IdempotencyKeyReusedError, NotFoundError
from app.domain.jobs import (
    ChildState,
    Job,
    JobCancelledError,
    JobHandedBackError,
    JobKind,
    JobStatus,
    NewJob,
    roll_up,
)
from app.domain.pagination import Cursor, Page
from app.services.ports import (
    Clock,
    JobQueue,
    QueueUnavailableError,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


class Checkpoint(Protocol):
    def __call__(self, phase: str, done: int, total: int | None) -> None:
        """Commit-side bookkeeping between batches: heartbeat, phase, progress; raises
        JobCancelledError when a cancel was requested."""


@dataclass(frozen=True, slots=True)
class FanOut:
    """What a handler returns to split its work into child jobs that any worker can take;
    the job then ends when the last of them does, its progress their sum."""

    children: list[NewJob]


Handler = Callable[[Job, Checkpoint], dict[str, Any] | FanOut]


def _never(_: BaseException) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class JobPolicy:
    heartbeat_timeout: timedelta = timedelta(seconds=60)
    # a job whose worker died, or that met a transient failure, is retried until this attempt
    max_attempts: int = 3
    requeue_after: timedelta = timedelta(seconds=30)  # grace before a queued id counts as lost
    # which failures another attempt can get past (a lost connection, a restarting server)
    is_transient: Callable[[BaseException], bool] = _never
    retry_base: timedelta = timedelta(
        seconds=2
    )  # wait before attempt n+1: half to all of base·2^(n-1)
    retry_cap: timedelta = timedelta(seconds=60)
    # how long a worker keeps trying to record a job's end while the database is away;
    # past that the job is left running and the sweeper finds it by its heartbeat
    record_for: timedelta = timedelta(seconds=30)

    def retry_delay(self, attempt: int, rng: random.Random) -> timedelta:
        ceiling = min(self.retry_cap, self.retry_base * (1 << min(20, max(0, attempt - 1))))
        return ceiling * rng.uniform(0.5, 1.0)


@dataclass(frozen=True, slots=True)
class Idempotency:
    key: str
    fingerprint: str  # of the request that used the key first


def create_job(
    uow_factory: UnitOfWorkFactory,
    queue: JobQueue,
    clock: Clock,
    new: NewJob,
    idempotency: Idempotency | None = None,
) -> tuple[Job, bool]:
    """The job, and whether this call created it (False: the key's earlier job)."""
    with uow_factory() as uow:
        job, created = add_job(uow, clock, new, idempotency)
        uow.commit()
    if created:
        enqueue_soon(queue, job)
    return job, created


def add_job(
    uow: UnitOfWork, clock: Clock, new: NewJob, idempotency: Idempotency | None
) -> tuple[Job, bool]:
    """Within the caller's transaction; enqueue with enqueue_soon() after it commits."""
    earlier = earlier_job(uow, idempotency)
    if earlier is not None:
        return earlier, False
    now = clock.now()
    job = uow.jobs.add(new, now)
    if idempotency is not None and not uow.jobs.remember_idempotency_key(
        idempotency.key, idempotency.fingerprint, job.id, now
    ):
        uow.rollback()  # a concurrent request with the same key got there first
        earlier = earlier_job(uow, idempotency)
        assert earlier is not None
        return earlier, False
    return job, True


def earlier_job(uow: UnitOfWork, idempotency: Idempotency | None) -> Job | None:
    """The job a request with this key made before; IdempotencyKeyReusedError if that
    request had another body."""
    if idempotency is None:
        return None
    found = uow.jobs.find_by_idempotency_key(idempotency.key)
    if found is None:
        return None
    fingerprint, job = found
    if fingerprint != idempotency.fingerprint:
        raise IdempotencyKeyReusedError(idempotency.key)
    return job


def enqueue_soon(queue: JobQueue, job: Job) -> None:
    """After the commit. If the queue is down the row stays queued and the sweeper enqueues it."""
    try:
        queue.enqueue(job.id)
    except QueueUnavailableError as exc:
        log.warning("job %s stays queued until the sweeper finds it: %s", job.id, exc)


def get_job(uow_factory: UnitOfWorkFactory, job_id: UUID) -> Job:
    with uow_factory() as uow:
        return _existing(uow, job_id)


def _existing(uow: UnitOfWork, job_id: UUID, *, lock: bool = False) -> Job:
    job = uow.jobs.get(job_id, lock=lock)
    if job is None:
        raise NotFoundError(f"no job {job_id}")
    return job


def list_jobs(
    uow_factory: UnitOfWorkFactory,
    after: Cursor | None,
    limit: int,
    status: JobStatus | None = None,
    kind: JobKind | None = None,
    account_id: UUID | None = None,
) -> Page[Job]:
    with uow_factory() as uow:
        return uow.jobs.page(after, limit, status, kind, account_id)


def cancel_job(uow_factory: UnitOfWorkFactory, queue: JobQueue, clock: Clock, job_id: UUID) -> Job:
    """Queued: cancelled now and taken off the queue. Running: stops at its next checkpoint.
    A job that fanned out cancels its children the same way and ends when they have."""
    now = clock.now()
    with uow_factory() as uow:
        job = _existing(uow, job_id, lock=True).request_cancel(now)
        uow.jobs.save(job)
        stopped = [job] if job.status is JobStatus.CANCELLED else []
        for child in uow.jobs.children(job_id, lock=True):
            if not child.status.is_final:
                child = child.request_cancel(now)
                uow.jobs.save(child)
                stopped += [child] if child.status is JobStatus.CANCELLED else []
        uow.commit()
    # if the queue is down, a worker that still gets an id finds its job cancelled
    with suppress(QueueUnavailableError):
        for stopped_job in stopped:
            queue.remove(stopped_job.id)
    _roll_up(uow_factory, clock, job.id)
    if job.parent_id is not None:
        _roll_up(uow_factory, clock, job.parent_id)
    return get_job(uow_factory, job_id)


def retry_job(
    uow_factory: UnitOfWorkFactory,
    queue: JobQueue,
    clock: Clock,
    job_id: UUID,
    idempotency: Idempotency | None = None,
) -> tuple[Job, bool]:
    with uow_factory() as uow:
        retry, created = add_job(uow, clock, _existing(uow, job_id).retry(), idempotency)
        uow.commit()
    if created:
        enqueue_soon(queue, retry)
    return retry, created


def run_job(
    uow_factory: UnitOfWorkFactory,
    queue: JobQueue,
    clock: Clock,
    handlers: Mapping[JobKind, Handler],
    job_id: UUID,
    *,
    policy: JobPolicy = JobPolicy(),
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
    stopping: Callable[[], bool] = lambda: False,
) -> Job | None:
    """What a worker does with a job id. Ids may arrive twice: only a queued job is started.

    A transient failure (policy.is_transient: the database connection lost, the server
    restarting) ends the attempt as failed and queues the next one, which resumes from what
    the committed batches stored, after a backoff, up to policy.max_attempts. Any other
    failure is permanent. While the database is away, starting and recording are retried for
    policy.record_for; after that the job is left to the sweeper. When `stopping()` (the
    worker was told to stop), the job hands itself back at its next checkpoint: it ends
    there and a retry, queued at once, resumes it on another worker."""
    rng = rng or random.Random()

    def start() -> tuple[Job | None, bool]:
        with uow_factory() as uow:
            job = uow.jobs.get(job_id, lock=True)
            if job is None or job.status is not JobStatus.QUEUED:
                return job, False
            job = job.start(clock.now())
            uow.jobs.save(job)
            uow.commit()
            return job, True

    found, started = _persevering(start, policy, sleep)
    if not started or found is None:
        return found
    job = found

    def checkpoint(phase: str, done: int, total: int | None) -> None:
        with uow_factory() as uow:
            cancel_requested = uow.jobs.checkpoint(job_id, clock.now(), phase, done, total)
            uow.commit()
        if job.parent_id is not None:
            _roll_up(uow_factory, clock, job.parent_id)
        if cancel_requested:
            raise JobCancelledError()
        if stopping():
            raise JobHandedBackError()

    finish: Callable[[Job], Job]
    again = delay = handed_back = False
    try:
        outcome = handlers[job.kind](job, checkpoint)
        if isinstance(outcome, FanOut):
            return _fan_out(uow_factory, queue, clock, job_id, outcome)
        finish = lambda j: j.succeed(outcome, clock.now())  # noqa: E731
    except JobCancelledError:
        finish = lambda j: j.cancel(clock.now())  # noqa: E731
    except JobHandedBackError:
        again = handed_back = True
        log.info("job %s (%s) handed back: its worker is stopping", job_id, job.kind)
        finish = lambda j: j.fail("handed back: its worker was stopped", clock.now())  # noqa: E731
    except Exception as exc:
        if policy.is_transient(exc):
            again = delay = job.attempt < policy.max_attempts
            error = (
                f"transient failure (attempt {job.attempt} of {policy.max_attempts}): "
                f"{type(exc).__name__}: {_first_line(exc)}"
            )
            log.warning("job %s (%s) %s", job_id, job.kind, error)
        else:
            log.exception("job %s (%s) failed", job_id, job.kind)
            error = str(exc) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        finish = lambda j: j.fail(error, clock.now())  # noqa: E731

    def record() -> tuple[Job | None, Job | None]:
        with uow_factory() as uow:
            current = uow.jobs.get(job_id, lock=True)
            if current is None or current.status is not JobStatus.RUNNING:
                return current, None  # the sweeper declared it lost meanwhile; its retry goes on
            done = finish(current)
            retry = None
            if again:
                uow.outbox.release_claims([job_id])  # what it was sending is due again at once
                follow_up = done.retry()
                if handed_back:  # no failure of the job's: the same attempt carries on
                    follow_up = replace(follow_up, attempt=done.attempt)
                retry = uow.jobs.add(follow_up, clock.now())
                done = replace(done, error=f"{done.error}; retried as job {retry.id}")
            uow.jobs.save(done)
            uow.commit()
            return done, retry

    done, retry = _persevering(record, policy, sleep)
    if retry is not None:
        if delay:
            sleep(policy.retry_delay(job.attempt, rng).total_seconds())
        enqueue_soon(queue, retry)  # if this worker dies first, the sweeper enqueues it
    if done is not None and done.parent_id is not None:
        _roll_up(uow_factory, clock, done.parent_id)
    return done


def _persevering(action: Callable[[], T], policy: JobPolicy, sleep: Callable[[float], None]) -> T:
    """The action, tried again on transient failures for up to policy.record_for."""
    waited, pause = 0.0, 0.25
    while True:
        try:
            return action()
        except Exception as exc:
            if not policy.is_transient(exc) or waited >= policy.record_for.total_seconds():
                raise
            log.warning("database unavailable, trying again in %.2f s: %s", pause, _first_line(exc))
            sleep(pause)
            waited += pause
            pause = min(pause * 2, 5.0)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def _fan_out(
    uow_factory: UnitOfWorkFactory, queue: JobQueue, clock: Clock, job_id: UUID, fan_out: FanOut
) -> Job | None:
    """The children and the parent's wait for them commit together: a parent that died
    before this has no children and is retried whole; after it, the children carry on."""
    now = clock.now()
    with uow_factory() as uow:
        parent = uow.jobs.get(job_id, lock=True)
        if parent is None or parent.status is not JobStatus.RUNNING:
            return parent
        children = []
        if parent.cancel_requested_at is None:
            children = [uow.jobs.add(replace(c, parent_id=job_id), now) for c in fan_out.children]
        # no children (none needed, or a cancel came first): roll_up ends the parent now
        started = replace(parent, phase="children", heartbeat_at=now)
        parent = roll_up(started, [ChildState.of(c) for c in children], now)
        uow.jobs.save(parent)
        uow.commit()
    for child in children:
        enqueue_soon(queue, child)
    return parent


def _roll_up(uow_factory: UnitOfWorkFactory, clock: Clock, parent_id: UUID) -> None:
    """The parent's progress from its children; it ends once they all have. Its own
    transaction, after the child's: locks are taken parent first, never child then parent."""
    with uow_factory() as uow:
        parent = uow.jobs.get(parent_id, lock=True)
        children = uow.jobs.children_states(parent_id)
        if parent is None or parent.status.is_final or not children:
            return  # nothing to roll up: a job that has not fanned out reports for itself
        uow.jobs.save(roll_up(parent, children, clock.now()))
        uow.commit()


@dataclass(frozen=True, slots=True)
class SweepReport:
    leases_expired: int
    jobs_lost: int
    jobs_retried: int
    jobs_requeued: int
    delivery_job: UUID | None


def sweep(
    uow_factory: UnitOfWorkFactory, queue: JobQueue, clock: Clock, policy: JobPolicy
) -> SweepReport:
    """Put back on its way whatever a dead worker or a lost queue left behind."""
    now = clock.now()
    retries: list[Job] = []
    # parents to settle: of lost children that will not be retried, and parents whose
    # children all ended while nothing rolled them up (a worker died in between)
    settle: set[UUID] = set()
    with uow_factory() as uow:
        leases_expired = uow.outbox.expire_leases(now)
        lost = []
        for job in uow.jobs.stale_running(now - policy.heartbeat_timeout):
            if uow.jobs.children_states(job.id):
                settle.add(job.id)
            else:
                lost.append(job)
        uow.outbox.release_claims([job.id for job in lost])
        for job in lost:
            seen = job.heartbeat_at.isoformat() if job.heartbeat_at else "never"
            failed = job.fail(
                f"worker lost: no heartbeat since {seen} "
                f"(attempt {job.attempt} of {policy.max_attempts})",
                now,
            )
            uow.jobs.save(failed)
            if job.attempt < policy.max_attempts:
                retries.append(uow.jobs.add(failed.retry(), now))
            elif job.parent_id is not None:
                settle.add(job.parent_id)
        uow.commit()
    for job in retries:
        enqueue_soon(queue, job)
    for parent_id in settle:
        _roll_up(uow_factory, clock, parent_id)

    with uow_factory() as uow:
        queued = uow.jobs.queued_before(now - policy.requeue_after)
    requeued = 0
    try:
        for job_id in queued:
            if not queue.knows(job_id):
                queue.enqueue(job_id)
                requeued += 1
    except QueueUnavailableError as exc:
        log.warning("sweeper cannot reach the queue: %s", exc)

    delivery_job = None
    with uow_factory() as uow:
        # rows due for a while: ones just queued by a running job are on their way already
        stranded = uow.outbox.count_due(now - policy.requeue_after)
        if stranded and not uow.jobs.count_unfinished(JobKind.DELIVER):
            delivery_job, _ = add_job(uow, clock, NewJob(JobKind.DELIVER), None)
            uow.commit()
    if delivery_job is not None:
        enqueue_soon(queue, delivery_job)
    return SweepReport(
        leases_expired=leases_expired,
        jobs_lost=len(lost),
        jobs_retried=len(retries),
        jobs_requeued=requeued,
        delivery_job=delivery_job.id if delivery_job else None,
    )


def run_sweep(
    uow_factory: UnitOfWorkFactory, queue: JobQueue, clock: Clock, policy: JobPolicy
) -> dict[str, Any]:
    """The sweep as a job (the `delivery-sweep` schedule's)."""
    report = asdict(sweep(uow_factory, queue, clock, policy))
    report["delivery_job"] = str(report["delivery_job"]) if report["delivery_job"] else None
    return report
