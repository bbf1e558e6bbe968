"""Where untrusted input is made safe: every body, query string, path parameter and header
that can reach PostgreSQL passes through here (or through the fields below, which every
request schema uses), so a hostile value is a 4xx naming it, never a 500.

- JSON bodies nested deeper than MAX_JSON_DEPTH are refused before anything parses them
  (the decoder and marshmallow recurse).
- Strings must be text PostgreSQL can hold: no NUL character, no lone surrogate; instants
  must lie in [EARLIEST, LATEST) once converted to UTC (domain/time.py). The fields that
  check them, `Text` and `Instant`, are the webhook contract's (adapters/webhooks/wire.py):
  every schema of the API and of the wire is made of them.
"""

import json
import re
from typing import Any, NoReturn

import flask
import flask_smorest
from flask_smorest import abort
from webargs.flaskparser import FlaskParser

MAX_JSON_DEPTH = 32

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects deeper than `limit`, found without
    parsing it. Counting every bracket gives an upper bound (brackets inside strings count
    too); only when that bound is over the limit are the strings cut out and counted again."""
    return _deeper_than(body.translate(None, _NOT_BRACKETS), limit) and _deeper_than(
        _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS), limit
    )


def _deeper_than(brackets: bytes, limit: int) -> bool:
    depth = 0
    for byte in brackets:
        if byte in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def first_problem(errors: Any, path: str = "") -> str:
    """'data[3].occurred_at: Not a valid aware datetime.' from marshmallow's nested messages."""
    if isinstance(errors, dict) and errors:
        key, value = next(iter(errors.items()))
        key = str(key)
        step = f"[{key}]" if key.isdigit() else (f".{key}" if path else key)
        return first_problem(value, path + step)
    if isinstance(errors, list) and errors:
        return (
            f"{path}: {errors[0]}" if isinstance(errors[0], str) else first_problem(errors[0], path)
        )
    return f"{path}: {errors}"


class SafeParser(FlaskParser):
    """webargs' parser, with every failure to decode a body a 400 (the stdlib decoder raises
    plain ValueError for some, e.g. integers of more than 4,300 digits)."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except ValueError as exc:
            raise json.JSONDecodeError(str(exc), "<body>", 0) from exc  # "" means no body

    def _handle_invalid_json_error(
        self, error: Any, req: flask.Request, *a: Any, **k: Any
    ) -> NoReturn:
        abort(400, message=f"body is not valid JSON: {error}", errors={"json": [str(error)]})
        raise AssertionError("abort() raises")  # for the type checker


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """flask-smorest's Blueprint with the safe parser; every blueprint of the API is one."""

    ARGUMENTS_PARSER = SafeParser()
