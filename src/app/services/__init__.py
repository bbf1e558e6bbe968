"""Use cases, one service object per capability, written against the ports in ports.py;
work/ is the job engine they share. `Services.build` wires them from ports, for bootstrap
(real adapters) and unit tests (fakes) alike."""

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from app.domain.apps import Family
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.domain.jobs import Job, JobKind
from app.domain.sessions import SessionRules
from app.services.apps import AppService
from app.services.delivery import DeliveryService
from app.services.demo import DemoService
from app.services.handlers import job_handlers
from app.services.inbox import InboxService
from app.services.jobs import JobService
from app.services.ports import (
    Clock,
    Handshake,
    JobQueue,
    Metrics,
    NoMetrics,
    OpenPipe,
    ScenarioBook,
    UnitOfWorkFactory,
    WebhookSender,
)
from app.services.scenarios import ScenarioService
from app.services.schedules import SchedulePolicy, ScheduleService
from app.services.sessions import DEFAULT_RULES, SessionService
from app.services.upkeep import Announce, UpkeepPolicy, UpkeepService
from app.services.work import Deliverer, DeliveryPolicy, Handler, JobEngine, JobPolicy, Sweeper


@dataclass(frozen=True)
class Services:
    engine: JobEngine
    jobs: JobService
    inbox: InboxService
    demo: DemoService
    delivery: DeliveryService
    upkeep: UpkeepService
    schedules: ScheduleService
    sessions: SessionService
    apps: AppService
    sweeper: Sweeper
    scenarios: ScenarioService
    handlers: Mapping[JobKind, Handler] = field(repr=False)

    @classmethod
    def build(
        cls,
        uow: UnitOfWorkFactory,
        queue: JobQueue,
        clock: Clock,
        sender: Callable[[], WebhookSender],
        pipes: OpenPipe,
        scenario_book: ScenarioBook,
        *,
        job_policy: JobPolicy | None = None,
        delivery_policy: DeliveryPolicy | None = None,
        upkeep_policy: UpkeepPolicy | None = None,
        schedule_policy: SchedulePolicy | None = None,
        session_rules: SessionRules | None = None,
        rng: random.Random | None = None,
        metrics: Metrics | None = None,
        handshakes: Mapping[Family, Handshake] | None = None,
        polls: Mapping[JobKind, Callable[[], dict[str, Any]]] | None = None,
        announce: Announce | None = None,
    ) -> "Services":
        """`sender` is called on first delivery: only what delivers needs a webhook secret;
        `pipes` send a job's messages while it generates; `handshakes` verify a platform
        app's callback, by family (left out: none); `polls` are the jobs of the reference host
        that read a platform's API (YouTube's), by kind; `announce` tells a native channel's
        WebSub subscribers of its new videos. A policy left out is the default one."""
        rng = rng or random.Random()
        job_policy = job_policy or JobPolicy()
        delivery_policy = delivery_policy or DeliveryPolicy()
        upkeep_policy = upkeep_policy or UpkeepPolicy()
        schedule_policy = schedule_policy or SchedulePolicy()
        metrics = metrics or NoMetrics()
        engine = JobEngine(uow, queue, clock, job_policy, rng, metrics=metrics)
        deliverer = Deliverer(uow, _OnFirstUse(sender), clock, pipes, delivery_policy, rng, metrics)
        demo = DemoService(engine, deliverer, upkeep_policy.batch_size, upkeep_policy.retention)
        delivery = DeliveryService(engine, deliverer)
        upkeep = UpkeepService(engine, deliverer, upkeep_policy, announce)
        sweeper = Sweeper(engine)
        scenarios = ScenarioService(engine, scenario_book, upkeep_policy.batch_size)
        apps = AppService(uow, clock, handshakes or {})
        return cls(
            engine=engine,
            jobs=JobService(engine),
            inbox=InboxService(uow, clock),
            demo=demo,
            delivery=delivery,
            upkeep=upkeep,
            schedules=ScheduleService(engine, schedule_policy),
            sessions=SessionService(uow, clock, session_rules or DEFAULT_RULES),
            apps=apps,
            sweeper=sweeper,
            scenarios=scenarios,
            handlers={
                **job_handlers(demo, delivery, upkeep, sweeper, scenarios),
                JobKind.X_CRC: lambda job, checkpoint: apps.recheck(Family.X),
                **{kind: _poll(read) for kind, read in (polls or {}).items()},
            },
        )

    def run_job(self, job_id: UUID, stopping: Callable[[], bool] = lambda: False) -> Job | None:
        """What a worker does with a job id from the queue."""
        return self.engine.run(job_id, self.handlers, stopping)


def _poll(read: Callable[[], dict[str, Any]]) -> Handler:
    """A poll as a job: what it read, as the job's result."""
    return lambda job, checkpoint: read()


class _OnFirstUse:
    """A sender made when the first batch goes out."""

    def __init__(self, make: Callable[[], WebhookSender]) -> None:
        self._make = make
        self._sender: WebhookSender | None = None

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        if self._sender is None:
            self._sender = self._make()
        return self._sender.send(webhook_id, items)
