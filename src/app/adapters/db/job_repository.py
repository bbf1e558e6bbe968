from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Row, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.db.tables import idempotency_keys, jobs
from app.domain.jobs import ChildState, Job, JobKind, JobStatus, NewJob

_MUTABLE = (
    "status",
    "phase",
    "progress_done",
    "progress_total",
    "error",
    "result",
    "cancel_requested_at",
    "heartbeat_at",
    "updated_at",
    "started_at",
    "finished_at",
)


_UNFINISHED = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


def _insert(new: NewJob, now: datetime) -> Any:
    return pg_insert(jobs).values(
        kind=new.kind.value,
        status=JobStatus.QUEUED.value,
        account_id=new.account_id,
        params=new.params,
        attempt=new.attempt,
        retry_of=new.retry_of,
        schedule_slot=new.schedule_slot,
        parent_id=new.parent_id,
        progress_total=new.progress_total,
        created_at=now,
        updated_at=now,
    )


def row_to_job(row: Row[Any]) -> Job:
    return Job(
        id=row.id,
        kind=JobKind(row.kind),
        status=JobStatus(row.status),
        account_id=row.account_id,
        params=row.params,
        phase=row.phase,
        progress_done=row.progress_done,
        progress_total=row.progress_total,
        attempt=row.attempt,
        error=row.error,
        result=row.result,
        retry_of=row.retry_of,
        schedule_slot=row.schedule_slot,
        parent_id=row.parent_id,
        cancel_requested_at=row.cancel_requested_at,
        heartbeat_at=row.heartbeat_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class SqlJobRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, new: NewJob, now: datetime) -> Job:
        return row_to_job(self._conn.execute(_insert(new, now).returning(*jobs.c)).one())

    def add_for_slot(self, new: NewJob, now: datetime) -> Job | None:
        row = self._conn.execute(
            _insert(new, now)
            .on_conflict_do_nothing(index_elements=[jobs.c.schedule_slot])
            .returning(*jobs.c)
        ).first()
        return row_to_job(row) if row else None

    def children(self, parent_id: UUID, *, lock: bool = False) -> list[Job]:
        stmt = select(jobs).where(jobs.c.parent_id == parent_id).order_by(jobs.c.created_at)
        if lock:
            stmt = stmt.with_for_update()
        return [row_to_job(r) for r in self._conn.execute(stmt)]

    def children_states(self, parent_id: UUID) -> list[ChildState]:
        c = jobs.c
        stmt = select(
            c.id, c.retry_of, c.status, c.progress_done, c.progress_total, c.result
        ).where(c.parent_id == parent_id)
        return [
            ChildState(
                r.id, r.retry_of, JobStatus(r.status), r.progress_done, r.progress_total, r.result
            )
            for r in self._conn.execute(stmt)
        ]

    def get(self, job_id: UUID, *, lock: bool = False) -> Job | None:
        stmt = select(jobs).where(jobs.c.id == job_id)
        if lock:
            stmt = stmt.with_for_update()
        row = self._conn.execute(stmt).first()
        return row_to_job(row) if row else None

    def save(self, job: Job) -> None:
        self._conn.execute(
            update(jobs)
            .where(jobs.c.id == job.id)
            .values(**{name: _column_value(getattr(job, name)) for name in _MUTABLE})
        )

    def checkpoint(
        self, job_id: UUID, now: datetime, phase: str, done: int, total: int | None
    ) -> bool:
        """Record progress and heartbeat in one statement; True when a cancel was requested."""
        cancel_requested_at = self._conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                phase=phase,
                progress_done=done,
                progress_total=total,
                heartbeat_at=now,
                updated_at=now,
            )
            .returning(jobs.c.cancel_requested_at)
        ).scalar_one()
        return cancel_requested_at is not None

    def stale_running(self, heartbeat_before: datetime) -> list[Job]:
        """Running jobs whose worker went quiet, locked so one sweeper handles each."""
        child = jobs.alias("child")
        waiting_for_children = exists().where(
            child.c.parent_id == jobs.c.id, child.c.status.in_(_UNFINISHED)
        )
        stmt = (
            select(jobs)
            .where(
                jobs.c.status == JobStatus.RUNNING.value,
                jobs.c.heartbeat_at < heartbeat_before,
                ~waiting_for_children,
            )
            .with_for_update(of=jobs, skip_locked=True)
        )
        return [row_to_job(r) for r in self._conn.execute(stmt)]

    def queued_before(self, created_before: datetime) -> list[UUID]:
        stmt = select(jobs.c.id).where(
            jobs.c.status == JobStatus.QUEUED.value, jobs.c.created_at < created_before
        )
        return list(self._conn.execute(stmt).scalars())

    def count_unfinished(self, kind: JobKind) -> int:
        stmt = select(func.count()).where(
            jobs.c.kind == kind.value,
            jobs.c.status.in_(_UNFINISHED),
        )
        return int(self._conn.execute(stmt).scalar_one())

    def unfinished_for_account(self, account_id: UUID) -> list[Job]:
        stmt = (
            select(jobs)
            .where(
                jobs.c.account_id == account_id,
                jobs.c.status.in_(_UNFINISHED),
            )
            .with_for_update()
        )
        return [row_to_job(r) for r in self._conn.execute(stmt)]

    def of_kind(self, kind: JobKind, account_id: UUID, limit: int = 100) -> list[Job]:
        stmt = (
            select(jobs)
            .where(jobs.c.kind == kind.value, jobs.c.account_id == account_id)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(limit)
        )
        return [row_to_job(r) for r in self._conn.execute(stmt)]

    def find_by_idempotency_key(self, key: str) -> tuple[str, Job] | None:
        row = self._conn.execute(
            select(idempotency_keys.c.fingerprint, jobs)
            .join(jobs, jobs.c.id == idempotency_keys.c.job_id)
            .where(idempotency_keys.c.key == key)
        ).first()
        return (row.fingerprint, row_to_job(row)) if row else None

    def remember_idempotency_key(
        self, key: str, fingerprint: str, job_id: UUID, now: datetime
    ) -> bool:
        """False when another request took the key first."""
        stmt = (
            pg_insert(idempotency_keys)
            .values(key=key, fingerprint=fingerprint, job_id=job_id, created_at=now)
            .on_conflict_do_nothing(index_elements=[idempotency_keys.c.key])
            .returning(idempotency_keys.c.key)
        )
        return self._conn.execute(stmt).first() is not None


def _column_value(value: Any) -> Any:
    return value.value if isinstance(value, JobStatus) else value
