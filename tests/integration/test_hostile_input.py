"""Each input that once made a 500: now a 4xx naming the field, and nothing stored."""

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from helpers import batch_body, signed_headers, wire_item

pytestmark = pytest.mark.integration

ACCOUNT = uuid.uuid4()
AT = datetime(2026, 5, 1, tzinfo=UTC)
RECEIVER = "/webhooks/interactions"
OUT_OF_RANGE = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1899-12-31T23:59:59Z"]


def _stored(count_rows: Callable[[str], int]) -> int:
    return sum(count_rows(t) for t in ("inbox_interactions", "webhook_receipts", "jobs"))


def _error(response: object) -> dict[str, object]:
    body = response.get_json()  # type: ignore[attr-defined]
    assert isinstance(body, dict)
    assert set(body) >= {"code", "status", "message"}
    assert "Traceback" not in json.dumps(body)
    return body


@pytest.mark.parametrize(
    "path",
    [
        ("text",),
        ("platform_id",),
        ("author", "handle"),
        ("author", "display_name"),
        ("content", "platform_id"),
        ("content", "title"),
        ("in_reply_to",),
        ("topic",),
    ],
    ids=".".join,
)
@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b"], ids=["NUL", "lone surrogate"])
def test_text_postgresql_cannot_hold_is_422_naming_the_field(
    client: FlaskClient, count_rows: Callable[[str], int], path: tuple[str, ...], bad: str
) -> None:
    batch = [wire_item(n, ACCOUNT, AT) for n in range(5)]
    holder = batch[3]
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = bad
    body = batch_body(batch)
    response = client.post(RECEIVER, data=body, headers=signed_headers(body))
    assert response.status_code == 422
    assert f"data[3].{'.'.join(path)}" in str(_error(response)["message"])
    assert _stored(count_rows) == 0


@pytest.mark.parametrize("instant", OUT_OF_RANGE)
def test_an_occurred_at_outside_the_storable_range_is_422_naming_it(
    client: FlaskClient, count_rows: Callable[[str], int], instant: str
) -> None:
    batch = [wire_item(n, ACCOUNT, AT) for n in range(3)]
    batch[1]["occurred_at"] = instant
    body = batch_body(batch)
    response = client.post(RECEIVER, data=body, headers=signed_headers(body))
    assert response.status_code == 422
    message = str(_error(response)["message"])
    assert "data[1].occurred_at" in message
    assert "1900-01-01" in message
    assert _stored(count_rows) == 0


def test_the_edges_of_the_range_are_stored(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    batch = [wire_item(n, ACCOUNT, AT) for n in range(2)]
    batch[0]["occurred_at"] = "1900-01-01T00:00:00Z"
    batch[1]["occurred_at"] = "2199-12-31T23:59:59.999999Z"
    body = batch_body(batch)
    assert client.post(RECEIVER, data=body, headers=signed_headers(body)).status_code == 200
    assert count_rows("inbox_interactions") == 2


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "interactions.created", "data": [' + b"[" * 40 + b"]" * 40 + b"]}",
    ],
    ids=["100,000 levels", "40 levels inside an item list"],
)
def test_deeply_nested_json_is_400_before_it_is_parsed(
    client: FlaskClient, count_rows: Callable[[str], int], body: bytes
) -> None:
    response = client.post(RECEIVER, data=body, headers=signed_headers(body))
    assert response.status_code == 400
    assert "nested deeper than 32" in str(_error(response)["message"])
    assert _stored(count_rows) == 0


def test_brackets_inside_strings_do_not_count_as_nesting(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    item = wire_item(1, ACCOUNT, AT, text='[[[[{{{{ "quoted \\" [[[[' * 20)
    body = batch_body([item])
    assert client.post(RECEIVER, data=body, headers=signed_headers(body)).status_code == 200
    assert count_rows("inbox_interactions") == 1


def test_a_hostile_webhook_id_is_422_naming_the_header(
    client: FlaskClient, count_rows: Callable[[str], int]
) -> None:
    body = batch_body([wire_item(1, ACCOUNT, AT)])
    for webhook_id in ("msg_\x00", "msg_" + "x" * 300):
        response = client.post(RECEIVER, data=body, headers=signed_headers(body, webhook_id))
        assert response.status_code == 422
        assert "webhook-id" in str(_error(response)["message"])
    assert _stored(count_rows) == 0


@pytest.mark.parametrize("name", ["since", "until"])
@pytest.mark.parametrize("instant", OUT_OF_RANGE)
def test_query_instants_outside_the_range_are_422_naming_the_parameter(
    client: FlaskClient, auth: dict[str, str], name: str, instant: str
) -> None:
    response = client.get(
        f"/api/v1/accounts/{ACCOUNT}/interactions", query_string={name: instant}, headers=auth
    )
    assert response.status_code == 422
    body = _error(response)
    assert name in body["errors"]["query"]  # type: ignore[index]


def test_a_cursor_carrying_an_out_of_range_instant_is_422(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    import base64

    raw = json.dumps(["9999-12-31T23:59:59-05:00", str(uuid.uuid4())]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = client.get(
        f"/api/v1/accounts/{ACCOUNT}/interactions", query_string={"cursor": cursor}, headers=auth
    )
    assert response.status_code == 422
    assert "cursor" in _error(response)["errors"]["query"]  # type: ignore[index]


def test_nul_in_a_path_parameter_is_422_naming_it(
    client: FlaskClient, auth: dict[str, str], count_rows: Callable[[str], int]
) -> None:
    for method, path in (
        ("POST", "/api/v1/schedules/daily%00content/trigger"),
        ("PATCH", "/api/v1/schedules/daily%00content"),
    ):
        response = client.open(path, method=method, json={"enabled": False}, headers=auth)
        assert response.status_code == 422, path
        assert "name" in _error(response)["errors"]["path"]  # type: ignore[index]
    assert count_rows("jobs") == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"persona": "fitness\x00"}, "persona"),
        ({"locale": "en_US\x00"}, "locale"),
        ({"seed": 10**30}, "seed"),
        ({"seed": 1e400}, "seed"),
        ({"sizes": {"comments": 1e400}}, "sizes"),
    ],
)
def test_hostile_demo_settings_are_422_naming_the_field(
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
    body: dict[str, object],
    field: str,
) -> None:
    response = client.put(
        f"/api/v1/accounts/{uuid.uuid4()}/demo",
        data=json.dumps(body),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 422
    assert field in _error(response)["errors"]["json"]  # type: ignore[index]
    assert count_rows("demo_accounts") == count_rows("jobs") == 0


def test_a_huge_integer_in_a_body_is_a_4xx(
    client: FlaskClient, auth: dict[str, str], count_rows: Callable[[str], int]
) -> None:
    response = client.put(
        f"/api/v1/accounts/{uuid.uuid4()}/demo",
        data='{"seed": ' + "9" * 5000 + "}",
        content_type="application/json",
        headers=auth,
    )
    assert 400 <= response.status_code < 500
    _error(response)
    assert count_rows("demo_accounts") == 0


def test_a_cron_with_nul_is_422_naming_cron(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.patch(
        "/api/v1/schedules/cleanup", json={"cron": "0 3 * * 1\x00"}, headers=auth
    )
    assert response.status_code == 422
    assert "cron" in _error(response)["errors"]["json"]  # type: ignore[index]


def test_an_idempotency_key_with_nul_is_422_naming_the_header(
    client: FlaskClient, auth: dict[str, str], count_rows: Callable[[str], int]
) -> None:
    response = client.post(
        "/api/v1/deliveries/redeliver", json={}, headers={**auth, "Idempotency-Key": "k\x00"}
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in _error(response)["errors"]["headers"]  # type: ignore[index]
    assert count_rows("jobs") == 0
