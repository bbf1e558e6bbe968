"""The ports services depend on, by context; adapters implement them, bootstrap picks which.

Write side, through the unit of work: inbox (receiving), outbox (delivering), jobs,
demo profiles and content, retention, schedules, dashboard sessions. Read side: `Queries`,
SQL only. Outside: the clock, the job queue, the webhook sender."""

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from app.domain.apps import AppRegistration, Family, PlatformApp
from app.domain.delivery import (
    Attempt,
    DeliveryFilter,
    Key,
    OutboxInteraction,
    Reply,
    SendOutcome,
)
from app.domain.demo import Content, DemoProfile, DemoState
from app.domain.graph import Media, Posted, Slice
from app.domain.inbox import (
    Conversation,
    InboxFilter,
    InboxInteraction,
    IngestedItem,
    Insights,
    Platform,
    Thread,
    WebhookInteraction,
)
from app.domain.jobs import ChildState, Job, JobFilter, JobKind, NewJob
from app.domain.pagination import Cursor, Page
from app.domain.scenarios import ScenarioCounts
from app.domain.schedules import Schedule
from app.domain.sessions import DashboardSession

Keyset = tuple[datetime, UUID]  # where a walk in (occurred_at, id) order stopped


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class Metrics(Protocol):
    """What the use cases count, for an operator to watch (Prometheus in production)."""

    def job_finished(self, kind: str, status: str, seconds: float | None) -> None: ...

    def delivery_attempted(self, outcome: str, items: int) -> None:
        """outcome: sent, rescheduled (a retry follows) or failed (a dead letter)."""
        ...

    def schedule_fired(self, schedule: str, outcome: str) -> None:
        """outcome: started (a slot's job), taken (another scheduler had it) or missed."""
        ...


class NoMetrics:
    """Counting nothing: for unit tests and tools that are not watched."""

    def job_finished(self, kind: str, status: str, seconds: float | None) -> None:
        pass

    def delivery_attempted(self, outcome: str, items: int) -> None:
        pass

    def schedule_fired(self, schedule: str, outcome: str) -> None:
        pass


class InboxRepository(Protocol):
    def upsert(
        self, items: Sequence[WebhookInteraction], received_at: datetime
    ) -> list[IngestedItem]:
        """Insert what is new, keep what exists; distinct keys in, results in their order."""
        ...


class WebhookReceiptRepository(Protocol):
    def record(self, webhook_id: str, item_count: int, received_at: datetime) -> bool:
        """Remember a webhook message id; False when it had been received before."""
        ...


class JobRepository(Protocol):
    def add(self, new: NewJob, now: datetime) -> Job: ...

    def add_for_slot(self, new: NewJob, now: datetime) -> Job | None:
        """Add a job carrying a schedule slot; None when that slot has its job already."""
        ...

    def children(self, parent_id: UUID, *, lock: bool = False) -> list[Job]: ...

    def children_states(self, parent_id: UUID) -> list[ChildState]: ...

    def get(self, job_id: UUID, *, lock: bool = False) -> Job | None:
        """lock: hold the row until the transaction ends, so status changes do not race."""
        ...

    def save(self, job: Job) -> None: ...

    def checkpoint(
        self, job_id: UUID, now: datetime, phase: str, done: int, total: int | None
    ) -> bool:
        """Heartbeat, phase and progress; True when a cancel was requested."""
        ...

    def stale_running(self, heartbeat_before: datetime) -> list[Job]:
        """Running with a silent heartbeat, except parents whose children are still at work."""
        ...

    def queued_before(self, created_before: datetime) -> list[UUID]: ...

    def count_unfinished(self, kind: JobKind) -> int: ...

    def unfinished_for_account(self, account_id: UUID) -> list[Job]: ...

    def of_kind(self, kind: JobKind, account_id: UUID, limit: int = 100) -> list[Job]:
        """The account's jobs of a kind, newest first."""
        ...

    def find_by_idempotency_key(self, key: str) -> tuple[str, Job] | None:
        """The request fingerprint stored with the key, and the job it created."""
        ...

    def remember_idempotency_key(
        self, key: str, fingerprint: str, job_id: UUID, now: datetime
    ) -> bool: ...


class OutboxRepository(Protocol):
    def add(
        self,
        items: Sequence[WebhookInteraction],
        now: datetime,
        went: Mapping[Key, OutboxInteraction] | None = None,
        *,
        scheduled_by: UUID | None = None,
    ) -> dict[Key, UUID]:
        """Queue what is new; returns the keys (platform, platform_id) that were added, with
        their ids. What `went` holds (a job sent it before storing it) is stored as its
        delivery left it: its id, status, attempts, next attempt, error and sent_at. Items a
        scenario run schedules (`scheduled_by`) are due when they occur."""
        ...

    def scenario_counts(self, run: UUID, start: datetime, window: timedelta) -> ScenarioCounts:
        """A run's rows: sent, by window of `window` from `start` (of their sent_at), and
        still to be sent."""
        ...

    def withdraw(self, account_id: UUID, run: UUID | None) -> int:
        """Deletes what a run (None: any run of the account) has queued and not sent."""
        ...

    def count_scheduled_due(self, now: datetime) -> int:
        """Rows a scenario run scheduled that are due and queued."""
        ...

    def existing(self, keys: Sequence[Key]) -> set[Key]:
        """Which of these keys are stored already."""
        ...

    def claim_due(
        self,
        job_id: UUID,
        now: datetime,
        limit: int,
        lease_until: datetime,
        accounts: Sequence[UUID] | None = None,
    ) -> list[OutboxInteraction]:
        """Due rows become `sending`, leased to this job; others' locked rows are skipped."""
        ...

    def mark_sent(self, job_id: UUID, ids: Sequence[UUID], now: datetime) -> int: ...

    def mark_failed(self, job_id: UUID, ids: Sequence[UUID], error: str) -> int: ...

    def record_attempts(self, attempts: Sequence[Attempt]) -> None:
        """Messages sent and their answers, for the deliveries page."""
        ...

    def reschedule(
        self, job_id: UUID, ids: Sequence[UUID], next_attempt_at: datetime, error: str
    ) -> int:
        """Queued again for a later attempt (which rows are spent instead is the domain's
        rule: `is_spent`); returns how many."""
        ...

    def expire_leases(self, now: datetime) -> int: ...

    def release_claims(self, job_ids: Sequence[UUID]) -> int: ...

    def count_due(self, now: datetime, accounts: Sequence[UUID] | None = None) -> int: ...

    def requeue_failed(self, now: datetime, account_id: UUID | None = None) -> int: ...


class DemoRepository(Protocol):
    def get(self, account_id: UUID) -> DemoProfile | None: ...

    def enable(self, profile: DemoProfile, now: datetime) -> DemoProfile | None:
        """Store as enabled; None (and nothing changed) when demo mode was on already."""
        ...

    def disable(self, account_id: UUID, now: datetime) -> DemoProfile | None: ...

    def fill_history(self, account_id: UUID, until: datetime, now: datetime) -> DemoProfile | None:
        """The account's past filled up to `until` (never moved back); None where it is off."""
        ...

    def add_content(self, items: Sequence[Content], platform: Platform, now: datetime) -> int: ...

    def count_comments(self, platform: Platform, per_content: Mapping[str, int]) -> None:
        """Add newly stored comments to their content's comments_count."""
        ...

    def enabled_accounts(self, enabled_before: datetime) -> list[UUID]:
        """Accounts with demo mode on since before then, in id order."""
        ...

    def profiles(self, account_ids: Sequence[UUID]) -> list[DemoProfile]: ...

    def content_of(self, account_ids: Sequence[UUID]) -> list[Content]: ...


class RetentionRepository(Protocol):
    """Deleting demo data: what is past retention, and an account's on purge."""

    def count_expired(self, before: datetime) -> int:
        """Demo rows older than then, on both sides (outbox, content, is_demo inbox rows),
        and jobs that finished before then."""
        ...

    def delete_expired(self, before: datetime, limit: int) -> int:
        """Up to `limit` of them; 0 once none is left. Rows being sent are left alone. The
        inbox's comments are delete_expired_threads'."""
        ...

    def delete_expired_threads(
        self, before: datetime, limit: int, after: Keyset | None
    ) -> tuple[int, Keyset | None]:
        """The threads of the next `limit` or so demo comments past the cut, after `after`
        in (occurred_at, id) order, deleted whole where nothing in them is newer; the rows
        deleted and where the next call goes on (None: no comment past the cut is left
        beyond)."""
        ...

    def purge_batch(self, account_id: UUID, limit: int) -> int: ...

    def count_demo_rows(self, account_id: UUID) -> int: ...


class ScheduleRepository(Protocol):
    def list(self) -> list[Schedule]: ...

    def get(self, name: str, *, lock: bool = False) -> Schedule | None: ...

    def save(self, schedule: Schedule) -> None: ...


class JobQueue(Protocol):
    """Where job ids wait for a worker. It may lose them; PostgreSQL keeps the jobs."""

    def enqueue(self, job_id: UUID) -> None:
        """Raises QueueUnavailableError when the queue cannot be reached."""
        ...

    def remove(self, job_id: UUID) -> None: ...

    def knows(self, job_id: UUID) -> bool:
        """Whether the queue still holds (or runs) this job."""
        ...


class QueueUnavailableError(Exception):
    pass


class InvalidSignatureError(Exception):
    """A webhook not signed with the secret, or outside the time tolerance."""


class WebhookSender(Protocol):
    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome: ...


class SendPipe(Protocol):
    """A job's messages out one at a time, in the order posted, while the job goes on; once
    one has failed, those behind it are not sent (their reply is None)."""

    def post(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> Future[Reply | None]: ...

    def close(self) -> None:
        """What has not gone stays unsent; waits for the one on its way."""
        ...


OpenPipe = Callable[[WebhookSender, Clock], SendPipe]  # a pipe over this sender


class SessionRepository(Protocol):
    """Who is signed in to the dashboard."""

    def add(self, session: DashboardSession) -> None: ...

    def get(self, session_id: str) -> DashboardSession | None: ...

    def touch(self, session_id: str, now: datetime) -> None: ...

    def remove(self, session_id: str) -> bool: ...

    def remove_ended(self, unused_since: datetime, created_before: datetime) -> int:
        """Sessions unused since, or created before, these instants; how many."""
        ...


class AppRepository(Protocol):
    def get(self, family: Family) -> PlatformApp | None: ...

    def list(self) -> list[PlatformApp]: ...

    def save(self, app: PlatformApp) -> PlatformApp:
        """Insert or replace the family's app; the first registration's created_at stays."""
        ...

    def remove(self, family: Family) -> bool: ...


class Handshake(Protocol):
    """The platform family's verification of a callback (Meta's hub.challenge echo), done as
    the platform does it before it sends a webhook there."""

    def verify(self, registration: AppRegistration) -> None:
        """Raises HandshakeFailedError saying what the callback answered."""
        ...


class ScenarioBook(Protocol):
    """The named scenarios' documents (scenarios/*.yaml)."""

    def names(self) -> list[str]: ...

    def document(self, name: str) -> dict[str, Any]:
        """UnknownScenarioError for a name it does not have."""
        ...


class UnitOfWork(Protocol):
    """`with uow:` opens one transaction; only `commit()` persists; leaving rolls back the rest."""

    @property
    def inbox(self) -> InboxRepository: ...

    @property
    def webhook_receipts(self) -> WebhookReceiptRepository: ...

    @property
    def jobs(self) -> JobRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def demo(self) -> DemoRepository: ...

    @property
    def retention(self) -> RetentionRepository: ...

    @property
    def schedules(self) -> ScheduleRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def apps(self) -> AppRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class GraphStore(Protocol):
    """A native account as its platform shows it through the emulated API (SPEC.md "Platform
    emulation"): what has happened by `now`, newest first, and what a host posts; each call
    is its own transaction."""

    def account(self, access_token: str) -> DemoProfile | None:
        """The native account the token is for."""
        ...

    def media(self, account: DemoProfile, platform_id: str) -> Media | None: ...

    def item(self, account: DemoProfile, platform_id: str, now: datetime) -> Posted | None:
        """A comment or message of the account by its platform id, as it stands at `now`
        (edited; None once removed by its author)."""
        ...

    def media_page(
        self, account_id: UUID, now: datetime, cursor: Cursor | None, newer: bool, limit: int
    ) -> Slice[Media]:
        """Its posts: older than the cursor, or (`newer`) newer than it."""
        ...

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
        """`under` ("media", id): a post's top-level comments; ("comment", id): a comment's
        replies (the post or comment one of the account's); ("account", ""): the top-level
        comments of all its posts; as they stand at `now` (edited, the removed left out);
        `hidden`: only those the account hid, or only those it did not. Without a cursor,
        `offset` skips the first ones, and `oldest_first` turns the order round; `containing`:
        only those whose words contain it (YouTube's searchTerms)."""
        ...

    def reply_count(self, account: DemoProfile, comment_id: str, now: datetime) -> int:
        """How many replies one of the account's comments has by `now`."""
        ...

    def reply_counts(
        self, account: DemoProfile, comment_ids: Sequence[str], now: datetime
    ) -> dict[str, int]:
        """How many replies each of these comments has by `now` (a page's, at once)."""
        ...

    def latest_replies(
        self, account: DemoProfile, comment_ids: Sequence[str], now: datetime, most: int
    ) -> tuple[dict[str, int], dict[str, list[Posted]]]:
        """How many replies each of these comments has by `now`, and its `most` newest
        (newest first)."""
        ...

    def last_from_person(
        self, account_id: UUID, conversation_id: str, now: datetime
    ) -> WebhookInteraction | None:
        """The last message the person of a conversation wrote to the account."""
        ...

    def answered_account(
        self,
        account: DemoProfile,
        now: datetime,
        person: str,
        thread: str | None,
        conversation: str | None,
    ) -> bool:
        """Whether the person (a handle) has said something after one of the account's
        items in the thread (its top comment's id) or the conversation."""
        ...

    def hide(self, account: DemoProfile, platform_id: str, hidden: bool) -> bool:
        """A comment of the account hidden or shown again; False when there is none."""
        ...

    def delete(self, account: DemoProfile, platform_id: str) -> int:
        """A comment of the account and its replies gone; how many rows went."""
        ...

    def post(
        self,
        items: Sequence[WebhookInteraction],
        now: datetime,
        private_reply_to: str | None = None,
    ) -> bool:
        """Queued for delivery at each item's time (the account's at `now`); with
        `private_reply_to`, only if that comment had no private reply yet (False then, and
        nothing stored)."""
        ...


class Queries(Protocol):
    """The read side: pages, summaries and counts for the API and the dashboard, straight
    from SQL (no unit of work, nothing written)."""

    def inbox_page(
        self, where: InboxFilter, after: Cursor | None, limit: int
    ) -> Page[InboxInteraction]:
        """Newest first by (occurred_at, id), strictly after the cursor."""
        ...

    def thread(self, account_id: UUID, interaction_id: UUID) -> Thread | None:
        """The comment and every reply under it, in time order; None unless it is a comment
        of this account."""
        ...

    def recent_attempts(self, limit: int) -> list[Attempt]:
        """The latest messages sent, newest first."""
        ...

    def thread_top(self, account_id: UUID, interaction_id: UUID) -> UUID | None:
        """The top comment above this comment or reply (itself when it is one); None unless
        it is a comment of this account."""
        ...

    def conversations(
        self, account_id: UUID, after: Cursor | None, limit: int
    ) -> Page[Conversation]:
        """DM conversations, newest activity first."""
        ...

    def insights(
        self, account_id: UUID, since: datetime, until: datetime, top: int
    ) -> Insights: ...

    def received_since(self, since: datetime) -> tuple[int, int]:
        """Items in webhook messages received since then, and inbox rows created since then."""
        ...

    def jobs_page(self, where: JobFilter, after: Cursor | None, limit: int) -> Page[Job]:
        """Newest first by (created_at, id), strictly after the cursor."""
        ...

    def outbox_counts(self) -> dict[str, int]:
        """Outbox rows by delivery status (statuses with none left out)."""
        ...

    def deliveries_page(
        self, where: DeliveryFilter, after: Cursor | None, limit: int
    ) -> Page[OutboxInteraction]:
        """Newest first by (occurred_at, id), strictly after the cursor."""
        ...

    def demo_states(self, limit: int) -> list[DemoState]:
        """Accounts demo mode was ever enabled for, the most recently changed first, in a few
        statements however many there are."""
        ...

    def demo_state(self, account_id: UUID) -> DemoState | None:
        """None when demo mode was never enabled for the account."""
        ...
