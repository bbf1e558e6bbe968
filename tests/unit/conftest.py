import socket

import pytest


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests run on in-memory adapters: reaching PostgreSQL or Redis fails loudly."""

    def refuse(*_: object, **__: object) -> None:
        raise OSError("unit tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
