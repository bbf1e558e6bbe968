"""Background work as the user sees it: a job's status, phase, progress and outcome.

Status changes go through the functions here, so a job never leaves a final state and never
goes back from running to queued; a repository stores what they return.
"""

import enum
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
    DEMO_INITIAL_BATCH = "demo.initial_batch"
    DEMO_PURGE = "demo.purge"


class InvalidTransitionError(DomainError):
    def __init__(self, job_id: UUID, status: JobStatus, wanted: JobStatus) -> None:
        super().__init__(f"job {job_id} is {status.value}; it cannot become {wanted.value}")
        self.status = status


class JobCancelledError(Exception):
    """Raised at a checkpoint when a cancel was requested; the job stops there."""


@dataclass(frozen=True, slots=True)
class NewJob:
    kind: JobKind
    account_id: UUID | None = None
    params: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1
    retry_of: UUID | None = None
    schedule_slot: str | None = None


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
        )

    def is_stale(self, now: datetime, heartbeat_timeout_s: int) -> bool:
        """Running, but its worker has not been heard of for too long: it died."""
        if self.status is not JobStatus.RUNNING or self.heartbeat_at is None:
            return False
        return (now - self.heartbeat_at).total_seconds() > heartbeat_timeout_s


_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}
