"""The read side (views over SQL queries) on real PostgreSQL: pages, filters, insights."""

import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest

from app.bootstrap import Container
from app.domain.inbox import InboxFilter, InteractionKind
from app.services.views import Views
from helpers import (
    INSIGHTS_ACCOUNT,
    INSIGHTS_EXPECTED,
    INSIGHTS_NOW,
    FixedClock,
    incoming,
    insights_fixture,
)

pytestmark = pytest.mark.integration

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.uuid4()


def test_pages_walk_newest_first_without_repeats_or_gaps(container: Container) -> None:
    same_instant = NOW - timedelta(hours=1)  # ties on occurred_at are broken by id
    items = [incoming(f"c{n}", ACCOUNT, NOW - timedelta(minutes=n)) for n in range(20)]
    items += [incoming(f"t{n}", ACCOUNT, same_instant) for n in range(5)]
    items += [incoming("other", uuid.uuid4(), NOW)]
    container.services.inbox.ingest("m", items)

    seen, cursor = [], None
    while True:
        page = container.queries.inbox_page(InboxFilter(ACCOUNT), cursor, 7)
        seen.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 25
    assert len({i.id for i in seen}) == 25
    keys = [(i.data.occurred_at, i.id) for i in seen]
    assert keys == sorted(keys, reverse=True)


def test_filters_narrow_the_inbox(container: Container) -> None:
    items = [
        incoming("c", ACCOUNT, NOW - timedelta(days=2)),
        incoming("d", ACCOUNT, NOW - timedelta(days=1), kind=InteractionKind.DM, is_demo=False),
    ]
    container.services.inbox.ingest("m", items)

    def ids(**kw: object) -> list[str]:
        page = container.queries.inbox_page(InboxFilter(ACCOUNT, **kw), None, 50)  # type: ignore[arg-type]
        return [i.data.platform_id for i in page.items]

    assert ids(kind=InteractionKind.DM) == ["d"]
    assert ids(is_demo=True) == ["c"]
    assert ids(since=NOW - timedelta(days=1)) == ["d"]
    assert ids(until=NOW - timedelta(days=1)) == ["c"]


def test_insights_match_the_hand_computed_fixture(container: Container) -> None:
    container.services.inbox.ingest("m", insights_fixture())
    got = Views(container.views.queries, FixedClock(INSIGHTS_NOW)).insights(INSIGHTS_ACCOUNT, 3)

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
