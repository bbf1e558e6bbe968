"""The schedules' work on real PostgreSQL (and, for ticks that deliver, worker processes and
the real receiver): who takes part in a tick, fan-out, and retention that removes exactly what
it should."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from app.adapters.db.tables import contents, inbox_interactions, interactions, jobs
from app.bootstrap import Container
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_daily_content
from app.domain.inbox import Platform
from app.domain.jobs import JobKind, JobStatus, NewJob
from helpers import incoming
from integration.support import Workers, wait_for

TICK = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


def enable(container: Container, enabled_at: datetime, **profile: object) -> uuid.UUID:
    """A demo account enabled at that time, with a few posts of the day before."""
    chosen = DemoProfile(
        **{  # type: ignore[arg-type]
            "account_id": uuid.uuid4(),
            "platform": Platform.INSTAGRAM,
            "persona": Persona.TRAVEL,
            "dm_frequency": DmFrequency.MEDIUM,
            "seed": 11,
            "locale": "en_US",
            "sizes": DemoSizes(),
            "enabled_at": enabled_at,
            **profile,
        }
    )
    with container.uow() as uow:
        uow.demo.enable(chosen, enabled_at)
        posts = generate_daily_content(chosen, TICK - timedelta(days=1))
        uow.demo.add_content(posts, chosen.platform, enabled_at)
        uow.commit()
    return chosen.account_id


def run_tick(container: Container, kind: JobKind) -> uuid.UUID:
    """The parent and its children, run here one after another as workers would."""
    parent, _ = container.services.engine.create(
        NewJob(kind, params={"reference_time": TICK.isoformat()})
    )
    c = container
    c.services.run_job(parent.id)
    with c.engine.connect() as conn:
        children = conn.execute(select(jobs.c.id).where(jobs.c.parent_id == parent.id)).scalars()
        for child in list(children):
            c.services.run_job(child)
    return parent.id


def count(container: Container, table: object, *where: object) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_daily_content_skips_accounts_enabled_less_than_a_day_before(
    container: Container,
) -> None:
    day = timedelta(hours=24)
    old = [enable(container, TICK - day) for _ in range(3)]
    new = enable(container, TICK - day + timedelta(seconds=1))
    off = enable(container, TICK - 3 * day)
    with container.uow() as uow:
        uow.demo.disable(off, TICK)
        uow.commit()
    before = {a: count(container, contents, contents.c.account_id == a) for a in [*old, new, off]}

    parent = container.services.jobs.get(run_tick(container, JobKind.DAILY_CONTENT))
    assert parent.status is JobStatus.SUCCEEDED, parent.error
    assert parent.result is not None
    assert parent.result["totals"]["stored"] == {"content": 6}
    for account in old:
        assert count(container, contents, contents.c.account_id == account) == before[account] + 2
    for account in (new, off):
        assert count(container, contents, contents.c.account_id == account) == before[account]
    run_tick(container, JobKind.DAILY_CONTENT)  # the same tick again adds nothing
    assert count(container, contents) == sum(before.values()) + 6


def test_an_ongoing_tick_fans_out_to_workers_and_fills_the_inbox(
    container: Container, workers: Workers
) -> None:
    six_hours = timedelta(hours=6)
    medium = [enable(container, TICK - six_hours) for _ in range(3)]
    high = enable(container, TICK - 2 * six_hours, dm_frequency=DmFrequency.HIGH)
    too_new = enable(container, TICK - six_hours + timedelta(seconds=1))
    workers.start(FANOUT_SIZE="2")
    workers.start(FANOUT_SIZE="2")
    parent, _ = container.services.engine.create(
        NewJob(JobKind.ONGOING_INTERACTIONS, params={"reference_time": TICK.isoformat()})
    )
    done = wait_for(
        lambda: (j := container.services.jobs.get(parent.id)).status.is_final and j,
        120,
        f"the tick to finish; logs:\n{workers.log_text()}",
    )
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert count(container, jobs, jobs.c.parent_id == parent.id) == 2  # 4 accounts, 2 a chunk
    assert (done.progress_done, done.progress_total) == (4, 4)  # accounts taking part

    inbox = inbox_interactions.c
    for account in medium:
        assert count(container, inbox_interactions, inbox.account_id == account) == 10 + 5
        assert (
            count(container, inbox_interactions, inbox.account_id == account, inbox.is_demo) == 15
        )
    assert count(container, inbox_interactions, inbox.account_id == high) == 10 + 12
    assert count(container, inbox_interactions, inbox.account_id == too_new) == 0
    window = (inbox.occurred_at > TICK - six_hours, inbox.occurred_at <= TICK)
    assert count(container, inbox_interactions, *window) == 3 * 15 + 22
    with container.engine.connect() as conn:
        counted = conn.execute(
            select(contents.c.account_id, func.sum(contents.c.comments_count)).group_by(
                contents.c.account_id
            )
        ).all()
    assert {a: n for a, n in counted if n} == {a: 10 for a in [*medium, high]}
    assert done.result is not None
    assert done.result["totals"]["stored"] == 3 * 15 + 22


def test_cleanup_removes_exactly_the_demo_rows_past_retention(container: Container) -> None:
    before = TICK - timedelta(days=30)
    older, newer = before - timedelta(seconds=1), before + timedelta(seconds=1)
    account = uuid.uuid4()
    with container.uow() as uow:
        uow.outbox.add([incoming("old", account, older), incoming("new", account, newer)], TICK)
        uow.inbox.upsert(
            [
                incoming("in-old", account, older),
                incoming("in-new", account, newer),
                incoming("live-old", account, older, is_demo=False),
            ],
            TICK,
        )
        uow.commit()
    with container.engine.begin() as conn:
        conn.execute(
            insert(interactions).values(
                account_id=account,
                platform="youtube",
                platform_id="being-sent",
                kind="dm",
                author_handle="a",
                author_display_name="A",
                text="on its way",
                occurred_at=older,
                created_at=TICK,
                status="sending",
                next_attempt_at=TICK,
                lease_until=TICK + timedelta(minutes=2),
            )
        )
        for name, at in (("post-old", older), ("post-new", newer)):
            conn.execute(
                insert(contents).values(
                    account_id=account,
                    platform="youtube",
                    platform_id=name,
                    title=name,
                    published_at=at,
                    target_comments=1,
                    created_at=TICK,
                )
            )

    with container.uow() as uow:  # job records: finished long ago, finished lately, unfinished
        for at in (older, newer, older):
            uow.jobs.save(uow.jobs.add(NewJob(JobKind.SWEEP), at).start(at).succeed({}, at))
        stuck = uow.jobs.add(NewJob(JobKind.SWEEP), older)
        uow.commit()

    job, _ = container.services.engine.create(
        NewJob(JobKind.CLEANUP, params={"reference_time": TICK.isoformat()})
    )
    c = container
    done = c.services.run_job(job.id)
    assert done is not None
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert done.result == {"deleted": 5, "before": before.isoformat()}
    assert (done.progress_done, done.progress_total) == (5, 5)
    with container.engine.connect() as conn:
        kept = conn.execute(select(jobs.c.id, jobs.c.finished_at)).all()
    assert {j for j, _ in kept} >= {job.id, stuck.id}
    assert sorted(f for _, f in kept if f is not None and f != done.finished_at) == [newer]
    with container.engine.connect() as conn:
        left = {
            "outbox": set(conn.execute(select(interactions.c.platform_id)).scalars()),
            "inbox": set(conn.execute(select(inbox_interactions.c.platform_id)).scalars()),
            "content": set(conn.execute(select(contents.c.platform_id)).scalars()),
        }
    assert left == {
        "outbox": {"new", "being-sent"},
        "inbox": {"in-new", "live-old"},
        "content": {"post-new"},
    }
