"""The one composition root: the API, the worker, the CLI and the tests build everything here."""

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property

import redis
from sqlalchemy import Engine, text

from app.adapters.clock import SystemClock
from app.adapters.db.engine import create_db_engine
from app.adapters.db.errors import is_transient
from app.adapters.db.unit_of_work import SqlUnitOfWork
from app.adapters.embedded import embedded_servers
from app.adapters.queue import RqJobQueue
from app.adapters.scheduler import RqScheduleRegistry
from app.adapters.webhooks import HttpWebhookSender
from app.config import Settings
from app.domain.jobs import Job, JobKind
from app.services import delivery, demo, jobs, upkeep
from app.services.delivery import DeliveryPolicy
from app.services.jobs import Checkpoint, FanOut, Handler, JobPolicy
from app.services.ports import Clock, UnitOfWork, WebhookSender
from app.services.schedules import SchedulePolicy
from app.services.upkeep import UpkeepPolicy


@dataclass(frozen=True)
class Container:
    settings: Settings
    engine: Engine
    redis: redis.Redis
    clock: Clock
    queue: RqJobQueue
    sender_override: WebhookSender | None = None
    rng: random.Random = field(default_factory=random.Random)

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self.engine)

    @cached_property
    def sender(self) -> WebhookSender:
        """Built on first use: only what delivers needs WEBHOOK_SECRET."""
        if self.sender_override is not None:
            return self.sender_override
        # signs with the real time whatever the clock: the receiver checks it against its own
        return HttpWebhookSender(
            self.settings.webhook_target_url, self.settings.require_webhook_secret()
        )

    @cached_property
    def job_policy(self) -> JobPolicy:
        return JobPolicy(
            heartbeat_timeout=timedelta(seconds=self.settings.job_heartbeat_timeout),
            max_attempts=self.settings.job_max_attempts,
            is_transient=is_transient,
        )

    @cached_property
    def delivery_policy(self) -> DeliveryPolicy:
        return DeliveryPolicy(
            batch_size=self.settings.delivery_batch_size,
            max_attempts=self.settings.webhook_max_attempts,
        )

    @cached_property
    def upkeep_policy(self) -> UpkeepPolicy:
        return UpkeepPolicy(
            fanout_size=self.settings.fanout_size,
            batch_size=self.settings.db_batch_size,
            retention=timedelta(days=self.settings.retention_days),
        )

    @cached_property
    def schedule_policy(self) -> SchedulePolicy:
        return SchedulePolicy(grace=timedelta(seconds=self.settings.schedule_grace))

    @cached_property
    def registry(self) -> RqScheduleRegistry:
        return RqScheduleRegistry(self.redis)

    @cached_property
    def handlers(self) -> Mapping[JobKind, Handler]:
        """What each kind of job does, with its dependencies bound."""

        def deliver(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return delivery.deliver_due(
                self.uow,
                self.sender,
                self.clock,
                self.delivery_policy,
                self.rng,
                job,
                checkpoint,
                [job.account_id] if job.account_id else None,
            )

        def sweep(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return jobs.run_sweep(self.uow, self.queue, self.clock, self.job_policy)

        def tick(job: Job, checkpoint: Checkpoint) -> FanOut:
            return upkeep.fan_out_tick(self.uow, self.upkeep_policy, job, checkpoint)

        def daily_content(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return upkeep.run_daily_content(
                self.uow, self.clock, self.upkeep_policy, job, checkpoint
            )

        def ongoing_interactions(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return upkeep.run_ongoing_interactions(
                self.uow,
                self.sender,
                self.clock,
                self.delivery_policy,
                self.rng,
                self.upkeep_policy,
                job,
                checkpoint,
            )

        def cleanup(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return upkeep.run_cleanup(self.uow, self.upkeep_policy, job, checkpoint)

        def initial_batch(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return demo.run_initial_batch(
                self.uow,
                self.sender,
                self.clock,
                self.delivery_policy,
                self.rng,
                self.settings.db_batch_size,
                job,
                checkpoint,
            )

        def purge(job: Job, checkpoint: Checkpoint) -> dict[str, object]:
            return demo.purge_demo(self.uow, self.settings.db_batch_size, job, checkpoint)

        return {
            JobKind.DELIVER: deliver,
            JobKind.SWEEP: sweep,
            JobKind.DEMO_INITIAL_BATCH: initial_batch,
            JobKind.DEMO_PURGE: purge,
            JobKind.DAILY_CONTENT: tick,
            JobKind.DAILY_CONTENT_CHUNK: daily_content,
            JobKind.ONGOING_INTERACTIONS: tick,
            JobKind.ONGOING_INTERACTIONS_CHUNK: ongoing_interactions,
            JobKind.CLEANUP: cleanup,
        }

    def health(self) -> dict[str, str | None]:
        """What is down, by name: None when it answered."""
        return {"postgres": _probe(self._ping_postgres), "redis": _probe(self.redis.ping)}

    def _ping_postgres(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()
        self.redis.close()


def _probe(check: Callable[[], object]) -> str | None:
    try:
        check()
    except Exception as exc:  # readiness reports any failure by name instead of raising
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"{type(exc).__name__}: {first_line}"
    return None


def bootstrap(
    settings: Settings, *, clock: Clock | None = None, sender: WebhookSender | None = None
) -> Container:
    """Build this process's engine, Redis client and queue; once per process, never at import."""
    if settings.database_url is None or settings.redis_url is None:
        raise RuntimeError("servers are not resolved; wrap the process in `servers(settings)`")
    clock = clock or SystemClock()
    connection = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=5, socket_timeout=10
    )
    return Container(
        settings=settings,
        engine=create_db_engine(settings.database_url, settings.pool),
        redis=connection,
        clock=clock,
        queue=RqJobQueue(connection),
        sender_override=sender,
    )


@contextmanager
def servers(settings: Settings) -> Iterator[Settings]:
    """Settings with both URLs set: the given servers, or embedded ones started for the block."""
    with embedded_servers(
        settings.home, postgres=settings.database_url is None, redis=settings.redis_url is None
    ) as started:
        yield replace(
            settings,
            database_url=settings.database_url or started.database_url,
            redis_url=settings.redis_url or started.redis_url,
        )
