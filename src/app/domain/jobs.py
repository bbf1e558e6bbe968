"""Background work as the user sees it: a job's status, phase, progress and outcome.

Status changes go through the functions here, so a job never leaves a final state and never
goes back from running to queued; a repository stores what they return.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.errors import DomainError
from app.domain.time import require_aware


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobKind(enum.StrEnum):
    DELIVER = "delivery.deliver"
    SWEEP = "delivery.sweep"
    DEMO_INITIAL_BATCH = "demo.initial_batch"
    DEMO_PURGE = "demo.purge"
    # the account's past N days, as the schedules would have filled them (issue 26)
    DEMO_BACKFILL = "demo.backfill"
    # a named scenario's run: its posts, and its items into the outbox due when they arrive
    DEMO_SCENARIO = "demo.scenario"
    # a tick over every active demo account: the parent fans out into chunks of accounts
    DAILY_CONTENT = "demo.daily_content"
    DAILY_CONTENT_CHUNK = "demo.daily_content.chunk"
    ONGOING_INTERACTIONS = "demo.ongoing_interactions"
    ONGOING_INTERACTIONS_CHUNK = "demo.ongoing_interactions.chunk"
    CLEANUP = "demo.cleanup"
    # the reference host's poll of native YouTube channels (YouTube pushes no comments)
    YOUTUBE_POLL = "reference.youtube_poll"
    # X's Challenge-Response Check of the registered X app's callback, every 30 minutes
    X_CRC = "apps.x_crc"


# the phases a job goes through, in order, where it has more than one: its progress is read
# as one bar over all of them
PHASES: dict[JobKind, tuple[str, ...]] = {
    JobKind.DEMO_INITIAL_BATCH: ("generate", "content", "comments", "dms", "deliver"),
    JobKind.DEMO_BACKFILL: ("generate", "content", "comments", "dms", "deliver"),
    JobKind.DEMO_SCENARIO: ("content", "schedule"),
    JobKind.ONGOING_INTERACTIONS_CHUNK: ("interactions", "deliver"),
}


class InvalidTransitionError(DomainError):
    def __init__(self, job_id: UUID, status: JobStatus, wanted: JobStatus) -> None:
        super().__init__(f"job {job_id} is {status.value}; it cannot become {wanted.value}")
        self.status = status


class JobCancelledError(Exception):
    """Raised at a checkpoint when a cancel was requested; the job stops there."""


class JobHandedBackError(Exception):
    """Raised at a checkpoint when the worker is stopping; a retry takes the job over."""


@dataclass(frozen=True, slots=True)
class NewJob:
    kind: JobKind
    account_id: UUID | None = None
    params: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1
    retry_of: UUID | None = None
    schedule_slot: str | None = None
    parent_id: UUID | None = None
    progress_total: int | None = None  # when known up front: a parent's total is right at once


@dataclass(frozen=True, slots=True)
class Job:
    id: UUID
    kind: JobKind
    status: JobStatus
    account_id: UUID | None
    params: dict[str, Any]
    phase: str | None
    progress_done: int
    progress_total: int | None
    attempt: int
    error: str | None
    result: dict[str, Any] | None
    retry_of: UUID | None
    schedule_slot: str | None
    parent_id: UUID | None  # set on the children a job fanned out into
    cancel_requested_at: datetime | None
    heartbeat_at: datetime | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    def __post_init__(self) -> None:
        for name in (
            "cancel_requested_at",
            "heartbeat_at",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, require_aware(value, name))

    @property
    def overall(self) -> float | None:
        """How far the whole job is, 0 to 1 (every phase counted), or None before anything is
        known of it."""
        if self.status is JobStatus.SUCCEEDED:
            return 1.0
        if not self.progress_total:
            return None
        part = min(1.0, self.progress_done / self.progress_total)
        phases = PHASES.get(self.kind, ())
        if self.phase in phases:
            return (phases.index(self.phase) + part) / len(phases)
        return part

    def _to(self, status: JobStatus, now: datetime, **changes: Any) -> "Job":
        allowed = _TRANSITIONS[self.status]
        if status not in allowed:
            raise InvalidTransitionError(self.id, self.status, status)
        return replace(self, status=status, updated_at=now, **changes)

    def start(self, now: datetime) -> "Job":
        return self._to(JobStatus.RUNNING, now, started_at=now, heartbeat_at=now)

    def succeed(self, result: dict[str, Any], now: datetime) -> "Job":
        return self._to(JobStatus.SUCCEEDED, now, result=result, finished_at=now, error=None)

    def fail(self, error: str, now: datetime) -> "Job":
        return self._to(JobStatus.FAILED, now, error=error, finished_at=now)

    def cancel(self, now: datetime) -> "Job":
        return self._to(JobStatus.CANCELLED, now, finished_at=now)

    def request_cancel(self, now: datetime) -> "Job":
        """Queued: cancelled at once. Running: flagged, and stopped at its next checkpoint."""
        if self.status is JobStatus.QUEUED:
            return self.cancel(now)
        if self.status is JobStatus.RUNNING:
            return replace(
                self, cancel_requested_at=self.cancel_requested_at or now, updated_at=now
            )
        raise InvalidTransitionError(self.id, self.status, JobStatus.CANCELLED)

    def retry(self) -> NewJob:
        """A new job doing the same work, which resumes from what the first one stored."""
        if self.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            raise InvalidTransitionError(self.id, self.status, JobStatus.QUEUED)
        return NewJob(
            kind=self.kind,
            account_id=self.account_id,
            params=self.params,
            attempt=self.attempt + 1,
            retry_of=self.id,
            parent_id=self.parent_id,
        )


@dataclass(frozen=True, slots=True)
class JobFilter:
    """Which jobs a page lists; parent_id: the children a job fanned out into."""

    status: JobStatus | None = None
    kind: JobKind | None = None
    account_id: UUID | None = None
    parent_id: UUID | None = None
    hidden: tuple[JobKind, ...] = ()  # kinds left out (the dashboard's list: the sweeps)


@dataclass(frozen=True, slots=True)
class ChildState:
    """What a parent needs of a child to roll up (a child's params can be large)."""

    id: UUID
    retry_of: UUID | None
    status: JobStatus
    progress_done: int
    progress_total: int | None
    result: dict[str, Any] | None

    @classmethod
    def of(cls, job: Job) -> "ChildState":
        return cls(
            job.id, job.retry_of, job.status, job.progress_done, job.progress_total, job.result
        )


def roll_up(parent: Job, children: Sequence[ChildState], now: datetime) -> Job:
    """A parent that fanned out: its progress is the sum of its children's, and it ends when
    the last of them does. A child that was retried counts through its retry."""
    retried = {c.retry_of for c in children if c.retry_of is not None}
    current = [c for c in children if c.id not in retried]
    done = sum(c.progress_done for c in current)
    total = sum(c.progress_total or 0 for c in current)
    parent = replace(parent, progress_done=done, progress_total=total, updated_at=now)
    if parent.status is not JobStatus.RUNNING or any(not c.status.is_final for c in current):
        return parent
    by_status = {s.value: sum(c.status is s for c in current) for s in JobStatus if s.is_final}
    result: dict[str, Any] = {"children": by_status, "totals": _sum_results(current)}
    if parent.cancel_requested_at is not None:
        return parent.cancel(now)
    unsuccessful = len(current) - by_status[JobStatus.SUCCEEDED.value]
    if unsuccessful:
        failed = parent.fail(f"{unsuccessful} of {len(current)} child jobs did not succeed", now)
        return replace(failed, result=result)
    return parent.succeed(result, now)


def _sum_results(children: list[ChildState]) -> dict[str, Any]:
    """The children's numeric results added up, nested dicts included."""

    def add(into: dict[str, Any], more: dict[str, Any]) -> None:
        for key, value in more.items():
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                into[key] = into.get(key, 0) + value
            elif isinstance(value, dict):
                add(into.setdefault(key, {}), value)

    totals: dict[str, Any] = {}
    for child in children:
        add(totals, child.result or {})
    return totals


_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}


# Each kind of job's params, typed; a job row keeps them as JSON (Job.params).


@dataclass(frozen=True, slots=True)
class AtReference:
    """A job whose output its reference time fixes (the initial batch, a tick, cleanup), so
    that a retry regenerates the very same rows."""

    reference_time: datetime
    schedule: str | None = None  # the schedule that started it
    trigger: str | None = None  # "manual" for a run started by hand

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "reference_time", require_aware(self.reference_time, "reference_time")
        )

    def to_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"reference_time": self.reference_time.isoformat()}
        if self.schedule is not None:
            params["schedule"] = self.schedule
        if self.trigger is not None:
            params["trigger"] = self.trigger
        return params

    @classmethod
    def of(cls, job: Job) -> "AtReference":
        given = job.params.get("reference_time")
        return cls(
            reference_time=datetime.fromisoformat(given) if given else job.created_at,
            schedule=job.params.get("schedule"),
            trigger=job.params.get("trigger"),
        )


@dataclass(frozen=True, slots=True)
class TickChunk:
    """A child of a tick: its share of the accounts."""

    reference_time: datetime
    accounts: tuple[UUID, ...]

    def to_params(self) -> dict[str, Any]:
        return {
            "reference_time": self.reference_time.isoformat(),
            "accounts": [str(a) for a in self.accounts],
        }

    @classmethod
    def of(cls, job: Job) -> "TickChunk":
        return cls(
            reference_time=AtReference.of(job).reference_time,
            accounts=tuple(UUID(a) for a in job.params["accounts"]),
        )


@dataclass(frozen=True, slots=True)
class Redelivery:
    """A delivery job started by redelivering dead letters."""

    requeued: int

    def to_params(self) -> dict[str, Any]:
        return {"requeued": self.requeued}
