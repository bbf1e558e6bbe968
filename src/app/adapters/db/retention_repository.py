"""Deleting demo data on both sides: what is past retention, and an account's on purge.

Past retention, the inbox loses a comment thread or a DM conversation whole: a comment goes
once everything in its thread (the comments linked to it by replies, up and down) is older
than the cut, a DM once every message of its conversation is. A thread someone still answers
stays, old comments and all; it is counted among what is past retention (the count is what a
cleanup may delete at most) and deleted by a later cleanup, once the last reply is old too.
A cleanup walks the comments past the cut once, in (occurred_at, id) order, a window at a
time. A reply loop (only hostile input makes one) has no root and stays.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    delete,
    func,
    select,
    text,
    tuple_,
)

from app.adapters.db.tables import (
    contents,
    delivery_attempts,
    inbox_interactions,
    interactions,
    jobs,
    private_replies,
)
from app.domain.delivery import DeliveryStatus
from app.domain.inbox import InteractionKind
from app.services.ports import Keyset

_inbox = inbox_interactions

# a window of demo comments past the cut (`:ids`, the next ones in (occurred_at, id) order),
# walked up to their roots and down again: the rows of their threads in which nothing is newer
# than the cut. A batch costs what its threads hold, not what is past the cut; threads still
# answered are walked past, and a later cleanup takes them
WINDOW = 4  # comments looked at per batch, in batches: whole threads go, so some more
_EXPIRED_THREADS = """
WITH RECURSIVE candidates AS (
    SELECT account_id, platform, platform_id, in_reply_to FROM inbox_interactions
    WHERE id = ANY(:ids)
), up AS (
    SELECT account_id, platform, platform_id, in_reply_to FROM candidates
    UNION
    SELECT p.account_id, p.platform, p.platform_id, p.in_reply_to
    FROM up JOIN inbox_interactions p ON p.account_id = up.account_id
        AND p.platform = up.platform AND p.platform_id = up.in_reply_to
), roots AS (
    SELECT account_id, platform, platform_id FROM up
    WHERE in_reply_to IS NULL OR NOT EXISTS (
        SELECT 1 FROM inbox_interactions p WHERE p.account_id = up.account_id
            AND p.platform = up.platform AND p.platform_id = up.in_reply_to)
), thread AS (
    SELECT account_id, platform, platform_id AS root, platform_id FROM roots
    UNION
    SELECT t.account_id, t.platform, t.root, c.platform_id
    FROM thread t JOIN inbox_interactions c ON c.account_id = t.account_id
        AND c.platform = t.platform AND c.in_reply_to = t.platform_id
), rows AS (
    SELECT t.account_id, t.platform, t.root, i.id, i.occurred_at, i.is_demo
    FROM thread t JOIN inbox_interactions i
        ON i.platform = t.platform AND i.platform_id = t.platform_id
)
SELECT r.id FROM rows r
WHERE r.is_demo AND NOT EXISTS (
    SELECT 1 FROM rows n WHERE n.account_id = r.account_id AND n.platform = r.platform
        AND n.root = r.root AND n.occurred_at >= :before)
"""
# demo comments past the cut (whether their threads can go yet or not): the progress total
_OLD_COMMENTS = """
SELECT id FROM inbox_interactions WHERE is_demo AND kind = 'comment' AND occurred_at < :before
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
    """Rows of one table to delete: by a condition, or by a query of their ids (`counted`:
    what to count instead, when counting the ids would cost a full walk)."""

    table: Table
    where: ColumnElement[bool] | None = None
    ids: str = ""
    params: dict[str, Any] | None = None
    counted: str = ""

    def count(self, conn: Connection) -> int:
        if self.where is not None:
            return int(conn.execute(select(func.count()).where(self.where)).scalar_one())
        query = text(f"SELECT count(*) FROM ({self.counted or self.ids}) AS x")
        return int(conn.execute(query, self.params).scalar_one())

    def delete(self, conn: Connection, limit: int) -> int:
        if not self.ids and self.where is None:
            return 0  # counted here, deleted by delete_expired_threads
        if self.where is not None:
            some: Select[Any] = select(self.table.c.id).where(self.where).limit(limit)
            return conn.execute(
                delete(self.table).where(self.table.c.id.in_(some.scalar_subquery()))
            ).rowcount
        statement = text(f"DELETE FROM {self.table.name} WHERE id IN ({self.ids} LIMIT :limit)")
        params = {**(self.params or {}), "limit": limit}
        return conn.execute(statement, params).rowcount


class SqlRetentionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def count_expired(self, before: datetime) -> int:
        return sum(place.count(self._conn) for place in _expired(before))

    def delete_expired(self, before: datetime, limit: int) -> int:
        return self._delete_some(_expired(before), limit)

    def delete_expired_threads(
        self, before: datetime, limit: int, after: Keyset | None
    ) -> tuple[int, Keyset | None]:
        """The next window of demo comments past the cut (after `after`), their threads
        deleted whole where nothing in them is newer."""
        window = select(_inbox.c.id, _inbox.c.occurred_at).where(
            _inbox.c.is_demo,
            _inbox.c.kind == InteractionKind.COMMENT.value,
            _inbox.c.occurred_at < before,
        )
        if after is not None:
            window = window.where(tuple_(_inbox.c.occurred_at, _inbox.c.id) > tuple_(*after))
        found = self._conn.execute(
            window.order_by(_inbox.c.occurred_at, _inbox.c.id).limit(limit * WINDOW)
        ).all()
        if not found:
            return 0, None
        deleted = self._conn.execute(
            text(f"DELETE FROM inbox_interactions WHERE id IN ({_EXPIRED_THREADS})"),
            {"ids": [r.id for r in found], "before": before},
        ).rowcount
        return deleted, (found[-1].occurred_at, found[-1].id)

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
        _Place(private_replies, private_replies.c.account_id == account_id),
        _Place(
            inbox_interactions,
            and_(inbox_interactions.c.account_id == account_id, inbox_interactions.c.is_demo),
        ),
    ]


def _expired(before: datetime) -> list[_Place]:
    """Demo data past retention, by when it happened (a row being sent is left to its job;
    the inbox's by thread and conversation); then the record of jobs that finished before
    then (a sweep a minute adds up), and of messages sent."""
    return [
        _Place(
            interactions,
            and_(
                interactions.c.occurred_at < before,
                interactions.c.status != DeliveryStatus.SENDING.value,
            ),
        ),
        _Place(contents, contents.c.published_at < before),
        _Place(private_replies, private_replies.c.sent_at < before),
        _Place(inbox_interactions, counted=_OLD_COMMENTS, params={"before": before}),
        _Place(inbox_interactions, ids=_EXPIRED_DMS, params={"before": before}),
        _Place(jobs, jobs.c.finished_at < before),
        _Place(delivery_attempts, delivery_attempts.c.attempted_at < before),
    ]
