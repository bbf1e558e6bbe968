"""Which database failures are worth another attempt: the connection, not the request."""

from sqlalchemy import exc as sa

# SQLSTATEs that say "the server, not your statement": serialization failure, deadlock,
# shutdowns and restarts, too many connections; class 08 is connection exceptions
_TRANSIENT_STATES = {"40001", "40P01", "57P01", "57P02", "57P03", "53300"}


def is_transient(error: BaseException) -> bool:
    """A lost connection, a restarting server, a serialization failure or deadlock, a full
    pool: another attempt can succeed. Anything else (a bug, bad data) is permanent."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa.DBAPIError):
            state = getattr(current.orig, "pgcode", None) or ""
            if (
                current.connection_invalidated
                or state in _TRANSIENT_STATES
                or state.startswith("08")
                or isinstance(current, sa.OperationalError | sa.InterfaceError)
            ):
                return True
        if isinstance(current, sa.TimeoutError):  # no connection free in the pool in time
            return True
        current = current.__cause__  # raised from one: a wrapper of a transient failure
    return False
