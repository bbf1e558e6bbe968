"""The claim-and-lease logic under contention: eight worker processes delivering one outbox
at once (threads, conversations and all) send every row exactly once and strand none."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app.bootstrap import Container
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_demo
from app.domain.inbox import Platform
from app.domain.jobs import JobKind, JobStatus, NewJob
from integration.support import ControllableReceiver, Workers, wait_for

pytestmark = pytest.mark.integration
WORKERS = 8


def test_eight_workers_deliver_every_row_once_and_strand_none(
    container: Container,
    workers: Workers,
    receiver: ControllableReceiver,
    count_rows: Callable[[str], int],
) -> None:
    now = datetime.now(UTC)
    items = []
    for n in range(4):
        profile = DemoProfile(uuid.uuid4(), Platform.YOUTUBE, list(Persona)[n], DmFrequency.HIGH,
                              n, "en_US", DemoSizes(), now)  # fmt: skip
        made = generate_demo(profile, now, DemoSizes(content=6, comments=500, dms=150))
        items += [*made.comments, *made.dms]
    for start in range(0, len(items), 500):
        with container.uow() as uow:
            uow.outbox.add(items[start : start + 500], now)
            uow.commit()
    total = len(items)
    jobs = [container.services.engine.create(NewJob(JobKind.DELIVER))[0].id for _ in range(WORKERS)]
    for _ in range(WORKERS):  # DELIVERY_BATCH_SIZE=10: some 260 claims fought over
        workers.start("--burst")

    def finished() -> bool:
        return all(container.services.jobs.get(j).status.is_final for j in jobs)

    wait_for(finished, 180, "the delivery jobs")
    statuses = {container.services.jobs.get(j).status for j in jobs}
    assert statuses == {JobStatus.SUCCEEDED}, workers.log_text()
    with container.engine.connect() as conn:
        by_status = dict(
            conn.execute(text("SELECT status, count(*) FROM interactions GROUP BY status")).all()
        )
        sent_items = conn.execute(text("SELECT sum(item_count) FROM webhook_receipts")).scalar_one()
        claimed_by = conn.execute(
            text("SELECT count(DISTINCT id) FROM jobs WHERE status = 'succeeded'")
        ).scalar_one()
    assert by_status == {"sent": total}  # none stranded in queued or sending
    assert count_rows("inbox_interactions") == total
    assert sent_items == total  # the receiver was sent each row once: no message repeated one
    assert claimed_by == WORKERS
    results = [container.services.jobs.get(j).result or {} for j in jobs]
    assert sum(r.get("sent", 0) for r in results) == total
    assert sum(1 for r in results if r.get("sent", 0) > 0) >= 2  # they did share the work
