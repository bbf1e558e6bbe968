"""Recurring jobs: a cron evaluated in UTC, the slot a schedule fires next, and which slots
count as missed.

A slot is a point in time the cron names; each one runs at most once, because the job it
creates carries the slot's key and that key is unique. The schedule remembers the slot it
planned (`next_run_at`): when that time has passed, the latest slot is run if it is within the
grace period, and skipped otherwise, so a scheduler that was down runs what it missed once.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

from croniter import croniter

from app.domain.errors import DomainError
from app.domain.jobs import JobKind
from app.domain.time import require_aware


class InvalidCronError(DomainError):
    def __init__(self, expression: str, why: str) -> None:
        super().__init__(f"cron {expression!r} is not a valid cron expression: {why}")


@dataclass(frozen=True, slots=True)
class Cron:
    """Five fields (minute hour day month weekday), or six with seconds last; always UTC."""

    expression: str

    def __post_init__(self) -> None:
        fields = self.expression.split()
        if len(fields) not in (5, 6):
            raise InvalidCronError(self.expression, f"it has {len(fields)} fields, not 5 or 6")
        if not croniter.is_valid(self.expression):
            raise InvalidCronError(self.expression, "a field is out of range or malformed")
        object.__setattr__(self, "expression", " ".join(fields))

    def next_after(self, moment: datetime) -> datetime:
        """The first slot strictly after the moment."""
        # an aware UTC start keeps croniter in UTC whatever the machine's timezone
        start = require_aware(moment, "moment")
        found: datetime = croniter(self.expression, start).get_next(datetime)
        return found.astimezone(UTC)

    def latest_at_or_before(self, moment: datetime) -> datetime:
        start = require_aware(moment, "moment").replace(microsecond=0) + timedelta(seconds=1)
        found: datetime = croniter(self.expression, start).get_prev(datetime)
        return found.astimezone(UTC)


def slot_key(name: str, slot: datetime) -> str:
    """What makes a slot run at most once: stored, unique, on the job it creates."""
    return f"{name}@{require_aware(slot, 'slot').isoformat()}"


@dataclass(frozen=True, slots=True)
class Schedule:
    name: str
    cron: Cron
    job_kind: JobKind
    enabled: bool
    last_run_at: datetime | None
    next_run_at: datetime | None  # the slot planned next; None while disabled
    last_job_id: UUID | None
    updated_at: datetime

    def __post_init__(self) -> None:
        for name in ("last_run_at", "next_run_at", "updated_at"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, require_aware(value, name))

    def due_slot(self, now: datetime, grace: timedelta) -> datetime | None:
        """The slot to run now: the latest one, once the planned slot has passed, if it is
        not older than the grace period. None: nothing to run (yet, or any more)."""
        if not self.enabled or self.next_run_at is None or self.next_run_at > now:
            return None
        slot = self.cron.latest_at_or_before(now)
        if slot < self.next_run_at or now - slot > grace:
            return None
        return slot

    def planned(self, now: datetime) -> "Schedule":
        """Next slot after now; None while disabled."""
        upcoming = self.cron.next_after(now) if self.enabled else None
        if upcoming == self.next_run_at:
            return self
        return replace(self, next_run_at=upcoming, updated_at=now)

    def ran(self, at: datetime, job_id: UUID | None, now: datetime) -> "Schedule":
        """A slot (or a manual run) at `at` started job_id; slots up to now are behind us."""
        return replace(
            self,
            last_run_at=at,
            last_job_id=job_id or self.last_job_id,
            next_run_at=self.cron.next_after(max(at, now)) if self.enabled else None,
            updated_at=now,
        )

    def triggered(self, at: datetime, job_id: UUID) -> "Schedule":
        """A manual run: not a slot, so the plan stays as it was."""
        return replace(self, last_run_at=at, last_job_id=job_id, updated_at=at)

    def changed(self, now: datetime, enabled: bool | None, cron: Cron | None) -> "Schedule":
        """Paused, resumed or re-timed: the plan starts again from now."""
        updated = replace(
            self,
            enabled=self.enabled if enabled is None else enabled,
            cron=cron or self.cron,
            updated_at=now,
        )
        if updated.enabled == self.enabled and updated.cron == self.cron:
            return self
        return replace(updated, next_run_at=None).planned(now)
