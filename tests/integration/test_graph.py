"""The emulated Graph API as a host calls it: plain HTTP (`requests`) against demosim's own
server, shapes and errors as developers.facebook.com documents them:
- "IG Media Comments" (docs/instagram-platform/instagram-graph-api/reference/ig-media/
  comments): `GET /17895695668004550/comments` answers `{"data": [{"timestamp":
  "2017-08-31T18:10:30+0000", "text": "I love this!", "id": "17873440459141021"}, …]}`;
  `POST /<IG_MEDIA_ID>/comments?message=…` answers `{"id": "17870913679156914"}`;
- "IG Comment Replies" (…/reference/ig-comment/replies): `POST /<IG_COMMENT_ID>/replies
  ?message=…` → `{"id"}`, "you can only reply to top-level comments";
- "Paginated Results" (docs/graph-api/results): `{"data", "paging": {"cursors": {"before",
  "after"}, "previous", "next"}}` — "next: the Graph API endpoint that will return the next
  page of data. If not included, this is the last page of data";
- "Handling Errors" (docs/graph-api/guides/error-handling): `{"error": {"message", "type",
  "code", "error_subcode", "fbtrace_id"}}`, 190 an invalid access token;
- "Instagram Messaging", "Send a Message" and "Private Replies" (docs/messenger-platform/
  instagram/features/…): `POST /<IG_ID>/messages` with `recipient: {"id": <IGSID>}` or
  `{"comment_id": …}` and `message: {"text"}` → `{"recipient_id", "message_id"}`; a message
  only within 24 h of the person's last one (code 10, subcode 2018278); one private reply per
  comment."""

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from facebook_business.adobjects.igcomment import IGComment
from facebook_business.adobjects.igmedia import IGMedia
from facebook_business.adobjects.iguser import IGUser
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from app.bootstrap import Container
from helpers import csrf_of, serving
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
def native(
    client: FlaskClient, auth: dict[str, str], live_server: str, workers: Workers
) -> Iterator[Native]:
    host = MetaHost()
    with serving(make_server("127.0.0.1", 0, host.app, threaded=True)) as base:
        put = native_account(client, auth, f"{base}/webhooks/meta", SECRET, TOKEN, SIZES)
        body = put.get_json()
        workers.start()
        assert final_job(client, auth, put.headers["Location"], timeout=120)["status"] == (
            "succeeded"
        )
        yield Native(
            host,
            body["account_id"],
            body["native"]["user_id"],
            body["native"]["access_token"],
            live_server,
        )


def test_a_host_pages_through_media_comments_and_replies_as_its_webhooks_named_them(
    native: Native,
) -> None:
    media = [m for page in native.pages(f"{native.user_id}/media", limit=1) for m in page]
    webhooks = native.host.got.comments
    assert {m["id"] for m in media} == {c["media"]["id"] for c in webhooks}
    assert len(media) == 2
    for m in media:
        pages = native.pages(f"{m['id']}/comments", limit=4)
        got = [c for page in pages for c in page]
        assert all(set(c) == {"timestamp", "text", "id"} for c in got)  # the default fields
        top = {c["id"]: c["text"] for c in webhooks if c["media"]["id"] == m["id"]}
        top = {i: t for i, t in top.items() if not _parent(webhooks, i)}
        assert {c["id"]: c["text"] for c in got} == top
        assert len(got) == len(top)  # no page repeated an item
        times = [c["timestamp"] for c in got]
        assert times == sorted(times, reverse=True)  # newest first
        assert all(t.endswith("+0000") and len(t) == 24 for t in times)
    parent = next(c["parent_id"] for c in webhooks if c.get("parent_id"))
    replies = native.get(f"{parent}/replies", fields="id,text,username,parent_id,from")
    assert replies.status_code == 200, replies.text
    expected = {c["id"]: c for c in webhooks if c.get("parent_id") == parent}
    assert {r["id"] for r in replies.json()["data"]} == set(expected)
    for r in replies.json()["data"]:
        assert r["parent_id"] == parent
        assert r["from"] == expected[r["id"]]["from"]
        assert r["username"] == expected[r["id"]]["from"]["username"]


def test_metas_own_sdk_reads_and_replies_with_only_its_graph_url_changed(native: Native) -> None:
    """facebook-business (Meta's Python SDK): IGUser.get_media, IGMedia.get_comments (its
    Cursor pages by `paging.cursors.after` while `next` is given), IGComment.get_replies and
    create_reply, against demosim by `FacebookSession.GRAPH`."""
    session = FacebookSession(access_token=native.token)
    session.GRAPH = native.graph.removesuffix("/v21.0")
    api = FacebookAdsApi(session, api_version="v21.0")
    media = list(IGUser(native.user_id, api=api).get_media(fields=["id", "comments_count"]))
    assert len(media) == 2
    assert all(isinstance(m, IGMedia) for m in media)
    webhooks = native.host.got.comments
    for m in media:
        comments = m.get_comments(fields=["id", "text", "username"], params={"limit": 3})
        got = {c["id"]: c["username"] for c in comments}
        top = {c["id"]: c["from"]["username"] for c in webhooks if c["media"]["id"] == m["id"]}
        assert got == {i: u for i, u in top.items() if not _parent(webhooks, i)}
    parent = next(c["parent_id"] for c in webhooks if c.get("parent_id"))
    replies = IGComment(parent, api=api).get_replies(fields=["id", "text"])
    assert {r["id"] for r in replies} == {c["id"] for c in webhooks if c.get("parent_id") == parent}
    made = IGComment(parent, api=api).create_reply(params={"message": "Thank you!"})
    assert made["id"].isdigit()


def test_previous_pages_back_to_what_came_before(native: Native) -> None:
    m = native.get(f"{native.user_id}/media").json()["data"][0]["id"]
    first = native.get(f"{m}/comments", limit=3).json()
    assert "previous" not in first["paging"]
    second = requests.get(first["paging"]["next"], timeout=10).json()
    back = requests.get(second["paging"]["previous"], timeout=10).json()
    assert [c["id"] for c in back["data"]] == [c["id"] for c in first["data"]]


def test_a_hosts_reply_comes_back_as_the_accounts_comment_and_fans_answer_under_it(
    native: Native,
) -> None:
    got = native.host.got
    asked = [
        c
        for c in got.comments
        if "parent_id" not in c
        and c["from"]["id"] != native.user_id
        and not any(r.get("parent_id") == c["id"] for r in got.comments)
    ][:8]
    assert len(asked) == 8
    mine = {}
    for c in asked:
        answer = native.post(f"{c['id']}/replies", data={"message": "Thanks, glad it helped!"})
        assert answer.status_code == 200, answer.text
        assert set(answer.json()) == {"id"}
        assert answer.json()["id"].isdigit()
        mine[answer.json()["id"]] = c
    # each comes back as a comments change from the account itself, under the fan's comment
    came = wait_for(
        lambda: (
            (found := {v["id"]: v for v in got.comments if v["id"] in mine})
            and len(found) == len(mine)
            and found
        ),
        30,
        "the host's replies to come back as webhooks",
    )
    for reply_id, value in came.items():
        assert value["from"]["id"] == native.user_id
        assert value["parent_id"] == mine[reply_id]["id"]
        assert value["text"] == "Thanks, glad it helped!"
    # the fans answer (REPLY_DELAY_SCALE is 0 in tests), under their own comment, after it
    fans = {c["id"]: c["from"]["username"] for c in asked}

    def answers() -> list[dict[str, Any]]:
        return [
            v
            for v in got.comments
            if v.get("parent_id") in fans
            and v["id"] not in mine
            and v["from"]["username"] == fans[v["parent_id"]]
        ]

    heard = wait_for(answers, 30, "a fan to answer the host's reply")
    order = [v["id"] for v in got.comments]
    for v in heard:
        reply = next(i for i, c in mine.items() if c["id"] == v["parent_id"])
        assert order.index(reply) < order.index(v["id"])
        assert v["from"]["id"] != native.user_id
    # and the Graph API shows them: the account's reply among the comment's replies
    first = next(iter(mine))
    shown = native.get(f"{mine[first]['id']}/replies", fields="id,from")
    assert first in {r["id"] for r in shown.json()["data"]}
    # a reply to a reply is refused, as Instagram's threads are one level deep
    nested = native.post(f"{first}/replies", data={"message": "and again"})
    assert nested.status_code == 400
    assert nested.json()["error"]["code"] == 100


def test_a_host_messages_a_person_within_24_hours_and_privately_replies_once(
    native: Native, container: Container
) -> None:
    got = native.host.got
    people = sorted({m["sender"]["id"] for m in got.messages if not m["message"].get("is_echo")})
    assert len(people) >= 2
    recent, old = people[0], people[1]
    last_message_ago(container, native.account, recent, "1 hour")
    last_message_ago(container, native.account, old, "2 days")

    sent = native.post(
        f"{native.user_id}/messages",
        json={"recipient": {"id": recent}, "message": {"text": "Sent it again just now"}},
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["recipient_id"] == recent
    mid = sent.json()["message_id"]
    echo = wait_for(
        lambda: next((m for m in got.messages if m["message"]["mid"] == mid), None),
        30,
        "the echo of the host's message",
    )
    assert echo["message"]["is_echo"] is True
    assert (echo["sender"]["id"], echo["recipient"]["id"]) == (native.user_id, recent)
    # JSON-encoded in form fields, as Graph reads an object parameter too
    form = {"recipient": json.dumps({"id": recent}), "message": json.dumps({"text": "Anytime"})}
    assert native.post(f"{native.user_id}/messages", data=form).status_code == 200

    late = native.post(
        f"{native.user_id}/messages",
        json={"recipient": {"id": old}, "message": {"text": "Sorry for the wait"}},
    )
    assert late.status_code == 400
    error = late.json()["error"]
    assert (error["code"], error["error_subcode"]) == (10, 2018278)
    assert error["fbtrace_id"]
    assert error["type"] == "OAuthException"

    comment = next(c for c in got.comments if c["from"]["id"] != native.user_id)
    comment_ago(container, native.account, comment["id"], "1 day")
    private = {"recipient": {"comment_id": comment["id"]}, "message": {"text": "DM'd you!"}}
    first = native.post(f"{native.user_id}/messages", json=private)
    assert first.status_code == 200, first.text
    assert first.json()["recipient_id"] != native.user_id
    again = native.post(f"{native.user_id}/messages", json=private)
    assert again.status_code == 400
    assert again.json()["error"]["code"] == 10900
    # the private reply went to the commenter's conversation, as an echo
    pm = first.json()["message_id"]
    wait_for(lambda: any(m["message"]["mid"] == pm for m in got.messages), 30, "the echo")


def test_a_host_hides_and_deletes_comments_on_the_accounts_posts(native: Native) -> None:
    """ "Comment Moderation" (docs/instagram-platform/instagram-graph-api/guides/comment-
    moderation): `POST /{ig-comment-id}?hide=true|false`, `DELETE /{ig-comment-id}`, each
    answering `{"success": true}`; the comment node's `hidden` field."""
    webhooks = native.host.got.comments
    parent = next(c["parent_id"] for c in webhooks if c.get("parent_id"))
    media = next(c["media"]["id"] for c in webhooks if c["id"] == parent)
    other = next(
        c for c in webhooks
        if "parent_id" not in c and c["id"] != parent and c["from"]["id"] != native.user_id
    )  # fmt: skip

    def shown() -> dict[str, bool]:
        pages = native.pages(f"{media}/comments", fields="id,hidden", limit=100)
        return {c["id"]: c["hidden"] for page in pages for c in page}

    assert native.post(other["id"], data={"hide": "true"}).json() == {"success": True}
    if other["media"]["id"] == media:
        assert shown()[other["id"]] is True
    assert native.get(other["id"], fields="hidden").json() == {"hidden": True}
    assert native.post(other["id"], json={"hide": False}).json() == {"success": True}
    assert native.get(other["id"], fields="hidden").json() == {"hidden": False}
    assert native.post(other["id"], data={"hide": "maybe"}).json()["error"]["code"] == 100

    gone = requests.delete(
        f"{native.graph}/{parent}", params={"access_token": native.token}, timeout=10
    )
    assert gone.json() == {"success": True}
    assert parent not in shown()
    reply = next(c["id"] for c in webhooks if c.get("parent_id") == parent)
    assert native.get(reply).json()["error"]["code"] == 100  # its replies went with it
    again = requests.delete(
        f"{native.graph}/{parent}", params={"access_token": native.token}, timeout=10
    )
    assert again.json()["error"]["error_subcode"] == 33


def test_graph_errors_in_metas_shape(native: Native, count_rows: Callable[[str], int]) -> None:
    rows = count_rows("interactions")
    wrong = requests.get(
        f"{native.graph}/{native.user_id}/media", params={"access_token": "EAAD-nope"}, timeout=10
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == 190
    assert set(wrong.json()["error"]) >= {"message", "type", "code", "fbtrace_id"}
    none = requests.get(f"{native.graph}/{native.user_id}/media", timeout=10)
    assert none.json()["error"]["code"] == 104
    missing = native.get("17999999999999999/comments")
    assert missing.json()["error"]["code"] == 100
    assert missing.json()["error"]["error_subcode"] == 33
    media = native.get(f"{native.user_id}/media").json()["data"][0]["id"]
    field = native.get(f"{media}/comments", fields="id,colour")
    assert field.status_code == 400
    assert "colour" in field.json()["error"]["message"]
    assert native.get(f"{media}/comments", limit="many").json()["error"]["code"] == 100
    empty = native.post(f"{media}/comments", data={"message": ""})
    assert empty.json()["error"]["code"] == 100
    nowhere = native.post(
        f"{native.user_id}/messages", json={"recipient": {"id": "1"}, "message": {"text": "hi"}}
    )
    assert nowhere.json()["error"]["code"] == 100
    assert count_rows("interactions") == rows  # nothing stored by what was refused
    # the account's own comment on its post
    posted = native.post(f"{media}/comments", params={"message": "New video Friday!"})
    assert posted.status_code == 200
    shown = native.get(f"{media}/comments", fields="id,text,from").json()["data"]
    mine = next(c for c in shown if c["id"] == posted.json()["id"])
    assert (mine["text"], mine["from"]["id"]) == ("New video Friday!", native.user_id)
    other = str(uuid.uuid4())
    assert native.get(other).json()["error"]["code"] == 100


@pytest.mark.parametrize(
    ("platform", "name"), [("instagram", "Instagram"), ("facebook", "Facebook")]
)
def test_the_dashboard_replies_for_a_native_account_through_the_graph_api(
    signed_in: FlaskClient,
    auth: dict[str, str],
    container: Container,
    live_server: str,
    workers: Workers,
    platform: str,
    name: str,
) -> None:
    """The reference host's inbox (demosim's own /webhooks/meta) on the dashboard: a reply box
    under a native account's threads and conversations, posting through the Graph API (a
    Page's reply on the comment's `comments` edge); what was said comes back to the inbox as
    the platform's webhook."""
    client = signed_in
    secret, token = container.settings.reference_meta_app()
    callback = f"{live_server}/webhooks/meta"
    put = native_account(client, auth, callback, secret, token, SIZES, platform)
    account = put.get_json()["account_id"]
    workers.start()
    assert final_job(client, auth, put.headers["Location"], timeout=120)["status"] == "succeeded"
    with container.engine.connect() as conn:
        top = conn.execute(
            text(
                "SELECT id, platform_id FROM inbox_interactions WHERE account_id = :a"
                " AND kind = 'comment' AND in_reply_to IS NULL AND NOT author_is_creator"
                " LIMIT 1"
            ),
            {"a": account},
        ).one()
        person = conn.execute(
            text(
                "SELECT conversation_id FROM inbox_interactions WHERE account_id = :a"
                " AND kind = 'dm' AND NOT author_is_creator LIMIT 1"
            ),
            {"a": account},
        ).scalar_one()
    page = f"/dashboard/accounts/{account}/inbox/{top.id}/thread"
    shown = client.get(page)
    assert "Reply as the account, through the Graph API" in shown.text
    csrf = csrf_of(client, page)
    sent = client.post(
        f"{page[: -len('/thread')]}/reply", data={"message": "Thank you!", "csrf_token": csrf}
    )
    assert sent.status_code == 302
    assert (
        f"comes back to this inbox as {name} sends it" in client.get(sent.headers["Location"]).text
    )

    def replies_in_inbox() -> list[Any]:
        with container.engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "SELECT text, author_is_creator FROM inbox_interactions"
                        " WHERE account_id = :a AND in_reply_to = :p"
                    ),
                    {"a": account, "p": top.platform_id},
                )
            )

    came = wait_for(
        lambda: [r for r in replies_in_inbox() if r.author_is_creator and r.text == "Thank you!"],
        30,
        "the dashboard's reply to come back through the reference host",
    )
    assert len(came) == 1

    last_message_ago(container, account, person, "2 hours")
    chat = f"/dashboard/accounts/{account}/conversation?id={person}"
    assert "Message as the account, through the Graph API" in client.get(chat).text
    answer = client.post(
        f"/dashboard/accounts/{account}/conversation/reply",
        data={"id": person, "message": "On its way!", "csrf_token": csrf_of(client, chat)},
    )
    assert answer.status_code == 302
    wait_for(lambda: "On its way!" in client.get(chat).text, 30, "the message's echo in the inbox")
    last_message_ago(container, account, person, "3 days")
    late = client.post(
        f"/dashboard/accounts/{account}/conversation/reply",
        data={"id": person, "message": "Hello?", "csrf_token": csrf_of(client, chat)},
        follow_redirects=True,
    )
    assert "The Graph API refused it" in late.text
    assert "outside of allowed window" in late.text


def _parent(webhooks: list[dict[str, Any]], comment_id: str) -> str | None:
    return next((c.get("parent_id") for c in webhooks if c["id"] == comment_id), None)
