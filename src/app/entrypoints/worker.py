"""The RQ side: `demosim worker`, and the job function RQ imports and calls with a job id."""

import logging
import os
from uuid import UUID

from rq import Worker
from rq.serializers import JSONSerializer

from app.bootstrap import Container, bootstrap
from app.config import load_settings
from app.services.jobs import run_job, sweep
from app.services.schedules import run_schedule as run_one_schedule

log = logging.getLogger(__name__)

# this process's container; a forked work horse inherits it, and the engine drops the
# inherited pooled connections at fork (see adapters/db/engine.py)
_container: Container | None = None


def _current() -> Container:
    global _container
    if _container is None:  # run outside `demosim worker` (e.g. by rq's own CLI): build one
        _container = bootstrap(load_settings(os.environ))
    return _container


def perform(job_id: str) -> None:
    """The RQ job function: everything it needs comes from PostgreSQL by the id."""
    container = _current()
    run_job(container.uow, container.queue, container.clock, container.handlers, UUID(job_id))


def run_schedule(name: str) -> None:
    """What a schedule's registration names: normally the scheduler acts on it itself."""
    c = _current()
    run_one_schedule(c.uow, c.queue, c.registry, c.clock, c.schedule_policy, name)


def work(container: Container, *, burst: bool) -> None:
    """Sweep once (jobs a dead worker left behind), then take jobs until stopped."""
    global _container
    _container = container
    report = sweep(container.uow, container.queue, container.clock, container.job_policy)
    log.info("start-up sweep: %s", report)
    Worker([container.queue.queue], connection=container.redis, serializer=JSONSerializer).work(
        burst=burst, logging_level="INFO"
    )
