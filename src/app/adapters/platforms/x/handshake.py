"""X's Challenge-Response Check, as "Securing webhooks" (docs.x.com, Account Activity API)
describes it: a GET of the callback with a `crc_token` (new every time), answered within three
seconds with HTTP 200 and a JSON body `{"response_token": "sha256=<base64 HMAC-SHA256 of the
token, keyed with the app's consumer secret>"}`; X sends one when a webhook is registered and
again while it is in use, and "if the response is invalid, events will cease to be sent to the
registered webhook" until a CRC passes. Its refusals are X's error 214 ("Webhook URL does not
meet the requirements. Invalid CRC token or json response format.", "High latency on CRC GET
request. Your webhook should respond in less than 3 seconds.", "Non-200 response code during
CRC GET request (i.e. 404, 500, etc).")."""

import json
import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import urllib3

from app.adapters.platforms.x.webhooks import crc_response
from app.domain.apps import AppRegistration, HandshakeFailedError

SHOWN = 120  # characters of an answer's body quoted back in an error
WITHIN = 3.0  # seconds: "returned within three seconds"


def crc_query(url: str, crc_token: str) -> str:
    """The callback URL with `crc_token` added to its own query."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("crc_token", crc_token)]
    return urlunsplit(parts._replace(query=urlencode(query)))


class XHandshake:
    """A CRC sent to a callback, its answer checked as X checks it."""

    def __init__(self, timeout: float = WITHIN) -> None:
        self._http = urllib3.PoolManager()
        self._timeout = timeout

    def verify(self, registration: AppRegistration) -> None:
        token = secrets.token_urlsafe(32)
        try:
            response = self._http.request(
                "GET",
                crc_query(registration.callback_url, token),
                timeout=urllib3.Timeout(total=self._timeout),
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.TimeoutError:
            raise HandshakeFailedError(
                f"(214) High latency on CRC GET request: the callback did not answer within "
                f"{self._timeout:g} s"
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            raise HandshakeFailedError(
                f"(214) the callback could not be reached for X's CRC: {type(exc).__name__}"
            ) from None
        text = response.data.decode("utf-8", "replace")
        quoted = repr(text[:SHOWN]) + ("…" if len(text) > SHOWN else "")
        if response.status != 200:
            raise HandshakeFailedError(
                f"(214) Non-200 response code during CRC GET request: HTTP {response.status} "
                f"(body {quoted})"
            )
        try:
            given = json.loads(text).get("response_token")
        except (ValueError, AttributeError):
            given = None
        if given != crc_response(registration.secret, token)["response_token"]:
            raise HandshakeFailedError(
                "(214) Invalid CRC token or json response format: the callback answered "
                f'{quoted}; it must answer {{"response_token": "sha256=<base64 HMAC-SHA256 '
                'of crc_token keyed with the consumer secret>"}'
            )
