"""The inbox read API over real PostgreSQL: auth, filters, keyset pagination, insights."""

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from app.bootstrap import Container, bootstrap
from app.config import Settings
from app.entrypoints.http import create_app
from helpers import (
    INSIGHTS_ACCOUNT,
    INSIGHTS_EXPECTED,
    INSIGHTS_NOW,
    FixedClock,
    batch_body,
    incoming,
    insights_fixture,
    signed_headers,
    wire_item,
)

ACCOUNT = uuid.uuid4()
NOW = datetime.now(UTC).replace(microsecond=0)


def store(client: FlaskClient, items: list[dict[str, object]]) -> None:
    for start in range(0, len(items), 500):
        body = batch_body(items[start : start + 500])
        assert (
            client.post(
                "/webhooks/interactions", data=body, headers=signed_headers(body)
            ).status_code
            == 200
        )


def test_every_protected_endpoint_answers_401_without_the_token(
    app: Flask, client: FlaskClient
) -> None:
    protected = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")]
    assert len(protected) >= 7
    account = uuid.uuid4()
    seen: list[str] = []
    for rule in protected:
        path = re.sub(r"<\w+>", "daily-content", re.sub(r"<uuid:\w+>", str(account), rule.rule))
        assert "<" not in path, path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            for headers in (
                {},
                {"Authorization": "Bearer wrong-token-wrong-token"},
                {"Authorization": "Basic x"},
            ):
                # each from a client of its own: one client's wrong tokens are limited (429)
                client.environ_base["REMOTE_ADDR"] = f"192.0.2.{len(seen) % 250 + 1}"
                seen.append(path)
                response = client.open(path, method=method, headers=headers)
                assert response.status_code == 401, (method, path, headers)
                assert "bearer token" in response.get_json()["message"]


def test_open_endpoints_need_no_token(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    spec = client.get("/openapi.json").get_json()
    assert "/webhooks/interactions" in spec["paths"]
    assert "/api/v1/accounts/{account_id}/interactions" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_newest_first_with_filters(client: FlaskClient, auth: dict[str, str]) -> None:
    store(
        client,
        [
            wire_item(1, ACCOUNT, NOW - timedelta(days=3)),
            wire_item(2, ACCOUNT, NOW - timedelta(days=2), kind="dm", content=None, is_demo=False),
            wire_item(3, ACCOUNT, NOW - timedelta(days=1)),
            wire_item(4, uuid.uuid4(), NOW),
        ],
    )

    def ids(**params: object) -> list[str]:
        response = client.get(
            f"/api/v1/accounts/{ACCOUNT}/interactions", query_string=params, headers=auth
        )
        assert response.status_code == 200, response.get_json()
        return [i["platform_id"] for i in response.get_json()["items"]]

    assert ids() == ["yt-comment-3", "yt-comment-2", "yt-comment-1"]
    assert ids(kind="dm") == ["yt-comment-2"]
    assert ids(is_demo="false") == ["yt-comment-2"]
    assert ids(since=(NOW - timedelta(days=2)).isoformat()) == ["yt-comment-3", "yt-comment-2"]
    assert ids(until=(NOW - timedelta(days=2)).isoformat()) == ["yt-comment-1"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"cursor": "bogus"}, "cursor"),
        ({"since": "2026-01-01T00:00:00"}, "since"),
        ({"kind": "like"}, "kind"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_field(
    client: FlaskClient, auth: dict[str, str], params: dict[str, object], field: str
) -> None:
    response = client.get(
        f"/api/v1/accounts/{ACCOUNT}/interactions", query_string=params, headers=auth
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_pagination_never_repeats_or_skips_while_items_arrive(
    client: FlaskClient, auth: dict[str, str], live_server: str
) -> None:
    before = [wire_item(n, ACCOUNT, NOW - timedelta(minutes=n // 3)) for n in range(600)]  # ties
    store(client, before)
    stop, wrote = threading.Event(), threading.Event()

    def keep_inserting() -> None:
        n = 10_000
        while not stop.is_set() and n < 10_400:
            # both newer than anything paged and older, landing behind the reader's cursor
            at = NOW + timedelta(seconds=n) if n % 2 else NOW - timedelta(minutes=(n * 7) % 200)
            body = batch_body([wire_item(n, ACCOUNT, at), wire_item(n + 1, ACCOUNT, at)])
            requests.post(
                f"{live_server}/webhooks/interactions",
                data=body,
                headers=signed_headers(body),
                timeout=30,
            )
            wrote.set()
            n += 2

    writer = threading.Thread(target=keep_inserting)
    writer.start()
    assert wrote.wait(timeout=30)
    seen: list[str] = []
    cursor = None
    try:
        while True:
            params = {"limit": 37, **({"cursor": cursor} if cursor else {})}
            page = requests.get(
                f"{live_server}/api/v1/accounts/{ACCOUNT}/interactions",
                params=params,
                headers=auth,
                timeout=30,
            ).json()
            seen.extend(i["platform_id"] for i in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
    finally:
        stop.set()
        writer.join()
    assert len(seen) == len(set(seen)), "an item was repeated"
    assert {i["platform_id"] for i in before} <= set(seen), (
        "an item present from the start was skipped"
    )


def test_insights_match_the_hand_computed_fixture(
    settings: Settings,
    container: Container,  # its tables are emptied after the test
    auth: dict[str, str],
) -> None:
    fixed = bootstrap(settings, clock=FixedClock(INSIGHTS_NOW))
    try:
        fixed.services.inbox.ingest("msg_fixture", insights_fixture())
        response = (
            create_app(fixed)
            .test_client()
            .get(
                f"/api/v1/accounts/{INSIGHTS_ACCOUNT}/insights",
                query_string={"days": 3},
                headers=auth,
            )
        )
    finally:
        fixed.close()
    assert response.status_code == 200
    got = response.get_json()
    assert got["since"] == "2026-03-08T00:00:00+00:00"
    assert got["until"] == "2026-03-10T12:00:00+00:00"
    for key, expected in INSIGHTS_EXPECTED.items():
        assert got[key] == expected, key


def test_insights_days_is_bounded(client: FlaskClient, auth: dict[str, str]) -> None:
    for days in (0, 366, "x"):
        response = client.get(
            f"/api/v1/accounts/{ACCOUNT}/insights", query_string={"days": days}, headers=auth
        )
        assert response.status_code == 422
        assert "days" in response.get_json()["errors"]["query"]


def test_insights_run_in_sql_not_over_loaded_rows(container: Container) -> None:
    """The insights statements return aggregates: a row count per group, never the interactions."""
    from sqlalchemy import event

    container.services.inbox.ingest(
        "msg_many",
        [incoming(f"m{n}", ACCOUNT, NOW - timedelta(hours=n)) for n in range(300)],
    )
    fetched: list[int] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        fetched.append(cursor.rowcount)

    event.listen(container.engine, "after_cursor_execute", record)
    try:
        insights = container.views.queries.insights(ACCOUNT, NOW - timedelta(days=30), NOW, 10)
    finally:
        event.remove(container.engine, "after_cursor_execute", record)
    assert insights.total == 300
    assert max(fetched) <= 31  # at most one row per day of the window
