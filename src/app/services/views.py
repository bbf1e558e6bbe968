"""The read side as the API and the dashboard use it: the queries, with the few rules of
reading (the insights window, what "never enabled" means)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.delivery import DeliveryStatus, OutboxInteraction
from app.domain.demo import DemoState
from app.domain.errors import NotFoundError
from app.domain.inbox import (
    TOP_CONTENT,
    Conversation,
    InboxFilter,
    InboxInteraction,
    Insights,
    Thread,
    insights_window,
)
from app.domain.jobs import Job, JobKind, JobStatus
from app.domain.pagination import Cursor, Page
from app.services.ports import Clock, Queries


@dataclass(frozen=True)
class Views:
    queries: Queries
    clock: Clock

    def inbox(self, where: InboxFilter, after: Cursor | None, limit: int) -> Page[InboxInteraction]:
        return self.queries.inbox_page(where, after, limit)

    def thread(self, account_id: UUID, interaction_id: UUID) -> Thread:
        found = self.queries.thread(account_id, interaction_id)
        if found is None:
            raise NotFoundError(f"no comment {interaction_id} in the inbox of account {account_id}")
        return found

    def conversations(
        self, account_id: UUID, after: Cursor | None, limit: int
    ) -> Page[Conversation]:
        return self.queries.conversations(account_id, after, limit)

    def insights(self, account_id: UUID, days: int) -> Insights:
        """The last `days` UTC calendar days, today included."""
        since, until = insights_window(self.clock.now(), days)
        return self.queries.insights(account_id, since, until, TOP_CONTENT)

    def receipt_stats(self, since: datetime) -> tuple[int, int]:
        """Items the receiver was sent since then, and how many were new to the inbox."""
        return self.queries.received_since(since)

    def jobs(
        self,
        after: Cursor | None,
        limit: int,
        status: JobStatus | None = None,
        kind: JobKind | None = None,
        account_id: UUID | None = None,
        parent_id: UUID | None = None,
    ) -> Page[Job]:
        return self.queries.jobs_page(after, limit, status, kind, account_id, parent_id)

    def demo_accounts(self, limit: int) -> list[DemoState]:
        """The accounts demo mode was ever enabled for, most recently changed first."""
        found = (self.queries.demo_state(a) for a in self.queries.demo_accounts(limit))
        return [state for state in found if state is not None]

    def deliveries(
        self,
        status: DeliveryStatus,
        after: Cursor | None,
        limit: int,
        account_id: UUID | None = None,
    ) -> Page[OutboxInteraction]:
        return self.queries.deliveries_page(status, after, limit, account_id)

    def outbox_rows(self) -> dict[str, int]:
        """Outbox rows by delivery status, every status named."""
        found = self.queries.outbox_counts()
        return {status.value: found.get(status.value, 0) for status in DeliveryStatus}

    def demo(self, account_id: UUID) -> DemoState:
        state = self.queries.demo_state(account_id)
        if state is None:
            raise NotFoundError(f"demo mode was never enabled for account {account_id}")
        return state
