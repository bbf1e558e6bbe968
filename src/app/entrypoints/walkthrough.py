"""`demosim demo`: the whole product once, end to end, for a newcomer.

Migrates, starts the API and a worker (embedded PostgreSQL and Redis unless URLs are given),
enables demo mode for sample accounts, shows a progress bar per phase, and ends with a summary
of what was generated, delivered and received, and samples as they landed in the inbox. It
stops everything it started, and exits non-zero when anything failed.
"""

import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import requests
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.bootstrap import bootstrap, servers
from app.config import Settings, with_stored_credentials
from app.domain.demo import Persona
from app.entrypoints.processes import CLI, ChildFailed, child_env, free_port, stop_all, wait_ready

PHASES = ("content", "comments", "dms", "deliver")
FINAL = ("succeeded", "failed", "cancelled")


class DemoFailed(Exception):
    pass


def run_demo(settings: Settings, accounts: int) -> int:
    console = Console()
    started_at, started = datetime.now(UTC), time.monotonic()
    settings = with_stored_credentials(settings)  # the ones `make serve` signs in with
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            container.migrate()
            console.print("[green]✓[/] database migrated")
            try:
                with _processes(resolved, console) as api:
                    summary = _exercise(console, api, resolved.api_token or "", accounts)
            except DemoFailed as exc:
                console.print(f"[red]demo failed:[/] {exc}")
                return 1
            received, created = container.queries.received_since(started_at)
        finally:
            container.close()
    summary["duplicates"] = received - created
    summary["wall time"] = f"{time.monotonic() - started:.1f} s"
    return _report(console, summary)


@contextmanager
def _processes(settings: Settings, console: Console) -> Iterator[str]:
    """The API and one worker, as their own processes, for the block; yields the API's URL."""
    base = f"http://127.0.0.1:{free_port()}"
    env = child_env(settings, base)
    settings.home.mkdir(parents=True, exist_ok=True)
    log = open(settings.home / "demo.log", "ab")  # noqa: SIM115 - closed below
    port = base.rsplit(":", 1)[1]
    procs = {
        "the API": subprocess.Popen([*CLI, "api", "--port", port], env=env, stdout=log, stderr=log),
        "the worker": subprocess.Popen([*CLI, "worker"], env=env, stdout=log, stderr=log),
    }
    try:
        try:
            wait_ready(base, procs, log.name)
        except ChildFailed as exc:
            raise DemoFailed(str(exc)) from None
        console.print(f"[green]✓[/] API at {base} and a worker started (logs: {log.name})")
        yield base
    finally:
        stop_all(list(procs.values()))
        log.close()


def _exercise(console: Console, base: str, token: str, accounts: int) -> dict[str, Any]:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    personas = list(Persona)
    jobs: dict[uuid.UUID, tuple[str, dict[str, int]]] = {}
    for n in range(accounts):
        account = uuid.uuid4()
        response = http.put(
            f"{base}/api/v1/accounts/{account}/demo",
            json={"persona": personas[n % len(personas)].value},
            timeout=30,
        )
        if response.status_code != 202:
            raise DemoFailed(f"enabling demo mode answered {response.status_code}: {response.text}")
        sizes = response.json()["profile"]["sizes"]
        sizes = {**sizes, "deliver": sizes["comments"] + sizes["dms"]}
        jobs[account] = (f"{base}{response.headers['Location']}", sizes)
    console.print(f"[green]✓[/] demo mode on for {accounts} account(s); the initial batch runs")

    final = _follow(console, http, jobs)
    failed = {a: j for a, j in final.items() if j["status"] != "succeeded"}
    states = {a: http.get(f"{base}/api/v1/accounts/{a}/demo", timeout=30).json() for a in jobs}
    first = next(iter(jobs))
    samples = {
        kind: http.get(
            f"{base}/api/v1/accounts/{first}/interactions",
            params={"kind": kind, "limit": str(limit)},
            timeout=30,
        ).json()["items"]
        for kind, limit in (("comment", 5), ("dm", 3))
    }
    counts = [s["counts"] for s in states.values()]
    generated = sum(c["content"] for c in counts), sum(c["comments"] for c in counts)
    dms = sum(c["dms"] for c in counts)
    return {
        "generated": f"{generated[0]:,} content, {generated[1]:,} comments, {dms:,} DMs",
        "delivered": sum(c["delivery"].get("sent", 0) for c in counts),
        "received at the inbox": sum(c["received"] for c in counts),
        "failures": sum(c["delivery"].get("failed", 0) for c in counts) + len(failed),
        "expected": generated[1] + dms,
        "failed jobs": {str(a): j["error"] or j["status"] for a, j in failed.items()},
        "samples": samples,
    }


def _follow(
    console: Console, http: requests.Session, jobs: dict[uuid.UUID, tuple[str, dict[str, int]]]
) -> dict[uuid.UUID, dict[str, Any]]:
    """A bar per phase, summed over the accounts' jobs, until every job has finished."""
    latest: dict[uuid.UUID, dict[str, Any]] = {}
    columns = (
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    totals = {phase: sum(sizes[phase] for _, sizes in jobs.values()) for phase in PHASES}
    with Progress(*columns, console=console) as progress:
        bars = {phase: progress.add_task(phase, total=totals[phase] or 1) for phase in PHASES}
        while len(latest) < len(jobs) or any(j["status"] not in FINAL for j in latest.values()):
            done = dict.fromkeys(PHASES, 0)
            for account, (url, sizes) in jobs.items():
                job = latest[account] = http.get(url, timeout=30).json()
                current = PHASES.index(job["phase"]) if job["phase"] in PHASES else 0
                for i, phase in enumerate(PHASES):
                    if job["status"] == "succeeded" or i < current:
                        done[phase] += sizes[phase]
                    elif i == current:
                        done[phase] += job["progress"]["done"]
            for phase in PHASES:
                progress.update(bars[phase], completed=min(done[phase], totals[phase]))
            time.sleep(0.3)
    return latest


def _report(console: Console, summary: dict[str, Any]) -> int:
    for kind, title in (("comment", "Comments"), ("dm", "DMs")):
        table = Table(title=f"{title} as they landed in the inbox")
        for column in ("when", "from", "text", "intent", "sentiment"):
            table.add_column(column)
        for item in summary["samples"][kind]:
            table.add_row(
                item["occurred_at"][:16].replace("T", " "),
                item["author"]["handle"],
                item["text"],
                item["intent"],
                item["sentiment"],
            )
        console.print(table)
    table = Table(title="Summary", show_header=False)
    for label in ("generated", "delivered", "received at the inbox", "duplicates", "failures",
                  "wall time"):  # fmt: skip
        value = summary[label]
        table.add_row(label, f"{value:,}" if isinstance(value, int) else str(value))
    table.add_row("next", "`make serve`, then open http://127.0.0.1:8000/dashboard")
    console.print(table)
    problems = [f"job of account {a}: {e}" for a, e in summary["failed jobs"].items()]
    if summary["received at the inbox"] != summary["expected"]:
        problems.append(
            f"the inbox holds {summary['received at the inbox']:,} of "
            f"{summary['expected']:,} generated interactions"
        )
    if summary["failures"] and not problems:
        problems.append(f"{summary['failures']:,} interactions were not delivered")
    for problem in problems:
        console.print(f"[red]✗[/] {problem}")
    return 1 if problems else 0
