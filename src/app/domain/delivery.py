"""The outbox: generated interactions waiting to be delivered as signed webhooks."""

import enum
import hashlib
import itertools
import random
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain.backoff import backoff
from app.domain.inbox import WebhookInteraction
from app.domain.time import require_aware


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    """Which outbox rows a page lists."""

    status: DeliveryStatus
    account_id: UUID | None = None


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


@dataclass(frozen=True, slots=True)
class Reply:
    """A message's outcome, and when it came back."""

    outcome: SendOutcome
    at: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    """One message sent, as the deliveries page lists it: when, what, and the answer."""

    webhook_id: str
    at: datetime
    items: int
    ok: bool
    status_code: int | None  # None: no answer (refused, timed out)
    error: str | None

    @classmethod
    def of(cls, webhook_id: str, items: int, reply: Reply) -> "Attempt":
        outcome = reply.outcome
        return cls(webhook_id, reply.at, items, outcome.ok, outcome.status_code, outcome.error)


Key = tuple[str, str]  # (platform, platform_id)


def delivery_order(items: Iterable[WebhookInteraction]) -> dict[Key, Key]:
    """What each item must be delivered after: a reply its parent, a DM the message before it
    in its conversation (by time)."""
    follows: dict[Key, Key] = {}
    conversations: dict[tuple[UUID, str], list[WebhookInteraction]] = {}
    for item in items:
        if item.in_reply_to is not None:
            follows[item.key] = (item.platform.value, item.in_reply_to)
        if item.conversation_id is not None:
            conversations.setdefault((item.account_id, item.conversation_id), []).append(item)
    for messages in conversations.values():
        messages.sort(key=lambda m: (m.occurred_at, m.platform_id))
        for before, after in itertools.pairwise(messages):
            follows[after.key] = before.key
    return follows


def in_messages(
    items: Sequence[WebhookInteraction],
    follows: Mapping[Key, Key],
    sent: Set[Key],
    size: int,
    begun: Sequence[WebhookInteraction] = (),
) -> tuple[list[list[WebhookInteraction]], list[WebhookInteraction]]:
    """The items packed into messages of at most `size`, each in the message of what it
    follows or a later one, unless that was sent already (never delivered before it: the
    receiver stores a message whole, in one transaction); and the items held back: what they
    follow (or what that follows) is neither sent nor among the items, so only the outbox
    knows when they can go. `begun` is a first message already under way (what it holds needs
    nothing unsent). Messages are filled in order and list their items by time."""
    by_key = {item.key: item for item in items}
    placed: dict[Key, int] = dict.fromkeys((item.key for item in begun), 0)  # message index
    held: set[Key] = set()
    messages: list[list[WebhookInteraction]] = [list(begun)] if begun else []
    first_with_room = 1 if len(begun) >= size else 0

    def place(item: WebhookInteraction) -> None:
        nonlocal first_with_room
        chain = [item]  # what this item follows, up to something placed, sent or missing
        keys = {item.key}
        while True:
            before = follows.get(chain[-1].key)
            if before is None or before in sent or before in placed:
                break
            if before in held or before not in by_key or before in keys:  # or a cycle
                held.update(keys)
                return
            chain.append(by_key[before])
            keys.add(before)
        need = placed[before] if before is not None and before in placed else 0
        for link in reversed(chain):
            if link.key in placed:
                continue
            index = max(need, first_with_room)
            while index < len(messages) and len(messages[index]) >= size:
                index += 1
            if index == len(messages):
                messages.append([])
            messages[index].append(link)
            placed[link.key] = index
            while first_with_room < len(messages) and len(messages[first_with_room]) >= size:
                first_with_room += 1
            need = index

    for item in items:
        if item.key not in placed and item.key not in held:
            place(item)
    for message in messages:
        message.sort(key=lambda i: (i.occurred_at, i.platform_id))
    return messages, [item for item in items if item.key in held]


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
    """The backoff with jitter; Retry-After wins when it asks for longer."""
    delay = backoff(attempts, BACKOFF_BASE, BACKOFF_CAP, rng)
    return max(delay, retry_after) if retry_after is not None else delay
