from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Connection,
    Row,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from app.adapters.db.repositories import (
    by_keys,
    insert_rows,
    interaction_to_row,
    key_params,
    row_to_interaction,
)
from app.adapters.db.tables import delivery_attempts, interactions
from app.domain.delivery import Attempt, DeliveryStatus, Key, OutboxInteraction
from app.domain.inbox import (
    WebhookInteraction,
)
from app.domain.scenarios import ScenarioCounts

_t = interactions
_QUEUED, _SENDING = DeliveryStatus.QUEUED.value, DeliveryStatus.SENDING.value


def row_to_outbox(row: Row[Any]) -> OutboxInteraction:
    return OutboxInteraction(
        id=row.id,
        data=row_to_interaction(row, is_demo=True),
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        lease_until=row.lease_until,
        claimed_by=row.claimed_by,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


_EXISTING = by_keys(_t, _t.c.platform, _t.c.platform_id)


def _row(
    item: WebhookInteraction, now: datetime, went: OutboxInteraction | None, run: UUID | None
) -> dict[str, Any]:
    """The outbox row of a new item: queued (a scenario run's due when it occurs), or as its
    delivery left it."""
    if went is None:
        delivery: dict[str, Any] = {
            "id": uuid4(), "status": _QUEUED, "attempts": 0, "last_error": None, "sent_at": None,
            "next_attempt_at": item.occurred_at if run is not None else now,
        }  # fmt: skip
    else:
        delivery = {
            "id": went.id, "status": went.status.value, "attempts": went.attempts,
            "next_attempt_at": went.next_attempt_at, "last_error": went.last_error,
            "sent_at": went.sent_at,
        }  # fmt: skip
    event = item.event.as_json() if item.event else None
    return {
        **interaction_to_row(item), "event": event, "created_at": now, "scenario_run": run,
        **delivery,
    }  # fmt: skip


def _due(now: datetime, accounts: Sequence[UUID] | None = None) -> Any:
    """Queued and due (rows whose lease ran out are queued again by expire_leases)."""
    due = and_(_t.c.status == _QUEUED, _t.c.next_attempt_at <= now)
    if accounts is not None:
        due = and_(due, _t.c.account_id.in_(accounts))
    return due


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        items: Sequence[WebhookInteraction],
        now: datetime,
        went: Mapping[Key, OutboxInteraction] | None = None,
        *,
        scheduled_by: UUID | None = None,
    ) -> dict[Key, UUID]:
        """Queue generated interactions for delivery; ones already there stay as they are.
        What `went` holds is stored as its delivery left it; what a scenario run schedules
        is due when it occurs."""
        if not items:
            return {}
        went = went or {}
        rows = sorted(
            (_row(i, now, went.get(i.key), scheduled_by) for i in items),
            key=lambda r: (r["platform"], r["platform_id"]),
        )
        inserted = insert_rows(self._conn, _t, rows, ("platform", "platform_id", "id"))
        # uuid columns come back as UUIDs: SQLAlchemy registers psycopg2's caster on each connection
        return {(platform, platform_id): i for platform, platform_id, i in inserted}

    def record_attempts(self, attempts: Sequence[Attempt]) -> None:
        if attempts:
            self._conn.execute(
                insert(delivery_attempts),
                [
                    {"webhook_id": a.webhook_id, "attempted_at": a.at, "items": a.items,
                     "ok": a.ok, "status_code": a.status_code, "error": a.error}
                    for a in attempts
                ],
            )  # fmt: skip

    def existing(self, keys: Sequence[Key]) -> set[Key]:
        if not keys:
            return set()
        found = self._conn.execute(_EXISTING, key_params(keys))
        return {(r.platform, r.platform_id) for r in found} & set(keys)

    def claim_due(
        self,
        job_id: UUID,
        now: datetime,
        limit: int,
        lease_until: datetime,
        accounts: Sequence[UUID] | None = None,
    ) -> list[OutboxInteraction]:
        """Take up to `limit` due rows for this job alone: `sending` under a lease, one more
        attempt counted. Other workers skip the locked rows instead of waiting for them.

        A reply waits while its parent is still to be sent, and a DM while an earlier message
        of its conversation is: each goes out in a later message than what it follows (a
        dead-letter parent holds nothing back; the receiver stores orphans)."""
        parent, earlier = aliased(_t), aliased(_t)
        unsent = (_QUEUED, _SENDING)
        # scalar subqueries, not EXISTS: PostgreSQL would pull an EXISTS up into an anti-join,
        # which it may plan with an unparameterized inner scan (stale statistics right after a
        # bulk insert make it look cheap) and then re-read every conversation per due row; a
        # scalar subquery stays a subplan that walks its index by the row's own keys
        parent_unsent = func.coalesce(
            select(literal(True))
            .where(
                parent.c.platform == _t.c.platform,
                parent.c.platform_id == _t.c.in_reply_to,
                parent.c.status.in_(unsent),
            )
            .limit(1)
            .scalar_subquery(),
            False,
        )
        earlier_unsent = func.coalesce(
            select(literal(True))
            .where(
                earlier.c.account_id == _t.c.account_id,
                earlier.c.conversation_id == _t.c.conversation_id,
                earlier.c.occurred_at < _t.c.occurred_at,
                earlier.c.status.in_(unsent),
            )
            .limit(1)
            .scalar_subquery(),
            False,
        )
        due = select(_t.c.id).where(
            _due(now, accounts),
            or_(_t.c.in_reply_to.is_(None), parent_unsent.is_(False)),
            or_(_t.c.conversation_id.is_(None), earlier_unsent.is_(False)),
        )
        due_cte = (
            due.order_by(_t.c.next_attempt_at, _t.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")
        )
        claimed = self._conn.execute(
            update(_t)
            .where(_t.c.id == due_cte.c.id)
            .values(
                status=_SENDING,
                lease_until=lease_until,
                claimed_by=job_id,
                attempts=_t.c.attempts + 1,
            )
            .returning(*_t.c)
        )
        return sorted((row_to_outbox(r) for r in claimed), key=lambda i: i.data.occurred_at)

    def mark_sent(self, job_id: UUID, ids: Sequence[UUID], now: datetime) -> int:
        return self._set(
            job_id,
            ids,
            status=DeliveryStatus.SENT.value,
            sent_at=now,
            last_error=None,
        )

    def mark_failed(self, job_id: UUID, ids: Sequence[UUID], error: str) -> int:
        return self._set(job_id, ids, status=DeliveryStatus.FAILED.value, last_error=error)

    def reschedule(
        self, job_id: UUID, ids: Sequence[UUID], next_attempt_at: datetime, error: str
    ) -> int:
        return self._set(
            job_id, ids, status=_QUEUED, next_attempt_at=next_attempt_at, last_error=error
        )

    def _set(self, job_id: UUID, ids: Sequence[UUID], **values: Any) -> int:
        """Out of `sending`, releasing the claim; only rows this job still holds (after a lease
        expired, another job may have claimed them)."""
        stmt = (
            update(_t)
            .where(_t.c.id.in_(ids), _t.c.status == _SENDING, _t.c.claimed_by == job_id)
            .values(lease_until=None, claimed_by=None, **values)
        )
        return self._conn.execute(stmt).rowcount

    def expire_leases(self, now: datetime) -> int:
        stmt = (
            update(_t)
            .where(_t.c.status == _SENDING, _t.c.lease_until < now)
            .values(
                status=_QUEUED,
                lease_until=None,
                claimed_by=None,
                last_error="lease expired: worker lost",
            )
        )
        return self._conn.execute(stmt).rowcount

    def release_claims(self, job_ids: Sequence[UUID]) -> int:
        """Rows held by jobs known to be dead are due again at once, lease or not."""
        if not job_ids:
            return 0
        stmt = (
            update(_t)
            .where(_t.c.status == _SENDING, _t.c.claimed_by.in_(job_ids))
            .values(
                status=_QUEUED,
                lease_until=None,
                claimed_by=None,
                last_error="claim released: its job's worker was lost",
            )
        )
        return self._conn.execute(stmt).rowcount

    def count_due(self, now: datetime, accounts: Sequence[UUID] | None = None) -> int:
        return int(self._conn.execute(select(func.count()).where(_due(now, accounts))).scalar_one())

    def requeue_failed(self, now: datetime, account_id: UUID | None = None) -> int:
        """Dead letters get a fresh set of attempts, due at once."""
        stmt = (
            update(_t)
            .where(_t.c.status == DeliveryStatus.FAILED.value)
            .values(status=_QUEUED, attempts=0, next_attempt_at=now)
        )
        if account_id is not None:
            stmt = stmt.where(_t.c.account_id == account_id)
        return self._conn.execute(stmt).rowcount

    def scenario_counts(self, run: UUID, start: datetime, window: timedelta) -> ScenarioCounts:
        seconds = window.total_seconds()
        bucket = func.floor(func.extract("epoch", _t.c.sent_at - start) / seconds)
        sent = self._conn.execute(
            select(bucket, func.count())
            .where(_t.c.scenario_run == run, _t.c.status == DeliveryStatus.SENT.value)
            .group_by(bucket)
        )
        pending = self._conn.execute(
            select(func.count()).where(
                _t.c.scenario_run == run, _t.c.status.in_((_QUEUED, _SENDING))
            )
        ).scalar_one()
        return ScenarioCounts(sent={int(w): int(n) for w, n in sent}, pending=int(pending))

    def withdraw(self, account_id: UUID, run: UUID | None) -> int:
        which = _t.c.scenario_run.is_not(None) if run is None else _t.c.scenario_run == run
        stmt = delete(_t).where(_t.c.account_id == account_id, which, _t.c.status == _QUEUED)
        return self._conn.execute(stmt).rowcount

    def count_scheduled_due(self, now: datetime) -> int:
        stmt = select(func.count()).where(_due(now), _t.c.scenario_run.is_not(None))
        return int(self._conn.execute(stmt).scalar_one())
