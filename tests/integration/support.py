"""Test doubles and helpers for integration tests that are not fixtures."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask


class ControllableReceiver:
    """The real receiver behind a switch: tests make it slow, or fail with a status."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.fail_with: int | None = None
        self.retry_after: str | None = None
        self.delay = 0.0
        self.requests = 0
        self._lock = threading.Lock()
        self.url = ""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] == "/webhooks/interactions":
            with self._lock:
                self.requests += 1
            if self.delay:
                time.sleep(self.delay)
            if self.fail_with is not None:
                headers = [("Content-Type", "text/plain")]
                if self.retry_after:
                    headers.append(("Retry-After", self.retry_after))
                start_response(f"{self.fail_with} Told To Fail", headers)
                return [b"receiver is down"]
        return self.app(environ, start_response)


def wait_for(condition: Callable[[], Any], timeout: float = 60, what: str = "condition") -> Any:
    """Poll until condition() is truthy; its value, or a failure naming what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
