"""In-memory stand-ins for the ports, for unit tests of the domain and services only; the
contract tests (tests/contract/) keep them honest against PostgreSQL."""

import uuid
from collections.abc import Sequence
from typing import Any

from app.adapters.scenarios import ScenarioFiles
from app.adapters.webhooks.pipe import ThreadPipe
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.services import Services
from app.services.ports import QueueUnavailableError
from app.services.work import JobEngine
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import FixedClock


class FakeQueue:
    def __init__(self) -> None:
        self.ids: list[uuid.UUID] = []
        self.down = False

    def enqueue(self, job_id: uuid.UUID) -> None:
        if self.down:
            raise QueueUnavailableError("Redis: connection refused")
        self.ids.append(job_id)

    def remove(self, job_id: uuid.UUID) -> None:
        if self.down:
            raise QueueUnavailableError("Redis: connection refused")
        self.ids = [i for i in self.ids if i != job_id]

    def knows(self, job_id: uuid.UUID) -> bool:
        if self.down:
            raise QueueUnavailableError("Redis: connection refused")
        return job_id in self.ids


class AcceptingReceiver:
    """A receiver that takes every batch; remembers what it was sent."""

    def __init__(self) -> None:
        self.batches: list[list[OutboxInteraction]] = []

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        self.batches.append(list(items))
        return SendOutcome(ok=True, status_code=200)


def engine(store: MemoryStore, queue: FakeQueue, clock: FixedClock, **kw: Any) -> JobEngine:
    return JobEngine(lambda: MemoryUnitOfWork(store), queue, clock, **kw)


def services(
    store: MemoryStore,
    queue: FakeQueue,
    clock: FixedClock,
    *,
    sender: Any = None,
    **policies: Any,
) -> Services:
    """The service objects over the fakes, wired as bootstrap wires them over adapters."""
    receiver = sender or AcceptingReceiver()
    return Services.build(
        lambda: MemoryUnitOfWork(store),
        queue,
        clock,
        lambda: receiver,
        ThreadPipe,
        ScenarioFiles(),  # the shipped files: reading them is no I/O a fake would spare
        **policies,
    )
