"""Jobs: rows in PostgreSQL first, ids on the queue after the commit, run by workers.

The queue may lose an id (Redis flushed or down) and a worker may die mid-job; the sweeper
finds both from what PostgreSQL holds and puts the work back on its way.
"""

import enum
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar
from uuid import UUID

from app.config import DEFAULTS, Settings
from app.domain.backoff import backoff
from app.domain.errors import DomainError, IdempotencyKeyReusedError
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
from app.services.ports import (
    Clock,
    JobQueue,
    Metrics,
    NoMetrics,
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


# the database's pauses while a worker records a job's end: 0.25 s, 0.5 s, … at most 5 s
PERSEVERE_BASE, PERSEVERE_CAP = timedelta(seconds=0.25), timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class JobPolicy:
    heartbeat_timeout: timedelta = timedelta(seconds=DEFAULTS.job_heartbeat_timeout)
    # a job whose worker died, or that met a transient failure, is retried until this attempt
    max_attempts: int = DEFAULTS.job_max_attempts
    requeue_after: timedelta = timedelta(seconds=30)  # grace before a queued id counts as lost
    # which failures another attempt can get past (a lost connection, a restarting server)
    is_transient: Callable[[BaseException], bool] = _never
    # the wait before attempt n+1: half to all of retry_base·2^(n-1), at most retry_cap
    retry_base: timedelta = timedelta(seconds=2)
    retry_cap: timedelta = timedelta(seconds=60)
    # how long a worker keeps trying to record a job's end while the database is away;
    # past that the job is left running and the sweeper finds it by its heartbeat
    record_for: timedelta = timedelta(seconds=30)
    # a child's checkpoints bring its parent's progress up to date at most this often (each
    # roll-up locks the parent and reads every sibling); its end always does
    roll_up_every: timedelta = timedelta(seconds=1)

    @classmethod
    def of(cls, settings: Settings, is_transient: Callable[[BaseException], bool]) -> "JobPolicy":
        return cls(
            heartbeat_timeout=timedelta(seconds=settings.job_heartbeat_timeout),
            max_attempts=settings.job_max_attempts,
            is_transient=is_transient,
        )


@dataclass(frozen=True, slots=True)
class Idempotency:
    key: str
    fingerprint: str  # of the request that used the key first


class _Retry(enum.Enum):
    """What follows an attempt that ended: nothing, a retry now, or one after a backoff."""

    NONE = "none"
    NOW = "now"
    AFTER_BACKOFF = "after backoff"


@dataclass(frozen=True)
class JobEngine:
    """Creates, runs and settles jobs over a unit of work and a queue."""

    uow: UnitOfWorkFactory
    queue: JobQueue
    clock: Clock
    policy: JobPolicy = JobPolicy()
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] = time.sleep
    metrics: Metrics = field(default_factory=NoMetrics)

    def create(self, new: NewJob, idempotency: Idempotency | None = None) -> tuple[Job, bool]:
        """The job, and whether this call created it (False: the key's earlier job)."""
        with self.uow() as uow:
            job, created = self.add(uow, new, idempotency)
            uow.commit()
        if created:
            self.enqueue_soon(job)
        return job, created

    def add(
        self, uow: UnitOfWork, new: NewJob, idempotency: Idempotency | None = None
    ) -> tuple[Job, bool]:
        """Within the caller's transaction; enqueue with enqueue_soon() after it commits."""
        earlier = self.earlier(uow, idempotency)
        if earlier is not None:
            return earlier, False
        now = self.clock.now()
        job = uow.jobs.add(new, now)
        if idempotency is not None and not uow.jobs.remember_idempotency_key(
            idempotency.key, idempotency.fingerprint, job.id, now
        ):
            uow.rollback()  # a concurrent request with the same key got there first
            earlier = self.earlier(uow, idempotency)
            assert earlier is not None
            return earlier, False
        return job, True

    def earlier(self, uow: UnitOfWork, idempotency: Idempotency | None) -> Job | None:
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

    def enqueue_soon(self, job: Job) -> None:
        """After the commit. If the queue is down the row stays queued and the sweeper
        enqueues it."""
        try:
            self.queue.enqueue(job.id)
        except QueueUnavailableError as exc:
            log.warning("job %s stays queued until the sweeper finds it: %s", job.id, exc)

    def run(
        self,
        job_id: UUID,
        handlers: Mapping[JobKind, Handler],
        stopping: Callable[[], bool] = lambda: False,
    ) -> Job | None:
        """What a worker does with a job id. Ids may arrive twice: only a queued job starts.

        A transient failure (policy.is_transient: the database connection lost, the server
        restarting) ends the attempt as failed and queues the next one, which resumes from
        what the committed batches stored, after a backoff, up to policy.max_attempts. Any
        other failure is permanent. While the database is away, starting and recording are
        retried for policy.record_for; after that the job is left to the sweeper. When
        `stopping()` (the worker was told to stop), the job hands itself back at its next
        checkpoint: it ends there and a retry, queued at once, resumes it on another worker."""
        found, started = self._persevering(lambda: self._start(job_id))
        if not started or found is None:
            return found
        job = found
        rolled_up_at: datetime | None = None

        def checkpoint(phase: str, done: int, total: int | None) -> None:
            nonlocal rolled_up_at
            now = self.clock.now()
            with self.uow() as uow:
                cancel_requested = uow.jobs.checkpoint(job_id, now, phase, done, total)
                uow.commit()
            if job.parent_id is not None and (
                rolled_up_at is None or now - rolled_up_at >= self.policy.roll_up_every
            ):
                rolled_up_at = now
                self.roll_up(job.parent_id)
            if cancel_requested:
                raise JobCancelledError()
            if stopping():
                raise JobHandedBackError()

        finish: Callable[[Job], Job]
        retry = _Retry.NONE
        try:
            outcome = handlers[job.kind](job, checkpoint)
            if isinstance(outcome, FanOut):
                return self._fan_out(job_id, outcome)
            finish = lambda j: j.succeed(outcome, self.clock.now())  # noqa: E731
        except JobCancelledError:
            finish = lambda j: j.cancel(self.clock.now())  # noqa: E731
        except JobHandedBackError:
            retry = _Retry.NOW
            log.info("job %s (%s) handed back: its worker is stopping", job_id, job.kind)
            finish = lambda j: j.fail("handed back: its worker was stopped", self.clock.now())  # noqa: E731
        except Exception as exc:
            if self.policy.is_transient(exc):
                if job.attempt < self.policy.max_attempts:
                    retry = _Retry.AFTER_BACKOFF
                error = (
                    f"transient failure (attempt {job.attempt} of {self.policy.max_attempts}): "
                    f"{type(exc).__name__}: {_first_line(exc)}"
                )
                log.warning("job %s (%s) %s", job_id, job.kind, error)
            else:
                log.exception("job %s (%s) failed", job_id, job.kind)
                error = str(exc) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            finish = lambda j: j.fail(error, self.clock.now())  # noqa: E731

        done, follow_up = self._persevering(lambda: self._record(job_id, finish, retry))
        if follow_up is not None:
            if retry is _Retry.AFTER_BACKOFF:
                policy = self.policy
                wait = backoff(job.attempt, policy.retry_base, policy.retry_cap, self.rng)
                self.sleep(wait.total_seconds())
            self.enqueue_soon(follow_up)  # if this worker dies first, the sweeper enqueues it
        if done is not None:
            self.finished(done)
            if done.parent_id is not None:
                self.roll_up(done.parent_id)
        return done

    def finished(self, job: Job) -> None:
        """Counted once it has ended (what another process recorded is its own to count)."""
        if job.status.is_final:
            took = job.finished_at - job.started_at if job.finished_at and job.started_at else None
            seconds = took.total_seconds() if took is not None else None
            self.metrics.job_finished(job.kind.value, job.status.value, seconds)
            log.info("job %s (%s) %s", job.id, job.kind.value, job.status.value)

    def _start(self, job_id: UUID) -> tuple[Job | None, bool]:
        with self.uow() as uow:
            job = uow.jobs.get(job_id, lock=True)
            if job is None or job.status is not JobStatus.QUEUED:
                return job, False
            job = job.start(self.clock.now())
            uow.jobs.save(job)
            uow.commit()
            return job, True

    def _record(
        self, job_id: UUID, finish: Callable[[Job], Job], retry: _Retry
    ) -> tuple[Job | None, Job | None]:
        """The job's end, and the retry that takes over from it, in one transaction."""
        with self.uow() as uow:
            current = uow.jobs.get(job_id, lock=True)
            if current is None or current.status is not JobStatus.RUNNING:
                return current, None  # the sweeper declared it lost meanwhile; its retry goes on
            done = finish(current)
            follow_up = None
            if done.status is not JobStatus.SUCCEEDED:
                uow.outbox.release_claims([job_id])  # what it was sending is due again at once
            if retry is not _Retry.NONE:
                new = done.retry()
                if retry is _Retry.NOW:  # handed back: no failure of its own, same attempt
                    new = replace(new, attempt=done.attempt)
                follow_up = uow.jobs.add(new, self.clock.now())
                done = replace(done, error=f"{done.error}; retried as job {follow_up.id}")
            uow.jobs.save(done)
            uow.commit()
            return done, follow_up

    def _persevering(self, action: Callable[[], T]) -> T:
        """The action, tried again on transient failures for up to policy.record_for."""
        waited, failed = timedelta(0), 0
        while True:
            try:
                return action()
            except Exception as exc:
                if not self.policy.is_transient(exc) or waited >= self.policy.record_for:
                    raise
                failed += 1
                pause = backoff(failed, PERSEVERE_BASE, PERSEVERE_CAP)
                log.warning(
                    "database unavailable, trying again in %.2f s: %s",
                    pause.total_seconds(),
                    _first_line(exc),
                )
                self.sleep(pause.total_seconds())
                waited += pause

    def _fan_out(self, job_id: UUID, fan_out: FanOut) -> Job | None:
        """The children and the parent's wait for them commit together: a parent that died
        before this has no children and is retried whole; after it, the children carry on."""
        now = self.clock.now()
        with self.uow() as uow:
            parent = uow.jobs.get(job_id, lock=True)
            if parent is None or parent.status is not JobStatus.RUNNING:
                return parent
            children = []
            if parent.cancel_requested_at is None:
                children = [
                    uow.jobs.add(replace(c, parent_id=job_id), now) for c in fan_out.children
                ]
            # no children (none needed, or a cancel came first): roll_up ends the parent now
            started = replace(parent, phase="children", heartbeat_at=now)
            parent = roll_up(started, [ChildState.of(c) for c in children], now)
            uow.jobs.save(parent)
            uow.commit()
        for child in children:
            self.enqueue_soon(child)
        return parent

    def roll_up(self, parent_id: UUID) -> None:
        """The parent's progress from its children; it ends once they all have. Its own
        transaction, after the child's: locks are taken parent first, never child then
        parent."""
        with self.uow() as uow:
            parent = uow.jobs.get(parent_id, lock=True)
            children = uow.jobs.children_states(parent_id)
            if parent is None or parent.status.is_final or not children:
                return  # nothing to roll up: a job that has not fanned out reports for itself
            rolled = roll_up(parent, children, self.clock.now())
            uow.jobs.save(rolled)
            uow.commit()
        self.finished(rolled)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
