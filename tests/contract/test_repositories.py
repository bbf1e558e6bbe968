"""One contract for each repository, held by the in-memory fake and the SQL implementation
alike: a fake that drifts from PostgreSQL fails here, not in a service test that trusted it."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.apps import Family, PlatformApp
from app.domain.delivery import Attempt, DeliveryStatus, OutboxInteraction
from app.domain.demo import Content, Delivery, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.inbox import (
    ContentRef,
    IngestStatus,
    InteractionKind,
    Platform,
    WebhookInteraction,
)
from app.domain.jobs import JobKind, JobStatus, NewJob
from app.domain.schedules import Cron
from app.domain.sessions import DashboardSession
from contract.conftest import UowFactory
from helpers import incoming

pytestmark = pytest.mark.integration

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
T1 = T0 + timedelta(minutes=2)
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-00000000c0de")


def profile(account: uuid.UUID = ACCOUNT, enabled_at: datetime = T0) -> DemoProfile:
    return DemoProfile(
        account_id=account,
        platform=Platform.YOUTUBE,
        persona=Persona.COOKING,
        dm_frequency=DmFrequency.LOW,
        seed=7,
        locale="en_US",
        sizes=DemoSizes(content=2, comments=3, dms=1),
        enabled_at=enabled_at,
    )


def content(n: int, account: uuid.UUID = ACCOUNT, at: datetime = T0) -> Content:
    return Content(
        account_id=account,
        platform_id=f"v{n}",
        title=f"Video {n}",
        published_at=at - timedelta(days=n),
        target_comments=10,
        comments_count=0,
    )


# --- inbox and receipts ---------------------------------------------------------------


def test_inbox_upsert_creates_once_and_reports_duplicates_with_the_same_id(uow: UowFactory) -> None:
    with uow() as u:
        first = u.inbox.upsert([incoming("a", ACCOUNT, T0), incoming("b", ACCOUNT, T0)], T0)
        u.commit()
    with uow() as u:
        again = u.inbox.upsert([incoming("b", ACCOUNT, T0), incoming("c", ACCOUNT, T0)], T0)
        u.commit()
    assert [(i.platform_id, i.status) for i in first] == [
        ("a", IngestStatus.CREATED),
        ("b", IngestStatus.CREATED),
    ]
    assert [(i.platform_id, i.status) for i in again] == [
        ("b", IngestStatus.DUPLICATE),
        ("c", IngestStatus.CREATED),
    ]
    assert again[0].id == first[1].id


def test_a_receipt_is_new_once(uow: UowFactory) -> None:
    with uow() as u:
        assert u.webhook_receipts.record("msg_1", 3, T0) is True
        assert u.webhook_receipts.record("msg_1", 3, T0) is False


def test_nothing_persists_without_commit(uow: UowFactory) -> None:
    with uow() as u:
        u.inbox.upsert([incoming("a", ACCOUNT, T0)], T0)
    with uow() as u:
        (result,) = u.inbox.upsert([incoming("a", ACCOUNT, T0)], T0)
    assert result.status is IngestStatus.CREATED


# --- jobs -----------------------------------------------------------------------------


def test_jobs_are_added_queued_and_saved_whole(uow: UowFactory) -> None:
    with uow() as u:
        job = u.jobs.add(NewJob(JobKind.DELIVER, account_id=ACCOUNT, params={"a": 1}), T0)
        u.commit()
    assert (job.status, job.attempt, job.params, job.created_at) == (
        JobStatus.QUEUED, 1, {"a": 1}, T0,
    )  # fmt: skip
    started = job.start(T0 + timedelta(seconds=1))
    with uow() as u:
        u.jobs.save(started)
        assert u.jobs.checkpoint(job.id, T0 + timedelta(seconds=2), "work", 3, 9) is False
        u.commit()
    with uow() as u:
        got = u.jobs.get(job.id)
        assert got is not None
        assert (got.status, got.phase, got.progress_done, got.progress_total) == (
            JobStatus.RUNNING, "work", 3, 9,
        )  # fmt: skip
        assert got.heartbeat_at == T0 + timedelta(seconds=2)
        u.jobs.save(got.request_cancel(T0 + timedelta(seconds=3)))
        assert u.jobs.checkpoint(job.id, T0 + timedelta(seconds=4), "work", 4, 9) is True


def test_a_slot_has_one_job(uow: UowFactory) -> None:
    with uow() as u:
        first = u.jobs.add_for_slot(NewJob(JobKind.CLEANUP, schedule_slot="cleanup@x"), T0)
        second = u.jobs.add_for_slot(NewJob(JobKind.CLEANUP, schedule_slot="cleanup@x"), T0)
    assert first is not None
    assert second is None


def test_the_sweepers_questions(uow: UowFactory) -> None:
    with uow() as u:
        parent = u.jobs.add(NewJob(JobKind.DAILY_CONTENT), T0)
        u.jobs.save(parent.start(T0))
        child = u.jobs.add(NewJob(JobKind.DAILY_CONTENT_CHUNK, parent_id=parent.id), T0)
        lone = u.jobs.add(NewJob(JobKind.DELIVER, account_id=ACCOUNT), T0)
        u.jobs.save(lone.start(T0))
        later = u.jobs.add(NewJob(JobKind.DELIVER), T0 + timedelta(minutes=5))
        u.commit()
    with uow() as u:
        stale = u.jobs.stale_running(T0 + timedelta(minutes=1))
        assert [j.id for j in stale] == [lone.id]  # the parent waits for its child
        assert u.jobs.queued_before(T0 + timedelta(minutes=1)) == [child.id]
        assert u.jobs.count_unfinished(JobKind.DELIVER) == 2
        assert [j.id for j in u.jobs.unfinished_for_account(ACCOUNT)] == [lone.id]
        assert [j.id for j in u.jobs.children(parent.id)] == [child.id]
        (state,) = u.jobs.children_states(parent.id)
        assert (state.id, state.status) == (child.id, JobStatus.QUEUED)
        assert later.id not in u.jobs.queued_before(T0 + timedelta(minutes=1))


def test_an_idempotency_key_is_remembered_once(uow: UowFactory) -> None:
    with uow() as u:
        job = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        other = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        assert u.jobs.remember_idempotency_key("k", "fp", job.id, T0) is True
        u.commit()
    with uow() as u:
        assert u.jobs.remember_idempotency_key("k", "fp2", other.id, T0) is False
    with uow() as u:
        found = u.jobs.find_by_idempotency_key("k")
        assert found is not None
        assert (found[0], found[1].id) == ("fp", job.id)
        assert u.jobs.find_by_idempotency_key("nope") is None


# --- outbox ---------------------------------------------------------------------------


def _outbox(uow: UowFactory, n: int = 5) -> uuid.UUID:
    with uow() as u:
        added = u.outbox.add(
            [incoming(f"c{i}", ACCOUNT, T0 - timedelta(minutes=i)) for i in range(n)], T0
        )
        assert len(added) == n
        job = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        u.commit()
    return job.id


def test_the_outbox_adds_only_what_is_new(uow: UowFactory) -> None:
    _outbox(uow, 2)
    with uow() as u:
        added = u.outbox.add([incoming("c1", ACCOUNT, T0), incoming("c9", ACCOUNT, T0)], T0)
        assert set(added) == {("youtube", "c9")}
        assert u.outbox.count_due(T0) == 3
        rows = {r.data.platform_id: r.id for r in u.outbox.claim_due(uuid.uuid4(), T0, 9, T1)}
    assert added[("youtube", "c9")] == rows["c9"]  # the new row's id


def test_rows_a_job_sent_first_are_stored_as_their_delivery_left_them(uow: UowFactory) -> None:
    _outbox(uow, 1)
    later, error = T0 + timedelta(seconds=30), "HTTP 503: busy"
    items = [incoming(f"d{i}", ACCOUNT, T0) for i in range(4)]
    states = [
        (DeliveryStatus.SENT, T0, None, T0),
        (DeliveryStatus.QUEUED, later, error, None),  # its message failed: due again later
        (DeliveryStatus.FAILED, T0, "HTTP 410: gone", None),
    ]
    went = {
        item.key: OutboxInteraction(uuid.uuid4(), item, status, 1, due, None, None, err, sent)
        for item, (status, due, err, sent) in zip(items, states, strict=False)
    }
    with uow() as u:
        assert u.outbox.existing([i.key for i in items] + [("youtube", "c0")]) == {
            ("youtube", "c0")
        }
        added = u.outbox.add([*items, incoming("c0", ACCOUNT, T0)], T0, went)
        assert set(added) == {i.key for i in items}  # c0 was there: left as it was
        assert {added[k] for k in went} == {w.id for w in went.values()}  # the ids it was sent as
        assert u.outbox.existing([i.key for i in items]) == {i.key for i in items}
        u.commit()
    with uow() as u:
        assert u.outbox.count_due(T0) == 2  # c0 and d3 (queued as new); d1 only later
        assert u.outbox.count_due(later) == 3
        claimed = {c.data.platform_id: c for c in u.outbox.claim_due(uuid.uuid4(), later, 9, T1)}
        assert u.outbox.requeue_failed(later, ACCOUNT) == 1  # d2, the dead letter
        again = u.outbox.claim_due(uuid.uuid4(), later, 9, T1)
        u.commit()
    assert {p: (c.attempts, c.last_error) for p, c in claimed.items()} == {
        "c0": (1, None), "d1": (2, error), "d3": (1, None),
    }  # fmt: skip
    assert [(d.data.platform_id, d.attempts) for d in again] == [("d2", 1)]  # attempts reset


def test_claims_lease_rows_to_one_job_and_count_the_attempt(uow: UowFactory) -> None:
    job = _outbox(uow)
    with uow() as u:
        claimed = u.outbox.claim_due(job, T0, 3, T0 + timedelta(minutes=2))
        u.commit()
    assert len(claimed) == 3
    assert {(c.status, c.attempts, c.claimed_by) for c in claimed} == {
        (DeliveryStatus.SENDING, 1, job)
    }
    with uow() as u:
        assert u.outbox.count_due(T0) == 2
        rest = u.outbox.claim_due(job, T0, 10, T0 + timedelta(minutes=2))
        assert len(rest) == 2
        assert {c.id for c in rest}.isdisjoint(c.id for c in claimed)


def test_outcomes_touch_only_the_rows_the_job_holds(uow: UowFactory) -> None:
    job = _outbox(uow)
    with uow() as u:
        ids = [c.id for c in u.outbox.claim_due(job, T0, 5, T0 + timedelta(minutes=2))]
        other = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        assert u.outbox.mark_sent(other.id, ids, T0) == 0
        assert u.outbox.mark_sent(job, ids[:2], T0) == 2
        assert u.outbox.mark_failed(job, ids[2:3], "gone") == 1
        assert u.outbox.reschedule(job, ids[3:], T0 + timedelta(minutes=1), "503") == 2
        u.commit()
    with uow() as u:
        assert u.outbox.count_due(T0) == 0
        assert u.outbox.count_due(T0 + timedelta(minutes=1)) == 2
        assert u.outbox.requeue_failed(T0) == 1
        assert u.outbox.count_due(T0) == 1


def test_expired_leases_and_released_claims_are_due_again(uow: UowFactory) -> None:
    job = _outbox(uow, 4)
    with uow() as u:
        u.outbox.claim_due(job, T0, 2, T0 + timedelta(minutes=2))
        other = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        u.outbox.claim_due(other.id, T0, 2, T0 + timedelta(minutes=10))
        u.commit()
    with uow() as u:
        assert u.outbox.expire_leases(T0 + timedelta(minutes=3)) == 2
        assert u.outbox.release_claims([other.id]) == 2
        assert u.outbox.count_due(T0 + timedelta(minutes=3)) == 4
        assert u.outbox.count_due(T0 + timedelta(minutes=3), [uuid.uuid4()]) == 0


def test_a_scenario_runs_rows_are_due_when_they_occur_counted_by_window_and_withdrawn(
    uow: UowFactory,
) -> None:
    run, other = uuid.uuid4(), uuid.uuid4()
    at = [T0 + timedelta(minutes=m) for m in (1, 4, 7, 12)]
    with uow() as u:
        added = u.outbox.add(
            [incoming(f"s{i}", ACCOUNT, t) for i, t in enumerate(at)], T0, scheduled_by=run
        )
        u.outbox.add([incoming("o1", ACCOUNT, T0 + timedelta(minutes=2))], T0, scheduled_by=other)
        u.outbox.add([incoming("plain", ACCOUNT, T0 + timedelta(minutes=3))], T0)
        job = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        u.commit()
    assert len(added) == 4
    with uow() as u:
        assert u.outbox.count_due(T0) == 1  # the plain row: due when it was stored
        assert u.outbox.count_scheduled_due(T0) == 0
        assert u.outbox.count_scheduled_due(T0 + timedelta(minutes=5)) == 3
        claimed = u.outbox.claim_due(job.id, T0 + timedelta(minutes=5), 10, T1 + timedelta(hours=1))
        sent = [c.id for c in claimed if c.data.platform_id in ("s0", "s1")]
        assert u.outbox.mark_sent(job.id, sent, T0 + timedelta(minutes=6)) == 2
        u.outbox.release_claims([job.id])
        u.commit()
    with uow() as u:
        counts = u.outbox.scenario_counts(run, T0, timedelta(minutes=5))
        assert counts.sent == {1: 2}  # sent at minute 6: the second window
        assert counts.pending == 2
        assert u.outbox.withdraw(ACCOUNT, run) == 2
        assert u.outbox.withdraw(uuid.uuid4(), None) == 0
        u.commit()
    with uow() as u:
        assert u.outbox.scenario_counts(run, T0, timedelta(minutes=5)).pending == 0
        assert u.outbox.scenario_counts(other, T0, timedelta(minutes=5)).pending == 1
        assert u.outbox.withdraw(ACCOUNT, None) == 1  # any run's; the plain row stays
        assert u.outbox.count_due(T0 + timedelta(hours=1)) == 1


def test_an_accounts_jobs_of_a_kind_newest_first(uow: UowFactory) -> None:
    with uow() as u:
        first = u.jobs.add(NewJob(JobKind.DEMO_SCENARIO, account_id=ACCOUNT), T0)
        second = u.jobs.add(NewJob(JobKind.DEMO_SCENARIO, account_id=ACCOUNT), T1)
        u.jobs.add(NewJob(JobKind.DEMO_BACKFILL, account_id=ACCOUNT), T1)
        u.jobs.add(NewJob(JobKind.DEMO_SCENARIO, account_id=uuid.uuid4()), T1)
        u.commit()
    with uow() as u:
        assert [j.id for j in u.jobs.of_kind(JobKind.DEMO_SCENARIO, ACCOUNT)] == [
            second.id,
            first.id,
        ]


# --- demo profiles, content, retention ------------------------------------------------


def test_demo_is_enabled_once_and_disabled(uow: UowFactory) -> None:
    with uow() as u:
        assert u.demo.enable(profile(), T0) is not None
        assert u.demo.enable(replace(profile(), persona=Persona.GAMING), T0) is None
        u.commit()
    with uow() as u:
        got = u.demo.get(ACCOUNT)
        assert got is not None
        assert got.persona is Persona.COOKING
        disabled = u.demo.disable(ACCOUNT, T0)
        assert disabled is not None
        assert disabled.enabled is False
        assert u.demo.disable(uuid.uuid4(), T0) is None


def test_history_is_filled_forward_only_while_demo_mode_is_on(uow: UowFactory) -> None:
    with uow() as u:
        u.demo.enable(profile(), T0)
        filled = u.demo.fill_history(ACCOUNT, T1, T1)
        assert filled is not None
        assert filled.history_until == T1
        back = u.demo.fill_history(ACCOUNT, T0, T1)  # never moved back
        assert back is not None
        assert back.history_until == T1
        assert u.demo.fill_history(uuid.uuid4(), T1, T1) is None
        u.commit()
    with uow() as u:
        got = u.demo.get(ACCOUNT)
        assert got is not None
        assert got.history_until == T1
        u.demo.disable(ACCOUNT, T1)
        assert u.demo.fill_history(ACCOUNT, T1, T1) is None  # off
        again = u.demo.enable(replace(profile(), enabled_at=T1), T1)
        assert again is not None
        assert again.history_until is None  # a new demo has no history of the one before


def test_a_native_profile_keeps_its_delivery_and_token_and_enabling_again_replaces_them(
    uow: UowFactory,
) -> None:
    native = replace(profile(), delivery=Delivery.NATIVE, access_token="EAADtoken")
    with uow() as u:
        assert u.demo.enable(native, T0) == native
        u.commit()
    with uow() as u:
        assert u.demo.get(ACCOUNT) == native
        u.demo.disable(ACCOUNT, T1)
        assert u.demo.enable(replace(profile(), enabled_at=T1), T1) == replace(
            profile(), enabled_at=T1
        )  # back to demosim's own format, no token
        u.commit()


def test_accounts_content_and_comment_counts(uow: UowFactory) -> None:
    old, new = uuid.UUID(int=1), uuid.UUID(int=2)
    with uow() as u:
        u.demo.enable(profile(new, T0), T0)
        u.demo.enable(profile(old, T0 - timedelta(days=1)), T0)
        assert u.demo.add_content([content(1, old), content(2, old)], Platform.YOUTUBE, T0) == 2
        assert u.demo.add_content([content(2, old), content(3, new)], Platform.YOUTUBE, T0) == 1
        u.demo.count_comments(Platform.YOUTUBE, {"v1": 2, "v9": 5})
        u.commit()
    with uow() as u:
        assert u.demo.enabled_accounts(T0) == [old, new]
        assert u.demo.enabled_accounts(T0 - timedelta(hours=1)) == [old]
        assert [p.account_id for p in u.demo.profiles([new, old])] == [old, new]
        found = u.demo.content_of([old])
        assert [(c.platform_id, c.comments_count) for c in found] == [("v2", 0), ("v1", 2)]


def test_retention_deletes_what_is_older_in_batches_but_rows_being_sent(uow: UowFactory) -> None:
    cut = T0 - timedelta(days=30)
    with uow() as u:
        u.outbox.add([incoming("o0", ACCOUNT, cut - timedelta(seconds=1))], T0)
        job = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        u.outbox.claim_due(job.id, T0, 1, T0 + timedelta(minutes=2))  # o0: being sent
        u.outbox.add(
            [incoming(f"o{i}", ACCOUNT, cut - timedelta(seconds=1 + i)) for i in (1, 2)]
            + [incoming("fresh", ACCOUNT, cut)],
            T0,
        )
        u.demo.add_content([content(40)], Platform.YOUTUBE, T0)
        u.inbox.upsert([incoming("i", ACCOUNT, cut - timedelta(days=1))], T0)
        u.commit()
    with uow() as u:
        assert u.retention.count_expired(cut) == 2 + 1 + 1
        deleted, total = 0, 0
        while n := u.retention.delete_expired(cut, 1):
            deleted += 1
            total += n
        threads, _ = u.retention.delete_expired_threads(cut, 1, None)
        u.commit()
    assert (deleted, total, threads) == (3, 3, 1)
    with uow() as u:
        assert u.retention.count_expired(cut) == 0
        assert u.outbox.count_due(T0) == 1  # "fresh" is left


def test_attempts_are_recorded_and_cleared_with_the_demo_data(uow: UowFactory) -> None:
    cut = T0 - timedelta(days=30)
    old = [
        Attempt(f"msg_{n}", cut - timedelta(minutes=n + 1), 10, n == 0, 200, None) for n in (0, 1)
    ]
    fresh = Attempt("msg_new", cut, 3, False, None, "ConnectTimeoutError: timed out")
    with uow() as u:
        u.outbox.record_attempts([*old, fresh])
        u.outbox.record_attempts([])
        u.commit()
    with uow() as u:
        assert u.retention.count_expired(cut) == 2
        assert u.retention.delete_expired(cut, 5) == 2
        u.commit()
    with uow() as u:
        assert u.retention.count_expired(cut) == 0
        assert u.retention.count_expired(cut + timedelta(seconds=1)) == 1  # the fresh one


def test_retention_removes_threads_and_conversations_whole(uow: UowFactory) -> None:
    """Past the cut, a thread goes only when all of it is older, a conversation only when
    every message is: one still answered stays whole, its old messages too."""
    cut = T0 - timedelta(days=30)
    old, new = cut - timedelta(days=2), cut + timedelta(hours=1)

    def reply(pid: str, parent: str, at: datetime) -> WebhookInteraction:
        return replace(incoming(pid, ACCOUNT, at), in_reply_to=parent)

    def message(pid: str, conversation: str, at: datetime) -> WebhookInteraction:
        return replace(
            incoming(pid, ACCOUNT, at, kind=InteractionKind.DM), conversation_id=conversation
        )

    items = [
        # all old: goes, the reply of a reply too
        incoming("gone", ACCOUNT, old),
        reply("gone-1", "gone", old),
        reply("gone-1-1", "gone-1", old),
        # an old root whose newest reply (two levels down) is newer: stays whole
        incoming("kept", ACCOUNT, old),
        reply("kept-1", "kept", old),
        reply("kept-2", "kept", old),
        reply("kept-1-1", "kept-1", new),
        # a reply whose parent never arrived is a thread of its own
        reply("orphan", "never-seen", old),
        # an old reply to a newer comment (clocks differ): stays with it
        incoming("late-root", ACCOUNT, new),
        reply("early-reply", "late-root", old),
        message("dm-a", "conv-old", old),
        message("dm-b", "conv-old", old),
        message("dm-c", "conv-live", old),
        message("dm-d", "conv-live", new),
        incoming("dm-single", ACCOUNT, old, kind=InteractionKind.DM),
    ]
    with uow() as u:
        u.inbox.upsert(items, T0)
        u.commit()
    with uow() as u:
        # every old demo comment counts (what a cleanup may delete at most), DMs as deleted
        assert u.retention.count_expired(cut) == 8 + 2 + 1
        while u.retention.delete_expired(cut, 2):
            pass
        after = None
        while True:
            _, after = u.retention.delete_expired_threads(cut, 1, after)
            if after is None:
                break
        u.commit()
    with uow() as u:
        # the kept thread's old comments, for a later cleanup
        assert u.retention.count_expired(cut) == 4
        again = u.inbox.upsert(items, T0)  # what is still there is a duplicate
        left = {
            i.platform_id
            for i, r in zip(items, again, strict=True)
            if r.status is IngestStatus.DUPLICATE
        }
        assert left == {
            "kept", "kept-1", "kept-2", "kept-1-1", "late-root", "early-reply", "dm-c", "dm-d",
        }  # fmt: skip


def test_purge_deletes_an_accounts_demo_rows_and_nothing_else(uow: UowFactory) -> None:
    other = uuid.uuid4()
    with uow() as u:
        u.outbox.add([incoming("a", ACCOUNT, T0), incoming("b", other, T0)], T0)
        u.demo.add_content([content(1), content(2, other)], Platform.YOUTUBE, T0)
        u.inbox.upsert(
            [
                incoming("a", ACCOUNT, T0),
                incoming("live", ACCOUNT, T0, is_demo=False),
                incoming("b", other, T0),
            ],
            T0,
        )
        u.commit()
    with uow() as u:
        assert u.retention.count_demo_rows(ACCOUNT) == 3
        while u.retention.purge_batch(ACCOUNT, 2):
            pass
        u.commit()
    with uow() as u:
        assert u.retention.count_demo_rows(ACCOUNT) == 0
        assert u.retention.count_demo_rows(other) == 3
        (live,) = u.inbox.upsert([incoming("live", ACCOUNT, T0, is_demo=False)], T0)
        assert live.status is IngestStatus.DUPLICATE


# --- schedules --------------------------------------------------------------------------


def test_schedules_are_listed_by_name_and_saved(uow: UowFactory) -> None:
    with uow() as u:
        names = [s.name for s in u.schedules.list()]
        cleanup = u.schedules.get("cleanup", lock=True)
        assert cleanup is not None
        u.schedules.save(cleanup.changed(T0, False, Cron("0 4 * * 1")))
        u.commit()
    assert names == sorted(names)
    assert {"cleanup", "daily-content", "delivery-sweep", "ongoing-interactions"} <= set(names)
    with uow() as u:
        got = u.schedules.get("cleanup")
        assert got is not None
        assert (got.enabled, got.cron.expression) == (False, "0 4 * * 1")
        assert u.schedules.get("nope") is None


# --- dashboard sessions -----------------------------------------------------------------


def test_sessions_are_added_touched_removed_and_ended_ones_cleared(uow: UowFactory) -> None:
    old, idle, live = (DashboardSession(n * 16, T0, T0) for n in ("a", "b", "c"))
    with uow() as u:
        for s in (old, idle, live):
            u.sessions.add(replace(s, created_at=T0 - timedelta(hours=20)) if s is old else s)
        u.commit()
    with uow() as u:
        u.sessions.touch(live.id, T1)
        u.commit()
    with uow() as u:
        assert u.sessions.get(live.id) == replace(live, seen_at=T1)
        # unused since T0 (b), or created before T0 - 12 h (a): both go; c was seen at T1
        assert u.sessions.remove_ended(T0, T0 - timedelta(hours=12)) == 2
        u.commit()
    with uow() as u:
        assert [u.sessions.get(s.id) for s in (old, idle)] == [None, None]
        assert u.sessions.remove(live.id) is True
        assert u.sessions.remove(live.id) is False
        assert u.sessions.get(live.id) is None


def test_a_comment_keeps_its_content_reference(uow: UowFactory) -> None:
    with uow() as u:
        u.outbox.add([incoming("c", ACCOUNT, T0, content=ContentRef("v1", "Video one"))], T0)
        job = u.jobs.add(NewJob(JobKind.DELIVER), T0)
        (row,) = u.outbox.claim_due(job.id, T0, 5, T0 + timedelta(minutes=1))
    assert (row.data.kind, row.data.content) == (
        InteractionKind.COMMENT, ContentRef("v1", "Video one"),
    )  # fmt: skip


def test_a_reply_or_a_later_dm_waits_for_what_it_follows(uow: UowFactory) -> None:
    parent = incoming("p", ACCOUNT, T0)
    reply = replace(incoming("r", ACCOUNT, T0 + timedelta(minutes=1)), in_reply_to="p")
    first = replace(incoming("d1", ACCOUNT, T0, kind=InteractionKind.DM), conversation_id="conv")
    second = replace(first, platform_id="d2", occurred_at=T0 + timedelta(minutes=5))
    with uow() as u:
        u.outbox.add([reply, second, parent, first], T0)
        job = u.jobs.add(NewJob(JobKind.DELIVER), T0).id
        u.commit()
    with uow() as u:
        assert u.outbox.count_due(T0) == 4  # all due; two are held back
        claimed = u.outbox.claim_due(job, T0, 10, T0 + timedelta(minutes=2))
        assert sorted(c.data.platform_id for c in claimed) == ["d1", "p"]
        assert u.outbox.claim_due(job, T0, 10, T0 + timedelta(minutes=2)) == []
        by_id = {c.data.platform_id: c.id for c in claimed}
        u.outbox.mark_sent(job, [by_id["p"]], T0)
        u.outbox.mark_failed(job, [by_id["d1"]], "gone")  # a dead letter holds nothing back
        later = u.outbox.claim_due(job, T0, 10, T0 + timedelta(minutes=2))
        assert sorted(c.data.platform_id for c in later) == ["d2", "r"]


# --- platform apps ----------------------------------------------------------------------


def test_an_app_is_saved_replaced_with_its_first_creation_time_and_removed(
    uow: UowFactory,
) -> None:
    first = PlatformApp(Family.META, "https://host.test/hook", "s" * 32, "tok", T0, T0, T0)
    second = replace(
        first, callback_url="https://host.test/v2", secret="t" * 32, verified_at=T1,
        created_at=T1, updated_at=T1,
    )  # fmt: skip
    with uow() as u:
        assert u.apps.get(Family.META) is None
        assert u.apps.save(first) == first
        assert u.apps.save(second) == replace(second, created_at=T0)
        u.commit()
    with uow() as u:
        assert u.apps.get(Family.META) == replace(second, created_at=T0)
        assert u.apps.list() == [replace(second, created_at=T0)]
        assert u.apps.remove(Family.META) is True
        assert u.apps.remove(Family.META) is False
        assert u.apps.list() == []
