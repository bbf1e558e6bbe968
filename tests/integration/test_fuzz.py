"""Fuzzing the real app: no input a client or a webhook sender can send becomes a 5xx, and a
refused request stores nothing.

schemathesis walks every operation of /openapi.json with the bearer token; a hypothesis
property sends signed receiver batches in which one field of one otherwise valid item is
hostile. Both are told about the classes of input that broke the service before: control
characters and lone surrogates in strings, instants at the edges of what can be stored, deep
nesting, huge numbers, oversized fields.
"""

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import unregister_string_format
from sqlalchemy import text

from app.adapters.db.tables import metadata
from app.bootstrap import Container
from helpers import API_TOKEN, signed_headers, wire_item

pytestmark = pytest.mark.integration

# instants at the edges of what PostgreSQL (and Python) can hold, with offsets that push the
# UTC instant over the edge, and the edges of the range demosim accepts
EDGE_INSTANTS = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59Z",
    "1899-12-31T23:59:59Z",
    "1900-01-01T00:00:00+00:30",
    "2200-01-01T00:00:00Z",
    "2199-12-31T23:59:59-01:00",
    "2026-02-30T10:00:00Z",
    "2026-06-01T10:00:00+24:00",
    "2026-06-01T10:00:00",
]
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\ud800", "\udfff"])
HOSTILE_TEXT = st.builds(
    lambda head, bad, tail: head + bad + tail,
    st.text(max_size=5),
    CONTROL,
    st.text(max_size=5),
)
HUGE_NUMBERS = st.sampled_from([10**400, -(10**400), 1e308, float("inf"), float("nan"), 2**63])


def _deep(depth: int) -> Any:
    value: Any = "x"
    for n in range(depth):
        value = [value] if n % 2 else {"k": value}
    return value


HOSTILE_VALUES = st.one_of(
    HOSTILE_TEXT,
    st.sampled_from(EDGE_INSTANTS),
    HUGE_NUMBERS,
    st.sampled_from([_deep(40), _deep(500), None, True, [], {}, ""]),
    st.text(min_size=10_001, max_size=10_050),
)
# where one hostile value goes in an otherwise valid item
FIELDS = [
    ("account_id",),
    ("platform",),
    ("platform_id",),
    ("kind",),
    ("text",),
    ("occurred_at",),
    ("intent",),
    ("sentiment",),
    ("is_demo",),
    ("author", "handle"),
    ("author", "display_name"),
    ("content", "platform_id"),
    ("content", "title"),
    ("author",),
    ("content",),
    ("in_reply_to",),
    ("conversation_id",),
    ("topic",),
    ("language",),
    ("author", "is_creator"),
]


def _stored(container: Container) -> int:
    """Rows in every table but the seeded schedules."""
    with container.engine.connect() as conn:
        return sum(
            int(conn.execute(text(f"SELECT count(*) FROM {table.name}")).scalar_one())
            for table in metadata.sorted_tables
            if table.name != "schedules"
        )


def _schedules_state(container: Container) -> list[tuple[Any, ...]]:
    with container.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM schedules ORDER BY name"))]


# --- the receiver: signed hostile batches ----------------------------------------------


# what a header can carry (latin-1, no line break), NUL included
HEADER_TEXT = st.characters(max_codepoint=255, exclude_characters="\r\n")
WEBHOOK_IDS = st.one_of(
    st.just(None),  # a fresh msg_… id
    st.text(HEADER_TEXT, min_size=1, max_size=20).map(lambda s: f"msg_\x00{s}"),
    st.text(HEADER_TEXT, min_size=256, max_size=300),
)


@st.composite
def hostile_batches(draw: st.DrawFn) -> bytes:
    account = uuid.UUID(int=draw(st.integers(0, 2**64)))
    at = datetime(2026, 5, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**6)))
    items = [wire_item(n, account, at) for n in range(draw(st.integers(1, 4)))]
    target = draw(st.sampled_from(items))
    path = draw(st.sampled_from(FIELDS))
    value = draw(HOSTILE_VALUES)
    holder = target
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return json.dumps({"type": "interactions.created", "data": items}).encode()


WHOLE_BODIES = st.sampled_from(
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "interactions.created", "data": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"type": "interactions.created", "data": ['
        + b'{"a":' * 3000
        + b"1"
        + b"}" * 3000
        + b"]}",
        b'{"type": "interactions.created", "data": [], "x": 1e999999}',
        b"\x00\x00",
        b'"\\u0000"',
    ]
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=hostile_batches() | WHOLE_BODIES, webhook_id=WEBHOOK_IDS)
def test_no_signed_body_makes_the_receiver_fail_or_store_a_refused_batch(
    client: FlaskClient, container: Container, body: bytes, webhook_id: str | None
) -> None:
    before = _stored(container)
    headers = signed_headers(body, webhook_id=webhook_id)
    response = client.post("/webhooks/interactions", data=body, headers=headers)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code != 200:
        assert _stored(container) == before, f"{response.status_code} but rows were stored"
        error = response.get_json()
        assert isinstance(error, dict)
        assert error["code"] == response.status_code
        assert "Traceback" not in json.dumps(error)


# --- the REST API: every operation of the OpenAPI document ---------------------------


@pytest.fixture
def api_schema(app: Flask) -> Iterator[Any]:
    # instants in queries and bodies: the edges of what can be stored, beside ordinary ones
    ordinary = st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat)
    schemathesis.openapi.format("date-time", st.sampled_from(EDGE_INSTANTS) | ordinary)
    yield schemathesis.openapi.from_wsgi("/openapi.json", app)
    unregister_string_format("date-time")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_api_request_makes_a_5xx_or_stores_anything_when_refused(
    api_schema: Any, container: Container, mode: GenerationMode
) -> None:
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @settings(
            max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Any) -> None:
            before = (_stored(container), _schedules_state(container))
            response = case.call(headers=auth)
            assert response.status_code < 500, f"{response.status_code}: {case.as_curl_command()}"
            if response.status_code >= 400:
                after = (_stored(container), _schedules_state(container))
                assert after == before, f"{response.status_code} but the database changed"

        try:
            check()
        except Unsatisfiable:
            pass  # nothing to make negative: the operation takes no input
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
