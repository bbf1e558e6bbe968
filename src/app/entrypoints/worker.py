"""The RQ side: `demosim worker`, and the job functions RQ imports and calls by name."""

import logging
import os
from uuid import UUID

from app.bootstrap import Container, bootstrap
from app.config import load_settings
from app.domain.generation import warm_up
from app.entrypoints.logs import job_id as current_job

log = logging.getLogger(__name__)

# this process's container: the jobs it runs share its pool and compiled statements
_container: Container | None = None


def _current() -> Container:
    global _container
    if _container is None:  # run outside `demosim worker` (e.g. by rq's own CLI): build one
        _container = bootstrap(load_settings(os.environ))
    return _container


def perform(job_id: str) -> None:
    """The RQ job function: everything it needs comes from PostgreSQL by the id."""
    c = _current()
    token = current_job.set(job_id)  # every log line of the job carries its id
    try:
        c.services.run_job(UUID(job_id), stopping=c.worker_stopping)
    finally:
        current_job.reset(token)


def run_schedules() -> None:
    """The scheduler's pass, queued by rq-scheduler every interval: each schedule's due slot
    started (once, whoever runs this), its next slot planned."""
    c = _current()
    try:
        c.services.schedules.run_all()
        c.services.delivery.pace()  # a scenario's items that came due
    except Exception as exc:  # the database away for a moment: the next pass fires what is due
        if not c.services.engine.policy.is_transient(exc):
            raise
        log.warning("schedules' pass skipped, the database is unavailable: %s", exc)


def work(container: Container, *, burst: bool) -> None:
    """Sweep once (jobs a dead worker left behind), then take jobs until stopped."""
    global _container
    _container = container
    warm_up()  # what the first job would otherwise load
    try:
        report = container.services.sweeper.sweep()
        log.info("start-up sweep: %s", report)
    except Exception as exc:  # the database may be away now; the delivery-sweep schedule repeats it
        if not container.services.engine.policy.is_transient(exc):
            raise
        log.warning("start-up sweep skipped, the database is unavailable: %s", exc)
    container.run_worker(burst=burst)
