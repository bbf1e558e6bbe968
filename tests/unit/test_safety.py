"""The HTTP edge's guards against input PostgreSQL cannot hold."""

import inspect
from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import Schema, ValidationError, fields

from app.adapters.webhooks import wire
from app.adapters.webhooks.wire import Instant, Text
from app.domain.errors import InstantOutOfRangeError
from app.domain.storable import require_storable, unstorable_text
from app.domain.time import EARLIEST, LATEST
from app.entrypoints.http import schemas
from app.entrypoints.http.safety import json_too_deep


@pytest.mark.parametrize(
    ("body", "too_deep"),
    [
        (b"[" * 32 + b"]" * 32, False),
        (b"[" * 33 + b"]" * 33, True),
        (b'{"a": {"b": [1, 2, {"c": []}]}}', False),
        (b'["' + b"[" * 100 + b'"]', False),  # brackets in a string are text
        (b'["\\"' + b"[" * 100 + b'"]', False),  # ... after an escaped quote too
        (b"[" * 100_000 + b"]" * 100_000, True),
        (b"", False),
    ],
)
def test_json_depth_is_counted_outside_strings(body: bytes, too_deep: bool) -> None:
    assert json_too_deep(body) is too_deep


@pytest.mark.parametrize(
    ("text", "storable"),
    [("plain", True), ("émoji 🔥 \x01 tab\t", True), ("nul\x00", False), ("half \ud83d", False)],
)
def test_text_postgresql_can_hold(text: str, storable: bool) -> None:
    assert (unstorable_text(text) is None) is storable


def test_the_storable_range_is_checked_in_utc() -> None:
    assert require_storable(EARLIEST, "at") == EARLIEST
    ahead = timezone(timedelta(hours=1))
    with pytest.raises(InstantOutOfRangeError, match="at must lie from 1900"):
        require_storable(datetime(1900, 1, 1, 0, 30, tzinfo=ahead), "at")  # 1899 in UTC
    with pytest.raises(InstantOutOfRangeError):
        require_storable(LATEST, "at")
    with pytest.raises(InstantOutOfRangeError):  # past year 9999 in UTC: Python overflows
        require_storable(datetime(9999, 12, 31, 23, tzinfo=timezone(-timedelta(hours=5))), "at")
    assert require_storable(datetime(2199, 12, 31, 23, 59, tzinfo=UTC), "at").year == 2199


def test_the_fields_refuse_what_cannot_be_stored() -> None:
    with pytest.raises(ValidationError, match="NUL"):
        Text().deserialize("a\x00")
    with pytest.raises(ValidationError, match="1900"):
        Instant().deserialize("0001-01-01T00:00:00+05:00")
    assert Instant().deserialize("2026-01-01T01:00:00+01:00") == datetime(2026, 1, 1, tzinfo=UTC)


def _fields(schema: type[Schema]) -> list[tuple[str, fields.Field]]:
    found = []
    for name, field in schema._declared_fields.items():
        found.append((f"{schema.__name__}.{name}", field))
        inner = getattr(field, "inner", None) or getattr(field, "value_field", None)
        if inner is not None:
            found.append((f"{schema.__name__}.{name}[]", inner))
    return found


def test_every_string_and_instant_of_the_api_and_wire_schemas_is_a_safe_field() -> None:
    declared = [
        (name, field)
        for module in (schemas, wire)
        for _, schema in inspect.getmembers(module, inspect.isclass)
        if issubclass(schema, Schema) and schema.__module__ == module.__name__
        for name, field in _fields(schema)
    ]
    assert len(declared) > 50
    plain = [
        name
        for name, field in declared
        if (isinstance(field, fields.String) and not isinstance(field, Text))
        or (isinstance(field, fields.DateTime) and not isinstance(field, Instant))
    ]
    assert plain == []
