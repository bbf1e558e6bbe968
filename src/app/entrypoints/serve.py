"""`demosim serve`: the whole service on this machine until Ctrl-C.

The API (gunicorn), one worker and the scheduler, as child processes, against the embedded
PostgreSQL and Redis under DEMOSIM_HOME (the data `make demo` left) or the given servers. The
token and secret come from the environment or DEMOSIM_HOME/credentials (made once, mode 0600).
Metrics from every process are added up in DEMOSIM_HOME/metrics (prometheus-client's
multiprocess mode), emptied at each start. Ctrl-C or SIGTERM stops every child, then the
embedded servers.
"""

import re
import shutil
import signal
import subprocess
import sys
import time
from types import FrameType

import requests
from rich.console import Console

from app.bootstrap import bootstrap, servers
from app.config import CREDENTIALS_FILE, Settings, with_stored_credentials
from app.entrypoints.processes import CLI, ChildFailed, child_env, port_taken, stop_all, wait_ready


class _Stop(Exception):
    pass


def serve(settings: Settings, host: str, port: int, web_workers: int) -> int:
    console = Console(width=None if sys.stdout.isatty() else 200)  # piped: whole lines
    if port_taken(host, port):
        console.print(f"[red]demosim serve:[/] {host}:{port} is in use; give another --port")
        return 2
    settings = with_stored_credentials(settings)
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - where to look
    base = f"http://{local}:{port}"
    for stop in (signal.SIGINT, signal.SIGTERM):  # also where a shell started it ignoring SIGINT
        signal.signal(stop, _raise_stop)
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            container.migrate()
        finally:
            container.close()
        metrics = settings.home / "metrics"
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir(parents=True)
        env = child_env(resolved, base, PROMETHEUS_MULTIPROC_DIR=str(metrics.resolve()))
        log = open(settings.home / "serve.log", "ab")  # noqa: SIM115 - closed below
        gunicorn = [
            sys.executable, "-m", "gunicorn", "--workers", str(web_workers), "--bind",
            f"{host}:{port}", "--graceful-timeout", "10", "app.entrypoints.http.wsgi:create()",
        ]  # fmt: skip
        procs: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name, command in (
                ("the API", gunicorn),
                ("the worker", [*CLI, "worker"]),
                ("the scheduler", [*CLI, "scheduler"]),
            ):
                procs[name] = subprocess.Popen(command, env=env, stdout=log, stderr=log)
            wait_ready(base, procs, log.name)
            _banner(console, base, settings, log.name)
            repoint_reference_app(console, base, resolved)
            while True:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        raise ChildFailed(f"{name} exited with {proc.returncode}; see {log.name}")
                time.sleep(0.5)
        except (KeyboardInterrupt, _Stop):
            console.print("stopping…")
            return 0
        except ChildFailed as exc:
            console.print(f"[red]demosim serve:[/] {exc}")
            return 1
        finally:
            stop_all(list(procs.values()))
            log.close()
            console.print("stopped: the API, the worker and the scheduler")


def _banner(console: Console, base: str, settings: Settings, log: str) -> None:
    source = (
        "DEMOSIM_API_TOKEN"
        if settings.api_token and not (settings.home / CREDENTIALS_FILE).exists()
        else f"DEMOSIM_API_TOKEN in {settings.home / CREDENTIALS_FILE}"
    )
    console.print(f"[green]✓[/] demosim is serving at {base}")
    console.print(
        f"  dashboard: {base}/dashboard   API docs: {base}/docs   metrics: {base}/metrics (bearer)"
    )
    console.print(f"  sign in with the API token: {settings.api_token}")
    console.print(f"  (it is {source}; the same token is the API's bearer token)")
    console.print(f"  logs: {log}   stop: Ctrl-C")


REFERENCE_HOST = re.compile(r"^http://(127\.0\.0\.1|localhost):\d+/webhooks/(meta|tiktok|x)$")


def repoint_reference_app(console: Console, base: str, settings: Settings) -> None:
    """A Meta, TikTok or X app whose callback is this machine's reference host on another port
    (what `make demo-native` registered, its API gone with it) is pointed at this one, through
    the family's handshake like any registration, so the demo's native accounts keep reaching
    the dashboard's inbox. A host's own app is left as it is."""
    auth = {"Authorization": f"Bearer {settings.api_token}"}
    secret, token = settings.reference_meta_app()
    key, client_secret = settings.reference_tiktok_app()
    own = {
        "meta": {"secret": secret, "verify_token": token},
        "tiktok": {"secret": client_secret, "client_key": key},
        "x": {"secret": settings.reference_x_app()},
    }
    for family, app in own.items():
        found = requests.get(f"{base}/api/v1/apps/{family}", headers=auth, timeout=30)
        here = f"{base}/webhooks/{family}"
        if found.status_code != 200:
            continue
        callback = found.json()["callback_url"]
        if callback == here or not REFERENCE_HOST.match(callback):
            continue
        moved = requests.put(
            f"{base}/api/v1/apps/{family}", json={"callback_url": here, **app}, headers=auth,
            timeout=30,
        )  # fmt: skip
        name = {"meta": "Meta", "tiktok": "TikTok", "x": "X"}[family]
        if moved.status_code == 200:
            console.print(f"  the {name} app's callback moved from {callback} to {here}")
        else:
            console.print(f"  [yellow]the {name} app still points at {callback}:[/] {moved.text}")


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop()
