"""YouTube's push notifications of new videos over WebSub, against a subscriber written from
the pages, not from demosim's code:
- "Subscribe to Push Notifications" (developers.google.com/youtube/v3/guides/
  push_notifications): the topic `https://www.youtube.com/xml/feeds/videos.xml?channel_id=
  CHANNEL_ID`; "the hub sends a GET request to your callback server ... Your callback server
  needs to respond with the hub.challenge"; a new video's notification is an Atom feed whose
  `<entry>` has `<yt:videoId>`, `<yt:channelId>`, `<title>`, `<published>`, `<updated>`;
- W3C WebSub (w3.org/TR/websub): 5.1 the subscriber's request (`hub.callback`, `hub.mode`,
  `hub.topic`, `hub.lease_seconds`, `hub.secret`), "the hub MUST respond ... with an HTTP
  202 'Accepted'"; 5.3 "the subscriber MUST respond with an HTTP success (2xx) code with a
  response body equal to the hub.challenge parameter"; 7.1 "If the subscriber supplied a
  value for hub.secret ... the hub MUST generate an HMAC signature of the payload and include
  that signature in the request headers ... X-Hub-Signature ... sha1=signature"."""

import hashlib
import hmac
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from app.bootstrap import Container
from app.domain.generation import generate_daily_content
from app.domain.jobs import JobKind, NewJob
from helpers import serving
from integration.support import Workers, native_account, wait_for

pytestmark = pytest.mark.integration

TOPIC = "https://www.youtube.com/xml/feeds/videos.xml?channel_id="
SECRET = "a-subscriber-secret"
SIZES = {"content": 2, "comments": 5, "dms": 0}
NS = {"atom": "http://www.w3.org/2005/Atom", "yt": "http://www.youtube.com/xml/schemas/2015"}


class Subscriber:
    """A subscriber's callback: it confirms only what it asked for, checks each notification's
    signature over the raw bytes, and reads the entries by the documented names."""

    def __init__(self) -> None:
        self.pending: set[tuple[str, str]] = set()  # (mode, topic) it asked for
        self.verified: list[dict[str, str]] = []
        self.asked = 0  # verification requests, confirmed or not
        self.entries: list[dict[str, str]] = []
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self.app = Flask("subscriber")
        self.app.add_url_rule("/push", view_func=self.verify, methods=["GET"])
        self.app.add_url_rule("/push", view_func=self.notify, methods=["POST"])

    def verify(self) -> Any:
        asked = (request.args.get("hub.mode", ""), request.args.get("hub.topic", ""))
        with self._lock:
            self.asked += 1
            if asked not in self.pending:
                return "not mine", 404
            self.verified.append(dict(request.args))
        return request.args["hub.challenge"], 200

    def notify(self) -> Any:
        raw = request.get_data()
        expected = "sha1=" + hmac.new(SECRET.encode(), raw, hashlib.sha1).hexdigest()
        with self._lock:
            if not hmac.compare_digest(request.headers.get("X-Hub-Signature", ""), expected):
                self.bad_signatures += 1
                return "", 202  # (a subscriber still answers 2xx: WebSub 7.1)
            # (a test's own server, reading the hub under test: no untrusted XML)
            for entry in ET.fromstring(raw).findall("atom:entry", NS):  # noqa: S314
                self.entries.append({
                    name: entry.findtext(f"{prefix}:{name}", namespaces=NS) or ""
                    for prefix, name in (("yt", "videoId"), ("yt", "channelId"),
                                         ("atom", "title"), ("atom", "published"),
                                         ("atom", "updated"))
                })  # fmt: skip
        return "", 204


@pytest.fixture
def subscriber() -> Iterator[tuple[Subscriber, str]]:
    s = Subscriber()
    with serving(make_server("127.0.0.1", 0, s.app, threaded=True)) as base:
        yield s, f"{base}/push"


def subscribe(
    client: FlaskClient, s: Subscriber, callback: str, channel: str, mode: str = "subscribe",
    **more: str,
) -> Any:  # fmt: skip
    s.pending.add((mode, f"{TOPIC}{channel}"))
    form = {"hub.mode": mode, "hub.topic": f"{TOPIC}{channel}", "hub.callback": callback,
            "hub.secret": SECRET, **more}  # fmt: skip
    return client.post("/websub/hub", data=form)


def new_videos(container: Container, account: str) -> tuple[datetime, list[Any]]:
    """A day on which the channel posts, the account enabled days before it: the daily tick's
    reference time, and the videos it makes."""
    with container.engine.begin() as conn:
        conn.execute(
            text("UPDATE demo_accounts SET enabled_at = now() - interval '10 days'"
                 " WHERE account_id = :a"),
            {"a": account},
        )  # fmt: skip
    with container.uow() as uow:
        profile = uow.demo.get(uuid.UUID(account))
    assert profile is not None
    for days in range(30):
        at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5, days=days)
        videos = generate_daily_content(profile, at)
        if videos:
            return at, list(videos)
    raise AssertionError("the channel posts on none of 30 days")


def run_daily(container: Container, at: datetime) -> None:
    parent, _ = container.services.engine.create(
        NewJob(JobKind.DAILY_CONTENT, params={"reference_time": at.isoformat()})
    )
    container.services.run_job(parent.id)
    with container.engine.connect() as conn:
        children = conn.execute(
            text("SELECT id FROM jobs WHERE parent_id = :p"), {"p": parent.id}
        ).scalars()
        for child in list(children):
            container.services.run_job(child)


def _subscriptions(container: Container, running: bool = False) -> int:
    """The hub's subscriptions; only those whose lease runs, if `running`."""
    where = " WHERE lease_expires_at > now()" if running else ""
    with container.engine.connect() as conn:
        return int(
            conn.execute(text(f"SELECT count(*) FROM websub_subscriptions{where}")).scalar_one()
        )


def _chunks_done(container: Container) -> bool:
    with container.engine.connect() as conn:
        return not conn.execute(
            text("SELECT count(*) FROM jobs WHERE kind = :k AND status NOT IN"
                 " ('succeeded', 'failed', 'cancelled')"),
            {"k": JobKind.DAILY_CONTENT_CHUNK.value},
        ).scalar_one()  # fmt: skip


def test_a_subscriber_verified_by_its_challenge_hears_each_new_video_signed(
    client: FlaskClient,
    auth: dict[str, str],
    container: Container,
    workers: Workers,
    subscriber: tuple[Subscriber, str],
) -> None:
    s, callback = subscriber
    native = native_account(client, auth, workers, "youtube", SIZES)
    channel = native["native"]["user_id"]
    answer = subscribe(client, s, callback, channel, **{"hub.lease_seconds": "3600"})
    assert answer.status_code == 202  # accepted; verified after
    [verified] = wait_for(lambda: list(s.verified), 30, "the hub's verification of intent")
    assert verified["hub.mode"] == "subscribe"
    assert verified["hub.topic"] == f"{TOPIC}{channel}"
    assert verified["hub.lease_seconds"] == "3600"
    wait_for(lambda: _subscriptions(container) == 1, 30, "the subscription kept")

    at, videos = new_videos(container, native["account_id"])
    run_daily(container, at)  # (its chunk run here, or by a worker)
    wait_for(lambda: len(s.entries) >= len(videos), 30, "the new videos' notifications")
    assert s.bad_signatures == 0
    assert [e["videoId"] for e in s.entries] == [v.platform_id for v in videos]
    for entry, video in zip(s.entries, videos, strict=True):
        assert entry["channelId"] == channel
        assert entry["title"] == video.title
        assert datetime.fromisoformat(entry["published"]) == video.published_at
        assert entry["updated"]
    # the video is the channel's, as the Data API shows it
    key = native["native"]["access_token"]
    listed = client.get(
        "/youtube/v3/videos", query_string={"part": "snippet", "id": videos[0].platform_id,
                                            "key": key}
    ).get_json()  # fmt: skip
    assert [v["id"] for v in listed["items"]] == [videos[0].platform_id]


def test_unsubscribed_or_past_its_lease_a_subscriber_hears_nothing(
    client: FlaskClient,
    auth: dict[str, str],
    container: Container,
    workers: Workers,
    subscriber: tuple[Subscriber, str],
) -> None:
    s, callback = subscriber
    native = native_account(client, auth, workers, "youtube", SIZES)
    channel, account = native["native"]["user_id"], native["account_id"]
    assert subscribe(client, s, callback, channel).status_code == 202
    wait_for(lambda: len(s.verified) == 1, 30, "the subscription's verification")
    # the hub keeps the subscription once the callback has answered: expired before it was
    # kept, the lease was a fresh one (CI: two entries heard past the lease)
    wait_for(lambda: _subscriptions(container) == 1, 30, "the subscription kept")
    with container.engine.begin() as conn:  # its lease ran out
        conn.execute(text("UPDATE websub_subscriptions SET lease_expires_at = now()"))
    at, _ = new_videos(container, account)
    run_daily(container, at)
    wait_for(lambda: _chunks_done(container), 30, "the daily tick's chunks")
    assert s.entries == []

    assert subscribe(client, s, callback, channel).status_code == 202  # renewed
    wait_for(lambda: len(s.verified) == 2, 30, "the renewal's verification")
    # kept after the callback has answered (each request is verified in a thread of its own:
    # unsubscribed before the renewal was kept, the renewal was kept after; CI, 2026-12-06)
    wait_for(lambda: _subscriptions(container, running=True) == 1, 30, "the renewal kept")
    assert subscribe(client, s, callback, channel, mode="unsubscribe").status_code == 202
    wait_for(lambda: len(s.verified) == 3, 30, "the unsubscription's verification")
    wait_for(lambda: _subscriptions(container) == 0, 30, "the subscription ended")
    # a subscriber that did not ask for it does not confirm it: nothing is kept
    s.pending.clear()
    form = {"hub.mode": "subscribe", "hub.topic": f"{TOPIC}{channel}", "hub.callback": callback}
    assert client.post("/websub/hub", data=form).status_code == 202
    wait_for(lambda: s.asked == 4, 30, "the unconfirmed verification")
    with container.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM websub_subscriptions")).scalar_one()
    assert left == 0


def test_a_request_the_hub_cannot_take_is_a_400_naming_the_field(client: FlaskClient) -> None:
    good = {"hub.mode": "subscribe", "hub.topic": f"{TOPIC}UC{'a' * 22}",
            "hub.callback": "http://127.0.0.1:9/push"}  # fmt: skip
    for field, value in (
        ("hub.mode", "follow"),
        ("hub.topic", "https://example.com/feed"),
        ("hub.callback", "not a url"),
        ("hub.lease_seconds", "forever"),
        ("hub.secret", "s" * 200),
    ):
        answer = client.post("/websub/hub", data={**good, field: value})
        assert answer.status_code == 400, field
        assert field in answer.get_data(as_text=True)
