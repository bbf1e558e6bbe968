"""The emulated platform's side of native accounts (services.ports.GraphStore): reads in the
platform's order, newest first, by keyset on (time, id) over the Graph indexes of
`interactions` and `contents`; a host's posts queued in the outbox."""

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    Engine,
    String,
    and_,
    any_,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql import ColumnElement

from app.adapters.db.demo_repository import row_to_content, row_to_profile
from app.adapters.db.outbox_repository import SqlOutboxRepository
from app.adapters.db.repositories import row_to_interaction
from app.adapters.db.tables import contents, demo_accounts, interactions, private_replies
from app.domain.demo import Delivery, DemoProfile
from app.domain.graph import Media, Posted, Slice
from app.domain.inbox import InteractionKind, WebhookInteraction
from app.domain.lifecycle import EventType
from app.domain.pagination import Cursor

_i, _c = interactions, contents


class SqlGraphStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def account(self, access_token: str) -> DemoProfile | None:
        d = demo_accounts
        stmt = select(d).where(
            d.c.access_token == access_token,
            d.c.delivery == Delivery.NATIVE.value,
            d.c.enabled_at.is_not(None),
        )
        with self._engine.connect() as conn:
            row = conn.execute(stmt).first()
        return row_to_profile(row) if row is not None else None

    def media(self, account: DemoProfile, platform_id: str) -> Media | None:
        stmt = select(_c).where(
            _c.c.platform == account.platform.value,
            _c.c.platform_id == platform_id,
            _c.c.account_id == account.account_id,
        )
        with self._engine.connect() as conn:
            row = conn.execute(stmt).first()
        return _media(row) if row is not None else None

    def item(self, account: DemoProfile, platform_id: str, now: datetime) -> Posted | None:
        stmt = select(_i, _edited(now)).where(
            _i.c.platform == account.platform.value,
            _i.c.platform_id == platform_id,
            _i.c.account_id == account.account_id,
            _ITEM,
            _not_removed(now),
        )
        with self._engine.connect() as conn:
            row = conn.execute(stmt).first()
        return _posted(row) if row is not None else None

    def media_page(
        self, account_id: UUID, now: datetime, cursor: Cursor | None, newer: bool, limit: int
    ) -> Slice[Media]:
        where = and_(_c.c.account_id == account_id, _c.c.published_at <= now)
        rows = _slice(
            self._engine, select(_c), where, (_c.c.published_at, _c.c.id), cursor, newer, limit
        )
        return Slice([_media(r) for r in rows.items], rows.newer, rows.older)

    def comments_page(
        self,
        account: DemoProfile,
        now: datetime,
        under: tuple[str, str],
        cursor: Cursor | None,
        newer: bool,
        limit: int,
        hidden: bool | None = None,
        offset: int = 0,
        oldest_first: bool = False,
        containing: str | None = None,
    ) -> Slice[Posted]:
        what, platform_id = under
        on: ColumnElement[bool]
        if what == "media":
            on = and_(_i.c.content_platform_id == platform_id, _i.c.in_reply_to.is_(None))
        elif what == "account":  # every post's: YouTube's allThreadsRelatedToChannelId
            on = and_(
                _i.c.account_id == account.account_id,
                _i.c.content_platform_id.is_not(None),
                _i.c.in_reply_to.is_(None),
            )
        else:
            on = _i.c.in_reply_to == platform_id
        # by the post or comment alone, which the service found among the account's: with the
        # account's id beside it the planner ANDed in the account's whole index (100,000
        # entries for a big account) before a sort, 5 ms, where the walk down this one stops
        # at the page's end
        where = and_(
            on,
            _i.c.kind == InteractionKind.COMMENT.value,
            _i.c.platform == account.platform.value,
            _i.c.occurred_at <= now,
            _ITEM,
            _not_removed(now),
        )
        if hidden is not None:  # only those the account hid, or only those it did not
            where = and_(where, _i.c.hidden.is_(hidden))
        if containing:  # the words in any case, LIKE's own characters taken as written
            escaped = re.sub(r"([\\%_])", r"\\\1", containing)
            where = and_(where, _i.c.text.ilike(f"%{escaped}%", escape="\\"))
        query = select(_i, _edited(now))
        order = (_i.c.occurred_at, _i.c.id)
        if cursor is None and (offset or oldest_first):
            rows = _from(self._engine, query.where(where), order, offset, limit, oldest_first)
        else:
            rows = _slice(self._engine, query, where, order, cursor, newer, limit)
        return Slice([_posted(r) for r in rows.items], rows.newer, rows.older)

    def reply_count(self, account: DemoProfile, comment_id: str, now: datetime) -> int:
        stmt = select(func.count()).where(
            _i.c.in_reply_to == comment_id,
            _i.c.platform == account.platform.value,
            _i.c.occurred_at <= now,
            _ITEM,
            _not_removed(now),
        )
        with self._engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def reply_counts(
        self, account: DemoProfile, comment_ids: Sequence[str], now: datetime
    ) -> dict[str, int]:
        """How many replies each comment has by now, in one round trip."""
        if not comment_ids:
            return {}
        stmt = (
            select(_i.c.in_reply_to, func.count())
            .where(
                _i.c.in_reply_to == any_(_ids(comment_ids)),
                _i.c.platform == account.platform.value,
                _i.c.occurred_at <= now,
                _ITEM,
                _not_removed(now),
            )
            .group_by(_i.c.in_reply_to)
        )
        with self._engine.connect() as conn:
            counted = {row[0]: int(row[1]) for row in conn.execute(stmt)}
        return {c: counted.get(c, 0) for c in comment_ids}

    def latest_replies(
        self, account: DemoProfile, comment_ids: Sequence[str], now: datetime, most: int
    ) -> tuple[dict[str, int], dict[str, list[Posted]]]:
        """How many replies each comment has by now, and its `most` newest (newest first),
        in one round trip."""
        if not comment_ids:
            return {}, {}
        rank = (
            func.row_number()
            .over(partition_by=_i.c.in_reply_to, order_by=(_i.c.occurred_at.desc(), _i.c.id.desc()))
            .label("rank")
        )
        total = func.count().over(partition_by=_i.c.in_reply_to).label("total")
        ranked = (
            select(_i, _edited(now), rank, total)
            .where(
                _i.c.in_reply_to == any_(_ids(comment_ids)),
                _i.c.kind == InteractionKind.COMMENT.value,
                _i.c.platform == account.platform.value,
                _i.c.occurred_at <= now,
                _ITEM,
                _not_removed(now),
            )
            .subquery()
        )
        stmt = select(ranked).where(ranked.c.rank <= most).order_by(ranked.c.rank)
        counts = dict.fromkeys(comment_ids, 0)
        found: dict[str, list[Posted]] = {c: [] for c in comment_ids}
        with self._engine.connect() as conn:
            for row in conn.execute(stmt):
                counts[row.in_reply_to] = int(row.total)
                found[row.in_reply_to].append(_posted(row))
        return counts, found

    def last_from_person(
        self, account_id: UUID, conversation_id: str, now: datetime
    ) -> WebhookInteraction | None:
        stmt = (
            select(_i)
            .where(
                _i.c.account_id == account_id,
                _i.c.conversation_id == conversation_id,
                _i.c.author_is_creator.is_(false()),
                _i.c.occurred_at <= now,
                _ITEM,  # a reaction or a read is not a message: the window runs from one
            )
            .order_by(_i.c.occurred_at.desc())
            .limit(1)
        )
        with self._engine.connect() as conn:
            row = conn.execute(stmt).first()
        return row_to_interaction(row, is_demo=True) if row is not None else None

    def answered_account(
        self,
        account: DemoProfile,
        now: datetime,
        person: str,
        thread: str | None,
        conversation: str | None,
    ) -> bool:
        def scope(t: Any) -> ColumnElement[bool]:
            where = (
                t.c.conversation_id == conversation
                if conversation is not None
                else or_(
                    and_(t.c.platform == account.platform.value, t.c.platform_id == thread),
                    t.c.in_reply_to == thread,
                )
            )
            return and_(
                where,
                t.c.account_id == account.account_id,
                t.c.occurred_at <= now,
                t.c.event.is_(None),
            )

        mine = _i.alias("mine")
        theirs = _i.alias("theirs")
        stmt = select(
            exists().where(
                scope(theirs),
                theirs.c.author_handle == person,
                theirs.c.author_is_creator.is_(false()),
                exists().where(
                    scope(mine),
                    mine.c.author_is_creator,
                    mine.c.occurred_at < theirs.c.occurred_at,
                ),
            )
        )
        with self._engine.connect() as conn:
            return bool(conn.execute(stmt).scalar())

    def hide(self, account: DemoProfile, platform_id: str, hidden: bool) -> bool:
        with self._engine.begin() as conn:
            done = conn.execute(
                update(_i)
                .where(
                    _i.c.platform == account.platform.value,
                    _i.c.platform_id == platform_id,
                    _i.c.account_id == account.account_id,
                    _i.c.kind == InteractionKind.COMMENT.value,
                )
                .values(hidden=hidden)
            )
        return bool(done.rowcount)

    def delete(self, account: DemoProfile, platform_id: str) -> int:
        with self._engine.begin() as conn:
            done = conn.execute(
                delete(_i).where(
                    _i.c.account_id == account.account_id,
                    _i.c.kind == InteractionKind.COMMENT.value,
                    or_(
                        and_(
                            _i.c.platform == account.platform.value, _i.c.platform_id == platform_id
                        ),
                        _i.c.in_reply_to == platform_id,
                    ),
                )
            )
        return int(done.rowcount)

    def post(
        self,
        items: Sequence[WebhookInteraction],
        now: datetime,
        private_reply_to: str | None = None,
    ) -> bool:
        with self._engine.begin() as conn:
            if private_reply_to is not None:
                claimed = conn.execute(
                    pg_insert(private_replies)
                    .values(
                        platform=items[0].platform.value,
                        comment_id=private_reply_to,
                        account_id=items[0].account_id,
                        sent_at=now,
                    )
                    .on_conflict_do_nothing()
                    .returning(private_replies.c.comment_id)
                ).first()
                if claimed is None:
                    return False
            outbox = SqlOutboxRepository(conn)
            for item in items:  # each due when it is said (a person's answer, later)
                outbox.add([item], max(now, item.occurred_at))
        return True


def _slice(
    engine: Engine,
    query: Any,
    where: ColumnElement[bool],
    order: tuple[Any, Any],
    cursor: Cursor | None,
    newer: bool,
    limit: int,
) -> Slice[Any]:
    """Newest first: the `limit` items older than the cursor (or, `newer`, the `limit` just
    newer than it, read oldest first and turned round), and whether more lie either side."""
    at, id_ = order
    if cursor is not None:
        here = tuple_(at, id_)
        where = and_(
            where, here > (cursor.at, cursor.id) if newer else here < (cursor.at, cursor.id)
        )
    direction = (at.asc(), id_.asc()) if newer else (at.desc(), id_.desc())
    with_cursor = cursor is not None
    with engine.connect() as conn:
        rows = list(conn.execute(query.where(where).order_by(*direction).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    if newer:
        return Slice(list(reversed(rows)), more, with_cursor)
    return Slice(rows, with_cursor, more)


def _from(
    engine: Engine, query: Any, order: tuple[Any, Any], offset: int, limit: int, oldest: bool
) -> Slice[Any]:
    """The `limit` items after the first `offset`, newest (or `oldest`) first: TikTok's
    paging, whose cursor counts what came before (OFFSET walks past those: fine for a video's
    comments, which a page at a time reads from the start)."""
    at, id_ = order
    direction = (at.asc(), id_.asc()) if oldest else (at.desc(), id_.desc())
    with engine.connect() as conn:
        rows = list(conn.execute(query.order_by(*direction).offset(offset).limit(limit + 1)))
    return Slice(rows[:limit], offset > 0, len(rows) > limit)


_ITEM = _i.c.event.is_(None)  # an item, not something that happened to one


def _ids(platform_ids: Sequence[str]) -> Any:
    """Ids as one array parameter (`= ANY(…)`): a page's hundred ids bound as a hundred
    parameters cost more to bind than the query takes."""
    return literal(list(platform_ids), ARRAY(String))


def _not_removed(now: datetime) -> ColumnElement[bool]:
    """Not removed by its author by `now` (a Page comment's `remove`): a probe of the events'
    index per row."""
    gone = _i.alias("gone")
    return ~exists().where(
        gone.c.in_reply_to == _i.c.platform_id,
        gone.c.event.is_not(None),
        gone.c.platform == _i.c.platform,
        gone.c.event["type"].astext == EventType.REMOVE.value,
        gone.c.occurred_at <= now,
    )


def _edited(now: datetime) -> Any:
    """The words of a comment's last edit by `now`, or NULL: a probe of the events' index."""
    edit = _i.alias("edit")
    return (
        select(edit.c.text)
        .where(
            edit.c.in_reply_to == _i.c.platform_id,
            edit.c.event.is_not(None),
            edit.c.platform == _i.c.platform,
            edit.c.event["type"].astext == EventType.EDITED.value,
            edit.c.occurred_at <= now,
        )
        .order_by(edit.c.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
        .label("edited")
    )


def _media(row: Any) -> Media:
    return Media(row.id, row_to_content(row))


def _posted(row: Any) -> Posted:
    item = row_to_interaction(row, is_demo=True)
    edited = row._mapping.get("edited")  # selected with _edited: as it stands
    return Posted(row.id, replace(item, text=edited) if edited is not None else item, row.hidden)
