"""Demo mode: an account's demo profile, its generated content, and the sizes of a batch."""

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.errors import DomainError
from app.domain.inbox import Platform
from app.domain.jobs import Job
from app.domain.platforms import native_id, tiktok_open_id, x_id, youtube_id
from app.domain.time import require_aware


class Persona(enum.StrEnum):
    TECH_REVIEWS = "tech_reviews"
    FITNESS = "fitness"
    COOKING = "cooking"
    TRAVEL = "travel"
    BEAUTY = "beauty"
    GAMING = "gaming"


class DmFrequency(enum.StrEnum):
    """DM rates in the ratio 5 : 20 : 50 (0.25, 1 and 2.5 times medium)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def initial_dms(self) -> int:
        return {"low": 25, "medium": 100, "high": 250}[self.value]

    @property
    def dms_per_tick(self) -> int:
        return {"low": 1, "medium": 5, "high": 12}[self.value]


DEFAULT_CONTENT = 35
DEFAULT_COMMENTS = 920
MAX_CONTENT = 500
MAX_COMMENTS = 50_000
MAX_DMS = 10_000


class InvalidHistoryError(DomainError):
    """A backfill of more days than demo data is kept, or fewer than one."""


class InvalidSizesError(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class DemoSizes:
    content: int = DEFAULT_CONTENT
    comments: int = DEFAULT_COMMENTS
    dms: int = DmFrequency.MEDIUM.initial_dms

    def __post_init__(self) -> None:
        for name, value, most in (
            ("content", self.content, MAX_CONTENT),
            ("comments", self.comments, MAX_COMMENTS),
            ("dms", self.dms, MAX_DMS),
        ):
            if not 0 <= value <= most:
                raise InvalidSizesError(f"sizes.{name} must be between 0 and {most}, got {value}")
        if self.comments and not self.content:
            raise InvalidSizesError("sizes.comments needs content to be on: sizes.content is 0")


def default_seed(account_id: UUID) -> int:
    """Same account, same demo, unless a seed is given."""
    return account_id.int % 2**31


class Delivery(enum.StrEnum):
    """How an account's items reach the host: demosim's own signed webhook format, or the
    platform's own webhooks and API (SPEC.md "Platform emulation")."""

    DEMOSIM = "demosim"
    NATIVE = "native"


@dataclass(frozen=True, slots=True)
class NativeAccount:
    """What a host uses for a native account: the platform's id for it (the IG user id) and
    the access token the emulated API takes."""

    user_id: str
    access_token: str


def native_user_id(account_id: UUID, platform: Platform = Platform.INSTAGRAM) -> str:
    """The account's id on its platform (an IG user id, a Page's, a YouTube channel's
    "UC…", a TikTok account's open_id "act.…", an X user's Snowflake): the same in every
    process."""
    if platform is Platform.YOUTUBE:
        return youtube_id("UC", f"channel\x1f{account_id}", 22)
    if platform is Platform.TIKTOK:
        return tiktok_open_id(str(account_id))
    if platform is Platform.X:
        return x_id(f"user\x1f{account_id}")
    return native_id("ig-user", str(account_id))


@dataclass(frozen=True, slots=True)
class DemoProfile:
    account_id: UUID
    platform: Platform
    persona: Persona
    dm_frequency: DmFrequency
    seed: int
    locale: str
    sizes: DemoSizes
    enabled_at: datetime | None  # None: demo mode is off
    delivery: Delivery = Delivery.DEMOSIM
    access_token: str | None = None  # native accounts': what the emulated API takes
    # its past backfilled up to here: the live ticks after it begin here, not before
    history_until: datetime | None = None

    def __post_init__(self) -> None:
        if self.enabled_at is not None:
            object.__setattr__(self, "enabled_at", require_aware(self.enabled_at, "enabled_at"))
        if self.history_until is not None:
            object.__setattr__(
                self, "history_until", require_aware(self.history_until, "history_until")
            )

    @property
    def native(self) -> NativeAccount | None:
        if self.delivery is not Delivery.NATIVE or self.access_token is None:
            return None
        return NativeAccount(native_user_id(self.account_id, self.platform), self.access_token)

    @property
    def enabled(self) -> bool:
        return self.enabled_at is not None


@dataclass(frozen=True, slots=True)
class Content:
    """A generated video or post; comments are spread over these."""

    account_id: UUID
    platform_id: str
    title: str
    published_at: datetime
    target_comments: int
    comments_count: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "published_at", require_aware(self.published_at, "published_at"))


@dataclass(frozen=True, slots=True)
class DemoCounts:
    content: int
    comments: int
    dms: int
    delivery: dict[str, int]  # outbox rows by delivery status: items and events
    received: int  # is_demo rows in the account's inbox
    events: int = 0  # a native account's lifecycle events among the outbox rows


@dataclass(frozen=True, slots=True)
class DemoState:
    """An account's demo as its owner sees it: the profile, what exists, the latest job."""

    profile: DemoProfile
    counts: DemoCounts
    job: Job | None
