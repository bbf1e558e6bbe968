"""Keyset cursors: opaque to clients, a (timestamp, id) position to repositories."""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from app.domain.errors import DomainError, InvalidCursorError
from app.domain.storable import require_storable

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cursor:
    """The last item a page showed; the next page starts strictly after it."""

    at: datetime
    id: UUID

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", require_storable(self.at, "cursor"))

    def encode(self) -> str:
        raw = json.dumps([self.at.isoformat(), str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            at, id_ = json.loads(raw)
            return cls(at=datetime.fromisoformat(at), id=UUID(id_))
        except (binascii.Error, ValueError, TypeError, DomainError) as exc:
            raise InvalidCursorError() from exc


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_cursor: Cursor | None


def page_of(
    found: Sequence[T], limit: int, position: Callable[[T], tuple[datetime, UUID]]
) -> Page[T]:
    """`found`: up to limit + 1 items in page order; an extra one means there is a next page,
    which starts after the last item shown."""
    items = tuple(found[:limit])
    if len(found) <= limit:
        return Page(items, None)
    at, id_ = position(items[-1])
    return Page(items, Cursor(at, id_))
