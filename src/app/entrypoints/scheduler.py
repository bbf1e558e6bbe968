"""`demosim scheduler`: rq-scheduler's loop over the schedules PostgreSQL holds."""

import logging

from app.bootstrap import Container

log = logging.getLogger(__name__)


def schedule(container: Container, interval: float, *, burst: bool = False) -> None:
    schedules = container.services.schedules

    def on_due(name: str) -> None:
        try:
            schedules.run(name)
        except Exception:  # the next pass tries again; the scheduler stays up
            log.exception("schedule %s could not be run", name)

    def on_tick() -> None:
        try:
            schedules.run_all()
        except Exception:  # e.g. PostgreSQL unreachable for a moment
            log.exception("schedules could not be brought in step")

    container.run_scheduler(interval, on_due, on_tick, burst=burst)
