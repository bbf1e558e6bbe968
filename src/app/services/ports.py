"""The ports services depend on; adapters implement them, bootstrap picks which."""

from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from app.domain.inbox import (
    InboxFilter,
    InboxInteraction,
    IncomingInteraction,
    IngestedItem,
    Insights,
)
from app.domain.pagination import Cursor, Page


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class InboxRepository(Protocol):
    def upsert(
        self, items: Sequence[IncomingInteraction], received_at: datetime
    ) -> list[IngestedItem]:
        """Insert what is new, keep what exists; distinct keys in, results in their order."""
        ...

    def page(self, where: InboxFilter, after: Cursor | None, limit: int) -> Page[InboxInteraction]:
        """Newest first by (occurred_at, id), strictly after the cursor."""
        ...

    def insights(
        self, account_id: UUID, since: datetime, until: datetime, top: int
    ) -> Insights: ...


class WebhookReceiptRepository(Protocol):
    def record(self, webhook_id: str, item_count: int, received_at: datetime) -> bool:
        """Remember a webhook message id; False when it had been received before."""
        ...


class UnitOfWork(Protocol):
    """`with uow:` opens one transaction; only `commit()` persists; leaving rolls back the rest."""

    @property
    def inbox(self) -> InboxRepository: ...

    @property
    def webhook_receipts(self) -> WebhookReceiptRepository: ...

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
