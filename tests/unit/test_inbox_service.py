import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.inbox import IngestStatus
from app.services.inbox import InboxService
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import (
    FixedClock,
    incoming,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.uuid4()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def reader(store: MemoryStore) -> InboxService:
    return InboxService(lambda: MemoryUnitOfWork(store), FixedClock(NOW))


def uow_factory(store: MemoryStore):  # type: ignore[no-untyped-def]
    return lambda: MemoryUnitOfWork(store)


def test_first_delivery_creates_and_a_resend_is_all_duplicates(store: MemoryStore) -> None:
    items = [incoming(f"c{n}", ACCOUNT, NOW - timedelta(minutes=n)) for n in range(3)]
    first = InboxService(uow_factory(store), FixedClock(NOW)).ingest("msg_1", items)
    again = InboxService(uow_factory(store), FixedClock(NOW)).ingest("msg_2", items)

    assert [i.status for i in first.items] == [IngestStatus.CREATED] * 3
    assert [i.status for i in again.items] == [IngestStatus.DUPLICATE] * 3
    assert [i.id for i in again.items] == [i.id for i in first.items]
    assert (first.replayed, again.replayed) == (False, False)
    assert len(store.inbox) == 3


def test_a_replayed_webhook_id_is_recognised(store: MemoryStore) -> None:
    items = [incoming("c1", ACCOUNT, NOW)]
    InboxService(uow_factory(store), FixedClock(NOW)).ingest("msg_1", items)
    replay = InboxService(uow_factory(store), FixedClock(NOW)).ingest("msg_1", items)
    assert replay.replayed is True
    assert replay.items[0].status is IngestStatus.DUPLICATE


def test_an_item_repeated_within_a_batch_is_stored_once(store: MemoryStore) -> None:
    item = incoming("c1", ACCOUNT, NOW)
    result = InboxService(uow_factory(store), FixedClock(NOW)).ingest("m", [item, item])
    assert [i.status for i in result.items] == [IngestStatus.CREATED, IngestStatus.DUPLICATE]
    assert result.items[0].id == result.items[1].id
    assert len(store.inbox) == 1


def test_nothing_is_stored_when_the_batch_fails(store: MemoryStore) -> None:
    class Exploding(MemoryUnitOfWork):
        def commit(self) -> None:
            raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError):
        InboxService(lambda: Exploding(store), FixedClock(NOW)).ingest(
            "m", [incoming("c1", ACCOUNT, NOW)]
        )
    assert store.inbox == {}
    assert store.webhook_receipts == set()


def test_received_at_comes_from_the_clock(store: MemoryStore) -> None:
    InboxService(uow_factory(store), FixedClock(NOW)).ingest("m", [incoming("c1", ACCOUNT, NOW)])
    (row,) = store.inbox.values()
    assert row.received_at == NOW
