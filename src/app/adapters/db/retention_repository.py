"""Deleting demo data on both sides: what is past retention, and an account's on purge."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Table, and_, delete, func, select

from app.adapters.db.tables import contents, inbox_interactions, interactions, jobs
from app.domain.delivery import DeliveryStatus


class SqlRetentionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def count_expired(self, before: datetime) -> int:
        return sum(
            self._conn.execute(select(func.count()).where(where)).scalar_one()
            for _, where in _expired(before)
        )

    def delete_expired(self, before: datetime, limit: int) -> int:
        return self._delete_some(_expired(before), limit)

    def _delete_some(self, places: list[tuple[Table, ColumnElement[bool]]], limit: int) -> int:
        """Up to `limit` rows from the first place that has any."""
        for table, where in places:
            some = select(table.c.id).where(where).limit(limit).scalar_subquery()
            deleted = self._conn.execute(delete(table).where(table.c.id.in_(some))).rowcount
            if deleted:
                return deleted
        return 0

    def purge_batch(self, account_id: UUID, limit: int) -> int:
        """Delete up to `limit` of the account's demo rows, simulator side first, then the
        inbox's is_demo rows; 0 once nothing is left."""
        return self._delete_some(_demo_rows(account_id), limit)

    def count_demo_rows(self, account_id: UUID) -> int:
        return sum(
            self._conn.execute(select(func.count()).where(where)).scalar_one()
            for _, where in _demo_rows(account_id)
        )


def _demo_rows(account_id: UUID) -> list[tuple[Table, ColumnElement[bool]]]:
    """Where an account's demo data lives: the simulator's rows, then the inbox's is_demo ones."""
    return [
        (interactions, interactions.c.account_id == account_id),
        (contents, contents.c.account_id == account_id),
        (
            inbox_interactions,
            and_(inbox_interactions.c.account_id == account_id, inbox_interactions.c.is_demo),
        ),
    ]


def _expired(before: datetime) -> list[tuple[Table, ColumnElement[bool]]]:
    """Demo data past retention, by when it happened (a row being sent is left to its job);
    then the record of jobs that finished before then (a sweep a minute adds up)."""
    return [
        (
            interactions,
            and_(
                interactions.c.occurred_at < before,
                interactions.c.status != DeliveryStatus.SENDING.value,
            ),
        ),
        (contents, contents.c.published_at < before),
        (
            inbox_interactions,
            and_(inbox_interactions.c.occurred_at < before, inbox_interactions.c.is_demo),
        ),
        (jobs, jobs.c.finished_at < before),
    ]
