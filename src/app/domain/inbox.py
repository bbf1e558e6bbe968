"""The host app's inbox: what live platforms and demosim alike deliver as signed webhooks."""

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from app.domain.errors import InvalidInteractionError
from app.domain.time import require_aware

if TYPE_CHECKING:
    from app.domain.lifecycle import Lifecycle

# the intent or sentiment bucket of insights for interactions that carry no label
UNLABELLED = "unlabelled"


class Platform(enum.StrEnum):
    YOUTUBE = "youtube"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    FACEBOOK = "facebook"  # a Facebook Page: its posts, their comments, Messenger
    X = "x"  # an X account: its posts, the replies and mentions, its DMs


class InteractionKind(enum.StrEnum):
    COMMENT = "comment"
    DM = "dm"


class Intent(enum.StrEnum):
    PRAISE = "praise"
    QUESTION = "question"
    PURCHASE_INTENT = "purchase_intent"
    COMPLAINT = "complaint"
    COLLAB_REQUEST = "collab_request"
    SUPPORT = "support"
    SPAM = "spam"
    OTHER = "other"


class Sentiment(enum.StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class IngestStatus(enum.StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Author:
    handle: str
    display_name: str
    is_creator: bool = False  # the account's own voice: replies and DMs from the creator


@dataclass(frozen=True, slots=True)
class ContentRef:
    platform_id: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookInteraction:
    """An interaction as a webhook carries it: an item of a batch, before it has an inbox id."""

    account_id: UUID
    platform: Platform
    platform_id: str
    kind: InteractionKind
    author: Author
    text: str
    occurred_at: datetime
    content: ContentRef | None = None
    intent: Intent | None = None
    sentiment: Sentiment | None = None
    is_demo: bool = False
    in_reply_to: str | None = None  # comments: the parent comment's platform_id
    conversation_id: str | None = None  # DMs: the conversation it belongs to
    topic: str | None = None  # what it is about (ground truth, like intent and sentiment)
    language: str | None = None  # BCP 47: en, es, pt-BR
    # not a new item but something that happened to one (an edit, an unsend, a reaction: a
    # native account's, as its platform's webhooks tell it; domain.lifecycle); a comment's
    # event is `in_reply_to` the comment, so that it goes after it
    event: "Lifecycle | None" = None
    # what makes an interaction the same one when it arrives twice: (platform, platform_id),
    # kept, as everything that orders, packs or stores a batch asks for it again and again
    key: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.platform.value, self.platform_id))
        object.__setattr__(self, "occurred_at", require_aware(self.occurred_at, "occurred_at"))
        if self.kind is InteractionKind.COMMENT and self.content is None:
            raise InvalidInteractionError("content", "a comment must name the content it is on")
        if self.kind is InteractionKind.DM and self.content is not None:
            raise InvalidInteractionError("content", "a dm is not on any content")
        if self.kind is InteractionKind.DM and self.in_reply_to is not None:
            raise InvalidInteractionError(
                "in_reply_to", "a dm answers within its conversation, not in_reply_to a comment"
            )
        if self.kind is InteractionKind.COMMENT and self.conversation_id is not None:
            raise InvalidInteractionError("conversation_id", "a comment is in no dm conversation")
        if self.in_reply_to is not None and self.in_reply_to == self.platform_id:
            raise InvalidInteractionError("in_reply_to", "a comment cannot reply to itself")
        if (
            self.event is not None
            and self.kind is InteractionKind.COMMENT
            and self.in_reply_to != self.event.of
        ):
            raise InvalidInteractionError("in_reply_to", "a comment's event follows the comment")


@dataclass(frozen=True, slots=True)
class InboxInteraction:
    """What the inbox holds: the interaction as it was received, its inbox id, and when."""

    id: UUID
    data: WebhookInteraction
    received_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "received_at", require_aware(self.received_at, "received_at"))


@dataclass(frozen=True, slots=True)
class IngestedItem:
    platform_id: str
    id: UUID
    status: IngestStatus


@dataclass(frozen=True, slots=True)
class IngestResult:
    webhook_id: str
    replayed: bool
    items: tuple[IngestedItem, ...]


@dataclass(frozen=True, slots=True)
class InboxFilter:
    account_id: UUID
    kind: InteractionKind | None = None
    is_demo: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    in_reply_to: str | None = None  # the replies to this comment (its platform_id)
    conversation_id: str | None = None  # the messages of this DM conversation
    content: str | None = None  # the comments on this post or video (its platform_id)

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, require_aware(value, name))


@dataclass(frozen=True, slots=True)
class Thread:
    """A comment and every reply under it (replies to replies too), in time order."""

    comment: InboxInteraction
    replies: tuple[InboxInteraction, ...]


@dataclass(frozen=True, slots=True)
class Conversation:
    """A DM conversation as an inbox lists it: who it is with, how long, where it stands."""

    conversation_id: str
    person: Author | None  # who writes to the account (None: only the creator wrote yet)
    messages: int
    last_message: InboxInteraction


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    comments: int
    dms: int

    @property
    def total(self) -> int:
        return self.comments + self.dms


@dataclass(frozen=True, slots=True)
class ContentEngagement:
    platform_id: str
    title: str | None
    comments: int


@dataclass(frozen=True, slots=True)
class Insights:
    account_id: UUID
    since: datetime
    until: datetime
    totals: dict[InteractionKind, int]
    per_day: tuple[DayCount, ...]
    top_content: tuple[ContentEngagement, ...]
    intents: dict[str, int]
    sentiments: dict[str, int]
    demo: int
    replies: int = 0  # comments that answer a comment
    asked: int = 0  # fans' questions (comments) and fans' first DMs of a conversation
    answered: int = 0  # of those, how many the creator answered
    median_response_s: float | None = None  # from the ask to the creator's first answer
    languages: dict[str, int] = field(default_factory=dict)
    total: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", sum(self.totals.values()))

    @property
    def demo_share(self) -> float:
        return self.demo / self.total if self.total else 0.0

    @property
    def reply_share(self) -> float:
        comments = self.totals.get(InteractionKind.COMMENT, 0)
        return self.replies / comments if comments else 0.0

    @property
    def response_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


TOP_CONTENT = 10  # posts ranked in insights


def insights_window(now: datetime, days: int) -> tuple[datetime, datetime]:
    """The last `days` UTC calendar days, today included: from midnight days-1 ago to now."""
    since = datetime.combine(now.date() - timedelta(days=days - 1), time(), tzinfo=UTC)
    return since, now


def fill_days(since: date, until: date, counts: dict[date, DayCount]) -> tuple[DayCount, ...]:
    """Every day from since to until inclusive, zero where nothing happened."""
    days = (since + timedelta(days=n) for n in range((until - since).days + 1))
    return tuple(counts.get(day, DayCount(day, 0, 0)) for day in days)
