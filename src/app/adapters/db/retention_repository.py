"""Deleting demo data on both sides: what is past retention, and an account's on purge.

Past retention, the inbox loses a comment thread or a DM conversation whole: a comment goes
once everything in its thread (the comments linked to it by replies, up and down) is older
than the cut, a DM once every message of its conversation is. A thread someone still answers
stays, old comments and all.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Select, Table, and_, delete, func, select, text

from app.adapters.db.tables import contents, inbox_interactions, interactions, jobs
from app.domain.delivery import DeliveryStatus

# old demo comments not in a thread that has a newer comment: the old comments next to a newer
# one (its parent or a reply) mark their threads, walked up to the root and down again
_EXPIRED_COMMENTS = """
WITH RECURSIVE edge AS (
    SELECT o.account_id, o.platform, o.platform_id, o.in_reply_to
    FROM inbox_interactions o
    WHERE o.kind = 'comment' AND o.occurred_at < :before AND (
        EXISTS (SELECT 1 FROM inbox_interactions r
                WHERE r.account_id = o.account_id AND r.platform = o.platform
                    AND r.in_reply_to = o.platform_id AND r.occurred_at >= :before)
        OR EXISTS (SELECT 1 FROM inbox_interactions p
                   WHERE p.account_id = o.account_id AND p.platform = o.platform
                       AND p.platform_id = o.in_reply_to AND p.occurred_at >= :before))
), up AS (
    SELECT account_id, platform, platform_id, in_reply_to FROM edge
    UNION
    SELECT p.account_id, p.platform, p.platform_id, p.in_reply_to
    FROM up JOIN inbox_interactions p ON p.account_id = up.account_id
        AND p.platform = up.platform AND p.platform_id = up.in_reply_to
), kept AS (
    SELECT account_id, platform, platform_id FROM up
    UNION
    SELECT c.account_id, c.platform, c.platform_id
    FROM kept JOIN inbox_interactions c ON c.account_id = kept.account_id
        AND c.platform = kept.platform AND c.in_reply_to = kept.platform_id
)
SELECT i.id FROM inbox_interactions i
WHERE i.is_demo AND i.kind = 'comment' AND i.occurred_at < :before
    AND NOT EXISTS (SELECT 1 FROM kept k
                    WHERE k.platform = i.platform AND k.platform_id = i.platform_id)
"""
# old demo DMs of conversations with no newer message
_EXPIRED_DMS = """
SELECT i.id FROM inbox_interactions i
WHERE i.is_demo AND i.kind = 'dm' AND i.occurred_at < :before
    AND (i.conversation_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM inbox_interactions n
        WHERE n.account_id = i.account_id AND n.conversation_id = i.conversation_id
            AND n.occurred_at >= :before))
"""


@dataclass(frozen=True, slots=True)
class _Place:
    """Rows of one table to delete: by a condition, or by a query of their ids."""

    table: Table
    where: ColumnElement[bool] | None = None
    ids: str = ""
    params: dict[str, Any] | None = None

    def count(self, conn: Connection) -> int:
        if self.where is not None:
            return int(conn.execute(select(func.count()).where(self.where)).scalar_one())
        return int(
            conn.execute(text(f"SELECT count(*) FROM ({self.ids}) AS x"), self.params).scalar_one()
        )

    def delete(self, conn: Connection, limit: int) -> int:
        if self.where is not None:
            some: Select[Any] = select(self.table.c.id).where(self.where).limit(limit)
            return conn.execute(
                delete(self.table).where(self.table.c.id.in_(some.scalar_subquery()))
            ).rowcount
        statement = text(f"DELETE FROM {self.table.name} WHERE id IN ({self.ids} LIMIT :limit)")
        return conn.execute(statement, {**(self.params or {}), "limit": limit}).rowcount


class SqlRetentionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def count_expired(self, before: datetime) -> int:
        return sum(place.count(self._conn) for place in _expired(before))

    def delete_expired(self, before: datetime, limit: int) -> int:
        return self._delete_some(_expired(before), limit)

    def _delete_some(self, places: list[_Place], limit: int) -> int:
        """Up to `limit` rows from the first place that has any."""
        for place in places:
            if deleted := place.delete(self._conn, limit):
                return deleted
        return 0

    def purge_batch(self, account_id: UUID, limit: int) -> int:
        """Delete up to `limit` of the account's demo rows, simulator side first, then the
        inbox's is_demo rows; 0 once nothing is left."""
        return self._delete_some(_demo_rows(account_id), limit)

    def count_demo_rows(self, account_id: UUID) -> int:
        return sum(place.count(self._conn) for place in _demo_rows(account_id))


def _demo_rows(account_id: UUID) -> list[_Place]:
    """Where an account's demo data lives: the simulator's rows, then the inbox's is_demo ones."""
    return [
        _Place(interactions, interactions.c.account_id == account_id),
        _Place(contents, contents.c.account_id == account_id),
        _Place(
            inbox_interactions,
            and_(inbox_interactions.c.account_id == account_id, inbox_interactions.c.is_demo),
        ),
    ]


def _expired(before: datetime) -> list[_Place]:
    """Demo data past retention, by when it happened (a row being sent is left to its job;
    the inbox's by thread and conversation); then the record of jobs that finished before
    then (a sweep a minute adds up)."""
    return [
        _Place(
            interactions,
            and_(
                interactions.c.occurred_at < before,
                interactions.c.status != DeliveryStatus.SENDING.value,
            ),
        ),
        _Place(contents, contents.c.published_at < before),
        _Place(inbox_interactions, ids=_EXPIRED_COMMENTS, params={"before": before}),
        _Place(inbox_interactions, ids=_EXPIRED_DMS, params={"before": before}),
        _Place(jobs, jobs.c.finished_at < before),
    ]
