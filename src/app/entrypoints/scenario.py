"""`demosim scenario`: the shipped scenarios, a run started against a demo account (its
items then arrive on the scenario's curve, delivered by the worker as they come due), and
stopping a run."""

import argparse
import sys
import time
import uuid
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from app.bootstrap import bootstrap, scenario_book, servers
from app.config import Settings, with_stored_credentials
from app.domain.errors import DomainError
from app.domain.jobs import JobStatus
from app.domain.scenarios import scenario_of, typed, valid_paths


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    scenario = commands.add_parser(
        "scenario", help="named scenarios: list them, run one on a demo account, stop a run"
    )
    actions = scenario.add_subparsers(dest="scenario_command", required=True)
    listed = actions.add_parser("list", help="the shipped scenarios (no servers needed)")
    listed.add_argument("--paths", metavar="NAME", help="the paths an override of NAME may set")
    listed.set_defaults(run=_list)
    run = actions.add_parser("run", help="run a scenario on a demo account")
    run.add_argument("name", metavar="NAME", help="a scenario of `demosim scenario list`")
    run.add_argument("--account", required=True, help="the account's id (a UUID)")
    run.add_argument(
        "--override", action="append", default=[], metavar="PATH=VALUE",
        help="dms.share=0.4, stages[1].rate=800/h, comments[*].sentiment=negative",
    )  # fmt: skip
    run.add_argument("--start", help="when its items begin (ISO 8601 with an offset; default now)")
    run.set_defaults(run=_run)
    stop = actions.add_parser("stop", help="stop a run: what it has not delivered is withdrawn")
    stop.add_argument("run_id", metavar="RUN", help="the run's id (`scenario run` prints it)")
    stop.add_argument("--account", required=True, help="the account's id (a UUID)")
    stop.set_defaults(run=_stop)


def _list(settings: Settings, args: argparse.Namespace) -> int:
    book = scenario_book()
    if args.paths:
        try:
            document = book.document(args.paths)
        except DomainError as exc:
            print(f"demosim: --paths: {exc}", file=sys.stderr)
            return 2
        print("\n".join(valid_paths(document)))
        return 0
    table = Table("scenario", "what happens", "lasts", "events", "DMs")
    for name in book.names():
        s = scenario_of(name, book.document(name))
        table.add_row(name, s.description, str(s.duration), f"{s.total:,.0f}", f"{s.dms_share:.0%}")
    Console().print(table)
    return 0


def _account(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        print(f"demosim: --account {text!r} is not an account id (a UUID)", file=sys.stderr)
        return None


def _run(settings: Settings, args: argparse.Namespace) -> int:
    account = _account(args.account)
    if account is None:
        return 2
    overrides: dict[str, Any] = {}
    for pair in args.override:
        path, sep, value = pair.partition("=")
        if not sep:
            print(f"demosim: --override {pair!r}: write it as path=value", file=sys.stderr)
            return 2
        overrides[path.strip()] = typed(value)
    try:
        start = datetime.fromisoformat(args.start) if args.start else None
    except ValueError:
        print(f"demosim: --start {args.start!r}: an ISO 8601 time with an offset", file=sys.stderr)
        return 2
    settings = with_stored_credentials(settings)
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            services = container.services
            try:
                job = services.scenarios.start(account, args.name, overrides, start)
            except DomainError as exc:
                print(f"demosim: {exc}", file=sys.stderr)
                return 2
            services.run_job(job.id)  # a worker that took it first writes it instead
            done = services.jobs.get(job.id)
            while not done.status.is_final:
                time.sleep(0.5)
                done = services.jobs.get(job.id)
        finally:
            container.close()
    if done.status is not JobStatus.SUCCEEDED:
        print(f"demosim: {done.status.value}: {done.error}", file=sys.stderr)
        return 1
    result = done.result or {}
    print(
        f"demosim: run {result['run']} of {args.name}: {result['stored']['scheduled']:,} items "
        f"from {result['from']} until {result['until']}, delivered by the worker as they come "
        f"due (make serve); follow it: GET /api/v1/accounts/{account}/scenarios"
    )
    return 0


def _stop(settings: Settings, args: argparse.Namespace) -> int:
    account = _account(args.account)
    if account is None:
        return 2
    try:
        run = uuid.UUID(args.run_id)
    except ValueError:
        print(f"demosim: RUN {args.run_id!r} is not a run id (a UUID)", file=sys.stderr)
        return 2
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            withdrawn = container.services.scenarios.stop(account, run)
        except DomainError as exc:
            print(f"demosim: {exc}", file=sys.stderr)
            return 2
        finally:
            container.close()
    print(f"demosim: run {run} stopped; {withdrawn:,} items withdrawn")
    return 0
