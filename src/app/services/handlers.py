"""What each kind of job does: the table a worker dispatches on. A new kind of job is one
row here and one method on the service that owns it."""

from collections.abc import Mapping

from app.domain.jobs import JobKind
from app.services.delivery import DeliveryService
from app.services.demo import DemoService
from app.services.scenarios import ScenarioService
from app.services.upkeep import UpkeepService
from app.services.work import Handler, Sweeper


def job_handlers(
    demo: DemoService,
    delivery: DeliveryService,
    upkeep: UpkeepService,
    sweeper: Sweeper,
    scenarios: ScenarioService,
) -> Mapping[JobKind, Handler]:
    return {
        JobKind.DELIVER: delivery.deliver,
        JobKind.SWEEP: sweeper.run,
        JobKind.DEMO_INITIAL_BATCH: demo.run_initial_batch,
        JobKind.DEMO_PURGE: demo.purge,
        JobKind.DEMO_BACKFILL: demo.run_backfill,
        JobKind.DEMO_SCENARIO: scenarios.run,
        JobKind.DAILY_CONTENT: upkeep.fan_out_tick,
        JobKind.DAILY_CONTENT_CHUNK: upkeep.run_daily_content,
        JobKind.ONGOING_INTERACTIONS: upkeep.fan_out_tick,
        JobKind.ONGOING_INTERACTIONS_CHUNK: upkeep.run_ongoing_interactions,
        JobKind.CLEANUP: upkeep.run_cleanup,
    }
