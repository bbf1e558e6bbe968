"""A native Facebook Page as a host's live Page integration meets it: webhooks under the
"page" object to a host written from Meta's pages (meta_host.py), the Page's posts, comments
and replies read and answered through the Graph API with plain HTTP, from developers.facebook.com:
- "Page Feed" (docs/graph-api/reference/page/feed): `GET /{page-id}/feed` → `{"data":
  [{"created_time", "message", "id"}], "paging"}` ("id": "{page-id}_{post-id}");
- "Comments" (docs/graph-api/reference/object/comments): `GET /{object-id}/comments` a post's
  comments or a comment's replies (`created_time`, `from`, `message`, `id` by default);
  `POST /{object-id}/comments` with `message` → `{"id"}`;
- "Comment" (docs/graph-api/reference/comment): `parent`, `is_hidden`, `comment_count`;
  "Updating": `POST /{comment-id}?is_hidden=true` → `{"success": true}`;
- the Send API (docs/messenger-platform/reference/send-api): `POST /me/messages` with a Page
  token, `messaging_type` (RESPONSE), `recipient: {"id": <PSID>}` or `{"comment_id"}` (a
  private reply), `message: {"text"}` → `{"recipient_id", "message_id"}`; outside the 24 h
  window: code 10, subcode 2018278 ("Messenger Platform error codes")."""

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from app.bootstrap import Container
from helpers import serving
from integration.meta_host import (
    SECRET,
    TOKEN,
    MetaHost,
    Native,
    comment_ago,
    last_message_ago,
    native_account,
)
from integration.support import Workers, final_job, wait_for

pytestmark = pytest.mark.integration

SIZES = {"content": 2, "comments": 40, "dms": 12}


@pytest.fixture
def page(
    client: FlaskClient, auth: dict[str, str], live_server: str, workers: Workers
) -> Iterator[Native]:
    host = MetaHost()
    with serving(make_server("127.0.0.1", 0, host.app, threaded=True)) as base:
        put = native_account(
            client, auth, f"{base}/webhooks/meta", SECRET, TOKEN, SIZES, platform="facebook"
        )
        body = put.get_json()
        workers.start()
        job = final_job(client, auth, put.headers["Location"], timeout=120)
        assert job["status"] == "succeeded"
        native = body["native"]
        yield Native(host, body["account_id"], native["user_id"], native["access_token"],
                   live_server)  # fmt: skip


def test_a_pages_items_arrive_as_feed_changes_and_messenger_events_signed(page: Native) -> None:
    got = page.host.got
    assert got.objects == {"page"}
    assert got.entry_ids == {page.user_id}
    assert got.bad_signatures == 0
    assert got.comments == []  # Instagram's field is not a Page's
    added = [v for v in got.feed if v["verb"] == "add"]  # and now and then an edit, a removal
    assert len(added) == SIZES["comments"]
    assert {v["verb"] for v in got.feed} <= {"add", "edited", "remove"}
    for value in got.feed:
        assert value["item"] == "comment"
        assert value["post_id"].startswith(f"{page.user_id}_")
        assert value["comment_id"].startswith(value["post_id"].partition("_")[2] + "_")
        assert set(value["from"]) == {"id", "name"}
        assert isinstance(value["created_time"], int)
    ids = {v["comment_id"] for v in added}
    replies = [v for v in added if v["parent_id"] != v["post_id"]]
    assert replies
    assert all(r["parent_id"] in ids for r in replies)
    people = [m for m in got.messages if not m["message"].get("is_echo")]
    assert people
    assert all(m["message"]["mid"].startswith("m_") for m in got.messages)
    assert all(m["recipient"]["id"] == page.user_id for m in people)


def test_a_host_reads_the_pages_feed_comments_and_replies_as_its_webhooks_named_them(
    page: Native,
) -> None:
    feed = page.every(f"{page.user_id}/feed", limit=1)
    assert len(feed) == SIZES["content"]
    assert set(feed[0]) == {"created_time", "message", "id"}
    assert {p["id"] for p in feed} == {v["post_id"] for v in page.host.got.feed}
    assert (
        page.get(f"{page.user_id}/posts").json()["data"]
        == page.get(f"{page.user_id}/feed").json()["data"]
    )
    # the comments as they stand: with their last edit's words, the removed gone
    now = {v["comment_id"]: v for v in page.host.got.feed if v["verb"] in ("add", "edited")}
    gone = {v["comment_id"] for v in page.host.got.feed if v["verb"] == "remove"}
    standing = {i: v for i, v in now.items() if i not in gone}
    top = {i: v for i, v in standing.items() if v["parent_id"] == v["post_id"]}
    shown: dict[str, dict[str, Any]] = {}
    for post in feed:
        for c in page.every(f"{post['id']}/comments", limit=7):
            shown[c["id"]] = c
    assert set(shown) == set(top)
    one = next(iter(shown.values()))
    assert set(one) == {"created_time", "from", "message", "id"}
    assert one["from"]["name"] == top[one["id"]]["from"]["name"]
    assert one["message"] == top[one["id"]]["message"]
    # a comment's replies are its own comments edge
    parent = next(v["parent_id"] for v in standing.values() if v["parent_id"] in top)
    replies = page.every(f"{parent}/comments", fields="id,parent,message")
    expected = {i for i, v in standing.items() if v["parent_id"] == parent}
    assert {r["id"] for r in replies} == expected
    assert all(r["parent"] == {"id": parent} for r in replies)
    counted = page.get(parent, fields="comment_count,is_hidden,can_reply_privately").json()
    assert counted == {"comment_count": len(expected), "is_hidden": False,
                       "can_reply_privately": True}  # fmt: skip
    assert page.get(page.user_id).json().keys() == {"id", "name"}
    wrong = page.get(f"{parent}/replies")
    assert wrong.json()["error"]["code"] == 2500  # Instagram's edge is not a Page's


def test_a_hosts_reply_and_messages_come_back_as_a_page_sends_them_and_people_answer(
    page: Native, container: Container
) -> None:
    got = page.host.got
    removed = {v["comment_id"] for v in got.feed if v["verb"] == "remove"}
    asked = [
        v for v in got.feed
        if v["verb"] == "add" and v["parent_id"] == v["post_id"]
        and v["from"]["id"] != page.user_id and v["comment_id"] not in removed
        and not any(r["parent_id"] == v["comment_id"] for r in got.feed)
    ][:6]  # fmt: skip
    assert len(asked) == 6
    mine = {}
    for v in asked:
        answer = page.post(f"{v['comment_id']}/comments", data={"message": "Thank you so much!"})
        assert answer.status_code == 200, answer.text
        mine[answer.json()["id"]] = v
    came = wait_for(
        lambda: (
            (found := {v["comment_id"]: v for v in got.feed if v["comment_id"] in mine})
            and len(found) == len(mine)
            and found
        ),
        30,
        "the Page's replies to come back as feed changes",
    )
    for reply_id, value in came.items():
        assert value["from"]["id"] == page.user_id
        assert value["parent_id"] == mine[reply_id]["comment_id"]
        assert value["message"] == "Thank you so much!"
    fans = {v["comment_id"]: v["from"]["id"] for v in asked}
    heard = wait_for(
        lambda: [
            v for v in got.feed
            if v["verb"] == "add" and fans.get(v["parent_id"]) == v["from"]["id"]
            and v["comment_id"] not in mine
        ],
        30,
        "a person to answer the Page's reply",
    )  # fmt: skip
    assert all(v["created_time"] >= came[next(iter(came))]["created_time"] for v in heard)

    # Messenger: a message within the window, its echo; one outside it refused
    person = next(m["sender"]["id"] for m in got.messages if not m["message"].get("is_echo"))
    last_message_ago(container, page.account, person, "1 hour")
    message = {"messaging_type": "RESPONSE", "recipient": {"id": person},
               "message": {"text": "Just sent it over!"}}  # fmt: skip
    sent = page.post("me/messages", json=message)
    assert sent.status_code == 200, sent.text
    assert sent.json()["recipient_id"] == person
    mid = sent.json()["message_id"]
    assert mid.startswith("m_")
    echo = wait_for(
        lambda: next((m for m in got.messages if m["message"]["mid"] == mid), None),
        30,
        "the echo of the Page's message",
    )
    assert echo["message"]["is_echo"] is True
    assert (echo["sender"]["id"], echo["recipient"]["id"]) == (page.user_id, person)
    bad = page.post("me/messages", json={**message, "messaging_type": "SOMETIMES"})
    assert bad.json()["error"]["code"] == 100
    last_message_ago(container, page.account, person, "2 days")
    late = page.post(f"{page.user_id}/messages", json=message)
    assert (late.json()["error"]["code"], late.json()["error"]["error_subcode"]) == (10, 2018278)

    # a private reply to a comment's author, once; hiding a comment with is_hidden
    comment = asked[0]["comment_id"]
    comment_ago(container, page.account, comment, "1 day")
    private = {"recipient": {"comment_id": comment}, "message": {"text": "Sent you a DM!"}}
    assert page.post(f"{page.user_id}/messages", json=private).status_code == 200
    assert page.post(f"{page.user_id}/messages", json=private).json()["error"]["code"] == 10900
    assert page.post(comment, data={"is_hidden": "true"}).json() == {"success": True}
    assert page.get(comment, fields="is_hidden").json() == {"is_hidden": True}
    assert page.post(comment, data={"hide": "true"}).json()["error"]["code"] == 100
