"""What a database would hold, in memory; shared by every unit of work made for it."""

from dataclasses import dataclass, field
from uuid import UUID

from app.domain.apps import Family, PlatformApp
from app.domain.delivery import Attempt, OutboxInteraction
from app.domain.demo import Content, DemoProfile
from app.domain.inbox import (
    InboxInteraction,
)
from app.domain.jobs import Job
from app.domain.schedules import Schedule
from app.domain.sessions import DashboardSession


@dataclass
class MemoryStore:
    """What a database would hold; shared by every unit of work made for it."""

    inbox: dict[tuple[str, str], InboxInteraction] = field(default_factory=dict)
    webhook_receipts: set[str] = field(default_factory=set)
    jobs: dict[UUID, Job] = field(default_factory=dict)
    idempotency_keys: dict[str, tuple[str, UUID]] = field(default_factory=dict)
    outbox: dict[tuple[str, str], OutboxInteraction] = field(default_factory=dict)
    scenario_runs: dict[tuple[str, str], UUID] = field(default_factory=dict)  # outbox key → run
    demo_profiles: dict[UUID, DemoProfile] = field(default_factory=dict)
    contents: dict[tuple[str, str], Content] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    sessions: dict[str, DashboardSession] = field(default_factory=dict)
    attempts: dict[int, Attempt] = field(default_factory=dict)  # by id, in the order recorded
    apps: dict[Family, PlatformApp] = field(default_factory=dict)
