"""Platform apps."""

from dataclasses import replace

from app.domain.apps import Family, PlatformApp
from fakes.store import MemoryStore


class MemoryAppRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows = store.apps

    def get(self, family: Family) -> PlatformApp | None:
        return self._rows.get(family)

    def list(self) -> list[PlatformApp]:
        return [self._rows[f] for f in sorted(self._rows, key=lambda f: f.value)]

    def save(self, app: PlatformApp) -> PlatformApp:
        before = self._rows.get(app.family)
        saved = replace(app, created_at=before.created_at) if before is not None else app
        self._rows[app.family] = saved
        return saved

    def remove(self, family: Family) -> bool:
        return self._rows.pop(family, None) is not None
