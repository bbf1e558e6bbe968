"""In-memory repositories and unit of work with the SQL ones' contract, for service tests."""

import copy
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from app.domain.delivery import DeliveryStatus, OutboxInteraction
from app.domain.demo import Content, DemoCounts, DemoProfile
from app.domain.inbox import (
    UNLABELLED,
    ContentEngagement,
    DayCount,
    InboxFilter,
    InboxInteraction,
    IngestedItem,
    IngestStatus,
    Insights,
    InteractionKind,
    Platform,
    WebhookInteraction,
    fill_days,
)
from app.domain.jobs import ChildState, Job, JobKind, JobStatus, NewJob
from app.domain.pagination import Cursor, Page, page_of
from app.domain.schedules import Schedule


@dataclass
class MemoryStore:
    """What a database would hold; shared by every unit of work made for it."""

    inbox: dict[tuple[str, str], InboxInteraction] = field(default_factory=dict)
    webhook_receipts: set[str] = field(default_factory=set)
    jobs: dict[UUID, Job] = field(default_factory=dict)
    idempotency_keys: dict[str, tuple[str, UUID]] = field(default_factory=dict)
    outbox: dict[tuple[str, str], OutboxInteraction] = field(default_factory=dict)
    demo_profiles: dict[UUID, DemoProfile] = field(default_factory=dict)
    contents: dict[tuple[str, str], Content] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)


class MemoryInboxRepository:
    def __init__(self, rows: dict[tuple[str, str], InboxInteraction]) -> None:
        self._rows = rows

    def upsert(
        self, items: Sequence[WebhookInteraction], received_at: datetime
    ) -> list[IngestedItem]:
        results = []
        for item in items:
            existing = self._rows.get(item.key)
            if existing is not None:
                results.append(IngestedItem(item.platform_id, existing.id, IngestStatus.DUPLICATE))
                continue
            row = InboxInteraction(
                id=uuid.uuid4(),
                account_id=item.account_id,
                platform=item.platform,
                platform_id=item.platform_id,
                kind=item.kind,
                author=item.author,
                text=item.text,
                occurred_at=item.occurred_at,
                received_at=received_at,
                content=item.content,
                intent=item.intent,
                sentiment=item.sentiment,
                is_demo=item.is_demo,
            )
            self._rows[item.key] = row
            results.append(IngestedItem(item.platform_id, row.id, IngestStatus.CREATED))
        return results

    def page(self, where: InboxFilter, after: Cursor | None, limit: int) -> Page[InboxInteraction]:
        def matches(row: InboxInteraction) -> bool:
            return (
                row.account_id == where.account_id
                and (where.kind is None or row.kind == where.kind)
                and (where.is_demo is None or row.is_demo == where.is_demo)
                and (where.since is None or row.occurred_at >= where.since)
                and (where.until is None or row.occurred_at < where.until)
                and (after is None or (row.occurred_at, row.id) < (after.at, after.id))
            )

        found = sorted(
            filter(matches, self._rows.values()), key=lambda r: (r.occurred_at, r.id), reverse=True
        )
        return page_of(found, limit, lambda r: (r.occurred_at, r.id))

    def insights(self, account_id: UUID, since: datetime, until: datetime, top: int) -> Insights:
        rows = [
            r
            for r in self._rows.values()
            if r.account_id == account_id and since <= r.occurred_at <= until
        ]
        kinds = Counter(r.kind for r in rows)
        days: dict[date, Counter[InteractionKind]] = {}
        for r in rows:
            days.setdefault(r.occurred_at.date(), Counter())[r.kind] += 1
        per_content = Counter(
            (r.content.platform_id, r.content.title)
            for r in rows
            if r.kind is InteractionKind.COMMENT and r.content is not None
        )
        ranked = sorted(per_content.items(), key=lambda kv: (-kv[1], kv[0][0]))[:top]
        return Insights(
            account_id=account_id,
            since=since,
            until=until,
            totals={kind: kinds[kind] for kind in InteractionKind},
            per_day=fill_days(
                since.date(),
                until.date(),
                {
                    d: DayCount(d, c[InteractionKind.COMMENT], c[InteractionKind.DM])
                    for d, c in days.items()
                },
            ),
            top_content=tuple(ContentEngagement(p, t, n) for (p, t), n in ranked),
            intents=dict(Counter(r.intent.value if r.intent else UNLABELLED for r in rows)),
            sentiments=dict(
                Counter(r.sentiment.value if r.sentiment else UNLABELLED for r in rows)
            ),
            demo=sum(r.is_demo for r in rows),
        )


class MemoryWebhookReceiptRepository:
    def __init__(self, ids: set[str]) -> None:
        self._ids = ids

    def record(self, webhook_id: str, item_count: int, received_at: datetime) -> bool:
        first_time = webhook_id not in self._ids
        self._ids.add(webhook_id)
        return first_time


class MemoryJobRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def add(self, new: NewJob, now: datetime) -> Job:
        job = Job(
            id=uuid.uuid4(),
            kind=new.kind,
            status=JobStatus.QUEUED,
            account_id=new.account_id,
            params=new.params,
            phase=None,
            progress_done=0,
            progress_total=new.progress_total,
            attempt=new.attempt,
            error=None,
            result=None,
            retry_of=new.retry_of,
            schedule_slot=new.schedule_slot,
            parent_id=new.parent_id,
            cancel_requested_at=None,
            heartbeat_at=None,
            created_at=now,
            updated_at=now,
            started_at=None,
            finished_at=None,
        )
        if new.schedule_slot and any(
            j.schedule_slot == new.schedule_slot for j in self._store.jobs.values()
        ):
            raise ValueError(f"duplicate schedule_slot {new.schedule_slot}")
        self._store.jobs[job.id] = job
        return job

    def add_for_slot(self, new: NewJob, now: datetime) -> Job | None:
        if any(j.schedule_slot == new.schedule_slot for j in self._store.jobs.values()):
            return None
        return self.add(new, now)

    def children(self, parent_id: UUID, *, lock: bool = False) -> list[Job]:
        found = [j for j in self._store.jobs.values() if j.parent_id == parent_id]
        return sorted(found, key=lambda j: j.created_at)

    def children_states(self, parent_id: UUID) -> list[ChildState]:
        return [ChildState.of(j) for j in self.children(parent_id)]

    def get(self, job_id: UUID, *, lock: bool = False) -> Job | None:
        return self._store.jobs.get(job_id)

    def save(self, job: Job) -> None:
        self._store.jobs[job.id] = job

    def checkpoint(
        self, job_id: UUID, now: datetime, phase: str, done: int, total: int | None
    ) -> bool:
        job = replace(
            self._store.jobs[job_id],
            phase=phase,
            progress_done=done,
            progress_total=total,
            heartbeat_at=now,
            updated_at=now,
        )
        self._store.jobs[job_id] = job
        return job.cancel_requested_at is not None

    def page(
        self,
        after: Cursor | None,
        limit: int,
        status: JobStatus | None = None,
        kind: JobKind | None = None,
        account_id: UUID | None = None,
    ) -> Page[Job]:
        found = sorted(
            (
                j
                for j in self._store.jobs.values()
                if (status is None or j.status is status)
                and (kind is None or j.kind is kind)
                and (account_id is None or j.account_id == account_id)
                and (after is None or (j.created_at, j.id) < (after.at, after.id))
            ),
            key=lambda j: (j.created_at, j.id),
            reverse=True,
        )
        return page_of(found, limit, lambda r: (r.created_at, r.id))

    def stale_running(self, heartbeat_before: datetime) -> list[Job]:
        return [
            j
            for j in self._store.jobs.values()
            if j.status is JobStatus.RUNNING
            and j.heartbeat_at is not None
            and j.heartbeat_at < heartbeat_before
            and all(c.status.is_final for c in self.children(j.id))
        ]

    def queued_before(self, created_before: datetime) -> list[UUID]:
        return [
            j.id
            for j in self._store.jobs.values()
            if j.status is JobStatus.QUEUED and j.created_at < created_before
        ]

    def count_unfinished(self, kind: JobKind) -> int:
        return sum(
            j.kind is kind and j.status in (JobStatus.QUEUED, JobStatus.RUNNING)
            for j in self._store.jobs.values()
        )

    def unfinished_for_account(self, account_id: UUID) -> list[Job]:
        return [
            j
            for j in self._store.jobs.values()
            if j.account_id == account_id and j.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        ]

    def find_by_idempotency_key(self, key: str) -> tuple[str, Job] | None:
        found = self._store.idempotency_keys.get(key)
        return (found[0], self._store.jobs[found[1]]) if found else None

    def remember_idempotency_key(
        self, key: str, fingerprint: str, job_id: UUID, now: datetime
    ) -> bool:
        if key in self._store.idempotency_keys:
            return False
        self._store.idempotency_keys[key] = (fingerprint, job_id)
        return True


class MemoryOutboxRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows = store.outbox

    def add(self, items: Sequence[WebhookInteraction], now: datetime) -> set[tuple[str, str]]:
        added = set()
        for item in items:
            if item.key not in self._rows:
                self._rows[item.key] = OutboxInteraction(
                    id=uuid.uuid4(),
                    data=item,
                    status=DeliveryStatus.QUEUED,
                    attempts=0,
                    next_attempt_at=now,
                    lease_until=None,
                    claimed_by=None,
                    last_error=None,
                    sent_at=None,
                )
                added.add(item.key)
        return added

    def _due(self, now: datetime, accounts: Sequence[UUID] | None) -> list[OutboxInteraction]:
        return sorted(
            (
                r
                for r in self._rows.values()
                if (accounts is None or r.data.account_id in accounts)
                and r.status is DeliveryStatus.QUEUED
                and r.next_attempt_at <= now
            ),
            key=lambda r: (r.next_attempt_at, r.id),
        )

    def claim_due(
        self,
        job_id: UUID,
        now: datetime,
        limit: int,
        lease_until: datetime,
        accounts: Sequence[UUID] | None = None,
    ) -> list[OutboxInteraction]:
        claimed = []
        for row in self._due(now, accounts)[:limit]:
            row = replace(
                row,
                status=DeliveryStatus.SENDING,
                lease_until=lease_until,
                claimed_by=job_id,
                attempts=row.attempts + 1,
            )
            self._rows[row.data.key] = row
            claimed.append(row)
        return claimed

    def _release(self, job_id: UUID, ids: Sequence[UUID], **changes: Any) -> int:
        """Out of `sending`, only the rows this job still holds."""
        wanted = set(ids)
        changed = 0
        for key, row in list(self._rows.items()):
            if (
                row.id in wanted
                and row.status is DeliveryStatus.SENDING
                and row.claimed_by == job_id
            ):
                status = changes.get("status") or row.status
                if callable(status):
                    status = status(row)
                self._rows[key] = replace(
                    row, lease_until=None, claimed_by=None, **{**changes, "status": status}
                )
                changed += 1
        return changed

    def mark_sent(self, job_id: UUID, ids: Sequence[UUID], now: datetime) -> int:
        return self._release(job_id, ids, status=DeliveryStatus.SENT, sent_at=now, last_error=None)

    def mark_dead(self, job_id: UUID, ids: Sequence[UUID], error: str) -> int:
        return self._release(job_id, ids, status=DeliveryStatus.FAILED, last_error=error)

    def reschedule(
        self,
        job_id: UUID,
        ids: Sequence[UUID],
        next_attempt_at: datetime,
        error: str,
        max_attempts: int,
    ) -> int:
        def status(row: OutboxInteraction) -> DeliveryStatus:
            return DeliveryStatus.FAILED if row.attempts >= max_attempts else DeliveryStatus.QUEUED

        self._release(job_id, ids, status=status, next_attempt_at=next_attempt_at, last_error=error)
        wanted = set(ids)
        return sum(
            r.id in wanted and r.status is DeliveryStatus.FAILED for r in self._rows.values()
        )

    def _requeue(self, matches: Callable[[OutboxInteraction], bool], error: str) -> int:
        changed = 0
        for key, row in list(self._rows.items()):
            if row.status is DeliveryStatus.SENDING and matches(row):
                self._rows[key] = replace(
                    row,
                    status=DeliveryStatus.QUEUED,
                    lease_until=None,
                    claimed_by=None,
                    last_error=error,
                )
                changed += 1
        return changed

    def expire_leases(self, now: datetime) -> int:
        return self._requeue(
            lambda r: r.lease_until is not None and r.lease_until < now,
            "lease expired: worker lost",
        )

    def release_claims(self, job_ids: Sequence[UUID]) -> int:
        lost = set(job_ids)
        return self._requeue(
            lambda r: r.claimed_by in lost, "claim released: its job's worker was lost"
        )

    def count_due(self, now: datetime, accounts: Sequence[UUID] | None = None) -> int:
        return len(self._due(now, accounts))

    def requeue_failed(self, now: datetime, account_id: UUID | None = None) -> int:
        requeued = 0
        for key, row in list(self._rows.items()):
            if row.status is DeliveryStatus.FAILED and (
                account_id is None or row.data.account_id == account_id
            ):
                self._rows[key] = replace(
                    row, status=DeliveryStatus.QUEUED, attempts=0, next_attempt_at=now
                )
                requeued += 1
        return requeued

    def page(
        self,
        status: DeliveryStatus,
        after: Cursor | None,
        limit: int,
        account_id: UUID | None = None,
    ) -> Page[OutboxInteraction]:
        found = sorted(
            (
                r
                for r in self._rows.values()
                if r.status is status
                and (account_id is None or r.data.account_id == account_id)
                and (after is None or (r.data.occurred_at, r.id) < (after.at, after.id))
            ),
            key=lambda r: (r.data.occurred_at, r.id),
            reverse=True,
        )
        return page_of(found, limit, lambda r: (r.data.occurred_at, r.id))


class MemoryDemoRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def get(self, account_id: UUID) -> DemoProfile | None:
        return self._store.demo_profiles.get(account_id)

    def enable(self, profile: DemoProfile, now: datetime) -> DemoProfile | None:
        existing = self._store.demo_profiles.get(profile.account_id)
        if existing is not None and existing.enabled:
            return None
        self._store.demo_profiles[profile.account_id] = profile
        return profile

    def disable(self, account_id: UUID, now: datetime) -> DemoProfile | None:
        existing = self._store.demo_profiles.get(account_id)
        if existing is None:
            return None
        disabled = replace(existing, enabled_at=None)
        self._store.demo_profiles[account_id] = disabled
        return disabled

    def add_content(self, items: Sequence[Content], platform: Platform, now: datetime) -> int:
        added = 0
        for item in items:
            if (platform.value, item.platform_id) not in self._store.contents:
                self._store.contents[(platform.value, item.platform_id)] = item
                added += 1
        return added

    def count_comments(self, platform: Platform, per_content: Mapping[str, int]) -> None:
        for platform_id, n in per_content.items():
            key = (platform.value, platform_id)
            if key in self._store.contents:
                content = self._store.contents[key]
                self._store.contents[key] = replace(
                    content, comments_count=content.comments_count + n
                )

    def enabled_accounts(self, enabled_before: datetime) -> list[UUID]:
        return sorted(
            p.account_id
            for p in self._store.demo_profiles.values()
            if p.enabled_at is not None and p.enabled_at <= enabled_before
        )

    def profiles(self, account_ids: Sequence[UUID]) -> list[DemoProfile]:
        wanted = set(account_ids)
        found = [p for p in self._store.demo_profiles.values() if p.account_id in wanted]
        return sorted(found, key=lambda p: p.account_id)

    def content_of(self, account_ids: Sequence[UUID]) -> list[Content]:
        wanted = set(account_ids)
        found = [c for c in self._store.contents.values() if c.account_id in wanted]
        return sorted(found, key=lambda c: (c.account_id, c.published_at))

    def _expired(self, before: datetime) -> list[tuple[dict[Any, Any], list[Any]]]:
        store = self._store
        return [
            (
                store.outbox,
                [
                    k
                    for k, r in store.outbox.items()
                    if r.data.occurred_at < before and r.status is not DeliveryStatus.SENDING
                ],
            ),
            (store.contents, [k for k, c in store.contents.items() if c.published_at < before]),
            (
                store.inbox,
                [k for k, r in store.inbox.items() if r.occurred_at < before and r.is_demo],
            ),
            (
                store.jobs,
                [k for k, j in store.jobs.items() if j.finished_at and j.finished_at < before],
            ),
        ]

    def count_expired(self, before: datetime) -> int:
        return sum(len(keys) for _, keys in self._expired(before))

    def delete_expired(self, before: datetime, limit: int) -> int:
        return _delete_some(self._expired(before), limit)

    def counts(self, account_id: UUID) -> DemoCounts:
        mine = [r for r in self._store.outbox.values() if r.data.account_id == account_id]
        return DemoCounts(
            content=sum(c.account_id == account_id for c in self._store.contents.values()),
            comments=sum(r.data.kind is InteractionKind.COMMENT for r in mine),
            dms=sum(r.data.kind is InteractionKind.DM for r in mine),
            delivery=dict(Counter(r.status.value for r in mine)),
            received=sum(
                r.account_id == account_id and r.is_demo for r in self._store.inbox.values()
            ),
        )

    def _demo_rows(self, account_id: UUID) -> list[tuple[dict[Any, Any], list[Any]]]:
        store = self._store
        return [
            (store.outbox, [k for k, r in store.outbox.items() if r.data.account_id == account_id]),
            (store.contents, [k for k, c in store.contents.items() if c.account_id == account_id]),
            (
                store.inbox,
                [k for k, r in store.inbox.items() if r.account_id == account_id and r.is_demo],
            ),
        ]

    def purge_batch(self, account_id: UUID, limit: int) -> int:
        return _delete_some(self._demo_rows(account_id), limit)

    def count_demo_rows(self, account_id: UUID) -> int:
        return sum(len(keys) for _, keys in self._demo_rows(account_id))


def _delete_some(places: list[tuple[dict[Any, Any], list[Any]]], limit: int) -> int:
    for rows, keys in places:
        if keys:
            for key in keys[:limit]:
                del rows[key]
            return len(keys[:limit])
    return 0


class MemoryScheduleRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows = store.schedules

    def list(self) -> list[Schedule]:
        return sorted(self._rows.values(), key=lambda s: s.name)

    def get(self, name: str, *, lock: bool = False) -> Schedule | None:
        return self._rows.get(name)

    def save(self, schedule: Schedule) -> None:
        if schedule.name in self._rows:
            self._rows[schedule.name] = schedule


class MemoryUnitOfWork:
    """Works on a copy of the store; commit() publishes the copy, leaving the block drops it."""

    inbox: MemoryInboxRepository
    webhook_receipts: MemoryWebhookReceiptRepository
    jobs: MemoryJobRepository
    outbox: MemoryOutboxRepository
    demo: MemoryDemoRepository
    schedules: MemoryScheduleRepository

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._work: MemoryStore | None = None

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None

    def commit(self) -> None:
        assert self._work is not None, "commit() outside `with uow:`"
        for name in (
            "inbox",
            "webhook_receipts",
            "jobs",
            "idempotency_keys",
            "outbox",
            "demo_profiles",
            "contents",
            "schedules",
        ):
            setattr(self.store, name, getattr(self._work, name))
        self._begin()

    def rollback(self) -> None:
        self._begin()

    def _begin(self) -> None:
        self._work = copy.deepcopy(self.store)
        self.inbox = MemoryInboxRepository(self._work.inbox)
        self.webhook_receipts = MemoryWebhookReceiptRepository(self._work.webhook_receipts)
        self.jobs = MemoryJobRepository(self._work)
        self.outbox = MemoryOutboxRepository(self._work)
        self.demo = MemoryDemoRepository(self._work)
        self.schedules = MemoryScheduleRepository(self._work)
