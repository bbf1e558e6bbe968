"""TikTok's room as a host's live integration meets it, the host written from TikTok's pages,
not from demosim's code:
- "Set Up Development Configuration" (developers.tiktok.com/doc/set-up-development-
  configuration): "Click the Test URL button to send a test event. We'll send a POST request to
  your callback URL";
- "Webhooks Overview" (developers.tiktok.com/doc/webhooks-overview): the callback must
  "immediately respond with a 200 HTTP status code"; "Webhook endpoints might receive the same
  event more than once";
- "Webhook Events" (developers.tiktok.com/doc/webhooks-events): the body `{client_key, event,
  create_time, user_openid, content}`, "content: A serialized JSON string of event
  information";
- "Check the signature" (developers.tiktok.com/doc/webhooks-verification): "Split the header,
  using the , character as the separator ... split each element, using the = character ... t
  corresponds to the timestamp, and s corresponds to the signature"; "signed_payload can be
  created by concatenating: The timestamp as a string, The character ., The actual JSON
  payload (request body)"; "An HMAC with the SHA256 hash function is computed with your
  client_secret as the key"; reject a timestamp too old;
- API for Business, "Webhook event types" (portal/docs?id=1759978319341570), comment updates:
  `comment.update` with `comment_action` insert | delete | set_to_hidden | set_to_public,
  `comment_type` comment | reply, `parent_comment_id`, `video_id`, `text`, `timestamp`;
- the comment endpoints as a host calls business-api.tiktok.com/open_api/v1.3: the
  `Access-Token` header, a GET's parameters in its query, a POST's as a JSON body, every answer
  `{code, message, request_id, data}` with `code` 0 on success. (TikTok publishes no client for
  them: its Business API SDK has none of the comment endpoints, and python-tiktok, a third
  party's, pins marshmallow below 4 through dataclasses-json, which the stack cannot take; the
  calls below are python-tiktok's, parameter for parameter.)"""

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from app.bootstrap import Container
from helpers import serving
from integration.support import Workers, final_job, native_account, wait_for

pytestmark = pytest.mark.integration

CLIENT_KEY = "aw4fexample7x2k9"
SECRET = "a-client-secret-from-the-portal-0d1e"
SIZES = {"content": 3, "comments": 40, "dms": 4}


class TikTokHost:
    """A host's /webhooks/tiktok, as TikTok's pages tell one to write it."""

    def __init__(self, answer: int = 200) -> None:
        self.answer = answer
        self.events: list[dict[str, Any]] = []  # each body, `content` parsed
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self.app = Flask("tiktok-host")
        self.app.add_url_rule("/webhooks/tiktok", view_func=self.notify, methods=["POST"])

    def notify(self) -> Any:
        raw = request.get_data()  # the bytes as sent, checked before they are parsed
        elements = dict(
            e.split("=", 1) for e in request.headers.get("TikTok-Signature", "").split(",")
        )
        signed_payload = elements["t"].encode() + b"." + raw
        expected = hmac.new(SECRET.encode(), signed_payload, hashlib.sha256).hexdigest()
        with self._lock:
            fresh = abs(time.time() - int(elements["t"])) < 300
            if not hmac.compare_digest(elements["s"], expected) or not fresh:
                self.bad_signatures += 1
                return "bad signature", 401
            body = json.loads(raw)
            body["content"] = json.loads(body["content"])
            self.events.append(body)
        return "", self.answer

    def comments(self) -> list[dict[str, Any]]:
        """The comment events' contents, as they came."""
        with self._lock:
            return [e["content"] for e in self.events if e["event"] == "comment.update"]


@pytest.fixture
def host() -> Iterator[tuple[TikTokHost, str]]:
    h = TikTokHost()
    with serving(make_server("127.0.0.1", 0, h.app, threaded=True)) as base:
        yield h, f"{base}/webhooks/tiktok"


def register(client: FlaskClient, auth: dict[str, str], url: str, **more: str) -> Any:
    body = {"callback_url": url, "secret": SECRET, "client_key": CLIENT_KEY, **more}
    return client.put("/api/v1/apps/tiktok", json=body, headers=auth)


class TikTokError(Exception):
    """An answer whose `code` is not 0: the whole body."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["message"])
        self.body = body


class BusinessApi:
    """A host's calls of the comment endpoints, as python-tiktok's BusinessAccountApi makes
    them (`get_video_comments`, `get_comment_replies`, `create_reply`, `hide_comment`,
    `delete_comment`)."""

    def __init__(self, token: str, base: str) -> None:
        self.token, self.base = token, f"{base}/tiktok/open_api/v1.3"

    def _call(self, method: str, path: str, **params: Any) -> dict[str, Any]:
        given = {k: v for k, v in params.items() if v is not None}
        where = {"params": given} if method == "GET" else {"json": given}
        answer = requests.request(
            method, f"{self.base}/{path}", headers={"Access-Token": self.token}, timeout=10,
            **where,
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        assert set(body) == {"code", "message", "request_id", "data"}
        if body["code"] != 0:
            raise TikTokError(body)
        return body

    def get_video_comments(self, business_id: str, video_id: str, **more: Any) -> dict[str, Any]:
        if isinstance(more.get("comment_ids"), list):
            more["comment_ids"] = json.dumps(more["comment_ids"])
        return self._call("GET", "business/comment/list/", business_id=business_id,
                          video_id=video_id, **more)  # fmt: skip

    def get_comment_replies(
        self, business_id: str, video_id: str, comment_id: str, **more: Any
    ) -> dict[str, Any]:
        return self._call("GET", "business/comment/reply/list/", business_id=business_id,
                          video_id=video_id, comment_id=comment_id, **more)  # fmt: skip

    def create_reply(
        self, business_id: str, video_id: str, comment_id: str, text: str
    ) -> dict[str, Any]:
        return self._call("POST", "business/comment/reply/create/", business_id=business_id,
                          video_id=video_id, comment_id=comment_id, text=text)  # fmt: skip

    def hide_comment(
        self, business_id: str, video_id: str, comment_id: str, action: str
    ) -> dict[str, Any]:
        return self._call("POST", "business/comment/hide/", business_id=business_id,
                          video_id=video_id, comment_id=comment_id, action=action)  # fmt: skip

    def delete_comment(self, business_id: str, comment_id: str) -> dict[str, Any]:
        return self._call("POST", "business/comment/delete/", business_id=business_id,
                          comment_id=comment_id)  # fmt: skip


class Business:
    """A native TikTok account, delivered to the host, and the host's client of it."""

    def __init__(self, account: str, open_id: str, token: str, base: str) -> None:
        self.account, self.open_id = account, open_id
        self.api = BusinessApi(token, base)

    def every(self, video: str, **params: Any) -> list[list[dict[str, Any]]]:
        """Every page of a video's comments (`cursor`, `has_more`)."""
        pages, cursor = [], 0
        while True:
            got = self.api.get_video_comments(self.open_id, video, cursor=cursor, **params)
            assert got["message"] == "OK"
            assert got["request_id"]
            pages.append(got["data"]["comments"])
            if not got["data"]["has_more"]:
                return pages
            assert got["data"]["cursor"] > cursor
            cursor = got["data"]["cursor"]


@pytest.fixture
def business(
    client: FlaskClient,
    auth: dict[str, str],
    host: tuple[TikTokHost, str],
    live_server: str,
    workers: Workers,
) -> tuple[Business, TikTokHost]:
    h, url = host
    assert register(client, auth, url).status_code == 200
    body = native_account(client, auth, workers, "tiktok", SIZES)
    native = body["native"]
    return Business(body["account_id"], native["user_id"], native["access_token"], live_server), h


def test_an_app_is_registered_once_the_callback_takes_tiktoks_signed_test_event(
    client: FlaskClient, auth: dict[str, str], host: tuple[TikTokHost, str]
) -> None:
    h, url = host
    put = register(client, auth, url)
    assert put.status_code == 200, put.get_json()
    app = put.get_json()
    assert (app["family"], app["callback_url"], app["client_key"]) == ("tiktok", url, CLIENT_KEY)
    assert app["secret"] == "…0d1e"  # never whole
    [test] = h.events  # one POST, signed with the client secret
    assert h.bad_signatures == 0
    assert test["client_key"] == CLIENT_KEY
    assert isinstance(test["create_time"], int)

    missing = client.put(
        "/api/v1/apps/tiktok", json={"callback_url": url, "secret": SECRET}, headers=auth
    )
    assert missing.status_code == 422
    assert "client_key" in missing.get_json()["message"]
    h.answer = 500  # a callback that does not take it: refused, the app before kept
    failed = register(client, auth, url, secret="another-secret-entirely")
    assert failed.status_code == 422
    assert "HTTP 401" in failed.get_json()["message"] or "HTTP 500" in failed.get_json()["message"]
    assert client.get("/api/v1/apps/tiktok", headers=auth).get_json()["secret"] == "…0d1e"


def test_a_native_tiktok_account_is_delivered_in_comment_update_webhooks(
    client: FlaskClient, auth: dict[str, str], business: tuple[Business, TikTokHost]
) -> None:
    account, h = business
    assert h.bad_signatures == 0
    events = [e for e in h.events if e["event"] == "comment.update"]
    assert {e["client_key"] for e in events} == {CLIENT_KEY}
    assert {e["user_openid"] for e in events} == {account.open_id}
    inserts = [e["content"] for e in events if e["content"]["comment_action"] == "insert"]
    assert len(inserts) == SIZES["comments"]
    seen: set[str] = set()
    for c in inserts:  # a reply after its parent; 64-bit ids as strings
        assert c["comment_id"].isdigit()
        assert int(c["comment_id"]) < 2**63
        assert c["video_id"].isdigit()
        assert int(c["video_id"]) < 2**63
        if c["comment_type"] == "reply":
            assert c["parent_comment_id"] in seen, c
        else:
            assert (c["comment_type"], c["parent_comment_id"]) == ("comment", c["video_id"])
        assert c["text"]
        assert len(c["text"]) <= 150
        assert isinstance(c["timestamp"], int)
        seen.add(c["comment_id"])
    assert len({c["video_id"] for c in inserts}) <= SIZES["content"]
    others = {e["content"]["comment_action"] for e in events} - {"insert"}
    assert others <= {"delete", "set_to_hidden", "set_to_public"}
    state = client.get(f"/api/v1/accounts/{account.account}/demo", headers=auth).get_json()
    # every item done: the comments sent, the DMs not TikTok's comment webhooks (not sent)
    assert state["counts"]["delivery"] == {
        "sent": SIZES["comments"] + SIZES["dms"] + len(events) - len(inserts)
    }


def test_a_host_pages_through_a_videos_comments_and_replies_with_python_tiktok(
    business: tuple[Business, TikTokHost],
) -> None:
    account, h = business
    inserts = [c for c in h.comments() if c["comment_action"] == "insert"]
    gone = {c["comment_id"] for c in h.comments() if c["comment_action"] == "delete"}
    hidden = {c["comment_id"] for c in h.comments() if c["comment_action"] == "set_to_hidden"}
    video = max({c["video_id"] for c in inserts}, key=lambda v: sum(
        c["video_id"] == v for c in inserts))  # fmt: skip
    top = {c["comment_id"] for c in inserts
           if c["video_id"] == video and c["comment_type"] == "comment"}  # fmt: skip
    pages = account.every(video, max_count=4, status="ALL")
    listed = [c for page in pages for c in page]
    assert len(pages) >= 2
    assert all(len(p) == 4 for p in pages[:-1])
    assert [c["comment_id"] for c in listed] == list(dict.fromkeys(c["comment_id"] for c in listed))
    assert {c["comment_id"] for c in listed} == top - gone
    times = [c["create_time"] for c in listed]
    assert times == sorted(times, reverse=True)  # newest first
    for c in listed:
        assert c["video_id"] == video
        assert c["parent_comment_id"] == video
        assert c["status"] == ("HIDDEN" if c["comment_id"] in hidden else "PUBLIC")
        assert c["username"]
        assert c["display_name"]
        assert c["unique_identifier"]
    public = [c for p in account.every(video, max_count=30) for c in p]
    assert {c["comment_id"] for c in public} == {c["comment_id"] for c in listed} - hidden

    replied = next(c for c in listed if c["replies"] > 0)
    replies = account.api.get_comment_replies(
        account.open_id, video, replied["comment_id"], status="ALL"
    )["data"]["comments"]
    assert len(replies) == replied["replies"]
    assert {r["parent_comment_id"] for r in replies} == {replied["comment_id"]}
    with_replies = account.api.get_video_comments(
        account.open_id, video, comment_ids=[replied["comment_id"]], include_replies=True,
        status="ALL",
    )  # fmt: skip
    [shown] = with_replies["data"]["comments"]
    assert shown["comment_id"] == replied["comment_id"]
    assert shown["reply_list"]
    assert len(shown["reply_list"]) <= 3
    assert {r["comment_id"] for r in shown["reply_list"]} <= {r["comment_id"] for r in replies}


def test_a_host_replies_hides_and_deletes_and_the_person_answers(
    business: tuple[Business, TikTokHost],
) -> None:
    account, h = business
    inserts = [c for c in h.comments() if c["comment_action"] == "insert"]
    # (not one its author deleted since: TikTok told the host with a "delete" event)
    deleted = {c["comment_id"] for c in h.comments() if c["comment_action"] == "delete"}
    people = [
        c
        for c in inserts
        if c["comment_type"] == "comment" and not c["owner"] and c["comment_id"] not in deleted
    ]
    posted = {}
    for c in people[:6]:
        reply = account.api.create_reply(
            account.open_id, c["video_id"], c["comment_id"], text="Thank you, that means a lot!"
        )
        made = reply["data"]
        assert made["owner"] is True
        assert made["parent_comment_id"] == c["comment_id"]
        assert made["text"] == "Thank you, that means a lot!"
        posted[c["comment_id"]] = made["comment_id"]

    # the host's own replies come back as webhooks, and the people answer (REPLY_DELAY_SCALE
    # is 0 in tests): a reply under their own comment, after the host's
    def answered() -> list[dict[str, Any]]:
        return [
            c
            for c in h.comments()
            if c["comment_action"] == "insert" and c["parent_comment_id"] in posted
            and not c["owner"]
        ]  # fmt: skip

    heard = wait_for(answered, 30, "a person to answer the host's reply")
    assert all(c["text"] for c in heard)
    wait_for(
        lambda: set(posted.values()) <= {c["comment_id"] for c in h.comments() if c["owner"]},
        30,
        "the host's own replies as comment.update events",
    )

    # hidden: a set_to_hidden event, gone from the public list, HIDDEN in ALL
    target = people[-1]
    account.api.hide_comment(account.open_id, target["video_id"], target["comment_id"], "HIDE")
    wait_for(
        lambda: any(
            c["comment_action"] == "set_to_hidden" and c["comment_id"] == target["comment_id"]
            for c in h.comments()
        ),
        30,
        "set_to_hidden",
    )
    public = [c for p in account.every(target["video_id"], max_count=30) for c in p]
    assert target["comment_id"] not in {c["comment_id"] for c in public}

    # deleted: the account's own reply; another's cannot be
    mine = next(iter(posted.values()))
    account.api.delete_comment(account.open_id, mine)
    with pytest.raises(TikTokError) as refused:
        account.api.delete_comment(account.open_id, target["comment_id"])
    assert refused.value.body["code"] == 40001
    replies = account.api.get_comment_replies(
        account.open_id, target["video_id"], next(iter(posted)), status="ALL"
    )["data"]["comments"]
    assert mine not in {r["comment_id"] for r in replies}


def test_what_the_api_refuses_it_names_in_tiktoks_shape(
    business: tuple[Business, TikTokHost], live_server: str
) -> None:
    account, h = business
    video = h.comments()[0]["video_id"]
    stranger = BusinessApi("not-a-token", live_server)
    with pytest.raises(TikTokError) as bad_token:
        stranger.get_video_comments(account.open_id, video)
    assert bad_token.value.body["code"] == 40105
    with pytest.raises(TikTokError) as other:
        account.api.get_video_comments("act.someone-else", video)
    assert other.value.body["code"] == 40001
    for params, named in (
        ({"max_count": 31}, "max_count"),
        ({"status": "HIDDEN"}, "status"),
        ({"cursor": -1}, "cursor"),
    ):
        with pytest.raises(TikTokError) as bad:
            account.api.get_video_comments(account.open_id, video, **params)
        assert bad.value.body["code"] == 40002
        assert named in bad.value.body["message"]
    first = h.comments()[0]["comment_id"]
    with pytest.raises(TikTokError) as long:
        account.api.create_reply(account.open_id, video, first, text="x" * 151)
    assert "150" in long.value.body["message"]


def test_the_native_loop_ends_in_demosims_own_inbox_through_the_reference_host(
    client: FlaskClient,
    auth: dict[str, str],
    container: Container,
    live_server: str,
    workers: Workers,
) -> None:
    client_key, secret = container.settings.reference_tiktok_app()
    app = {"callback_url": f"{live_server}/webhooks/tiktok", "secret": secret,
           "client_key": client_key}  # fmt: skip
    assert client.put("/api/v1/apps/tiktok", json=app, headers=auth).status_code == 200
    enable = {"platform": "tiktok", "delivery": "native", "sizes": SIZES}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=enable, headers=auth)
    assert put.status_code == 202, put.get_json()
    account = put.get_json()["account_id"]
    workers.start()
    assert final_job(client, auth, put.headers["Location"], timeout=120)["status"] == "succeeded"
    with container.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT kind, platform, platform_id, in_reply_to, text FROM inbox_interactions"
                " WHERE account_id = :a"
            ),
            {"a": account},
        ).all()
        generated = (
            conn.execute(
                text(
                    "SELECT text FROM interactions WHERE account_id = :a AND event IS NULL"
                    " AND kind = 'comment'"
                ),
                {"a": account},
            )
            .scalars()
            .all()
        )
    assert {r.kind for r in rows} == {"comment"}  # TikTok's comment webhooks carry no DMs
    assert sorted(r.text for r in rows) == sorted(generated)
    assert {r.platform for r in rows} == {"tiktok"}
    ids = {r.platform_id for r in rows}
    assert all(r.in_reply_to in ids for r in rows if r.in_reply_to)

    # what the reference host refuses: another app's signature, another app's client key
    body = json.dumps({"client_key": client_key, "event": "comment.update", "create_time": 1,
                       "user_openid": "x", "content": "{}"}).encode()  # fmt: skip
    at = str(int(time.time()))
    forged = hmac.new(b"not-the-secret", at.encode() + b"." + body, hashlib.sha256).hexdigest()
    refused = client.post(
        "/webhooks/tiktok", data=body, headers={"TikTok-Signature": f"t={at},s={forged}"}
    )
    assert refused.status_code == 401
    other = body.replace(client_key.encode(), b"another-apps-key")
    signed = hmac.new(secret.encode(), at.encode() + b"." + other, hashlib.sha256).hexdigest()
    wrong_app = client.post(
        "/webhooks/tiktok", data=other, headers={"TikTok-Signature": f"t={at},s={signed}"}
    )
    assert wrong_app.status_code == 422
    assert "client_key" in wrong_app.get_json()["message"]
