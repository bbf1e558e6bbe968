"""`demosim scheduler`: rq-scheduler's loop, putting the schedules' pass on the queue every
`interval` seconds; a worker runs it over the schedules PostgreSQL holds."""

from app.bootstrap import Container
from app.entrypoints.worker import run_schedules


def schedule(container: Container, interval: float, *, burst: bool = False) -> None:
    container.run_scheduler(interval, run_schedules, burst=burst)
