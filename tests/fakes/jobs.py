"""Jobs and idempotency keys."""

import uuid
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from app.domain.jobs import ChildState, Job, JobKind, JobStatus, NewJob
from fakes.store import MemoryStore


class MemoryJobRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def add(self, new: NewJob, now: datetime) -> Job:
        job = Job(
            id=uuid.uuid4(),
            kind=new.kind,
            status=JobStatus.QUEUED,
            account_id=new.account_id,
            params=new.params,
            phase=None,
            progress_done=0,
            progress_total=new.progress_total,
            attempt=new.attempt,
            error=None,
            result=None,
            retry_of=new.retry_of,
            schedule_slot=new.schedule_slot,
            parent_id=new.parent_id,
            cancel_requested_at=None,
            heartbeat_at=None,
            created_at=now,
            updated_at=now,
            started_at=None,
            finished_at=None,
        )
        if new.schedule_slot and any(
            j.schedule_slot == new.schedule_slot for j in self._store.jobs.values()
        ):
            raise ValueError(f"duplicate schedule_slot {new.schedule_slot}")
        self._store.jobs[job.id] = job
        return job

    def add_for_slot(self, new: NewJob, now: datetime) -> Job | None:
        if any(j.schedule_slot == new.schedule_slot for j in self._store.jobs.values()):
            return None
        return self.add(new, now)

    def children(self, parent_id: UUID, *, lock: bool = False) -> list[Job]:
        found = [j for j in self._store.jobs.values() if j.parent_id == parent_id]
        return sorted(found, key=lambda j: j.created_at)

    def children_states(self, parent_id: UUID) -> list[ChildState]:
        return [ChildState.of(j) for j in self.children(parent_id)]

    def get(self, job_id: UUID, *, lock: bool = False) -> Job | None:
        return self._store.jobs.get(job_id)

    def save(self, job: Job) -> None:
        self._store.jobs[job.id] = job

    def checkpoint(
        self, job_id: UUID, now: datetime, phase: str, done: int, total: int | None
    ) -> bool:
        job = replace(
            self._store.jobs[job_id],
            phase=phase,
            progress_done=done,
            progress_total=total,
            heartbeat_at=now,
            updated_at=now,
        )
        self._store.jobs[job_id] = job
        return job.cancel_requested_at is not None

    def stale_running(self, heartbeat_before: datetime) -> list[Job]:
        return [
            j
            for j in self._store.jobs.values()
            if j.status is JobStatus.RUNNING
            and j.heartbeat_at is not None
            and j.heartbeat_at < heartbeat_before
            and all(c.status.is_final for c in self.children(j.id))
        ]

    def queued_before(self, created_before: datetime) -> list[UUID]:
        return [
            j.id
            for j in self._store.jobs.values()
            if j.status is JobStatus.QUEUED and j.created_at < created_before
        ]

    def count_unfinished(self, kind: JobKind) -> int:
        return sum(
            j.kind is kind and j.status in (JobStatus.QUEUED, JobStatus.RUNNING)
            for j in self._store.jobs.values()
        )

    def unfinished_for_account(self, account_id: UUID) -> list[Job]:
        return [
            j
            for j in self._store.jobs.values()
            if j.account_id == account_id and j.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        ]

    def of_kind(self, kind: JobKind, account_id: UUID, limit: int = 100) -> list[Job]:
        found = [
            j for j in self._store.jobs.values() if j.kind is kind and j.account_id == account_id
        ]
        return sorted(found, key=lambda j: (j.created_at, j.id), reverse=True)[:limit]

    def find_by_idempotency_key(self, key: str) -> tuple[str, Job] | None:
        found = self._store.idempotency_keys.get(key)
        return (found[0], self._store.jobs[found[1]]) if found else None

    def remember_idempotency_key(
        self, key: str, fingerprint: str, job_id: UUID, now: datetime
    ) -> bool:
        if key in self._store.idempotency_keys:
            return False
        self._store.idempotency_keys[key] = (fingerprint, job_id)
        return True
