"""Schedules: kept in PostgreSQL, each slot run at most once.

Every few seconds the scheduler puts a pass on the queue and a worker runs `run_all`: a
schedule whose planned slot has come gets the job for its latest slot (keyed by that slot,
unique, so a second pass or a repeat finds it taken) and its next slot is planned. The table
is read on every pass, so a change through the API needs no restart.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from app.config import DEFAULTS, Settings
from app.domain.errors import NotFoundError
from app.domain.jobs import AtReference, Job, NewJob
from app.domain.schedules import Cron, Schedule, slot_key
from app.services.ports import UnitOfWork
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
        """The scheduler's pass: every schedule run if due. Returns the jobs it started."""
        with self.engine.uow() as uow:
            names = [s.name for s in uow.schedules.list()]
        return [job for name in names if (job := self.run(name)) is not None]

    def run(self, name: str) -> Job | None:
        """One schedule: its latest slot's job if the planned slot has come (within the grace
        period), then its next slot planned. The row lock makes passes take turns; the unique
        slot key makes a slot that was taken stay taken."""
        engine, grace = self.engine, self.policy.grace
        now = engine.clock.now()
        job = None
        with engine.uow() as uow:
            schedule = uow.schedules.get(name, lock=True)
            if schedule is None:
                return None
            if (slot := schedule.due_slot(now, grace)) is not None:
                params = AtReference(slot, schedule=name).to_params()
                job = uow.jobs.add_for_slot(
                    NewJob(schedule.job_kind, params=params, schedule_slot=slot_key(name, slot)),
                    now,
                )
                updated = schedule.ran(slot, job.id if job else None, now)
                if job is None:  # another pass took the slot
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
            if updated != schedule:
                uow.schedules.save(updated)
            uow.commit()
        if job is not None:
            log.info("schedule %s: slot %s started job %s", name, job.schedule_slot, job.id)
            engine.metrics.schedule_fired(name, "started")
            engine.enqueue_soon(job)
        return job


def _existing(uow: UnitOfWork, name: str) -> Schedule:
    schedule = uow.schedules.get(name, lock=True)
    if schedule is None:
        raise NotFoundError(f"no schedule named {name!r}")
    return schedule
