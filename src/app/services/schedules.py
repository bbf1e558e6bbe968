"""Schedules: kept in PostgreSQL, registered with the scheduler, each slot run at most once.

Every few seconds the scheduler runs `run_all`: a schedule whose planned slot has come gets
the job for its latest slot (keyed by that slot, unique, so a second scheduler or a repeat
finds it taken), the next slot is planned, and the registry is brought in step with the
table, so a change through the API needs no restart.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.config import DEFAULTS, Settings
from app.domain.errors import NotFoundError
from app.domain.jobs import AtReference, Job, NewJob
from app.domain.schedules import Cron, Schedule, slot_key
from app.services.ports import QueueUnavailableError, ScheduleRegistry, UnitOfWork
from app.services.work import Idempotency, JobEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SchedulePolicy:
    # a slot missed by longer than this is skipped
    grace: timedelta = timedelta(seconds=DEFAULTS.schedule_grace)

    @classmethod
    def of(cls, settings: Settings) -> "SchedulePolicy":
        return cls(grace=timedelta(seconds=settings.schedule_grace))


@dataclass(frozen=True)
class ScheduleService:
    engine: JobEngine
    registry: ScheduleRegistry
    policy: SchedulePolicy = SchedulePolicy()

    def all(self) -> list[Schedule]:
        with self.engine.uow() as uow:
            return uow.schedules.list()

    def update(self, name: str, enabled: bool | None = None, cron: str | None = None) -> Schedule:
        """Pause, resume or re-time; the plan starts again from now."""
        new_cron = Cron(cron) if cron is not None else None
        with self.engine.uow() as uow:
            schedule = _existing(uow, name).changed(self.engine.clock.now(), enabled, new_cron)
            uow.schedules.save(schedule)
            uow.commit()
        return schedule

    def trigger(self, name: str, idempotency: Idempotency | None = None) -> Job:
        """Run now. Not a slot: it always runs, and the planned slots stay as they are.
        Repeated with its Idempotency-Key, the first run's job."""
        engine = self.engine
        now = engine.clock.now()
        with engine.uow() as uow:
            schedule = _existing(uow, name)
            params = AtReference(now, schedule=name, trigger="manual").to_params()
            job, created = engine.add(uow, NewJob(schedule.job_kind, params=params), idempotency)
            if not created:
                return job
            uow.schedules.save(schedule.triggered(now, job.id))
            uow.commit()
        engine.enqueue_soon(job)
        return job

    def run_all(self) -> list[Job]:
        """Once per scheduler tick: every schedule run if due and planned, the registry in
        step. Returns the jobs it started."""
        with self.engine.uow() as uow:
            names = [s.name for s in uow.schedules.list()]
        try:
            registered = self.registry.registered()
        except QueueUnavailableError as exc:
            log.warning("schedule registry unreachable: %s", exc)
            registered = {}
        started = []
        for name in names:
            job = self.run(name, registered)
            if job is not None:
                started.append(job)
        for gone in set(registered) - set(names):  # removed from the table
            self._in_step(gone, None, registered)
        return started

    def run(self, name: str, registered: dict[str, datetime] | None = None) -> Job | None:
        """One schedule: its latest slot's job if the planned slot has come (within the grace
        period), then its next slot planned and registered. The row lock makes schedulers
        take turns; the unique slot key makes a slot that was taken stay taken."""
        engine, grace = self.engine, self.policy.grace
        now = engine.clock.now()
        job = None
        with engine.uow() as uow:
            schedule = uow.schedules.get(name, lock=True)
            if schedule is None:
                updated = None
            elif (slot := schedule.due_slot(now, grace)) is not None:
                params = AtReference(slot, schedule=name).to_params()
                job = uow.jobs.add_for_slot(
                    NewJob(schedule.job_kind, params=params, schedule_slot=slot_key(name, slot)),
                    now,
                )
                updated = schedule.ran(slot, job.id if job else None, now)
                if job is None:  # another scheduler took the slot
                    engine.metrics.schedule_fired(name, "taken")
            elif schedule.next_run_at is not None and schedule.next_run_at > now:
                updated = schedule
            else:
                if schedule.enabled and schedule.next_run_at is not None:
                    log.warning(
                        "schedule %s: slot planned for %s was missed by more than %s; skipped",
                        name,
                        schedule.next_run_at.isoformat(),
                        grace,
                    )
                    engine.metrics.schedule_fired(name, "missed")
                updated = schedule.planned(now)
            if updated is not None and updated != schedule:
                uow.schedules.save(updated)
            uow.commit()
        if job is not None:
            log.info("schedule %s: slot %s started job %s", name, job.schedule_slot, job.id)
            engine.metrics.schedule_fired(name, "started")
            engine.enqueue_soon(job)
        self._in_step(name, updated, registered)
        return job

    def _in_step(
        self, name: str, schedule: Schedule | None, registered: dict[str, datetime] | None
    ) -> None:
        """Registered at its next slot when enabled; not registered at all otherwise."""
        wanted = schedule.next_run_at if schedule is not None and schedule.enabled else None
        try:
            if wanted is None:
                if registered is None or name in registered:
                    self.registry.cancel(name)
            elif registered is None or registered.get(name) != wanted:
                self.registry.register(name, wanted)
        except QueueUnavailableError as exc:
            log.warning("schedule %s: registry unreachable: %s", name, exc)


def _existing(uow: UnitOfWork, name: str) -> Schedule:
    schedule = uow.schedules.get(name, lock=True)
    if schedule is None:
        raise NotFoundError(f"no schedule named {name!r}")
    return schedule
