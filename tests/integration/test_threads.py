"""Threads and conversations through the receiver and the inbox API, on real PostgreSQL."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from helpers import batch_body, signed_headers, wire_item

pytestmark = pytest.mark.integration

ACCOUNT = uuid.uuid4()
T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
CREATOR = {"handle": "the_creator", "display_name": "The Creator", "is_creator": True}


def receive(client: FlaskClient, items: list[dict[str, Any]]) -> None:
    body = batch_body(items)
    response = client.post("/webhooks/interactions", data=body, headers=signed_headers(body))
    assert response.status_code == 200, response.get_json()


def comment(pid: str, minutes: int, parent: str | None = None, **kw: Any) -> dict[str, Any]:
    return wire_item(0, ACCOUNT, T0 + timedelta(minutes=minutes), platform_id=pid,
                     in_reply_to=parent, **kw)  # fmt: skip


def message(pid: str, conversation: str, minutes: int, **kw: Any) -> dict[str, Any]:
    return wire_item(0, ACCOUNT, T0 + timedelta(minutes=minutes), platform_id=pid, kind="dm",
                     content=None, conversation_id=conversation, **kw)  # fmt: skip


def inbox(client: FlaskClient, auth: dict[str, str], **query: str) -> list[dict[str, Any]]:
    url = f"/api/v1/accounts/{ACCOUNT}/interactions"
    items: list[dict[str, Any]] = client.get(url, query_string=query, headers=auth).get_json()[
        "items"
    ]
    return items


def test_a_thread_is_its_comment_and_every_reply_under_it_in_time_order(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    # delivered out of order: the deepest reply first, its parents after
    receive(client, [comment("r2", 30, "r1"), comment("other", 5)])
    receive(client, [comment("root", 0), comment("r1", 10, "root", author=CREATOR)])
    receive(client, [comment("r3", 20, "root"), comment("loop-a", 1, "loop-b")])
    receive(client, [comment("loop-b", 2, "loop-a")])  # a hostile loop ends, it does not hang

    root = next(i for i in inbox(client, auth) if i["platform_id"] == "root")
    thread = client.get(
        f"/api/v1/accounts/{ACCOUNT}/interactions/{root['id']}/thread", headers=auth
    ).get_json()
    assert thread["comment"]["platform_id"] == "root"
    assert [r["platform_id"] for r in thread["replies"]] == ["r1", "r3", "r2"]
    assert thread["replies"][0]["author"]["is_creator"] is True
    assert [i["platform_id"] for i in inbox(client, auth, in_reply_to="root")] == ["r3", "r1"]

    loop = next(i for i in inbox(client, auth) if i["platform_id"] == "loop-a")
    looped = client.get(
        f"/api/v1/accounts/{ACCOUNT}/interactions/{loop['id']}/thread", headers=auth
    ).get_json()
    assert [r["platform_id"] for r in looped["replies"]] == ["loop-b"]


def test_a_thread_of_something_else_is_404(client: FlaskClient, auth: dict[str, str]) -> None:
    receive(client, [message("d1", "c1", 0)])
    (dm,) = inbox(client, auth)
    for account, interaction in ((ACCOUNT, dm["id"]), (uuid.uuid4(), dm["id"]),
                                 (ACCOUNT, str(uuid.uuid4()))):  # fmt: skip
        response = client.get(
            f"/api/v1/accounts/{account}/interactions/{interaction}/thread", headers=auth
        )
        assert response.status_code == 404
        assert "no comment" in response.get_json()["message"]


def test_conversations_newest_activity_first_with_the_person_and_paged(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    fan = {"handle": "fan_1", "display_name": "Fan One"}
    receive(
        client,
        [
            message("a1", "conv-a", 0, author=fan),
            message("a2", "conv-a", 50, author=CREATOR),
            message("a3", "conv-a", 55, author=fan),
            message("b1", "conv-b", 10, author={"handle": "fan_2", "display_name": "Fan Two"}),
            message("c1", "conv-c", 60, author=CREATOR),  # the creator wrote first
        ],
    )
    url = f"/api/v1/accounts/{ACCOUNT}/conversations"
    first = client.get(url, query_string={"limit": 2}, headers=auth).get_json()
    assert [c["conversation_id"] for c in first["items"]] == ["conv-c", "conv-a"]
    assert first["items"][0]["person"] is None
    conv_a = first["items"][1]
    assert (conv_a["person"]["handle"], conv_a["messages"]) == ("fan_1", 3)
    assert conv_a["last_message"]["platform_id"] == "a3"
    rest = client.get(
        url, query_string={"limit": 2, "cursor": first["next_cursor"]}, headers=auth
    ).get_json()
    assert [c["conversation_id"] for c in rest["items"]] == ["conv-b"]
    assert rest["next_cursor"] is None
    assert [i["platform_id"] for i in inbox(client, auth, conversation_id="conv-a")] == [
        "a3", "a2", "a1",
    ]  # fmt: skip


def test_insights_count_replies_responses_and_languages(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)
    at = lambda minutes: (now + timedelta(minutes=minutes)).isoformat()  # noqa: E731
    receive(
        client,
        [
            wire_item(0, ACCOUNT, now, platform_id="q1", intent="question", language="en"),
            wire_item(0, ACCOUNT, now, platform_id="q2", intent="question", language="es",
                      occurred_at=at(5)),
            wire_item(0, ACCOUNT, now, platform_id="a1", in_reply_to="q1", author=CREATOR,
                      intent="other", occurred_at=at(30)),
            wire_item(0, ACCOUNT, now, platform_id="f1", in_reply_to="q2", occurred_at=at(40)),
            {**message("d1", "conv-1", 0), "occurred_at": at(0)},
            {**message("d2", "conv-1", 0, author=CREATOR), "occurred_at": at(120)},
            {**message("e1", "conv-2", 0), "occurred_at": at(10)},
        ],
    )  # fmt: skip
    got = client.get(
        f"/api/v1/accounts/{ACCOUNT}/insights", query_string={"days": 2}, headers=auth
    ).get_json()
    assert (got["replies"], got["reply_share"]) == (2, 0.5)
    assert (got["asked"], got["answered"], got["response_rate"]) == (4, 2, 0.5)
    assert got["median_response_s"] == (30 * 60 + 120 * 60) / 2
    assert got["languages"] == {"en": 1, "es": 1, "unlabelled": 5}
