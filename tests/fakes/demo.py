"""Demo profiles and their content."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from app.domain.demo import Content, DemoProfile
from app.domain.inbox import (
    Platform,
)
from fakes.store import MemoryStore


class MemoryDemoRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def get(self, account_id: UUID) -> DemoProfile | None:
        return self._store.demo_profiles.get(account_id)

    def enable(self, profile: DemoProfile, now: datetime) -> DemoProfile | None:
        existing = self._store.demo_profiles.get(profile.account_id)
        if existing is not None and existing.enabled:
            return None
        fresh = replace(profile, history_until=None)  # a new demo: no history of the one before
        self._store.demo_profiles[profile.account_id] = fresh
        return fresh

    def disable(self, account_id: UUID, now: datetime) -> DemoProfile | None:
        existing = self._store.demo_profiles.get(account_id)
        if existing is None:
            return None
        disabled = replace(existing, enabled_at=None)
        self._store.demo_profiles[account_id] = disabled
        return disabled

    def fill_history(self, account_id: UUID, until: datetime, now: datetime) -> DemoProfile | None:
        existing = self._store.demo_profiles.get(account_id)
        if existing is None or not existing.enabled:
            return None
        filled = replace(existing, history_until=max(existing.history_until or until, until))
        self._store.demo_profiles[account_id] = filled
        return filled

    def add_content(self, items: Sequence[Content], platform: Platform, now: datetime) -> int:
        added = 0
        for item in items:
            if (platform.value, item.platform_id) not in self._store.contents:
                self._store.contents[(platform.value, item.platform_id)] = item
                added += 1
        return added

    def count_comments(self, platform: Platform, per_content: Mapping[str, int]) -> None:
        for platform_id, n in per_content.items():
            key = (platform.value, platform_id)
            if key in self._store.contents:
                content = self._store.contents[key]
                self._store.contents[key] = replace(
                    content, comments_count=content.comments_count + n
                )

    def enabled_accounts(self, enabled_before: datetime) -> list[UUID]:
        return sorted(
            p.account_id
            for p in self._store.demo_profiles.values()
            if p.enabled_at is not None and p.enabled_at <= enabled_before
        )

    def profiles(self, account_ids: Sequence[UUID]) -> list[DemoProfile]:
        wanted = set(account_ids)
        found = [p for p in self._store.demo_profiles.values() if p.account_id in wanted]
        return sorted(found, key=lambda p: p.account_id)

    def content_of(self, account_ids: Sequence[UUID]) -> list[Content]:
        wanted = set(account_ids)
        found = [c for c in self._store.contents.values() if c.account_id in wanted]
        return sorted(found, key=lambda c: (c.account_id, c.published_at))
