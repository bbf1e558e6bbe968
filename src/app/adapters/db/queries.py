"""The read side: pages, summaries and counts straight from SQL, for the API and the
dashboard. No unit of work: each read is one short read-only transaction."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Date, Engine, and_, cast, func, select, text, tuple_

from app.adapters.db.demo_repository import row_to_profile
from app.adapters.db.job_repository import row_to_job
from app.adapters.db.outbox_repository import row_to_outbox
from app.adapters.db.repositories import row_to_inbox_interaction
from app.adapters.db.tables import (
    contents,
    delivery_attempts,
    demo_accounts,
    inbox_interactions,
    interactions,
    jobs,
    webhook_receipts,
)
from app.domain.delivery import Attempt, DeliveryFilter, OutboxInteraction
from app.domain.demo import DemoCounts, DemoState
from app.domain.inbox import (
    UNLABELLED,
    Author,
    ContentEngagement,
    Conversation,
    DayCount,
    InboxFilter,
    InboxInteraction,
    Insights,
    InteractionKind,
    Thread,
    fill_days,
)
from app.domain.jobs import Job, JobFilter
from app.domain.pagination import Cursor, Page, page_of

_inbox = inbox_interactions

_THREAD = text(
    """
    WITH RECURSIVE thread AS (
        SELECT * FROM inbox_interactions
        WHERE id = :id AND account_id = :account AND kind = 'comment'
        UNION
        SELECT reply.* FROM inbox_interactions reply
        JOIN thread ON reply.account_id = thread.account_id
            AND reply.platform = thread.platform
            AND reply.in_reply_to = thread.platform_id
    )
    SELECT * FROM thread ORDER BY occurred_at, id LIMIT 10001
    """
)

# up the reply chain to the top comment; UNION ends a chain that loops, and so does the depth
_TOP = text(
    """
    WITH RECURSIVE up AS (
        SELECT id, platform, in_reply_to, 0 AS depth FROM inbox_interactions
        WHERE id = :id AND account_id = :account AND kind = 'comment'
        UNION
        SELECT parent.id, parent.platform, parent.in_reply_to, up.depth + 1
        FROM inbox_interactions parent
        JOIN up ON parent.account_id = :account AND parent.platform = up.platform
            AND parent.platform_id = up.in_reply_to AND parent.kind = 'comment'
        WHERE up.depth < 1000
    )
    SELECT id FROM up ORDER BY depth DESC LIMIT 1
    """
)

# what fans asked in the window (top-level questions; first messages of DM conversations) and
# when the creator first answered (a reply to the question; a later message in the conversation)
_RESPONSES = text(
    """
    WITH asks AS (
        SELECT q.occurred_at AS asked_at, (
            SELECT min(r.occurred_at) FROM inbox_interactions r
            WHERE r.account_id = q.account_id AND r.platform = q.platform
                AND r.in_reply_to = q.platform_id AND r.author_is_creator
        ) AS answered_at
        FROM inbox_interactions q
        WHERE q.account_id = :account AND q.occurred_at >= :since AND q.occurred_at <= :until
            AND q.kind = 'comment' AND q.intent = 'question' AND q.in_reply_to IS NULL
            AND NOT q.author_is_creator
        UNION ALL
        SELECT opened.asked_at, (
            SELECT min(a.occurred_at) FROM inbox_interactions a
            WHERE a.account_id = :account AND a.conversation_id = opened.conversation_id
                AND a.author_is_creator AND a.occurred_at > opened.asked_at
        )
        FROM (
            SELECT conversation_id, min(occurred_at) AS asked_at FROM inbox_interactions
            WHERE account_id = :account AND kind = 'dm' AND conversation_id IS NOT NULL
                AND NOT author_is_creator
            GROUP BY conversation_id
        ) opened
        WHERE opened.asked_at >= :since AND opened.asked_at <= :until
    )
    SELECT count(*), count(answered_at),
        percentile_cont(0.5) WITHIN GROUP (
            ORDER BY extract(epoch FROM answered_at - asked_at)
        ) FILTER (WHERE answered_at IS NOT NULL)
    FROM asks
    """
)

_CONVERSATIONS = text(
    """
    WITH last AS (
        SELECT DISTINCT ON (conversation_id) * FROM inbox_interactions
        WHERE account_id = :account AND conversation_id IS NOT NULL
        ORDER BY conversation_id, occurred_at DESC, id DESC
    )
    SELECT last.*, counted.messages, person.person_handle, person.person_name
    FROM last
    CROSS JOIN LATERAL (
        SELECT count(*) AS messages FROM inbox_interactions m
        WHERE m.account_id = :account AND m.conversation_id = last.conversation_id
    ) counted
    LEFT JOIN LATERAL (
        SELECT m.author_handle AS person_handle, m.author_display_name AS person_name
        FROM inbox_interactions m
        WHERE m.account_id = :account AND m.conversation_id = last.conversation_id
            AND NOT m.author_is_creator
        ORDER BY m.occurred_at, m.id LIMIT 1
    ) person ON true
    WHERE CAST(:after_at AS timestamptz) IS NULL
        OR (last.occurred_at, last.id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))
    ORDER BY last.occurred_at DESC, last.id DESC
    LIMIT :limit
    """
)
_t = interactions


class SqlQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def demo_state(self, account_id: UUID) -> DemoState | None:
        found = self._states(demo_accounts.c.account_id == account_id, 1)
        return found[0] if found else None

    def demo_states(self, limit: int) -> list[DemoState]:
        return self._states(None, limit)

    def _states(self, where: Any, limit: int) -> list[DemoState]:
        """Accounts' demo states in five statements, however many accounts: the rows, then
        each count grouped by account, then each account's latest job."""
        with self._engine.connect() as conn:
            stmt = select(demo_accounts)
            if where is not None:
                stmt = stmt.where(where)
            stmt = stmt.order_by(demo_accounts.c.updated_at.desc(), demo_accounts.c.account_id)
            rows = conn.execute(stmt.limit(limit)).all()
            ids = [r.account_id for r in rows]
            if not ids:
                return []
            # (a Result has keys(): dict() of one would read it as a mapping)
            content: dict[UUID, int] = {
                a: n
                for a, n in conn.execute(
                    select(contents.c.account_id, func.count())
                    .where(contents.c.account_id.in_(ids))
                    .group_by(contents.c.account_id)
                )
            }
            received: dict[UUID, int] = {
                a: n
                for a, n in conn.execute(
                    select(inbox_interactions.c.account_id, func.count())
                    .where(inbox_interactions.c.account_id.in_(ids), inbox_interactions.c.is_demo)
                    .group_by(inbox_interactions.c.account_id)
                )
            }
            by_kind: dict[UUID, dict[str, int]] = {i: {} for i in ids}
            by_status: dict[UUID, dict[str, int]] = {i: {} for i in ids}
            events: dict[UUID, int] = dict.fromkeys(ids, 0)
            # an outbox row is an item or a lifecycle event: both are delivered, items counted
            item = interactions.c.event.is_(None).label("item")
            for account, kind, status, is_item, n in conn.execute(
                select(interactions.c.account_id, interactions.c.kind, interactions.c.status,
                       item, func.count())
                .where(interactions.c.account_id.in_(ids))
                .group_by(interactions.c.account_id, interactions.c.kind, interactions.c.status,
                          item)
            ):  # fmt: skip
                if is_item:
                    by_kind[account][kind] = by_kind[account].get(kind, 0) + n
                else:
                    events[account] += n
                by_status[account][status] = by_status[account].get(status, 0) + n
            newest = func.row_number().over(
                partition_by=jobs.c.account_id,
                order_by=(jobs.c.created_at.desc(), jobs.c.id.desc()),
            )
            ranked = select(jobs, newest.label("newest")).where(jobs.c.account_id.in_(ids))
            ranked_jobs = ranked.subquery()
            latest = {
                job.account_id: job
                for job in map(
                    row_to_job,
                    conn.execute(
                        select(*(ranked_jobs.c[c.name] for c in jobs.c)).where(
                            ranked_jobs.c.newest == 1
                        )
                    ),
                )
            }
        return [
            DemoState(
                row_to_profile(row),
                DemoCounts(
                    content=content.get(a, 0),
                    comments=by_kind[a].get(InteractionKind.COMMENT.value, 0),
                    dms=by_kind[a].get(InteractionKind.DM.value, 0),
                    delivery=by_status[a],
                    received=received.get(a, 0),
                    events=events[a],
                ),
                latest.get(a),
            )
            for row, a in zip(rows, ids, strict=True)
        ]

    def inbox_page(
        self, where: InboxFilter, after: Cursor | None, limit: int
    ) -> Page[InboxInteraction]:
        with self._engine.connect() as conn:
            stmt = select(_inbox).where(_inbox.c.account_id == where.account_id)
            if where.kind is not None:
                stmt = stmt.where(_inbox.c.kind == where.kind.value)
            if where.is_demo is not None:
                stmt = stmt.where(_inbox.c.is_demo.is_(where.is_demo))
            if where.since is not None:
                stmt = stmt.where(_inbox.c.occurred_at >= where.since)
            if where.until is not None:
                stmt = stmt.where(_inbox.c.occurred_at < where.until)
            if where.in_reply_to is not None:
                stmt = stmt.where(_inbox.c.in_reply_to == where.in_reply_to)
            if where.conversation_id is not None:
                stmt = stmt.where(_inbox.c.conversation_id == where.conversation_id)
            if where.content is not None:
                stmt = stmt.where(_inbox.c.content_platform_id == where.content)
            if after is not None:
                stmt = stmt.where(
                    tuple_(_inbox.c.occurred_at, _inbox.c.id) < tuple_(after.at, after.id)
                )
            stmt = stmt.order_by(_inbox.c.occurred_at.desc(), _inbox.c.id.desc()).limit(limit + 1)
            found = [row_to_inbox_interaction(r) for r in conn.execute(stmt)]
            return page_of(found, limit, lambda i: (i.data.occurred_at, i.id))

    def thread(self, account_id: UUID, interaction_id: UUID) -> Thread | None:
        """Down the reply chain by (platform, in_reply_to); UNION ends a chain that loops."""
        with self._engine.connect() as conn:
            rows = conn.execute(_THREAD, {"account": account_id, "id": interaction_id}).all()
        found = [row_to_inbox_interaction(r) for r in rows]
        root = next((i for i in found if i.id == interaction_id), None)
        if root is None:
            return None
        return Thread(root, tuple(i for i in found if i.id != interaction_id))

    def recent_attempts(self, limit: int) -> list[Attempt]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(delivery_attempts)
                .order_by(delivery_attempts.c.attempted_at.desc(), delivery_attempts.c.id.desc())
                .limit(limit)
            )
            return [
                Attempt(r.webhook_id, r.attempted_at, r.items, r.ok, r.status_code, r.error)
                for r in rows
            ]

    def thread_top(self, account_id: UUID, interaction_id: UUID) -> UUID | None:
        with self._engine.connect() as conn:
            found = conn.execute(_TOP, {"account": account_id, "id": interaction_id}).first()
        return found.id if found else None

    def conversations(
        self, account_id: UUID, after: Cursor | None, limit: int
    ) -> Page[Conversation]:
        """Newest activity first, keyset on the last message's (occurred_at, id)."""
        params = {
            "account": account_id,
            "after_at": after.at if after else None,
            "after_id": after.id if after else None,
            "limit": limit + 1,
        }
        with self._engine.connect() as conn:
            rows = conn.execute(_CONVERSATIONS, params).all()
        found = [
            Conversation(
                conversation_id=r.conversation_id,
                person=Author(r.person_handle, r.person_name) if r.person_handle else None,
                messages=r.messages,
                last_message=row_to_inbox_interaction(r),
            )
            for r in rows
        ]
        return page_of(found, limit, lambda c: (c.last_message.data.occurred_at, c.last_message.id))

    def insights(self, account_id: UUID, since: datetime, until: datetime, top: int) -> Insights:
        with self._engine.connect() as conn:
            window = and_(
                _inbox.c.account_id == account_id,
                _inbox.c.occurred_at >= since,
                _inbox.c.occurred_at <= until,
            )
            is_comment = _inbox.c.kind == InteractionKind.COMMENT.value
            is_dm = _inbox.c.kind == InteractionKind.DM.value
            replies = conn.execute(
                select(func.count()).where(window, is_comment, _inbox.c.in_reply_to.is_not(None))
            ).scalar_one()
            asked, answered, median = conn.execute(
                _RESPONSES, {"account": account_id, "since": since, "until": until}
            ).one()
            comments, dms, demo = conn.execute(
                select(
                    func.count().filter(is_comment),
                    func.count().filter(is_dm),
                    func.count().filter(_inbox.c.is_demo),
                ).where(window)
            ).one()
            day = cast(func.timezone("UTC", _inbox.c.occurred_at), Date)
            per_day = conn.execute(
                select(day, func.count().filter(is_comment), func.count().filter(is_dm))
                .where(window)
                .group_by(day)
            )
            comment_count = func.count()
            top_content = conn.execute(
                select(
                    _inbox.c.content_platform_id, func.max(_inbox.c.content_title), comment_count
                )
                .where(window, is_comment, _inbox.c.content_platform_id.is_not(None))
                .group_by(_inbox.c.content_platform_id)
                .order_by(comment_count.desc(), _inbox.c.content_platform_id)
                .limit(top)
            )
            return Insights(
                account_id=account_id,
                since=since,
                until=until,
                totals={InteractionKind.COMMENT: comments, InteractionKind.DM: dms},
                per_day=fill_days(
                    since.date(), until.date(), {d: DayCount(d, c, m) for d, c, m in per_day}
                ),
                top_content=tuple(ContentEngagement(p, t, n) for p, t, n in top_content),
                intents=self._mix(conn, _inbox.c.intent, window),
                sentiments=self._mix(conn, _inbox.c.sentiment, window),
                demo=demo,
                replies=replies,
                asked=asked,
                answered=answered,
                median_response_s=median,
                languages=self._mix(conn, _inbox.c.language, window),
            )

    def received_since(self, since: datetime) -> tuple[int, int]:
        with self._engine.connect() as conn:
            items = select(func.coalesce(func.sum(webhook_receipts.c.item_count), 0)).where(
                webhook_receipts.c.received_at >= since
            )
            created = select(func.count()).where(_inbox.c.received_at >= since)
            return (
                int(conn.execute(items).scalar_one()),
                int(conn.execute(created).scalar_one()),
            )

    def _mix(self, conn: Connection, column: Any, window: Any) -> dict[str, int]:
        label = func.coalesce(column, UNLABELLED)
        rows = conn.execute(select(label, func.count()).where(window).group_by(label))
        return {name: count for name, count in rows}

    def jobs_page(self, where: JobFilter, after: Cursor | None, limit: int) -> Page[Job]:
        with self._engine.connect() as conn:
            stmt = select(jobs)
            if where.parent_id is not None:
                stmt = stmt.where(jobs.c.parent_id == where.parent_id)
            if where.status is not None:
                stmt = stmt.where(jobs.c.status == where.status.value)
            if where.kind is not None:
                stmt = stmt.where(jobs.c.kind == where.kind.value)
            if where.hidden:
                stmt = stmt.where(jobs.c.kind.not_in([kind.value for kind in where.hidden]))
            if where.account_id is not None:
                stmt = stmt.where(jobs.c.account_id == where.account_id)
            if after is not None:
                stmt = stmt.where(tuple_(jobs.c.created_at, jobs.c.id) < tuple_(after.at, after.id))
            stmt = stmt.order_by(jobs.c.created_at.desc(), jobs.c.id.desc()).limit(limit + 1)
            found = [row_to_job(r) for r in conn.execute(stmt)]
            return page_of(found, limit, lambda j: (j.created_at, j.id))

    def outbox_counts(self) -> dict[str, int]:
        with self._engine.connect() as conn:
            stmt = select(_t.c.status, func.count()).group_by(_t.c.status)
            return {status: n for status, n in conn.execute(stmt)}

    def deliveries_page(
        self, where: DeliveryFilter, after: Cursor | None, limit: int
    ) -> Page[OutboxInteraction]:
        with self._engine.connect() as conn:
            stmt = select(_t).where(_t.c.status == where.status.value)
            if where.account_id is not None:
                stmt = stmt.where(_t.c.account_id == where.account_id)
            if after is not None:
                stmt = stmt.where(tuple_(_t.c.occurred_at, _t.c.id) < tuple_(after.at, after.id))
            stmt = stmt.order_by(_t.c.occurred_at.desc(), _t.c.id.desc()).limit(limit + 1)
            found = [row_to_outbox(r) for r in conn.execute(stmt)]
            return page_of(found, limit, lambda i: (i.data.occurred_at, i.id))
