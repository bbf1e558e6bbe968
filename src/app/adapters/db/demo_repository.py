import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Connection,
    Integer,
    Row,
    String,
    bindparam,
    column,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.db.tables import (
    contents,
    demo_accounts,
)
from app.domain.demo import Content, Delivery, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.inbox import Platform

_d = demo_accounts
_added = (
    func.json_to_recordset(bindparam("per_content"))
    .table_valued(column("content", String), column("added", Integer))
    .render_derived(name="added", with_types=True)
)
_COUNT_COMMENTS = (
    update(contents)
    .where(contents.c.platform == bindparam("on"), contents.c.platform_id == _added.c.content)
    .values(comments_count=contents.c.comments_count + _added.c.added)
)


def row_to_profile(row: Row[Any]) -> DemoProfile:
    return DemoProfile(
        account_id=row.account_id,
        platform=Platform(row.platform),
        persona=Persona(row.persona),
        dm_frequency=DmFrequency(row.dm_frequency),
        seed=row.seed,
        locale=row.locale,
        sizes=DemoSizes(content=row.content_size, comments=row.comment_size, dms=row.dm_size),
        enabled_at=row.enabled_at,
        delivery=Delivery(row.delivery),
        access_token=row.access_token,
        history_until=row.history_until,
    )


def row_to_content(row: Any) -> Content:
    return Content(
        account_id=row.account_id,
        platform_id=row.platform_id,
        title=row.title,
        published_at=row.published_at,
        target_comments=row.target_comments,
        comments_count=row.comments_count,
    )


class SqlDemoRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: UUID) -> DemoProfile | None:
        row = self._conn.execute(select(_d).where(_d.c.account_id == account_id)).first()
        return row_to_profile(row) if row else None

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
            "delivery": profile.delivery.value,
            "access_token": profile.access_token,
            "native_user_id": profile.native.user_id if profile.native else None,
            "history_until": None,  # a new demo: no history of the one before
        }
        insert = pg_insert(_d).values(account_id=profile.account_id, created_at=now, **values)
        row = self._conn.execute(
            insert.on_conflict_do_update(
                index_elements=[_d.c.account_id], set_=values, where=_d.c.enabled_at.is_(None)
            ).returning(*_d.c)
        ).first()
        return row_to_profile(row) if row else None

    def disable(self, account_id: UUID, now: datetime) -> DemoProfile | None:
        row = self._conn.execute(
            update(_d)
            .where(_d.c.account_id == account_id)
            .values(enabled_at=None, updated_at=now)
            .returning(*_d.c)
        ).first()
        return row_to_profile(row) if row else None

    def fill_history(self, account_id: UUID, until: datetime, now: datetime) -> DemoProfile | None:
        """Mark the account's past as filled up to `until` (never moved back): None where demo
        mode is off."""
        row = self._conn.execute(
            update(_d)
            .where(_d.c.account_id == account_id, _d.c.enabled_at.is_not(None))
            .values(history_until=func.greatest(func.coalesce(_d.c.history_until, until), until),
                    updated_at=now)
            .returning(*_d.c)
        ).first()  # fmt: skip
        return row_to_profile(row) if row else None

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
        # one statement for the batch, its data one JSON parameter (an executemany is a round
        # trip per post, and a VALUES list of literals is compiled anew each time)
        added = [{"content": c, "added": n} for c, n in sorted(per_content.items())]
        params = {"per_content": json.dumps(added), "on": platform.value}
        self._conn.execute(_COUNT_COMMENTS, params)

    def enabled_accounts(self, enabled_before: datetime) -> list[UUID]:
        stmt = (
            select(_d.c.account_id)
            .where(_d.c.enabled_at.is_not(None), _d.c.enabled_at <= enabled_before)
            .order_by(_d.c.account_id)
        )
        return list(self._conn.execute(stmt).scalars())

    def profiles(self, account_ids: Sequence[UUID]) -> list[DemoProfile]:
        stmt = select(_d).where(_d.c.account_id.in_(account_ids)).order_by(_d.c.account_id)
        return [row_to_profile(r) for r in self._conn.execute(stmt)]

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
        rows = self._conn.execute(stmt.order_by(c.c.account_id, c.c.published_at))
        return [row_to_content(r) for r in rows]
