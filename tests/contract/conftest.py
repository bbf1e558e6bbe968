"""Each contract test runs twice: on the in-memory fakes and on PostgreSQL."""

from collections.abc import Callable

import pytest

from app.bootstrap import Container
from app.services.ports import UnitOfWork
from fakes.memory import MemoryStore, MemoryUnitOfWork

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=["memory", "postgresql"])
def uow(request: pytest.FixtureRequest, container: Container) -> UowFactory:
    """A unit-of-work factory over empty tables (the seeded schedules but), of either kind."""
    if request.param == "postgresql":
        return container.uow
    store = MemoryStore()
    with container.uow() as sql:
        store.schedules = {s.name: s for s in sql.schedules.list()}
    return lambda: MemoryUnitOfWork(store)
