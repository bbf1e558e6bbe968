"""`demosim trigger`: sample events signed and sent to any URL, offline (no database, no
Redis); `--list` shows the catalogue, `--negative` the cases an endpoint should refuse or take
in its stride, `--record` / `--replay` keep and re-send what went."""

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from app.bootstrap import scenario_book, trigger_format
from app.domain.errors import DomainError
from app.domain.scenarios import scenario_of
from app.services.trigger import (
    CATALOGUE,
    FORMATS,
    NEGATIVES,
    Send,
    Sent,
    SignedFormat,
    TriggerError,
    check_time,
    event_named,
    overrides,
    plan,
    plan_scenario,
    rate_of,
    run,
    samples,
    scenario_sample,
)


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    trigger = commands.add_parser(
        "trigger",
        help="send sample events, signed, to any URL (offline: no database, no Redis)",
        description=__doc__,
    )
    trigger.add_argument(
        "event", nargs="?", metavar="EVENT|SCENARIO", help="an event or a scenario of --list"
    )
    trigger.add_argument("--list", action="store_true", help="the catalogue of events")
    trigger.add_argument("--url", help="where to POST (http:// or https://)")
    trigger.add_argument("--secret", help="the secret the endpoint verifies signatures with")
    trigger.add_argument(
        "--format",
        choices=FORMATS,
        help="demosim (Standard Webhooks; the default), meta, x, tiktok",
    )
    trigger.add_argument(
        "--client-key", default="demosim-trigger", help="TikTok's client_key (the tiktok format)"
    )
    trigger.add_argument(
        "--count", type=int, help="events to send (default 1; a scenario's: all of them)"
    )
    trigger.add_argument("--rate", help="at most this many a second, minute or hour: 20/s, 300/m")
    trigger.add_argument("--timestamp", help="when the events happened (ISO 8601; default now)")
    trigger.add_argument(
        "--override", action="append", default=[], metavar="PATH=VALUE",
        help="a field of every event: text=…, sentiment=negative, author.handle=…",
    )  # fmt: skip
    trigger.add_argument("--record", metavar="FILE", help="keep what was sent (JSON lines)")
    trigger.add_argument("--replay", metavar="FILE", help="re-send a --record file, re-signed")
    trigger.add_argument(
        "--negative", action="append", default=[], choices=[*NEGATIVES, "all"],
        help="send a case an endpoint must handle instead (repeatable; all: every one)",
    )  # fmt: skip
    trigger.set_defaults(run=lambda _settings, args: main(args))


def main(args: argparse.Namespace) -> int:
    args.count_given = args.count is not None
    args.count = args.count if args.count is not None else 1
    try:
        if args.list:
            _catalogue()
            return 0
        fmt, sends = _replayed(args) if args.replay else _planned(args)
        rate = rate_of(args.rate) if args.rate else None
        return _send(fmt, sends, rate, args.record)
    except TriggerError as exc:
        print(f"demosim trigger: {exc}", file=sys.stderr)
        return 2


def _catalogue() -> None:
    width = max(len(e.name) for e in CATALOGUE)
    print(f"{'EVENT':<{width}}  {'FORMATS':<37} WHAT")
    for e in CATALOGUE:
        where = ", ".join(f"{f} ({p.value})" if f == "meta" else f for f, p in e.formats)
        print(f"{e.name:<{width}}  {where:<37} {e.what}")
    print("\nscenarios (their events in order, each when the curve has it arrive; --rate: faster):")
    book = scenario_book()
    for name in book.names():
        s = scenario_of(name, book.document(name))
        print(f"  {name:<16} {s.total:,.0f} events over {s.duration}: {s.description}")
    print("\nnegative cases (--negative):")
    for name, (expect, what) in NEGATIVES.items():
        print(f"  {name:<16} {what}; a correct endpoint answers {expect.says}")


def _target(args: argparse.Namespace, name: str) -> SignedFormat:
    if not args.url:
        raise TriggerError("--url is required: the endpoint to send to")
    url = urlsplit(args.url)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise TriggerError(f"--url {args.url!r}: an http:// or https:// URL")
    return trigger_format(name, args.url, args.secret or "", args.client_key)


def _planned(args: argparse.Namespace) -> tuple[SignedFormat, list[Send]]:
    if not args.event:
        raise TriggerError("EVENT is required (demosim trigger --list shows them)")
    name = args.format or "demosim"
    at = datetime.now(UTC)
    if args.timestamp:
        try:
            at = datetime.fromisoformat(args.timestamp)
        except ValueError:
            raise TriggerError(
                f"--timestamp {args.timestamp!r}: ISO 8601 with an offset (2026-12-01T09:00:00Z)"
            ) from None
    book = scenario_book()
    if args.event in book.names():
        if args.negative:
            raise TriggerError("--negative sends an EVENT's cases, not a scenario's")
        try:
            scenario = scenario_of(args.event, book.document(args.event))
        except DomainError as exc:
            raise TriggerError(str(exc)) from None
        fmt = _target(args, name)
        count = args.count if args.count_given else None
        sample, due = scenario_sample(scenario, name, count, at, overrides(args.override))
        return fmt, plan_scenario(fmt, args.event, sample, due)
    event = event_named(args.event)
    fmt = _target(args, name)
    negatives = args.negative
    if "all" in negatives:  # every case that applies to this event in this format
        negatives = [
            n
            for n in NEGATIVES
            if (n != "stale-timestamp" or fmt.signs_time) and (n != "out-of-order" or event.answers)
        ]
    given = overrides(args.override)
    count = max(args.count, 3) if negatives else args.count  # events for cases of their own
    sample = samples(event, name, count, check_time(at), given)
    return fmt, plan(fmt, event, sample, negatives)


def _replayed(args: argparse.Namespace) -> tuple[SignedFormat, list[Send]]:
    """The recorded bodies under their webhook ids, to be signed again as they go."""
    try:
        with open(args.replay, encoding="utf-8") as file:
            lines = [(n, line) for n, line in enumerate(file, 1) if line.strip()]
    except OSError as exc:
        raise TriggerError(f"--replay {args.replay}: {exc.strerror}") from None
    names, sends = set(), []
    for n, line in lines:
        try:
            record = json.loads(line)
            names.add(record["format"])
            label, body = f"replay of {record['label']}", record["body"].encode()
            sends.append(Send(label, record["event"], record["webhook_id"], body))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise TriggerError(
                f"--replay {args.replay}, line {n}: not a --record line "
                "(JSON with format, event, label, webhook_id, body)"
            ) from None
    if not sends:
        raise TriggerError(f"--replay {args.replay}: no events in it")
    if len(names) != 1 or (args.format and {args.format} != names):
        raise TriggerError(
            f"--replay {args.replay}: recorded in {', '.join(sorted(names))}"
            + (f", not --format {args.format}" if args.format else "; one format a file")
        )
    return _target(args, names.pop()), sends


def _send(fmt: SignedFormat, sends: list[Send], rate: float | None, record: str | None) -> int:
    failed = 0
    kept = None
    try:
        kept = open(record, "a", encoding="utf-8") if record else None  # noqa: SIM115
        print(f"sending {len(sends)} to the endpoint in the {fmt.name} format")
        for n, sent in enumerate(run(fmt, sends, lambda: datetime.now(UTC), rate, time.sleep), 1):
            failed += not sent.ok
            _line(n, sent)
            if kept is not None:
                kept.write(json.dumps(_record(fmt, sent), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise TriggerError(f"--record {record}: {exc.strerror}") from None
    finally:
        if kept is not None:
            kept.close()
    print(
        f"{len(sends)} sent: all answered as expected"
        if not failed
        else f"{len(sends)} sent: {failed} not answered as expected"
    )
    return 1 if failed else 0


def _line(n: int, sent: Sent) -> None:
    a = sent.answer
    status = str(a.status) if a.status is not None else "none"
    verdict = "ok" if sent.ok else "FAILED"
    print(f"{n:>4}  {status:>4} {a.ms:8.1f} ms  {verdict:<6}  {sent.send.label}")
    if sent.send.expect.says != "2xx" or not sent.ok:
        print(f"      expected {sent.send.expect.says}")
    if not sent.ok and a.detail:
        print(f"      answered {a.detail}")


def _record(fmt: SignedFormat, sent: Sent) -> dict[str, object]:
    return {
        "format": fmt.name,
        "event": sent.send.event,
        "label": sent.send.label,
        "webhook_id": sent.send.webhook_id,
        "body": sent.send.body.decode(),
        "status": sent.answer.status,
        "ms": round(sent.answer.ms, 1),
    }
