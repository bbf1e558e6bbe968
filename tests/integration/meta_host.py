"""A host's Meta webhook endpoint, written from Meta's documentation, not from demosim's code:
- GET: "Getting Started" (developers.facebook.com/docs/graph-api/webhooks/getting-started),
  "Verification Requests": check hub.mode is "subscribe" and hub.verify_token is the token
  set for the app, answer 200 with hub.challenge;
- POST: the same page's "Event Notifications" / "Validate Payloads": "generate a SHA256
  signature using the payload and your app's App Secret", compare it with the signature in the
  X-Hub-Signature-256 header (everything after "sha256="), then parse the JSON;
- payloads: "Instagram Platform Webhook Notification Examples" (comments: entry[].changes[]
  {field: "comments", value: {id, from: {id, username}, text, media: {id, ...}, parent_id}})
  and "Webhooks for Instagram Messaging" (entry[].messaging[] {sender, recipient, timestamp,
  message: {mid, text, is_echo}}); a Page's: "Webhooks for Pages" (object "page", entry[].
  changes[] {field: "feed", value: {item, verb, post_id, comment_id, parent_id, from: {id,
  name}, message, created_time}}) and "Webhooks for Messenger" (the same messaging[] items)."""

import hashlib
import hmac
import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.test import TestResponse

from app.bootstrap import Container

TOKEN = "a-verify-token-the-host-chose"
SECRET = "3f1c0ffee0ddba11ca5eca5ecafef00d"


@dataclass
class Received:
    comments: list[dict[str, Any]] = field(default_factory=list)  # values, as they came
    feed: list[dict[str, Any]] = field(default_factory=list)  # a Page's feed values
    messages: list[dict[str, Any]] = field(default_factory=list)  # new messages and echoes
    messaging: list[dict[str, Any]] = field(default_factory=list)  # every messaging item
    events: int = 0  # what happened to items: edits, removals, unsends, reactions, reads
    entry_ids: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)
    posts: int = 0
    bad_signatures: int = 0


class MetaHost:
    def __init__(self) -> None:
        self.asked: list[dict[str, str]] = []  # verification requests
        self.answer = "challenge"  # or "json", "slow"
        self.got = Received()
        self._lock = threading.Lock()
        self.app = Flask("host")
        self.app.add_url_rule("/webhooks/meta", view_func=self.verify, methods=["GET"])
        self.app.add_url_rule("/webhooks/meta", view_func=self.notify, methods=["POST"])

    def verify(self) -> Any:
        self.asked.append(dict(request.args))
        if self.answer == "slow":
            threading.Event().wait(2)
        mode, token = request.args.get("hub.mode"), request.args.get("hub.verify_token")
        if mode != "subscribe" or token != TOKEN:
            return "Forbidden", 403
        if self.answer == "json":
            return {"verified": True}
        return request.args["hub.challenge"], 200

    def notify(self) -> Any:
        raw = request.get_data()  # the bytes as sent: never re-serialised before the check
        header = request.headers.get("X-Hub-Signature-256", "")
        expected = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        with self._lock:
            self.got.posts += 1
            if not hmac.compare_digest(header.removeprefix("sha256="), expected):
                self.got.bad_signatures += 1
                return "bad signature", 403
            payload = json.loads(raw)
            self.got.objects.add(payload["object"])
            for entry in payload["entry"]:
                self.got.entry_ids.add(entry["id"])
                for change in entry.get("changes", []):
                    if change["field"] == "comments":
                        self.got.comments.append(change["value"])
                    elif change["field"] == "feed":
                        self.got.feed.append(change["value"])
                        self.got.events += change["value"]["verb"] != "add"
                for item in entry.get("messaging", []):
                    # a message or its echo; otherwise an unsend (`is_deleted`), a reaction,
                    # a read or an edit, as "Webhooks for Instagram Messaging" lists them
                    self.got.messaging.append(item)
                    if "message" in item and not item["message"].get("is_deleted"):
                        self.got.messages.append(item)
                    else:
                        self.got.events += 1
        return "EVENT_RECEIVED", 200


def native_account(
    client: FlaskClient,
    auth: dict[str, str],
    callback: str,
    secret: str,
    token: str,
    sizes: dict[str, int],
    platform: str = "instagram",
    **more: object,
) -> TestResponse:
    """The Meta app registered (its handshake answered), then a native Instagram account (or a
    Facebook Page; `more` of the enable body: a persona, a seed)."""
    app = {"callback_url": callback, "secret": secret, "verify_token": token}
    registered = client.put("/api/v1/apps/meta", json=app, headers=auth)
    assert registered.status_code == 200, registered.get_json()
    enable = {"platform": platform, "delivery": "native", "sizes": sizes, **more}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=enable, headers=auth)
    assert put.status_code == 202, put.get_json()
    return put


def last_message_ago(container: Container, account: str, person: str, ago: str) -> None:
    """The conversation moved back so that the person's own last message was `ago` (a test's
    arrangement: generated conversations lie anywhere in the past days; the creator's answer
    may come a day after it, so the window runs from the person's, not the conversation's)."""
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE interactions SET occurred_at = now() - CAST(:ago AS interval)"
                " - (SELECT max(occurred_at) FROM interactions WHERE account_id = :a"
                "    AND conversation_id = :p AND NOT author_is_creator) + occurred_at"
                " WHERE account_id = :a AND conversation_id = :p"
            ),
            {"a": account, "p": person, "ago": ago},
        )


def comment_ago(container: Container, account: str, comment: str, ago: str) -> None:
    """The comment moved back to `ago`."""
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE interactions SET occurred_at = now() - CAST(:ago AS interval)"
                " WHERE account_id = :a AND platform_id = :c"
            ),
            {"a": account, "c": comment, "ago": ago},
        )


class Native:
    """A native account (Instagram's, or a Page) delivered to a host written from Meta's pages,
    and the Graph API a host reaches it by."""

    def __init__(self, host: MetaHost, account: str, user_id: str, token: str, base: str):
        self.host, self.account, self.user_id = host, account, user_id
        self.token, self.graph = token, f"{base}/graph/v21.0"

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(
            f"{self.graph}/{path}", params={"access_token": self.token, **params}, timeout=10
        )

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return requests.post(f"{self.graph}/{path}", headers=headers, timeout=10, **kwargs)

    def pages(self, path: str, **params: Any) -> list[list[dict[str, Any]]]:
        """Every page of an edge, following `next` until there is none."""
        answer = self.get(path, **params)
        pages = []
        while True:
            assert answer.status_code == 200, answer.text
            body = answer.json()
            pages.append(body["data"])
            if "next" not in body.get("paging", {}):
                return pages
            answer = requests.get(body["paging"]["next"], timeout=10)

    def every(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """An edge's items over every page."""
        return [item for page in self.pages(path, **params) for item in page]
