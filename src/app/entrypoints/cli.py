"""`demosim`: the command line. Each command is a few lines over bootstrap and the services."""

import argparse
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from rich.console import Console
from rich.table import Table

from app.bootstrap import Container, bootstrap, servers
from app.config import ConfigError, Settings, load_settings, with_stored_credentials
from app.domain.demo import InvalidHistoryError
from app.domain.errors import NotFoundError
from app.domain.jobs import JobFilter, JobStatus
from app.entrypoints import scenario, trigger
from app.entrypoints.logs import configure as configure_logging


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="demosim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="migrate the database to the newest schema").set_defaults(
        run=_db_upgrade
    )

    api = commands.add_parser(
        "api", help="serve the API (development server; gunicorn in production)"
    )
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.set_defaults(run=_api)

    worker = commands.add_parser("worker", help="run jobs from the queue")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(run=_worker)

    commands.add_parser(
        "sweep", help="once: re-enqueue lost jobs, retry dead workers' jobs, deliver what is due"
    ).set_defaults(run=_sweep)

    scheduler = commands.add_parser("scheduler", help="fire the schedules (rq-scheduler)")
    scheduler.add_argument(
        "--interval", type=float, default=5.0, help="seconds between passes (default 5)"
    )
    scheduler.set_defaults(run=_scheduler)

    commands.add_parser("schedules", help="list the schedules").set_defaults(run=_schedules)

    jobs = commands.add_parser("jobs", help="list the newest jobs")
    jobs.add_argument("--limit", type=int, default=20, help="how many (default 20, at most 200)")
    jobs.set_defaults(run=_jobs)

    serve = commands.add_parser(
        "serve", help="API (gunicorn), a worker and the scheduler together, until Ctrl-C"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--web-workers", type=int, default=2, help="gunicorn processes (default 2)")
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="run the product once, end to end, and show the result")
    demo.add_argument("--accounts", type=int, default=1, help="sample accounts (default 1)")
    demo.add_argument(
        "--native",
        action="store_true",
        help="a native Instagram account (Meta's webhooks to the reference host, the host "
        "replying through the emulated Graph API) and a native TikTok account (comment.update "
        "events, replies through the API for Business), and the people answering",
    )
    demo.set_defaults(run=_demo)

    backfill = commands.add_parser(
        "backfill",
        help="fill a demo account's past days through the live signed path, then hand on to "
        "the live ticks",
    )
    backfill.add_argument("--account", required=True, help="the account's id (a UUID)")
    backfill.add_argument("--days", type=int, required=True, help="1 to RETENTION_DAYS")
    backfill.set_defaults(run=_backfill)

    scenario.add_parser(commands)
    trigger.add_parser(commands)

    args = parser.parse_args(argv)
    try:
        settings = load_settings(os.environ)
        configure_logging(settings.log_format)
        code: int = args.run(settings, args)
    except ConfigError as exc:
        print(f"demosim: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


@contextmanager
def _container(settings: Settings) -> Iterator[Container]:
    """This command's servers (given or embedded) and its container, closed on the way out."""
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            yield container
        finally:
            container.close()


def _db_upgrade(settings: Settings, _: argparse.Namespace) -> int:
    with _container(settings) as container:
        container.migrate()
    print("demosim: database schema is up to date")
    return 0


def _api(settings: Settings, args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from app.entrypoints.http import create_app

    settings.require_api_token()
    settings.require_webhook_secret()
    with _container(settings) as container:
        if settings.database_url is None:  # our own embedded database: keep it migrated
            container.migrate()
        run_simple(args.host, args.port, create_app(container), threaded=True)
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from app.entrypoints.worker import work

    settings.require_webhook_secret()
    _long_running(settings)  # a worker's log is its record of jobs
    with _container(settings) as container:
        work(container, burst=args.burst)
    return 0


def _long_running(settings: Settings) -> None:
    logging.getLogger().setLevel(logging.getLevelNamesMapping()[settings.log_level.upper()])


def _sweep(settings: Settings, _: argparse.Namespace) -> int:
    with _container(settings) as container:
        report = container.services.sweeper.sweep()
    print(f"demosim: {report}")
    return 0


def _scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from app.entrypoints.scheduler import schedule

    if not 0.1 <= args.interval <= 60:
        print("demosim: --interval must be between 0.1 and 60 seconds", file=sys.stderr)
        return 2
    _long_running(settings)  # a scheduler's log is its record of slots
    with _container(settings) as container:
        schedule(container, args.interval)
    return 0


def _schedules(settings: Settings, _: argparse.Namespace) -> int:
    with _container(settings) as container:
        found = container.services.schedules.all()
    table = Table("name", "cron (UTC)", "job", "enabled", "last run", "next run", box=None)
    for s in found:
        table.add_row(
            s.name,
            s.cron.expression,
            s.job_kind.value,
            "yes" if s.enabled else "no",
            _when(s.last_run_at),
            _when(s.next_run_at),
        )
    _print(table)
    return 0


def _jobs(settings: Settings, args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 200:
        print("demosim: --limit must be between 1 and 200", file=sys.stderr)
        return 2
    with _container(settings) as container:
        page = container.queries.jobs_page(JobFilter(), None, args.limit)
    table = Table("id", "kind", "status", "phase", "progress", "created", box=None)
    for job in page.items:
        total = "?" if job.progress_total is None else str(job.progress_total)
        table.add_row(
            str(job.id),
            job.kind.value,
            job.status.value,
            job.phase or "",
            f"{job.progress_done}/{total}",
            _when(job.created_at),
        )
    _print(table)
    return 0


def _print(table: Table) -> None:
    # piped: whole values, not cut to an 80-column guess
    Console(width=None if sys.stdout.isatty() else 240).print(table)


def _when(at: datetime | None) -> str:
    return at.isoformat(timespec="seconds") if at else "-"


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from app.entrypoints.serve import serve

    if not 1 <= args.port <= 65535:
        print("demosim: --port must be between 1 and 65535", file=sys.stderr)
        return 2
    if not 1 <= args.web_workers <= 16:
        print("demosim: --web-workers must be between 1 and 16", file=sys.stderr)
        return 2
    return serve(settings, args.host, args.port, args.web_workers)


def _backfill(settings: Settings, args: argparse.Namespace) -> int:
    """The backfill's job, started and run in this process (a worker that takes it first runs
    it instead), and what it did."""
    try:
        account = uuid.UUID(args.account)
    except ValueError:
        print(f"demosim: --account {args.account!r} is not an account id (a UUID)", file=sys.stderr)
        return 2
    # it delivers: with the secret `make serve` and `make demo` use when none is given
    settings = with_stored_credentials(settings)
    with _container(settings) as container:
        try:
            job = container.services.demo.backfill(account, args.days)
        except (InvalidHistoryError, NotFoundError) as exc:
            print(f"demosim: {exc}".replace("days must", "--days must"), file=sys.stderr)
            return 2
        print(
            f"demosim: backfill job {job.id}: {args.days} days up to {job.params['reference_time']}"
        )
        container.services.run_job(job.id)
        done = container.services.jobs.get(job.id)
        while not done.status.is_final:  # a worker (`make serve`'s) took it first: its end
            time.sleep(0.5)
            done = container.services.jobs.get(job.id)
    print(f"demosim: {done.status.value}: {done.result or done.error}")
    return 0 if done.status is JobStatus.SUCCEEDED else 1


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from app.entrypoints.walkthrough import run_demo

    if not 1 <= args.accounts <= 1000:
        print("demosim: --accounts must be between 1 and 1000", file=sys.stderr)
        return 2
    return run_demo(settings, args.accounts, args.native)


if __name__ == "__main__":
    sys.exit(main())
