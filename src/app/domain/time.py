from datetime import UTC, datetime

from app.domain.errors import InstantOutOfRangeError, NaiveDatetimeError

# the instants demosim accepts from outside: wide enough for any real event, and far inside
# what PostgreSQL and Python can hold after any UTC offset is applied
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive


def require_aware(value: datetime, field: str) -> datetime:
    """Reject naive datetimes and normalise aware ones to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(field)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # an offset pushed the instant past year 1 or 9999
        raise InstantOutOfRangeError(field, EARLIEST, LATEST) from None
