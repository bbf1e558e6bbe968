"""The RQ side: `demosim worker`, and the job function RQ imports and calls with a job id."""

import logging
import os
import signal
from contextlib import suppress
from types import FrameType
from typing import Any
from uuid import UUID

from rq import Worker
from rq.serializers import JSONSerializer

from app.bootstrap import Container, bootstrap
from app.config import load_settings

log = logging.getLogger(__name__)

# this process's container; a forked work horse inherits it, and the engine drops the
# inherited pooled connections at fork (see adapters/db/engine.py)
_container: Container | None = None
# set in a work horse told to stop: its job hands itself back at the next checkpoint
_stopping = False


def _current() -> Container:
    global _container
    if _container is None:  # run outside `demosim worker` (e.g. by rq's own CLI): build one
        _container = bootstrap(load_settings(os.environ))
    return _container


def perform(job_id: str) -> None:
    """The RQ job function: everything it needs comes from PostgreSQL by the id."""
    _current().services.run_job(UUID(job_id), stopping=lambda: _stopping)


def run_schedule(name: str) -> None:
    """What a schedule's registration names: normally the scheduler acts on it itself."""
    _current().services.schedules.run(name)


def work(container: Container, *, burst: bool) -> None:
    """Sweep once (jobs a dead worker left behind), then take jobs until stopped."""
    global _container
    _container = container
    try:
        report = container.services.sweeper.sweep()
        log.info("start-up sweep: %s", report)
    except Exception as exc:  # the database may be away now; the delivery-sweep schedule repeats it
        if not container.services.work.policy.is_transient(exc):
            raise
        log.warning("start-up sweep skipped, the database is unavailable: %s", exc)
    HandingBackWorker(
        [container.queue.queue], connection=container.redis, serializer=JSONSerializer
    ).work(burst=burst, logging_level="INFO")


class HandingBackWorker(Worker):
    """RQ's worker, whose warm shutdown (SIGTERM, Ctrl-C) does not wait for a long job to
    finish: the work horse is told too, its job hands itself back at the next checkpoint
    (a retry is queued at once for another worker) and the worker exits. A SIGTERM sent to
    the horse itself (a container runtime signalling the whole group) does the same."""

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        if self.horse_pid:
            with suppress(ProcessLookupError):
                os.kill(self.horse_pid, signal.SIGTERM)
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]

    def setup_work_horse_signals(self) -> None:
        super().setup_work_horse_signals()  # type: ignore[no-untyped-call]
        signal.signal(signal.SIGTERM, _hand_back)


def _hand_back(signum: int, frame: Any) -> None:
    global _stopping
    _stopping = True
