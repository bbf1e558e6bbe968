"""The job engine: run, checkpoint, fan-out and roll-up, the sweep, enqueue-after-commit, the
batch loop and delivery of the outbox. Use cases build on it; it knows no use case."""

from app.services.work.batches import delete_in_batches, in_batches, store_interactions
from app.services.work.deliver import Deliverer, DeliveryPolicy
from app.services.work.engine import Checkpoint, FanOut, Handler, Idempotency, JobEngine, JobPolicy
from app.services.work.straight import StraightSend
from app.services.work.sweep import Sweeper, SweepReport

__all__ = [
    "Checkpoint",
    "Deliverer",
    "DeliveryPolicy",
    "FanOut",
    "Handler",
    "Idempotency",
    "JobEngine",
    "JobPolicy",
    "StraightSend",
    "SweepReport",
    "Sweeper",
    "delete_in_batches",
    "in_batches",
    "store_interactions",
]
