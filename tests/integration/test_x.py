"""X's room as a host's live integration meets it, the host written from X's pages, not from
demosim's code:
- "Securing webhooks" (docs.x.com/x-api/enterprise/account-activity-api/guides/securing-
  webhooks): "X will make a GET request of your web app with a crc_token parameter ... your web
  app needs to build an encrypted response_token based on the crc_token parameter and your
  app's Consumer Secret"; "The response_token must be encoded in JSON ... and returned within
  three seconds"; the example `{"response_token": "sha256=x0mYd8hz2goCTfcNAaMqENy2BFgJJfJOb4Pd
  vTffpwg="}` and `sha256_hash_digest = hmac.new(consumer_secret, msg=crc_token,
  digestmod=hashlib.sha256).digest()`, `'sha256=' + base64.b64encode(sha256_hash_digest)`;
  "With each incoming POST request from X a hash signature will be passed in the headers as
  x-twitter-webhooks-signature ... Create a hash using your consumer secret and incoming
  payload body; Compare the base64 encoded hash to the x-twitter-webhooks-signature value";
- "Account Activity data objects": `{"for_user_id": "2244994945", "tweet_create_events":
  [<Tweet Object>]}`; `direct_message_events` with `users`; `tweet_delete_events`
  (`status.id`, `status.user_id`, `timestamp_ms`);
- the v1.1 Tweet object: `id_str` ("use id_str ... to avoid precision issues"),
  `in_reply_to_status_id_str`, `in_reply_to_screen_name`, `user.screen_name`,
  `entities.user_mentions[].indices`, `display_text_range`, `truncated` and
  `extended_tweet.full_text` ("Extended Tweets": a post over 140 characters in compatibility
  mode);
- the message_create object: `message_create.sender_id`, `.target.recipient_id`,
  `.message_data.text`, `created_timestamp` (epoch milliseconds);
- the v2 writes driven with tweepy's Client (its own code, only its host pointed at demosim):
  `create_tweet(text=…, in_reply_to_tweet_id=…)` and `create_direct_message(participant_id=…,
  text=…)` with the user's OAuth 2.0 token as the bearer token (`user_auth=False`)."""

import base64
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import tweepy
from flask import Flask, request
from flask.testing import FlaskClient
from requests.adapters import HTTPAdapter
from sqlalchemy import text
from werkzeug.serving import make_server

from app.bootstrap import Container
from helpers import serving
from integration.support import Workers, final_job, native_account, wait_for

pytestmark = pytest.mark.integration

CONSUMER_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"  # the docs' example
SIZES = {"content": 3, "comments": 40, "dms": 6}


class XHost:
    """A host's /webhooks/x, as X's pages tell one to write it."""

    def __init__(self) -> None:
        self.crc_right = True
        self.crcs = 0
        self.bodies: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self.app = Flask("x-host")
        self.app.add_url_rule("/webhooks/x", view_func=self.crc, methods=["GET"])
        self.app.add_url_rule("/webhooks/x", view_func=self.event, methods=["POST"])

    def crc(self) -> Any:
        token = request.args["crc_token"]
        key = CONSUMER_SECRET if self.crc_right else "a-secret-from-another-app"
        digest = hmac.new(key.encode(), msg=token.encode(), digestmod=hashlib.sha256).digest()
        with self._lock:
            self.crcs += 1
        return {"response_token": "sha256=" + base64.b64encode(digest).decode()}

    def event(self) -> Any:
        raw = request.get_data()
        digest = hmac.new(CONSUMER_SECRET.encode(), msg=raw, digestmod=hashlib.sha256).digest()
        expected = "sha256=" + base64.b64encode(digest).decode()
        given = request.headers.get("x-twitter-webhooks-signature", "")
        with self._lock:
            if not hmac.compare_digest(expected, given):
                self.bad_signatures += 1
                return "bad signature", 401
            self.bodies.append(json.loads(raw))
        return "", 200

    def tweets(self) -> list[dict[str, Any]]:
        with self._lock:
            return [t for b in self.bodies for t in b.get("tweet_create_events", [])]

    def messages(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Each message event with the users of its POST."""
        with self._lock:
            return [
                (e, b["users"]) for b in self.bodies for e in b.get("direct_message_events", [])
            ]

    def deletions(self) -> list[dict[str, Any]]:
        with self._lock:
            return [d for b in self.bodies for d in b.get("tweet_delete_events", [])]


def full_text(tweet: dict[str, Any]) -> str:
    """What the post says, as "Extended Tweets" says to read it: the whole text where it came
    truncated, the part `display_text_range` shows."""
    whole = tweet["extended_tweet"] if tweet["truncated"] else tweet
    said = whole.get("full_text", whole.get("text"))
    start, end = whole["display_text_range"]
    return str(said[start:end])


@pytest.fixture
def host() -> Iterator[tuple[XHost, str]]:
    h = XHost()
    with serving(make_server("127.0.0.1", 0, h.app, threaded=True)) as base:
        yield h, f"{base}/webhooks/x"


def register(client: FlaskClient, auth: dict[str, str], url: str) -> Any:
    body = {"callback_url": url, "secret": CONSUMER_SECRET}
    return client.put("/api/v1/apps/x", json=body, headers=auth)


class ToDemosim(HTTPAdapter):
    """tweepy's requests to https://api.twitter.com sent to demosim's /x instead: the client's
    code unchanged, only where its host is."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        assert request.url is not None
        request.url = request.url.replace("https://api.twitter.com", f"{self.base}/x", 1)
        return super().send(request, **kwargs)


def x_client(token: str, base: str) -> tweepy.Client:
    client = tweepy.Client(bearer_token=token)
    client.session.mount("https://api.twitter.com", ToDemosim(base))
    return client


class Account:
    def __init__(self, body: dict[str, Any], base: str) -> None:
        self.account_id = body["account_id"]
        self.user_id = body["native"]["user_id"]
        self.client = x_client(body["native"]["access_token"], base)


@pytest.fixture
def account(
    client: FlaskClient,
    auth: dict[str, str],
    host: tuple[XHost, str],
    live_server: str,
    workers: Workers,
) -> tuple[Account, XHost]:
    h, url = host
    assert register(client, auth, url).status_code == 200
    return Account(native_account(client, auth, workers, "x", SIZES), live_server), h


def test_an_app_is_registered_once_its_callback_answers_xs_crc(
    client: FlaskClient, auth: dict[str, str], host: tuple[XHost, str]
) -> None:
    h, url = host
    put = register(client, auth, url)
    assert put.status_code == 200, put.get_json()
    assert (put.get_json()["family"], put.get_json()["callback_url"]) == ("x", url)
    assert put.get_json()["secret"].endswith(CONSUMER_SECRET[-4:])
    assert CONSUMER_SECRET not in json.dumps(put.get_json())
    assert h.crcs == 1

    h.crc_right = False  # a response_token made with another secret: X's error 214
    failed = client.put(
        "/api/v1/apps/x", json={"callback_url": url, "secret": "another-consumer-secret"},
        headers=auth,
    )  # fmt: skip
    assert failed.status_code == 422
    assert "214" in failed.get_json()["message"]
    assert "response_token" in failed.get_json()["message"]
    assert client.get("/api/v1/apps/x", headers=auth).get_json()["secret"].endswith("LrFu")


def test_an_app_that_fails_the_periodic_crc_is_sent_nothing_until_one_passes(
    client: FlaskClient, auth: dict[str, str], account: tuple[Account, XHost]
) -> None:
    """ "In the event that the response is invalid, events will cease to be sent to the
    registered webhook" (the x-crc schedule checks every 30 minutes; triggered here)."""
    me, h = account
    h.crc_right = False
    run = client.post("/api/v1/schedules/x-crc/trigger", headers=auth)
    assert run.status_code == 202, run.get_json()
    done = final_job(client, auth, run.headers["Location"], timeout=30)
    assert done["status"] == "succeeded", done
    assert done["result"]["valid"] is False
    app = client.get("/api/v1/apps/x", headers=auth).get_json()
    assert app["invalid_since"]
    assert "214" in app["invalid_reason"]

    before = len(h.tweets())
    deleted = {d["status"]["id"] for d in h.deletions()}  # (X refuses a reply to those: 403)
    person = next(
        t for t in h.tweets() if t["user"]["id_str"] != me.user_id and t["id_str"] not in deleted
    )
    me.client.create_tweet(text="Thanks!", in_reply_to_tweet_id=person["id_str"], user_auth=False)
    state = f"/api/v1/accounts/{me.account_id}/demo"
    wait_for(
        lambda: client.get(state, headers=auth).get_json()["counts"]["delivery"].get("queued"),
        30,
        "the reply held back while the app is invalid",
    )
    assert len(h.tweets()) == before

    h.crc_right = True  # the next check passes: what was held back goes at its next attempt
    run = client.post("/api/v1/schedules/x-crc/trigger", headers=auth)
    assert final_job(client, auth, run.headers["Location"], timeout=30)["result"]["valid"]
    assert client.get("/api/v1/apps/x", headers=auth).get_json()["invalid_since"] is None

    def sent_after_a_sweep() -> bool:
        client.post("/api/v1/schedules/delivery-sweep/trigger", headers=auth)
        return len(h.tweets()) > before

    wait_for(sent_after_a_sweep, 60, "the held-back reply once the CRC passes")


def test_a_native_x_account_is_delivered_as_account_activity(
    client: FlaskClient, auth: dict[str, str], account: tuple[Account, XHost]
) -> None:
    me, h = account
    assert h.bad_signatures == 0
    assert {b["for_user_id"] for b in h.bodies} == {me.user_id}
    tweets = h.tweets()
    assert len(tweets) == SIZES["comments"]
    seen: set[str] = set()
    posts: set[str] = set()
    for t in tweets:
        assert t["id_str"].isdigit()
        assert t["id"] == int(t["id_str"])
        assert int(t["id_str"]) < 2**63
        parent = t["in_reply_to_status_id_str"]
        assert parent
        assert parent.isdigit()
        if parent not in seen:  # a reply to one of the account's posts, by its id
            assert t["in_reply_to_user_id_str"] == me.user_id
            posts.add(parent)
        mention = t["entities"]["user_mentions"][0]  # the @name it answers, where it opens
        assert mention["screen_name"] == t["in_reply_to_screen_name"]
        assert mention["indices"] == [0, 1 + len(mention["screen_name"])]
        said = full_text(t)
        assert said
        assert len(said) <= 280
        assert t["truncated"] == (len(t["extended_tweet"]["full_text"]) > 140
                                  if t["truncated"] else False)  # fmt: skip
        assert len(t["text"]) <= 140 or not t["truncated"]
        assert t["timestamp_ms"].isdigit()
        seen.add(t["id_str"])
    assert len(posts) <= SIZES["content"]
    # the account answers under its own name; the posts' replies name it as they answer it
    account_names = {t["user"]["screen_name"] for t in tweets if t["user"]["id_str"] == me.user_id}
    assert account_names
    assert len(account_names) == 1
    assert {t["in_reply_to_screen_name"] for t in tweets
            if t["in_reply_to_status_id_str"] in posts} == account_names  # fmt: skip

    messages = h.messages()
    assert messages
    for event, users in messages:
        made = event["message_create"]
        assert event["type"] == "message_create"
        assert me.user_id in (made["sender_id"], made["target"]["recipient_id"])
        assert made["sender_id"] in users
        assert made["message_data"]["text"]
        assert event["created_timestamp"].isdigit()
    state = client.get(f"/api/v1/accounts/{me.account_id}/demo", headers=auth).get_json()
    assert state["counts"]["delivery"] == {
        "sent": SIZES["comments"] + len(messages) + len(h.deletions())
    }


def test_a_host_replies_and_messages_with_tweepy_and_the_people_answer(
    account: tuple[Account, XHost],
) -> None:
    me, h = account
    # (not one its author deleted since: X told the host in tweet_delete_events)
    deleted = {d["status"]["id"] for d in h.deletions()}
    people = [t for t in h.tweets() if t["user"]["id_str"] != me.user_id
              and t["in_reply_to_user_id_str"] == me.user_id
              and t["id_str"] not in deleted]  # fmt: skip
    mine = []
    for t in people[:10]:  # (a bot answers no one, and a person may let it be)
        made = me.client.create_tweet(
            text="Thank you, that means a lot!", in_reply_to_tweet_id=t["id_str"],
            user_auth=False,
        )  # fmt: skip
        assert made.data["text"] == "Thank you, that means a lot!"
        assert made.data["edit_history_tweet_ids"] == [made.data["id"]]
        mine.append(made.data["id"])

    def answered() -> list[dict[str, Any]]:
        return [
            t for t in h.tweets()
            if t["in_reply_to_status_id_str"] in mine and t["user"]["id_str"] != me.user_id
        ]  # fmt: skip

    heard = wait_for(answered, 30, "a person to answer the host's reply")
    assert all(full_text(t) for t in heard)
    wait_for(  # the account's own replies come as tweet_create_events too
        lambda: set(mine) <= {t["id_str"] for t in h.tweets() if t["user"]["id_str"] == me.user_id},
        30,
        "the host's own replies as tweet_create_events",
    )

    person = next(e["message_create"]["sender_id"] for e, _ in h.messages()
                  if e["message_create"]["sender_id"] != me.user_id)  # fmt: skip
    sent = me.client.create_direct_message(
        participant_id=person, text="Hey! Just saw this, thanks for writing", user_auth=False
    )
    low, high = sorted((me.user_id, person), key=int)
    assert sent.data["dm_conversation_id"] == f"{low}-{high}"
    wait_for(
        lambda: any(e["id"] == sent.data["dm_event_id"] for e, _ in h.messages()),
        30,
        "the host's own message as a direct_message_event",
    )


def test_what_the_api_refuses_it_names_in_xs_shape(
    account: tuple[Account, XHost], live_server: str
) -> None:
    me, h = account
    reply_to = h.tweets()[0]["id_str"]
    with pytest.raises(tweepy.Unauthorized):
        x_client("not-a-token", live_server).create_tweet(
            text="hi", in_reply_to_tweet_id=reply_to, user_auth=False
        )
    with pytest.raises(tweepy.Forbidden) as gone:
        me.client.create_tweet(text="hi", in_reply_to_tweet_id="1" * 19, user_auth=False)
    assert "deleted or not visible" in str(gone.value)
    with pytest.raises(tweepy.BadRequest) as long:
        me.client.create_tweet(text="x" * 281, in_reply_to_tweet_id=reply_to, user_auth=False)
    assert "280" in str(long.value)
    with pytest.raises(tweepy.NotFound) as nobody:
        me.client.create_direct_message(participant_id="1" * 19, text="hi", user_auth=False)
    assert "participant_id" in str(nobody.value)
    with pytest.raises(tweepy.Forbidden):  # a post of its own is the demo's content
        me.client.create_tweet(text="a new post", user_auth=False)


def test_the_native_loop_ends_in_demosims_own_inbox_through_the_reference_host(
    client: FlaskClient,
    signed_in: FlaskClient,
    auth: dict[str, str],
    container: Container,
    live_server: str,
    workers: Workers,
) -> None:
    secret = container.settings.reference_x_app()
    app = {"callback_url": f"{live_server}/webhooks/x", "secret": secret}
    assert client.put("/api/v1/apps/x", json=app, headers=auth).status_code == 200
    enable = {"platform": "x", "delivery": "native", "sizes": SIZES}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=enable, headers=auth)
    assert put.status_code == 202, put.get_json()
    account = put.get_json()["account_id"]
    workers.start()
    assert final_job(client, auth, put.headers["Location"], timeout=120)["status"] == "succeeded"
    query = (
        "SELECT kind, platform_id, in_reply_to, content_platform_id, conversation_id, text"
        " FROM {} WHERE account_id = :a"
    )
    with container.engine.connect() as conn:
        filed = conn.execute(text(query.format("inbox_interactions")), {"a": account}).all()
        made = conn.execute(
            text(query.format("interactions") + " AND event IS NULL"), {"a": account}
        ).all()
    assert sorted(filed) == sorted(made)  # every reply and message, threaded as generated
    # the dashboard's reply box speaks the Graph API: not offered under an X account's threads
    with container.engine.connect() as conn:
        top = conn.execute(
            text("SELECT id FROM inbox_interactions WHERE account_id = :a AND kind = 'comment'"
                 " LIMIT 1"), {"a": account},
        ).scalar_one()  # fmt: skip
    shown = signed_in.get(f"/dashboard/accounts/{account}/inbox/{top}/thread")
    assert shown.status_code == 200
    assert "through the Graph API" not in shown.text

    body = json.dumps({"for_user_id": "1", "tweet_create_events": []}).encode()
    forged = (
        "sha256="
        + base64.b64encode(hmac.new(b"not-the-secret", body, hashlib.sha256).digest()).decode()
    )
    refused = client.post("/webhooks/x", data=body,
                          headers={"x-twitter-webhooks-signature": forged})  # fmt: skip
    assert refused.status_code == 401
    crc = client.get("/webhooks/x?crc_token=abc").get_json()
    expected = base64.b64encode(hmac.new(secret.encode(), b"abc", hashlib.sha256).digest())
    assert crc == {"response_token": "sha256=" + expected.decode()}
