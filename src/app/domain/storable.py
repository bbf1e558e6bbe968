"""What PostgreSQL can hold, as rules on values from outside: instants and text."""

from datetime import datetime

from app.domain.errors import InstantOutOfRangeError
from app.domain.time import EARLIEST, LATEST, require_aware


def require_storable(value: datetime, field: str) -> datetime:
    """An aware instant, in UTC, within [EARLIEST, LATEST): what input from outside may carry."""
    at = require_aware(value, field)
    if not EARLIEST <= at < LATEST:
        raise InstantOutOfRangeError(field, EARLIEST, LATEST)
    return at


def unstorable_text(value: str) -> str | None:
    """Why PostgreSQL could not store this text, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL characters (U+0000)"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "must not contain lone surrogates (U+D800 to U+DFFF); send valid UTF-16 pairs"
    return None
