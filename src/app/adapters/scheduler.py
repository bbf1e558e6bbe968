"""rq-scheduler as the thin periodic trigger of the schedules' loop, used as its README shows:
one periodic entry (`Scheduler.schedule(..., interval=...)`) under a fixed id that puts the
trigger on the queue every pass; a worker runs it and PostgreSQL decides every slot
(`ScheduleService.run_all`: a row lock, a unique slot key, slots in UTC, the grace period).

Nothing else of rq-scheduler is used: no entry per schedule, no subclass, no writes to its
keys. Two schedulers register the same entry (the second overwrites the first) and take
turns by rq-scheduler's own lock. Its jobs are made with RQ's JSON serializer, as the
workers read them.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import redis
from rq.job import Job as RqJob
from rq.serializers import JSONSerializer
from rq_scheduler import Scheduler

from app.adapters.queue import QUEUE_NAME

TRIGGER_ID = "demosim-schedules"  # the one entry rq-scheduler holds for demosim


class JsonRqJob(RqJob):
    def __init__(
        self, id: str | None = None, connection: redis.Redis | None = None, serializer: Any = None
    ) -> None:
        super().__init__(id, connection, serializer or JSONSerializer)


def run_scheduler(
    connection: redis.Redis,
    interval: float,
    trigger: Callable[[], None],
    *,
    burst: bool = False,
) -> None:
    """Until SIGTERM/SIGINT (or one pass, with burst): `trigger` queued every `interval`
    seconds (at least one: rq-scheduler counts whole seconds), first at once."""
    scheduler = Scheduler(
        queue_name=QUEUE_NAME, connection=connection, interval=interval, job_class=JsonRqJob
    )
    scheduler.schedule(
        datetime.now(UTC),
        trigger,
        interval=max(1, round(interval)),
        id=TRIGGER_ID,
        queue_name=QUEUE_NAME,
        at_front=True,  # slots before long jobs
    )
    scheduler.run(burst=burst)
