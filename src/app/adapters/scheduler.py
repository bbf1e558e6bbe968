"""rq-scheduler: each enabled schedule registered once under a fixed id, at its next slot
computed by us in UTC, and rq-scheduler's loop (lock, heartbeat, signals) to act on it.

Two things of rq-scheduler 0.14 are not used as they come: its cron() evaluates the
expression against the machine's local time (`use_local_timezone` only converts the result),
so slots are computed in UTC by the domain and registered as one-shot entries; and it writes
jobs with RQ's default pickle serializer, so the job class here defaults to JSON like the
workers.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import redis
from rq.job import Job as RqJob
from rq.serializers import JSONSerializer
from rq_scheduler import Scheduler

from app.adapters.queue import QUEUE_NAME
from app.services.ports import QueueUnavailableError

REGISTRATION_PREFIX = "demosim-schedule-"  # RQ ids: letters, digits, - and _
# what a registration names as its function: if a stock rq-scheduler ever moved one onto the
# queue, a worker would run the same check the scheduler does
RUN_SCHEDULE = "app.entrypoints.worker.run_schedule"


class JsonRqJob(RqJob):
    def __init__(
        self, id: str | None = None, connection: redis.Redis | None = None, serializer: Any = None
    ) -> None:
        super().__init__(id, connection, serializer or JSONSerializer)


def _scheduler(connection: redis.Redis, interval: float = 60) -> Scheduler:
    return _Loop(
        queue_name=QUEUE_NAME, connection=connection, interval=interval, job_class=JsonRqJob
    )


class RqScheduleRegistry:
    def __init__(self, connection: redis.Redis) -> None:
        self._scheduler = _scheduler(connection)
        self._connection = connection

    def register(self, name: str, at: datetime) -> None:
        """The same id every time: rq-scheduler overwrites the entry and its time."""
        try:
            self._scheduler.enqueue_at(
                at, RUN_SCHEDULE, name, job_id=REGISTRATION_PREFIX + name, queue_name=QUEUE_NAME
            )
        except redis.RedisError as exc:
            raise QueueUnavailableError(f"Redis: {exc}") from exc

    def cancel(self, name: str) -> None:
        job_id = REGISTRATION_PREFIX + name
        try:
            self._scheduler.cancel(job_id)
            self._connection.delete(RqJob.key_for(job_id))
        except redis.RedisError as exc:
            raise QueueUnavailableError(f"Redis: {exc}") from exc

    def registered(self) -> dict[str, datetime]:
        try:
            entries: list[tuple[bytes, float]] = self._connection.zrange(  # type: ignore[assignment]
                self._scheduler.scheduled_jobs_key, 0, -1, withscores=True
            )
        except redis.RedisError as exc:
            raise QueueUnavailableError(f"Redis: {exc}") from exc
        found = {}
        for raw_id, score in entries:
            job_id = raw_id.decode()
            if job_id.startswith(REGISTRATION_PREFIX):
                name = job_id.removeprefix(REGISTRATION_PREFIX)
                found[name] = datetime.fromtimestamp(score, UTC)
        return found


class _Loop(Scheduler):  # type: ignore[misc]  # rq-scheduler ships no types
    """rq-scheduler's loop. A registration that comes due is handed to `on_due` by its
    schedule's name instead of being queued (the schedule's job row is made from
    PostgreSQL, keyed by its slot); after each pass, `on_tick` brings every schedule in step."""

    on_due: Callable[[str], None] | None = None
    on_tick: Callable[[], None] | None = None

    def enqueue_job(self, job: RqJob) -> None:
        if not job.id.startswith(REGISTRATION_PREFIX) or self.on_due is None:
            super().enqueue_job(job)
            return
        self.connection.zrem(self.scheduled_jobs_key, job.id)  # taken; on_due plans the next
        self.on_due(job.id.removeprefix(REGISTRATION_PREFIX))

    def enqueue_jobs(self) -> Any:
        jobs = super().enqueue_jobs()
        if self.on_tick is not None:
            self.on_tick()
        return jobs


def run_scheduler_loop(
    connection: redis.Redis,
    interval: float,
    on_due: Callable[[str], None],
    on_tick: Callable[[], None],
    *,
    burst: bool = False,
) -> None:
    """Until SIGTERM/SIGINT (or one pass, with burst). Two of these on one Redis take turns:
    rq-scheduler's lock lets one pass run at a time."""
    loop = _scheduler(connection, interval)
    loop.on_due, loop.on_tick = on_due, on_tick
    loop.run(burst=burst)
