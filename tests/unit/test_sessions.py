"""Dashboard sessions on in-memory adapters: what a cookie's secret opens, and for how long."""

from datetime import UTC, datetime, timedelta

from app.domain.sessions import SessionRules, session_id
from app.services.sessions import SessionService
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import FixedClock

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
RULES = SessionRules(idle=timedelta(minutes=30), lifetime=timedelta(hours=2))


def sessions(store: MemoryStore, clock: FixedClock) -> SessionService:
    return SessionService(lambda: MemoryUnitOfWork(store), clock, RULES)


def test_a_session_opens_and_only_its_digest_is_stored() -> None:
    store, clock = MemoryStore(), FixedClock(T0)
    secret = sessions(store, clock).open()
    assert list(store.sessions) == [session_id(secret)]
    assert secret not in store.sessions
    assert sessions(store, clock).check(secret)
    assert not sessions(store, clock).check(secret + "x")


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie() -> None:
    store, clock = MemoryStore(), FixedClock(T0)
    secret = sessions(store, clock).open()
    other = sessions(store, clock).open()
    sessions(store, clock).close(secret)
    assert not sessions(store, clock).check(secret)
    assert sessions(store, clock).check(other)  # another sign-in is not touched


def test_use_keeps_a_session_alive_until_its_lifetime_and_idling_ends_it() -> None:
    store, clock = MemoryStore(), FixedClock(T0)
    used, idle = sessions(store, clock).open(), sessions(store, clock).open()
    for minutes in range(20, 120, 20):  # used every 20 minutes: alive past the idle limit
        clock.at = T0 + timedelta(minutes=minutes)
        assert sessions(store, clock).check(used), minutes
    assert not sessions(store, clock).check(idle)  # unused for 100 minutes
    assert session_id(idle) not in store.sessions  # and cleared
    clock.at = T0 + RULES.lifetime
    assert not sessions(store, clock).check(used)  # used, but signed in 2 hours ago


def test_opening_a_session_clears_the_ended_ones() -> None:
    store, clock = MemoryStore(), FixedClock(T0)
    stale = sessions(store, clock).open()
    clock.at = T0 + RULES.idle
    fresh = sessions(store, clock).open()
    assert set(store.sessions) == {session_id(fresh)}
    assert not sessions(store, clock).check(stale)
