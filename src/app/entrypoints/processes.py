"""Child processes for the commands that run the product (`demosim demo`, `demosim serve`):
the environment that points them at the same servers, waiting until the API answers, and
stopping every one of them."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

import requests

from app.config import Settings

CLI = (sys.executable, "-m", "app.entrypoints.cli")


class ChildFailed(Exception):
    pass


def child_env(settings: Settings, base: str, **more: str) -> dict[str, str]:
    """The resolved servers, credentials and this API's receiver, for a child process."""
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "DEMOSIM_API_TOKEN": settings.api_token or "",
        "WEBHOOK_SECRET": settings.webhook_secret or "",
        "WEBHOOK_TARGET_URL": f"{base}/webhooks/interactions",
        **more,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def port_taken(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


def wait_ready(
    base: str, procs: Mapping[str, subprocess.Popen[bytes]], log: str, seconds: float = 60
) -> None:
    """Until the API's /readyz answers 200; a child that exits meanwhile is a failure."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise ChildFailed(f"{name} exited with {proc.returncode}; see {log}")
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not up yet, or busy starting
            pass
        time.sleep(0.2)
    raise ChildFailed(f"the API was not ready within {seconds:.0f} s; see {log}")


def stop_all(procs: Sequence[subprocess.Popen[bytes]], grace: float = 30) -> None:
    """SIGTERM to each (a worker hands its job back), then wait; whatever hangs is killed."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
