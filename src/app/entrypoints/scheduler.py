"""`demosim scheduler`: rq-scheduler's loop over the schedules PostgreSQL holds."""

import logging

from app.adapters.scheduler import run_scheduler_loop
from app.bootstrap import Container
from app.services.schedules import run_schedule, run_schedules

log = logging.getLogger(__name__)


def schedule(container: Container, interval: float, *, burst: bool = False) -> None:
    c = container

    def on_due(name: str) -> None:
        try:
            run_schedule(c.uow, c.queue, c.registry, c.clock, c.schedule_policy, name)
        except Exception:  # the next pass tries again; the scheduler stays up
            log.exception("schedule %s could not be run", name)

    def on_tick() -> None:
        try:
            run_schedules(c.uow, c.queue, c.registry, c.clock, c.schedule_policy)
        except Exception:  # e.g. PostgreSQL unreachable for a moment
            log.exception("schedules could not be brought in step")

    run_scheduler_loop(c.redis, interval, on_due, on_tick, burst=burst)
