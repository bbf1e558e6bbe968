"""Lifecycle events as a host written from Meta's pages receives them (meta_host.py): a Page's
comments edited, removed, hidden and shown ("Webhooks for Pages", field `feed`, `verb`), an
Instagram account's messages reacted to and seen ("Webhooks for Instagram Messaging":
`reaction`, `read`), each after what it happened to; and the Graph API showing a comment as it
stands ("Comment": `message` the edited words; a removed comment no longer exists)."""

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from app.bootstrap import Container
from helpers import serving
from integration.meta_host import SECRET, TOKEN, MetaHost, last_message_ago, native_account
from integration.support import Workers, final_job, wait_for

pytestmark = pytest.mark.integration


class Native:
    def __init__(self, host: MetaHost, body: dict[str, Any], base: str) -> None:
        self.host, self.account = host, body["account_id"]
        self.user_id, self.token = body["native"]["user_id"], body["native"]["access_token"]
        self.graph = f"{base}/graph/v21.0"

    def call(self, method: str, path: str, **params: Any) -> dict[str, Any]:
        params["access_token"] = self.token
        answer = requests.request(method, f"{self.graph}/{path}", params=params, timeout=10)
        body: dict[str, Any] = answer.json()
        return body


@pytest.fixture
def start(
    client: FlaskClient, auth: dict[str, str], live_server: str, workers: Workers
) -> Iterator[Any]:
    """Enables a native account (a full default batch: events are a few in a hundred) with its
    webhooks going to a host of Meta's pages, and waits for the batch."""
    host = MetaHost()
    with serving(make_server("127.0.0.1", 0, host.app, threaded=True)) as base:

        def enable(platform: str, persona: str) -> Native:
            sizes = {"content": 10, "comments": 920, "dms": 100}
            put = native_account(client, auth, f"{base}/webhooks/meta", SECRET, TOKEN, sizes,
                                 platform, persona=persona)  # fmt: skip
            workers.start()
            job = final_job(client, auth, put.headers["Location"], timeout=180)
            assert job["status"] == "succeeded"
            return Native(host, put.get_json(), live_server)

        yield enable


def test_a_pages_comments_are_edited_removed_hidden_and_shown_after_they_came(
    start: Any,
) -> None:
    page: Native = start("facebook", "gaming")
    feed = page.host.got.feed
    added = {v["comment_id"]: n for n, v in enumerate(feed) if v["verb"] == "add"}
    said = {v["comment_id"]: v for v in feed if v["verb"] == "add"}
    edited = [(n, v) for n, v in enumerate(feed) if v["verb"] == "edited"]
    removed = [(n, v) for n, v in enumerate(feed) if v["verb"] == "remove"]
    assert edited
    assert removed
    for n, v in edited + removed:
        assert added[v["comment_id"]] < n  # after the comment itself
        assert v["parent_id"] == said[v["comment_id"]]["parent_id"]
        assert v["from"] == said[v["comment_id"]]["from"]  # by its author
    for _, v in edited:
        assert v["message"].startswith(said[v["comment_id"]]["message"])
    assert all("message" not in v for _, v in removed)
    assert len(said) == 920  # events are not new comments

    # the Graph API shows each as it stands: the last edit's words, the removed gone
    last = {v["comment_id"]: v["message"] for _, v in edited}
    some = next(iter(last))
    assert page.call("GET", some, fields="message") == {"message": last[some]}
    gone = removed[0][1]
    error = page.call("GET", gone["comment_id"])["error"]
    assert (error["code"], error["error_subcode"]) == (100, 33)
    listed = page.call("GET", f"{gone['post_id']}/comments", limit=100, fields="id")
    assert gone["comment_id"] not in {c["id"] for c in listed["data"]}

    # the Page hides a comment and shows it again: the feed says so
    other = next(
        v for v in said.values()
        if v["from"]["id"] != page.user_id and v["comment_id"] not in last
        and v["comment_id"] != gone["comment_id"]
    )  # fmt: skip
    assert page.call("POST", other["comment_id"], is_hidden="true") == {"success": True}
    assert page.call("POST", other["comment_id"], is_hidden="true") == {"success": True}
    assert page.call("POST", other["comment_id"], is_hidden="false") == {"success": True}
    verbs = wait_for(
        lambda: (
            (v := [x["verb"] for x in feed if x["comment_id"] == other["comment_id"]])
            and len(v) == 3
            and v
        ),
        30,
        "the Page's hide and unhide to come as feed changes",
    )
    assert verbs == ["add", "hide", "unhide"]  # hidden twice is one hide


def test_an_instagram_accounts_messages_are_reacted_to_and_seen_after_they_came(
    start: Any, container: Container
) -> None:
    account: Native = start("instagram", "beauty")
    messaging = account.host.got.messaging
    echoes = {m["message"]["mid"]: n for n, m in enumerate(messaging)
              if "message" in m and m["message"].get("is_echo")}  # fmt: skip
    reactions = [(n, m) for n, m in enumerate(messaging) if "reaction" in m]
    assert reactions
    for n, m in reactions:
        assert m["reaction"]["mid"] in echoes  # to one of the account's own messages
        assert echoes[m["reaction"]["mid"]] < n
        assert m["recipient"] == {"id": account.user_id}
    first = {m["reaction"]["mid"]: m["reaction"]["action"] for _, m in reversed(reactions)}
    assert set(first.values()) == {"react"}  # an unreaction only after a reaction

    # the host answers someone: they see it, then answer (REPLY_DELAY_SCALE is 0 in tests)
    person = next(m["sender"]["id"] for m in messaging
                  if "message" in m and not m["message"].get("is_echo"))  # fmt: skip
    last_message_ago(container, account.account, person, "1 hour")
    sent = account.call("POST", f"{account.user_id}/messages",
                        recipient=f'{{"id": "{person}"}}',
                        message='{"text": "Thank you, it means a lot!"}')  # fmt: skip
    mid = sent["message_id"]
    read = wait_for(
        lambda: next((n for n, m in enumerate(messaging) if m.get("read", {}).get("mid") == mid),
                     None),
        30,
        "the person to see the host's message",
    )  # fmt: skip
    assert messaging[read]["sender"] == {"id": person}
    echo = next(n for n, m in enumerate(messaging) if m.get("message", {}).get("mid") == mid)
    assert echo < read
    answers = [n for n, m in enumerate(messaging)
               if n > echo and "message" in m and m["sender"]["id"] == person]  # fmt: skip
    assert all(read < n for n in answers)
