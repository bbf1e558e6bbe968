"""The one composition root: the API, the worker, the CLI and the tests build everything here."""

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property

import redis
from sqlalchemy import Engine, text

from app.adapters.clock import SystemClock
from app.adapters.db.engine import create_db_engine
from app.adapters.db.errors import is_transient
from app.adapters.db.graph_store import SqlGraphStore
from app.adapters.db.migrations import upgrade
from app.adapters.db.native_routes import (
    SqlCreators,
    SqlNativeAccounts,
    SqlNativeChannels,
    SqlNativeRoutes,
    SqlPostsOf,
)
from app.adapters.db.queries import SqlQueries
from app.adapters.db.unit_of_work import SqlUnitOfWork
from app.adapters.embedded import embedded_servers
from app.adapters.metrics import PrometheusMetrics
from app.adapters.platforms.meta.graph import MetaGraph
from app.adapters.platforms.meta.handshake import MetaHandshake
from app.adapters.platforms.meta.receiving import MetaReceiving
from app.adapters.platforms.tiktok.business_api import TikTokBusinessApi
from app.adapters.platforms.tiktok.handshake import TikTokHandshake
from app.adapters.platforms.tiktok.receiving import TikTokReceiving
from app.adapters.platforms.x.api import XApi
from app.adapters.platforms.x.handshake import XHandshake
from app.adapters.platforms.x.receiving import XReceiving
from app.adapters.platforms.youtube.data_api import YouTubeDataApi
from app.adapters.platforms.youtube.polling import YouTubePoller
from app.adapters.platforms.youtube.quota import RedisQuota
from app.adapters.platforms.youtube.websub import (
    SubscriptionRequest,
    WebSubHub,
    subscription_request,
)
from app.adapters.queue import RqJobQueue, run_worker
from app.adapters.queue import stopping as worker_stopping
from app.adapters.scenarios import ScenarioFiles
from app.adapters.scheduler import run_scheduler
from app.adapters.webhooks import WebhookReceiving
from app.adapters.webhooks.pipe import ThreadPipe
from app.adapters.webhooks.routing import RoutingSender
from app.adapters.webhooks.sender import HttpWebhookSender
from app.adapters.webhooks.trigger import TriggerFormat
from app.config import Settings
from app.domain.apps import Family
from app.domain.jobs import JobKind
from app.services import Services
from app.services.graph import GraphService
from app.services.ports import Clock, Queries, ScenarioBook, UnitOfWork, WebhookSender
from app.services.schedules import SchedulePolicy
from app.services.sessions import rules_of
from app.services.trigger import SignedFormat
from app.services.upkeep import UpkeepPolicy
from app.services.views import Views
from app.services.work import DeliveryPolicy, JobPolicy


@dataclass(frozen=True)
class Container:
    """This process's engine, Redis client and queue, and the service objects over them."""

    settings: Settings
    engine: Engine
    redis: redis.Redis
    clock: Clock
    queue: RqJobQueue
    sender_override: WebhookSender | None = None
    rng: random.Random = field(default_factory=random.Random)

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self.engine)

    def _sender(self) -> WebhookSender:
        """Made on first delivery: each account's items to where its host takes them."""
        return RoutingSender(
            self._standard_sender, SqlNativeRoutes(self.engine), SqlCreators(self.engine)
        )

    def _standard_sender(self) -> WebhookSender:
        """demosim's own format, made when first needed: only that needs WEBHOOK_SECRET."""
        if self.sender_override is not None:
            return self.sender_override
        # signs with the real time whatever the clock: the receiver checks it against its own
        return HttpWebhookSender(
            self.settings.webhook_target_url, self.settings.require_webhook_secret()
        )

    @cached_property
    def queries(self) -> Queries:
        """The read side: pages and counts straight from SQL."""
        return SqlQueries(self.engine)

    @cached_property
    def views(self) -> Views:
        """The read side's rules over the queries."""
        return Views(self.queries, self.clock)

    @cached_property
    def webhooks(self) -> WebhookReceiving:
        """The receiver's side of the webhook contract, with the secret it verifies with."""
        return WebhookReceiving(self.settings.require_webhook_secret())

    @cached_property
    def meta_receiving(self) -> MetaReceiving:
        """The reference host's side of Meta's webhooks, with its own app's secret and token."""
        secret, token = self.settings.reference_meta_app()
        return MetaReceiving(secret, token, SqlNativeAccounts(self.engine))

    @cached_property
    def tiktok_receiving(self) -> TikTokReceiving:
        """The reference host's side of TikTok's webhooks, with its own app's key and secret."""
        client_key, secret = self.settings.reference_tiktok_app()
        return TikTokReceiving(client_key, secret, SqlNativeAccounts(self.engine))

    @cached_property
    def x_receiving(self) -> XReceiving:
        """The reference host's side of X's Account Activity webhooks, with its own app's
        consumer secret."""
        return XReceiving(
            self.settings.reference_x_app(),
            SqlNativeAccounts(self.engine),
            SqlPostsOf(self.engine),
        )

    @cached_property
    def meta_graph(self) -> MetaGraph:
        """The emulated Graph API: native accounts as Meta shows them, and what hosts post."""
        graph = GraphService(
            SqlGraphStore(self.engine), self.services.engine, self.settings.reply_delay_scale
        )
        return MetaGraph(graph)

    @cached_property
    def youtube_data_api(self) -> YouTubeDataApi:
        """The emulated YouTube Data API: native channels as YouTube shows them."""
        return YouTubeDataApi(self.meta_graph.service, RedisQuota(self.redis))

    @cached_property
    def tiktok_business_api(self) -> TikTokBusinessApi:
        """The emulated API for Business: a native TikTok account's comments as TikTok shows
        them."""
        return TikTokBusinessApi(self.meta_graph.service)

    @cached_property
    def websub_hub(self) -> WebSubHub:
        """YouTube's WebSub hub: subscriptions to a native channel's new videos."""
        return WebSubHub(self.engine, lambda profile: self.meta_graph.service.creator(profile)
                         .display_name)  # fmt: skip

    def websub_request(self, form: Mapping[str, str]) -> SubscriptionRequest:
        """A WebSub subscription request read from its form (WebSubError names the field)."""
        return subscription_request(form)

    @cached_property
    def youtube_poller(self) -> YouTubePoller:
        """The reference host's poll of native YouTube channels, through the Data API."""
        return YouTubePoller(
            self.youtube_data_api, SqlNativeChannels(self.engine), self.services.inbox
        )

    @cached_property
    def x_api(self) -> XApi:
        """The emulated X API v2's writes: a native X account's replies and messages."""
        return XApi(self.meta_graph.service)

    @cached_property
    def metrics(self) -> PrometheusMetrics:
        return PrometheusMetrics()

    def metrics_text(self) -> tuple[bytes, str]:
        """A Prometheus scrape: what every process counted, and the outbox as it is now."""
        return self.metrics.exposition(self.views.outbox_rows)

    @cached_property
    def services(self) -> Services:
        s = self.settings
        return Services.build(
            self.uow,
            self.queue,
            self.clock,
            self._sender,
            ThreadPipe,
            ScenarioFiles(),
            job_policy=JobPolicy.of(s, is_transient),
            delivery_policy=DeliveryPolicy.of(s),
            upkeep_policy=UpkeepPolicy.of(s),
            schedule_policy=SchedulePolicy.of(s),
            session_rules=rules_of(s),
            rng=self.rng,
            metrics=self.metrics,
            handshakes={
                Family.META: MetaHandshake(),
                Family.TIKTOK: TikTokHandshake(),
                Family.X: XHandshake(),
            },
            # made when a poll runs: the poller reads through the Data API, which needs these
            polls={JobKind.YOUTUBE_POLL: lambda: self.youtube_poller.poll()},
            announce=lambda profile, videos: self.websub_hub.announce(profile, videos),
        )

    def migrate(self) -> None:
        """The database's schema brought to the newest migration (alembic)."""
        upgrade(self.engine)

    def run_worker(self, *, burst: bool) -> None:
        """This process as an RQ worker, taking jobs until stopped."""
        run_worker(self.queue, burst=burst)

    def worker_stopping(self) -> bool:
        """In a job a worker runs: whether the worker was told to stop."""
        return worker_stopping()

    def run_scheduler(
        self, interval: float, trigger: Callable[[], None], *, burst: bool = False
    ) -> None:
        """rq-scheduler's loop, putting `trigger` on the queue every `interval` seconds."""
        run_scheduler(self.redis, interval, trigger, burst=burst)

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


def trigger_format(name: str, url: str, secret: str, client_key: str) -> SignedFormat:
    """`demosim trigger`'s sender of one format: no servers, nothing but the generator."""
    return TriggerFormat(name, url, secret, client_key)


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


def scenario_book() -> ScenarioBook:
    """The shipped scenarios' files: `demosim scenario list` reads them without servers."""
    return ScenarioFiles()
