import socket
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Unit tests run on in-memory adapters: any attempt to reach PostgreSQL or Redis fails loudly."""

    def refuse(*_: object, **__: object) -> None:
        raise OSError("unit tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield
