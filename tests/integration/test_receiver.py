"""POST /webhooks/interactions against real PostgreSQL: signatures, validation, idempotency."""

import json
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask.testing import FlaskClient

from helpers import WEBHOOK_SECRET, batch_body, signed_headers, wire_item

ACCOUNT = uuid.uuid4()
NOW = datetime.now(UTC)
URL = "/webhooks/interactions"


def items(n: int, start: int = 0) -> list[dict[str, object]]:
    return [wire_item(i, ACCOUNT, NOW - timedelta(minutes=i)) for i in range(start, start + n)]


def post(client: FlaskClient, body: bytes, **sign: object) -> tuple[int, dict[str, object]]:
    response = client.post(URL, data=body, headers=signed_headers(body, **sign))  # type: ignore[arg-type]
    return response.status_code, response.get_json()


def test_first_delivery_creates_and_a_resend_reports_duplicates_with_the_same_ids(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    body = batch_body(items(5))
    status, first = post(client, body)
    assert status == 200
    assert [i["status"] for i in first["items"]] == ["created"] * 5
    assert first["replayed"] is False

    status, second = post(client, body)  # a new webhook-id: a sender that re-sent the items
    assert status == 200
    assert [i["status"] for i in second["items"]] == ["duplicate"] * 5
    assert [i["id"] for i in second["items"]] == [i["id"] for i in first["items"]]
    assert [i["platform_id"] for i in second["items"]] == [f"yt-comment-{n}" for n in range(5)]
    assert count_rows("inbox_interactions") == 5


def test_a_replayed_message_is_recognised_by_its_webhook_id(client: FlaskClient) -> None:
    body = batch_body(items(2))
    _, first = post(client, body, webhook_id="msg_replayed")
    status, replay = post(client, body, webhook_id="msg_replayed")
    assert status == 200
    assert (first["replayed"], replay["replayed"]) == (False, True)
    assert {i["status"] for i in replay["items"]} == {"duplicate"}


def test_a_batch_mixing_new_and_known_items_and_repeating_one(client: FlaskClient) -> None:
    post(client, batch_body(items(2)))
    mixed = items(3)  # 0 and 1 known, 2 new
    status, result = post(client, batch_body([*mixed, mixed[2]]))
    assert status == 200
    assert [i["status"] for i in result["items"]] == [
        "duplicate",
        "duplicate",
        "created",
        "duplicate",
    ]
    assert result["items"][2]["id"] == result["items"][3]["id"]


def test_stored_items_read_back_as_sent(client: FlaskClient, auth: dict[str, str]) -> None:
    occurred = datetime(2026, 2, 1, 10, 30, tzinfo=UTC)
    sent = wire_item(1, ACCOUNT, occurred, kind="dm", content=None, intent=None, sentiment=None)
    sent["occurred_at"] = "2026-02-01T12:30:00+02:00"  # the same instant, another offset
    post(client, batch_body([sent]))
    got = client.get(f"/api/v1/accounts/{ACCOUNT}/interactions", headers=auth).get_json()["items"]
    assert len(got) == 1
    assert got[0]["occurred_at"] == "2026-02-01T10:30:00+00:00"
    assert (got[0]["kind"], got[0]["content"], got[0]["intent"]) == ("dm", None, None)
    assert got[0]["author"] == {**sent["author"], "is_creator": False}  # v1 items: a fan
    assert (got[0]["in_reply_to"], got[0]["conversation_id"], got[0]["language"]) == (None,) * 3
    assert got[0]["is_demo"] is True


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda h: h.pop("webhook-signature"), id="missing signature"),
        pytest.param(lambda h: h.pop("webhook-id"), id="missing id"),
        pytest.param(lambda h: h.update({"webhook-signature": "v1,AAAA"}), id="wrong signature"),
        pytest.param(
            lambda h: h.update({"webhook-signature": "garbage"}), id="malformed signature"
        ),
        pytest.param(lambda h: h.update({"webhook-id": "msg_other"}), id="signature of another id"),
    ],
)
def test_an_unsigned_or_tampered_message_is_rejected_and_nothing_stored(
    client: FlaskClient,
    count_rows: Callable[[str], int],
    tamper: Callable[[dict[str, str]], object],
) -> None:
    body = batch_body(items(3))
    headers = signed_headers(body)
    tamper(headers)
    response = client.post(URL, data=body, headers=headers)
    assert response.status_code == 401
    assert "webhook rejected" in response.get_json()["message"]
    assert count_rows("inbox_interactions") == count_rows("webhook_receipts") == 0


@pytest.mark.parametrize(
    ("skew", "why"),
    [(timedelta(minutes=-6), "too old"), (timedelta(minutes=6), "too new")],
)
def test_a_timestamp_outside_five_minutes_is_rejected(
    client: FlaskClient, count_rows: Callable[[str], int], skew: timedelta, why: str
) -> None:
    status, body = post(client, batch_body(items(1)), at=datetime.now(UTC) + skew)
    assert status == 401
    assert why in str(body["message"])
    assert count_rows("inbox_interactions") == 0


def test_a_body_signed_with_another_secret_is_rejected(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    other = "whsec_" + "b" * 43 + "="
    assert other != WEBHOOK_SECRET
    status, _ = post(client, batch_body(items(1)), secret=other)
    assert status == 401
    assert count_rows("inbox_interactions") == 0


def test_a_body_over_one_mebibyte_is_413_and_nothing_stored(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    big = items(1)
    big[0]["padding"] = "x" * (1024 * 1024)
    status, body = post(client, batch_body(big))
    assert status == 413
    assert body["code"] == 413
    assert count_rows("inbox_interactions") == 0


def test_malformed_json_is_400_and_nothing_stored(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    status, body = post(client, b'{"type": "interactions.created", "data": [')
    assert status == 400
    assert "not valid JSON" in str(body["message"])
    assert count_rows("inbox_interactions") == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_at": "2026-02-01T10:00:00"}, "occurred_at"),  # naive
        ({"kind": "reaction"}, "kind"),
        ({"platform": "myspace"}, "platform"),
        ({"account_id": "not-a-uuid"}, "account_id"),
        ({"platform_id": ""}, "platform_id"),
        ({"content": None}, "content"),  # a comment names its content
        ({"author": {"handle": "x"}}, "author"),
    ],
)
def test_one_invalid_item_is_422_naming_index_and_field_and_nothing_stored(
    client: FlaskClient, count_rows: Callable[[str], int], change: dict[str, object], field: str
) -> None:
    batch = items(4)
    batch[2].update(change)
    status, body = post(client, batch_body(batch))
    assert status == 422
    assert f"data[2].{field}" in str(body["message"])
    assert field in json.dumps(body["errors"]["data"]["2"])
    assert count_rows("inbox_interactions") == count_rows("webhook_receipts") == 0


def test_a_batch_over_500_items_is_422(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    status, body = post(client, batch_body(items(501)))
    assert status == 422
    assert "data" in body["errors"]
    assert count_rows("inbox_interactions") == 0


def test_one_hundred_concurrent_deliveries_of_the_same_items_store_each_once(
    live_server: str, count_rows: Callable[[str], int]
) -> None:
    batch = items(50)
    body = batch_body(batch)

    def deliver(n: int) -> requests.Response:
        # half re-send the same message, half are new messages with the same items
        webhook_id = "msg_same" if n % 2 else f"msg_{n}"
        return requests.post(
            f"{live_server}{URL}", data=body, headers=signed_headers(body, webhook_id), timeout=60
        )

    with ThreadPoolExecutor(max_workers=100) as pool:
        responses = list(pool.map(deliver, range(100)))

    assert Counter(r.status_code for r in responses) == {200: 100}
    created = Counter((i["platform_id"], i["status"]) for r in responses for i in r.json()["items"])
    for item in batch:
        assert created[(item["platform_id"], "created")] == 1
        assert created[(item["platform_id"], "duplicate")] == 99
    ids = {(i["platform_id"], i["id"]) for r in responses for i in r.json()["items"]}
    assert len(ids) == 50  # every response names the same inbox id for an item
    assert count_rows("inbox_interactions") == 50
    assert count_rows("webhook_receipts") == 51


def test_v2_items_carry_threads_conversations_and_labels_and_a_reply_may_come_first(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    reply = wire_item(
        2,
        ACCOUNT,
        NOW,
        in_reply_to="yt-comment-1",  # its parent is not in the inbox yet: stored all the same
        author={"handle": "chef_ana", "display_name": "Ana", "is_creator": True},
        topic="sourdough",
        language="pt-BR",
    )
    dm = wire_item(
        3, ACCOUNT, NOW, kind="dm", content=None, conversation_id="conv-9", language="es"
    )
    status, result = post(client, batch_body([reply, dm]))
    assert status == 200, result
    got = client.get(f"/api/v1/accounts/{ACCOUNT}/interactions", headers=auth).get_json()["items"]
    by_id = {i["platform_id"]: i for i in got}
    assert by_id["yt-comment-2"]["in_reply_to"] == "yt-comment-1"
    assert by_id["yt-comment-2"]["author"]["is_creator"] is True
    assert (by_id["yt-comment-2"]["topic"], by_id["yt-comment-2"]["language"]) == (
        "sourdough", "pt-BR",
    )  # fmt: skip
    assert (by_id["yt-comment-3"]["conversation_id"], by_id["yt-comment-3"]["language"]) == (
        "conv-9", "es",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "dm", "content": None, "in_reply_to": "x"}, "in_reply_to"),
        ({"conversation_id": "c1"}, "conversation_id"),
        ({"language": "english please"}, "language"),
        ({"in_reply_to": "yt-comment-2"}, "in_reply_to"),  # itself
    ],
)
def test_v2_fields_that_break_a_rule_are_422_naming_them(
    client: FlaskClient, count_rows: Callable[[str], int], change: dict[str, object], field: str
) -> None:
    batch = items(3)
    batch[2].update(change)
    status, body = post(client, batch_body(batch))
    assert status == 422
    assert f"data[2].{field}" in str(body["message"])
    assert count_rows("inbox_interactions") == 0
