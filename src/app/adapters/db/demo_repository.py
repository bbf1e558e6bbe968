from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Row, Table, and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.db.tables import contents, demo_accounts, inbox_interactions, interactions
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

    def refresh_comment_counts(self, account_id: UUID) -> None:
        """comments_count from the comments actually stored, for every content of the account."""
        stored = (
            select(interactions.c.content_platform_id, func.count().label("n"))
            .where(
                interactions.c.account_id == account_id,
                interactions.c.kind == InteractionKind.COMMENT.value,
            )
            .group_by(interactions.c.content_platform_id)
            .subquery()
        )
        self._conn.execute(
            update(contents)
            .where(
                contents.c.account_id == account_id,
                contents.c.platform_id == stored.c.content_platform_id,
            )
            .values(comments_count=stored.c.n)
        )

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
        for table, where in _demo_rows(account_id):
            some = select(table.c.id).where(where).limit(limit).scalar_subquery()
            deleted = self._conn.execute(delete(table).where(table.c.id.in_(some))).rowcount
            if deleted:
                return deleted
        return 0

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
