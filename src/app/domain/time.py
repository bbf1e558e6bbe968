from datetime import UTC, datetime

from app.domain.errors import NaiveDatetimeError


def require_aware(value: datetime, field: str) -> datetime:
    """Reject naive datetimes and normalise aware ones to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(field)
    return value.astimezone(UTC)
