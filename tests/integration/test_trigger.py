"""`demosim trigger` as a host's developer runs it, a subprocess that can reach no database
and no Redis, against: demosim's own receiver (Standard Webhooks); hosts written from each
platform's pages (integration.meta_host's MetaHost, test_x's XHost, test_tiktok's TikTokHost:
each module quotes the pages its host follows), reading the events by the documented names;
demosim's reference hosts for the negative cases; and an endpoint that takes anything, whose
mistakes the run reports."""

import json
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from werkzeug.serving import make_server

from app.bootstrap import Container
from app.config import Settings
from helpers import WEBHOOK_SECRET, serving
from integration import meta_host
from integration.test_cli import run
from integration.test_tiktok import CLIENT_KEY, SECRET, TikTokHost
from integration.test_x import CONSUMER_SECRET, XHost

pytestmark = pytest.mark.integration

NOWHERE = {  # servers that do not answer: trigger must not need them
    "DATABASE_URL": "postgresql://127.0.0.1:1/nowhere",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}


def trigger(*args: str) -> subprocess.CompletedProcess[str]:
    return run(["trigger", *args], **NOWHERE)


@pytest.fixture
def inbox(live_server: str) -> str:
    return f"{live_server}/webhooks/interactions"


def test_events_in_demosims_format_are_filed_by_its_receiver_without_any_server(
    inbox: str, container: Container, count_rows: Callable[[str], int]
) -> None:
    done = trigger(
        "comment.created", "--url", inbox, "--secret", WEBHOOK_SECRET, "--count", "5",
        "--override", "sentiment=negative", "--timestamp", "2026-11-30T09:15:00+01:00",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(" 200 ") == 5
    assert "5 sent: all answered as expected" in done.stdout
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT sentiment, occurred_at, kind, in_reply_to FROM inbox_interactions")
        ).all()
    assert len(rows) == 5
    assert {(r.sentiment, r.occurred_at.isoformat(), r.kind, r.in_reply_to) for r in rows} == {
        ("negative", "2026-11-30T08:15:00+00:00", "comment", None)
    }
    messages = trigger("message.received", "--url", inbox, "--secret", WEBHOOK_SECRET)
    assert messages.returncode == 0, messages.stdout + messages.stderr
    assert count_rows("inbox_interactions") == 6


def test_a_scenarios_events_are_sent_in_order_and_filed_by_demosims_receiver(
    inbox: str, container: Container
) -> None:
    done = trigger(
        "spam-wave", "--url", inbox, "--secret", WEBHOOK_SECRET, "--count", "12",
        "--rate", "50/s", "--timestamp", "2026-11-30T09:00:00Z",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "12 sent: all answered as expected" in done.stdout
    assert "spam-wave #12" in done.stdout
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT occurred_at, intent FROM inbox_interactions ORDER BY occurred_at")
        ).all()
    assert len(rows) == 12
    # the scenario's times from --timestamp, its curve's first minutes
    assert rows[0].occurred_at.isoformat().startswith("2026-11-30T09:0")
    assert rows[-1].occurred_at - rows[0].occurred_at > timedelta(0)
    refused = trigger("spam-wave", "--url", inbox, "--secret", WEBHOOK_SECRET,
                      "--negative", "bad-signature")  # fmt: skip
    assert refused.returncode == 2
    assert "--negative sends an EVENT's cases, not a scenario's" in refused.stderr


def test_every_negative_case_is_answered_as_expected_by_demosims_receiver(
    inbox: str, count_rows: Callable[[str], int]
) -> None:
    done = trigger("comment.reply", "--url", inbox, "--secret", WEBHOOK_SECRET, "--negative", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [line.split()[1] for line in done.stdout.splitlines() if line[:4].strip().isdigit()]
    # refused, refused, the same event twice, a reply before its comment, refused, refused
    assert answers == ["401", "401", "200", "200", "200", "200", "413", "422"]
    assert "8 sent: all answered as expected" in done.stdout
    assert count_rows("inbox_interactions") == 3  # the duplicate once, the reply and its comment


def test_what_was_recorded_is_replayed_signed_again(
    inbox: str, tmp_path: Path, count_rows: Callable[[str], int]
) -> None:
    kept = tmp_path / "sent.jsonl"
    first = trigger(
        "message.received", "--url", inbox, "--secret", WEBHOOK_SECRET, "--count", "3",
        "--record", str(kept),
    )  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    records = [json.loads(line) for line in kept.read_text().splitlines()]
    assert [(r["format"], r["event"], r["status"]) for r in records] == [
        ("demosim", "message.received", 200)
    ] * 3
    again = trigger("--replay", str(kept), "--url", inbox, "--secret", WEBHOOK_SECRET)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "replay of message.received #3" in again.stdout
    assert count_rows("inbox_interactions") == 3  # the same events: nothing new
    wrong = trigger("--replay", str(kept), "--url", inbox, "--secret", WEBHOOK_SECRET, "--format",
                    "meta")  # fmt: skip
    assert wrong.returncode == 2
    assert "recorded in demosim, not --format meta" in wrong.stderr


@pytest.fixture
def hosts() -> Iterator[dict[str, tuple[object, str]]]:
    meta, x, tiktok = meta_host.MetaHost(), XHost(), TikTokHost()
    with (
        serving(make_server("127.0.0.1", 0, meta.app, threaded=True)) as m,
        serving(make_server("127.0.0.1", 0, x.app, threaded=True)) as xb,
        serving(make_server("127.0.0.1", 0, tiktok.app, threaded=True)) as t,
    ):
        yield {
            "meta": (meta, f"{m}/webhooks/meta"),
            "x": (x, f"{xb}/webhooks/x"),
            "tiktok": (tiktok, f"{t}/webhooks/tiktok"),
        }


def test_platform_formats_are_read_by_hosts_written_from_the_platforms_pages(
    hosts: dict[str, tuple[object, str]],
) -> None:
    meta, meta_url = hosts["meta"]
    assert isinstance(meta, meta_host.MetaHost)
    for event in ("comment.created", "message.received", "message.echo"):
        done = trigger(event, "--format", "meta", "--url", meta_url, "--secret", meta_host.SECRET,
                       "--count", "2")  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    assert meta.got.bad_signatures == 0
    assert len(meta.got.comments) == 2
    assert all(c["from"]["username"] and c["text"] and c["media"]["id"] for c in meta.got.comments)
    person, echo = [m["message"] for m in meta.got.messages[:2]], meta.got.messages[2]["message"]
    assert [(m["text"] != "", "is_echo" in m) for m in person] == [(True, False)] * 2
    assert echo["is_echo"] is True  # the account's own message, as Meta echoes it

    x, x_url = hosts["x"]
    assert isinstance(x, XHost)
    done = trigger("comment.reply", "--format", "x", "--url", x_url, "--secret", CONSUMER_SECRET,
                   "--count", "3")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    tweets = x.tweets()
    assert len(tweets) == 3
    assert x.bad_signatures == 0
    assert all(t["in_reply_to_status_id_str"] and t["user"]["screen_name"] for t in tweets)

    tiktok, tiktok_url = hosts["tiktok"]
    assert isinstance(tiktok, TikTokHost)
    for event in ("comment.reply", "comment.hidden"):
        done = trigger(event, "--format", "tiktok", "--url", tiktok_url, "--secret", SECRET,
                       "--client-key", CLIENT_KEY)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    reply, hidden = tiktok.comments()
    assert (reply["comment_action"], reply["comment_type"]) == ("insert", "reply")
    assert reply["parent_comment_id"] != reply["video_id"]
    assert hidden["comment_action"] == "set_to_hidden"
    assert {e["client_key"] for e in tiktok.events} == {CLIENT_KEY}


@pytest.mark.parametrize("fmt", ["meta", "x", "tiktok"])
def test_every_negative_case_is_answered_as_expected_by_the_reference_hosts(
    fmt: str, live_server: str, settings: Settings
) -> None:
    secret = {
        "meta": settings.reference_meta_app()[0],
        "x": settings.reference_x_app(),
        "tiktok": settings.reference_tiktok_app()[1],
    }[fmt]
    done = trigger(
        "comment.reply", "--format", fmt, "--url", f"{live_server}/webhooks/{fmt}",
        "--secret", secret, "--client-key", settings.reference_tiktok_app()[0],
        "--negative", "all",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    cases = ["bad-signature", "duplicate-id", "out-of-order", "oversized", "unknown-event"]
    if fmt == "tiktok":
        cases.insert(1, "stale-timestamp")
    for case in cases:
        assert f"ok      {case}: " in done.stdout


def test_an_endpoint_that_takes_anything_is_told_what_it_should_have_refused() -> None:
    lax = Flask("lax")
    lax.add_url_rule("/hook", view_func=lambda: ("", 204), methods=["POST"])
    with serving(make_server("127.0.0.1", 0, lax, threaded=True)) as base:
        done = trigger(
            "comment.created", "--url", f"{base}/hook", "--secret", WEBHOOK_SECRET,
            "--negative", "bad-signature", "--negative", "oversized",
        )  # fmt: skip
    assert done.returncode == 1
    assert "FAILED  bad-signature: signed with another secret" in done.stdout
    assert "expected 4xx (401): a signature the secret did not make is refused" in done.stdout
    assert "FAILED  oversized" in done.stdout
    assert "2 sent: 2 not answered as expected" in done.stdout


def test_nothing_answering_is_a_failure_named_by_what_happened() -> None:
    done = trigger("comment.created", "--url", "http://127.0.0.1:1/hook", "--secret",
                   WEBHOOK_SECRET)  # fmt: skip
    assert done.returncode == 1
    assert "none" in done.stdout
    assert "answered NewConnectionError" in done.stdout or "answered MaxRetryError" in done.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["comment.made"], "EVENT: no event 'comment.made'; the catalogue"),
        (["comment.created"], "--url is required"),
        (["comment.created", "--url", "localhost:8000/hook"], "an http:// or https:// URL"),
        (["comment.created", "--url", "http://h/x", "--secret", "plain"],
         "--secret: demosim's format signs with a Standard Webhooks secret"),
        (["comment.created", "--url", "http://h/x", "--secret", "s", "--format", "x",
          "--override", "comments[*].sentiment=negative"],
         "no field 'comments[*].sentiment'; the fields: text, topic, language"),
        (["message.read", "--url", "http://h/x", "--secret", "s", "--format", "tiktok"],
         "--format tiktok: message.read is sent in meta"),
        (["comment.created", "--url", "http://h/x", "--secret", "s", "--format", "meta",
          "--negative", "stale-timestamp"], "the meta format's signature carries no time"),
        (["--replay", "/nonexistent/sent.jsonl", "--url", "http://h/x", "--secret", "s"],
         "--replay /nonexistent/sent.jsonl: No such file or directory"),
        (["comment.created", "--url", "http://h/x", "--secret", "s", "--format", "x",
          "--timestamp", "yesterday"], "--timestamp 'yesterday': ISO 8601"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_option(args: list[str], says: str) -> None:
    done = trigger(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("demosim trigger: ")
    assert says in lines[0]


def test_the_catalogue_lists_every_event_and_negative_case() -> None:
    done = trigger("--list")
    assert done.returncode == 0
    for name in ("comment.created", "comment.reply", "message.received", "comment.removed",
                 "message.reacted", "bad-signature", "unknown-event", "pr-crisis",
                 "giveaway-flood"):  # fmt: skip
        assert name in done.stdout
