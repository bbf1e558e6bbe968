from typing import Any

from sqlalchemy import Connection, Row, select, update

from app.adapters.db.tables import schedules
from app.domain.jobs import JobKind
from app.domain.schedules import Cron, Schedule


def _row_to_schedule(row: Row[Any]) -> Schedule:
    return Schedule(
        name=row.name,
        cron=Cron(row.cron),
        job_kind=JobKind(row.job_kind),
        enabled=row.enabled,
        last_run_at=row.last_run_at,
        next_run_at=row.next_run_at,
        last_job_id=row.last_job_id,
        updated_at=row.updated_at,
    )


class SqlScheduleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def list(self) -> list[Schedule]:
        rows = self._conn.execute(select(schedules).order_by(schedules.c.name))
        return [_row_to_schedule(r) for r in rows]

    def get(self, name: str, *, lock: bool = False) -> Schedule | None:
        stmt = select(schedules).where(schedules.c.name == name)
        if lock:
            stmt = stmt.with_for_update()
        row = self._conn.execute(stmt).first()
        return _row_to_schedule(row) if row else None

    def save(self, schedule: Schedule) -> None:
        self._conn.execute(
            update(schedules)
            .where(schedules.c.name == schedule.name)
            .values(
                cron=schedule.cron.expression,
                enabled=schedule.enabled,
                last_run_at=schedule.last_run_at,
                next_run_at=schedule.next_run_at,
                last_job_id=schedule.last_job_id,
                updated_at=schedule.updated_at,
            )
        )
