"""Schedules."""

from app.domain.schedules import Schedule
from fakes.store import MemoryStore


class MemoryScheduleRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows = store.schedules

    def list(self) -> list[Schedule]:
        return sorted(self._rows.values(), key=lambda s: s.name)

    def get(self, name: str, *, lock: bool = False) -> Schedule | None:
        return self._rows.get(name)

    def save(self, schedule: Schedule) -> None:
        if schedule.name in self._rows:
            self._rows[schedule.name] = schedule
