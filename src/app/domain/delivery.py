"""The outbox: generated interactions waiting to be delivered as signed webhooks."""

import enum
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain.inbox import WebhookInteraction
from app.domain.time import require_aware


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OutboxInteraction:
    """A generated comment or DM (simulator side): what the webhook carries, and its delivery."""

    id: UUID
    data: WebhookInteraction
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    lease_until: datetime | None
    claimed_by: UUID | None  # the job sending it, while `sending`
    last_error: str | None
    sent_at: datetime | None

    def __post_init__(self) -> None:
        for name in ("next_attempt_at", "lease_until", "sent_at"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, require_aware(value, name))


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What the receiver said about one batch."""

    ok: bool
    status_code: int | None = None
    error: str | None = None
    retry_after: timedelta | None = None
    permanent: bool = False  # 410 Gone: retrying cannot help


def batch_webhook_id(items: Sequence[OutboxInteraction]) -> str:
    """The same rows make the same message id, on every attempt to send them."""
    digest = hashlib.sha256("|".join(sorted(str(i.id) for i in items)).encode()).hexdigest()
    return f"msg_{digest[:32]}"


def is_spent(attempts: int, max_attempts: int) -> bool:
    """After its attempt number `attempts` failed: a dead letter once max_attempts are used."""
    return attempts >= max_attempts


BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=1)


def next_attempt_delay(
    attempts: int, rng: random.Random, retry_after: timedelta | None = None
) -> timedelta:
    """Exponential backoff with jitter (half to full of base·2^(n-1), capped); Retry-After wins
    when it asks for longer."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (1 << min(20, max(0, attempts - 1))))
    delay = ceiling * rng.uniform(0.5, 1.0)
    return max(delay, retry_after) if retry_after is not None else delay
