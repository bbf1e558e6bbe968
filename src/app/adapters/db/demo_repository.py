from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Table,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.db.tables import (
    contents,
    demo_accounts,
    inbox_interactions,
    interactions,
    jobs,
)
from app.domain.delivery import DeliveryStatus
from app.domain.demo import Content, DemoCounts, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.inbox import InteractionKind, Platform

_d = demo_accounts


def _row_to_profile(row: Row[Any]) -> DemoProfile:
    return DemoProfile(
        account_id=row.account_id,
        platform=Platform(row.platform),
        persona=Persona(row.persona),
        dm_frequency=DmFrequency(row.dm_frequency),
        seed=row.seed,
        locale=row.locale,
        sizes=DemoSizes(content=row.content_size, comments=row.comment_size, dms=row.dm_size),
        enabled_at=row.enabled_at,
    )


class SqlDemoRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: UUID) -> DemoProfile | None:
        row = self._conn.execute(select(_d).where(_d.c.account_id == account_id)).first()
        return _row_to_profile(row) if row else None

    def enable(self, profile: DemoProfile, now: datetime) -> DemoProfile | None:
        """Store the profile as enabled, unless demo mode is on already (then None): one
        statement, so two concurrent enables cannot both start a batch."""
        values = {
            "platform": profile.platform.value,
            "persona": profile.persona.value,
            "dm_frequency": profile.dm_frequency.value,
            "seed": profile.seed,
            "locale": profile.locale,
            "content_size": profile.sizes.content,
            "comment_size": profile.sizes.comments,
            "dm_size": profile.sizes.dms,
            "enabled_at": profile.enabled_at,
            "updated_at": now,
        }
        insert = pg_insert(_d).values(account_id=profile.account_id, created_at=now, **values)
        row = self._conn.execute(
            insert.on_conflict_do_update(
                index_elements=[_d.c.account_id], set_=values, where=_d.c.enabled_at.is_(None)
            ).returning(*_d.c)
        ).first()
        return _row_to_profile(row) if row else None

    def disable(self, account_id: UUID, now: datetime) -> DemoProfile | None:
        row = self._conn.execute(
            update(_d)
            .where(_d.c.account_id == account_id)
            .values(enabled_at=None, updated_at=now)
            .returning(*_d.c)
        ).first()
        return _row_to_profile(row) if row else None

    def add_content(self, items: Sequence[Content], platform: Platform, now: datetime) -> int:
        if not items:
            return 0
        rows = [
            {
                "account_id": c.account_id,
                "platform": platform.value,
                "platform_id": c.platform_id,
                "title": c.title,
                "published_at": c.published_at,
                "target_comments": c.target_comments,
                "created_at": now,
            }
            for c in items
        ]
        inserted = self._conn.execute(
            pg_insert(contents)
            .on_conflict_do_nothing(index_elements=[contents.c.platform, contents.c.platform_id])
            .returning(contents.c.id),
            rows,
        )
        return len(inserted.all())

    def count_comments(self, platform: Platform, per_content: Mapping[str, int]) -> None:
        if not per_content:
            return
        self._conn.execute(
            update(contents)
            .where(
                contents.c.platform == platform.value,
                contents.c.platform_id == bindparam("content"),
            )
            .values(comments_count=contents.c.comments_count + bindparam("added")),
            [{"content": c, "added": n} for c, n in sorted(per_content.items())],
        )

    def enabled_accounts(self, enabled_before: datetime) -> list[UUID]:
        stmt = (
            select(_d.c.account_id)
            .where(_d.c.enabled_at.is_not(None), _d.c.enabled_at <= enabled_before)
            .order_by(_d.c.account_id)
        )
        return list(self._conn.execute(stmt).scalars())

    def profiles(self, account_ids: Sequence[UUID]) -> list[DemoProfile]:
        stmt = select(_d).where(_d.c.account_id.in_(account_ids)).order_by(_d.c.account_id)
        return [_row_to_profile(r) for r in self._conn.execute(stmt)]

    def content_of(self, account_ids: Sequence[UUID]) -> list[Content]:
        c = contents
        stmt = select(
            c.c.account_id,
            c.c.platform_id,
            c.c.title,
            c.c.published_at,
            c.c.target_comments,
            c.c.comments_count,
        ).where(c.c.account_id.in_(account_ids))
        return [
            Content(
                account_id=r.account_id,
                platform_id=r.platform_id,
                title=r.title,
                published_at=r.published_at,
                target_comments=r.target_comments,
                comments_count=r.comments_count,
            )
            for r in self._conn.execute(stmt.order_by(c.c.account_id, c.c.published_at))
        ]

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

    def counts(self, account_id: UUID) -> DemoCounts:
        content = self._conn.execute(
            select(func.count()).where(contents.c.account_id == account_id)
        ).scalar_one()
        by_kind_status = self._conn.execute(
            select(interactions.c.kind, interactions.c.status, func.count())
            .where(interactions.c.account_id == account_id)
            .group_by(interactions.c.kind, interactions.c.status)
        ).all()
        received = self._conn.execute(
            select(func.count()).where(
                inbox_interactions.c.account_id == account_id, inbox_interactions.c.is_demo
            )
        ).scalar_one()
        by_kind: dict[str, int] = {}
        by_status: dict[str, int] = {}
        for kind, status, n in by_kind_status:
            by_kind[kind] = by_kind.get(kind, 0) + n
            by_status[status] = by_status.get(status, 0) + n
        return DemoCounts(
            content=content,
            comments=by_kind.get(InteractionKind.COMMENT.value, 0),
            dms=by_kind.get(InteractionKind.DM.value, 0),
            delivery=by_status,
            received=received,
        )

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
