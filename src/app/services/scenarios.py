"""Named scenarios run against a demo account (issue 26): a job writes the run's items and
puts each in the outbox due at its arrival time; delivery sends them as they come due (the
scheduler's pass starts a delivery within seconds of an item's time), so what arrives follows
the scenario's curve, survives a redeploy (the rows are in PostgreSQL) and composes with other
runs on the same account (their rows share the outbox). Stopping a run withdraws what it has
not delivered yet."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from app.domain.errors import DomainError, NotFoundError
from app.domain.generation.scenario import generate_scenario
from app.domain.jobs import Job, JobCancelledError, JobKind, JobStatus, NewJob
from app.domain.scenarios import Scenario, ScenarioError, overridden, scenario_of, valid_paths
from app.domain.time import require_aware
from app.services.ports import ScenarioBook
from app.services.work import Checkpoint, Idempotency, JobEngine
from app.services.work.batches import store_interactions

WINDOW = timedelta(minutes=5)  # the curve is drawn and kept per window of this length
EARLIEST = timedelta(minutes=1)  # a start before now by more than this is refused
LATEST = timedelta(days=30)  # a start after now by more than this is refused


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    """A run as a person follows it: the curve it declared and what was delivered, per
    window from its start."""

    id: UUID
    job: Job
    scenario: Scenario
    start: datetime
    declared: tuple[float, ...]
    delivered: tuple[int, ...]
    pending: int  # stored, not delivered yet

    @property
    def status(self) -> str:
        """writing (its job at work), running (items to come), stopped (withdrawn before
        the end), finished, or the job's own end where it did not succeed."""
        if not self.job.status.is_final:
            return "writing"
        if self.job.status is not JobStatus.SUCCEEDED:
            return self.job.status.value
        if self.pending:
            return "running"
        scheduled = (self.job.result or {}).get("stored", {}).get("scheduled", 0)
        return "stopped" if sum(self.delivered) < scheduled else "finished"

    @property
    def end(self) -> datetime:
        return self.start + self.scenario.duration


@dataclass(frozen=True)
class ScenarioService:
    engine: JobEngine
    book: ScenarioBook
    batch_size: int

    def catalogue(self) -> list[tuple[Scenario, list[str]]]:
        """The shipped scenarios, each with the paths an override may set."""
        found = []
        for name in self.book.names():
            document = self.book.document(name)
            found.append((scenario_of(name, document), valid_paths(document)))
        return found

    def prepare(self, name: str, overrides: Mapping[str, Any]) -> tuple[dict[str, Any], Scenario]:
        """The document with the overrides set, and the scenario it is: refused (naming the
        path, with the valid ones) before anything is generated."""
        document = overridden(self.book.document(name), overrides)
        return document, scenario_of(name, document)

    def start(
        self,
        account_id: UUID,
        name: str,
        overrides: Mapping[str, Any],
        start: datetime | None = None,
        idempotency: Idempotency | None = None,
    ) -> Job:
        """The job writing the run; its items arrive from `start` (now when left out)."""
        engine = self.engine
        now = engine.clock.now()
        document, _ = self.prepare(name, overrides)
        begins = require_aware(start, "start") if start is not None else now
        if not now - EARLIEST <= begins <= now + LATEST:
            raise ScenarioError(
                f"start: from now to {LATEST.days} days ahead, got {begins.isoformat()}", "start"
            )
        with engine.uow() as uow:
            earlier = engine.earlier(uow, idempotency)
            if earlier is not None:
                return earlier
            profile = uow.demo.get(account_id)
            if profile is None or not profile.enabled:
                raise NotFoundError(f"demo mode is off for account {account_id}: enable it first")
            params = {
                "scenario": name,
                "run": str(uuid4()),
                "start": begins.isoformat(),
                "document": document,
            }
            job, created = engine.add(
                uow,
                NewJob(JobKind.DEMO_SCENARIO, account_id=account_id, params=params),
                idempotency,
            )
            if not created:
                return job
            uow.commit()
        engine.enqueue_soon(job)
        return job

    def run(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """The run's posts, then its items into the outbox, each due when it arrives, a
        committed batch at a time (a retry stores only what is missing)."""
        assert job.account_id is not None
        scenario = scenario_of(job.params["scenario"], job.params["document"])
        start = datetime.fromisoformat(job.params["start"])
        run = UUID(job.params["run"])
        with self.engine.uow() as uow:
            profile = uow.demo.get(job.account_id)
            content = uow.demo.content_of([job.account_id])
        if profile is None or not profile.enabled:
            raise DomainError(f"demo mode is off for account {job.account_id}; nothing to run")
        made = generate_scenario(profile, scenario, start, str(run), content)
        clock, size = self.engine.clock, self.batch_size
        checkpoint("content", 0, len(made.content))
        with self.engine.uow() as uow:
            posts = uow.demo.add_content(made.content, profile.platform, clock.now())
            uow.commit()
        checkpoint("content", len(made.content), len(made.content))
        scheduled = 0
        items = made.items
        checkpoint("schedule", 0, len(items))
        try:
            for at in range(0, len(items), size):
                with self.engine.uow() as uow:
                    part = items[at : at + size]
                    scheduled += len(store_interactions(uow, part, clock.now(), scheduled_by=run))
                    uow.commit()
                checkpoint("schedule", min(at + size, len(items)), len(items))
        except JobCancelledError:  # stopped: what it stored after the stop goes too
            with self.engine.uow() as uow:
                uow.outbox.withdraw(job.account_id, run)
                uow.commit()
            raise
        return {
            "run": str(run),
            "from": start.isoformat(),
            "until": (start + scenario.duration).isoformat(),
            "generated": {
                "content": len(made.content),
                "comments": sum(1 for i in items if i.content is not None),
                "dms": sum(1 for i in items if i.content is None),
            },
            "stored": {"content": posts, "scheduled": scheduled},
        }

    def runs(self, account_id: UUID) -> list[ScenarioRun]:
        """The account's runs, newest first, each with its curve and what was delivered."""
        with self.engine.uow() as uow:
            jobs = uow.jobs.of_kind(JobKind.DEMO_SCENARIO, account_id)
            found = []
            seen: set[str] = set()
            for job in jobs:  # newest first: a retried run is shown once, by its last job
                if job.params["run"] in seen:
                    continue
                seen.add(job.params["run"])
                scenario = scenario_of(job.params["scenario"], job.params["document"])
                start = datetime.fromisoformat(job.params["start"])
                run = UUID(job.params["run"])
                windows = max(1, -(-scenario.duration // WINDOW))
                counts = uow.outbox.scenario_counts(run, start, WINDOW)
                delivered = [0] * windows
                for window, n in counts.sent.items():
                    delivered[min(max(window, 0), windows - 1)] += n
                declared = tuple(
                    scenario.expected(WINDOW * k, min(WINDOW * (k + 1), scenario.duration))
                    for k in range(windows)
                )
                found.append(
                    ScenarioRun(
                        id=run,
                        job=job,
                        scenario=scenario,
                        start=start,
                        declared=declared,
                        delivered=tuple(delivered),
                        pending=counts.pending,
                    )
                )
        return found

    def stop(self, account_id: UUID, run: UUID) -> int:
        """Withdraws what the run has not delivered yet (its job, if still writing, is
        cancelled first); returns how many items were withdrawn."""
        now = self.engine.clock.now()
        with self.engine.uow() as uow:
            jobs = uow.jobs.of_kind(JobKind.DEMO_SCENARIO, account_id)
            mine = [j for j in jobs if j.params.get("run") == str(run)]
            if not mine:
                raise NotFoundError(f"no scenario run {run} on account {account_id}")
            for job in mine:
                if not job.status.is_final:
                    uow.jobs.save(job.request_cancel(now))
            withdrawn = uow.outbox.withdraw(account_id, run)
            uow.commit()
        return withdrawn
