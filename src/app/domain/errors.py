from datetime import datetime


class DomainError(Exception):
    """A rule of the product was broken; the message says which, for a person to act on."""


class NaiveDatetimeError(DomainError):
    def __init__(self, field: str) -> None:
        super().__init__(
            f"{field} must be timezone-aware (RFC 3339 with an offset), got a naive datetime"
        )
        self.field = field


class InstantOutOfRangeError(DomainError):
    def __init__(self, field: str, earliest: datetime, latest: datetime) -> None:
        super().__init__(
            f"{field} must lie from {earliest.isoformat()} up to (not including) "
            f"{latest.isoformat()} once converted to UTC"
        )
        self.field = field


class InvalidInteractionError(DomainError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidCursorError(DomainError):
    def __init__(self) -> None:
        super().__init__("cursor is not one this API handed out")


class NotFoundError(DomainError):
    pass


class IdempotencyKeyReusedError(DomainError):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used with a different request body; "
            "use a new key for a new request"
        )
