import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.inbox import InboxFilter, IngestStatus, InteractionKind
from app.services.inbox import InboxService
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import (
    INSIGHTS_ACCOUNT,
    INSIGHTS_EXPECTED,
    INSIGHTS_NOW,
    FixedClock,
    incoming,
    insights_fixture,
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


def test_pages_walk_newest_first_without_repeats_or_gaps(store: MemoryStore) -> None:
    same_instant = NOW - timedelta(hours=1)  # ties on occurred_at are broken by id
    items = [incoming(f"c{n}", ACCOUNT, NOW - timedelta(minutes=n)) for n in range(20)]
    items += [incoming(f"t{n}", ACCOUNT, same_instant) for n in range(5)]
    items += [incoming("other", uuid.uuid4(), NOW)]
    InboxService(uow_factory(store), FixedClock(NOW)).ingest("m", items)

    seen, cursor = [], None
    while True:
        page = InboxService(uow_factory(store), FixedClock(NOW)).page(
            InboxFilter(ACCOUNT), cursor, 7
        )
        seen.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 25
    assert len({i.id for i in seen}) == 25
    keys = [(i.occurred_at, i.id) for i in seen]
    assert keys == sorted(keys, reverse=True)


def test_filters_narrow_the_inbox(store: MemoryStore) -> None:
    items = [
        incoming("c", ACCOUNT, NOW - timedelta(days=2)),
        incoming("d", ACCOUNT, NOW - timedelta(days=1), kind=InteractionKind.DM, is_demo=False),
    ]
    InboxService(uow_factory(store), FixedClock(NOW)).ingest("m", items)

    def ids(**kw: object) -> list[str]:
        page = InboxService(uow_factory(store), FixedClock(NOW)).page(
            InboxFilter(ACCOUNT, **kw), None, 50
        )  # type: ignore[arg-type]
        return [i.platform_id for i in page.items]

    assert ids(kind=InteractionKind.DM) == ["d"]
    assert ids(is_demo=True) == ["c"]
    assert ids(since=NOW - timedelta(days=1)) == ["d"]
    assert ids(until=NOW - timedelta(days=1)) == ["c"]


def test_insights_match_the_hand_computed_fixture(store: MemoryStore) -> None:
    InboxService(uow_factory(store), FixedClock(INSIGHTS_NOW)).ingest("m", insights_fixture())
    got = InboxService(uow_factory(store), FixedClock(INSIGHTS_NOW)).insights(INSIGHTS_ACCOUNT, 3)

    assert got.since == datetime(2026, 3, 8, tzinfo=UTC)
    assert got.total == INSIGHTS_EXPECTED["total"]
    assert {k.value: v for k, v in got.totals.items()} == INSIGHTS_EXPECTED["totals"]
    assert [
        {"date": d.day.isoformat(), "comments": d.comments, "dms": d.dms, "total": d.total}
        for d in got.per_day
    ] == INSIGHTS_EXPECTED["per_day"]
    assert [asdict(c) for c in got.top_content] == INSIGHTS_EXPECTED["top_content"]
    assert got.intents == INSIGHTS_EXPECTED["intents"]
    assert got.sentiments == INSIGHTS_EXPECTED["sentiments"]
    assert (got.demo, got.demo_share) == (
        INSIGHTS_EXPECTED["demo"],
        INSIGHTS_EXPECTED["demo_share"],
    )
