"""The in-memory unit of work: a copy of the store per transaction, published by commit()."""

import copy
from types import TracebackType
from typing import Self

from fakes.apps import MemoryAppRepository
from fakes.demo import MemoryDemoRepository
from fakes.inbox import MemoryInboxRepository, MemoryWebhookReceiptRepository
from fakes.jobs import MemoryJobRepository
from fakes.outbox import MemoryOutboxRepository
from fakes.retention import MemoryRetentionRepository
from fakes.schedules import MemoryScheduleRepository
from fakes.sessions import MemorySessionRepository
from fakes.store import MemoryStore

__all__ = ["MemoryStore", "MemoryUnitOfWork"]


class MemoryUnitOfWork:
    """Works on a copy of the store; commit() publishes the copy, leaving the block drops it."""

    inbox: MemoryInboxRepository
    webhook_receipts: MemoryWebhookReceiptRepository
    jobs: MemoryJobRepository
    outbox: MemoryOutboxRepository
    demo: MemoryDemoRepository
    retention: MemoryRetentionRepository
    schedules: MemoryScheduleRepository
    sessions: MemorySessionRepository
    apps: MemoryAppRepository

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
            "scenario_runs",
            "demo_profiles",
            "contents",
            "schedules",
            "sessions",
            "attempts",
            "apps",
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
        self.retention = MemoryRetentionRepository(self._work)
        self.schedules = MemoryScheduleRepository(self._work)
        self.sessions = MemorySessionRepository(self._work)
        self.apps = MemoryAppRepository(self._work)
