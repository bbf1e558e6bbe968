"""Test doubles and helpers for integration tests that are not fixtures."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest
from flask import Flask

from app.config import Settings
from helpers import WEBHOOK_SECRET

HEARTBEAT_TIMEOUT_S = 2


class ControllableReceiver:
    """The real receiver behind a switch: tests hold its requests, or make it fail with a
    status."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.fail_with: int | None = None
        self.retry_after: str | None = None
        self.requests = 0
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        self._held_after: int | None = None
        self.url = ""

    def hold_after(self, n: int) -> None:
        """Requests after the n-th wait (a job stays mid-run) until `release`."""
        self._held_after = n
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] == "/webhooks/interactions":
            with self._lock:
                self.requests += 1
                number = self.requests
            if self._held_after is not None and number > self._held_after:
                self._open.wait(timeout=120)
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


FINAL = ("succeeded", "failed", "cancelled")


def final_job(client: Any, auth: dict[str, str], location: str, timeout: float = 60) -> Any:
    """The job at `location` (its API URL) once it has ended, whichever way: the test says
    which end it expects."""
    return wait_for(
        lambda: (j := client.get(location, headers=auth).get_json())["status"] in FINAL and j,
        timeout,
        f"the job at {location} to end",
    )


class Workers:
    """`demosim worker` (or another long-running command) as processes of their own."""

    def __init__(
        self,
        settings: Settings,
        receiver: ControllableReceiver,
        logs: Path,
        command: str = "worker",
    ) -> None:
        self.settings, self.receiver, self.logs = settings, receiver, logs
        self.command = command
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str, **extra_env: str) -> subprocess.Popen[bytes]:
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DATABASE_", "REDIS_", "WEBHOOK_"))
            },
            "DATABASE_URL": self.settings.database_url or "",
            "REDIS_URL": self.settings.redis_url or "",
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_TARGET_URL": self.receiver.url,
            "DELIVERY_BATCH_SIZE": "10",
            "JOB_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT_S),
            **extra_env,
        }
        log = open(self.logs / f"{self.command}-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.entrypoints.cli", self.command, *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process and any child it has (a worker runs its jobs in-process)."""
        children = psutil.Process(proc.pid).children(recursive=True)
        for process in [*children, psutil.Process(proc.pid)]:
            process.kill()
        psutil.wait_procs(children, timeout=30)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # warm shut down: the current job finishes
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.kill(proc)

    def log_text(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")[-3000:] for p in sorted(self.logs.glob("*.log"))
        )


def native_account(
    client: Any, auth: dict[str, str], workers: Workers, platform: str, sizes: dict[str, int]
) -> dict[str, Any]:
    """A native account of the platform enabled through the API (its app, where the family
    has one, registered before), its initial batch run by the workers to success: the enable
    answer's body (`account_id`, `native` with `user_id` and `access_token`)."""
    enable = {"platform": platform, "delivery": "native", "sizes": sizes}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=enable, headers=auth)
    assert put.status_code == 202, put.get_json()
    workers.start()
    done = final_job(client, auth, put.headers["Location"], timeout=120)
    assert done["status"] == "succeeded", done
    body: dict[str, Any] = put.get_json()
    return body


def command_env(settings: Settings, receiver: ControllableReceiver, home: Path) -> dict[str, str]:
    """What a `demosim` command run as a subprocess needs to reach the test's servers and
    deliver to the receiver (its DEMOSIM_HOME a folder of the test's)."""
    assert settings.database_url is not None
    assert settings.redis_url is not None
    return {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBHOOK_TARGET_URL": receiver.url,
        "DEMOSIM_HOME": str(home),
    }
