"""Meta's verification request, as "Getting Started" (developers.facebook.com/docs/graph-api/
webhooks/getting-started, "Verification Requests") describes it: a GET to the callback with
`hub.mode=subscribe`, `hub.challenge` (an int) and `hub.verify_token` (the token given with the
subscription); the endpoint checks the token and answers 200 with the challenge as its body."""

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import urllib3

from app.domain.apps import AppRegistration, HandshakeFailedError

SHOWN = 120  # characters of an answer's body quoted back in an error


def challenge_query(url: str, challenge: str, verify_token: str) -> str:
    """The callback URL with the handshake's parameters added to its own."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [
        ("hub.mode", "subscribe"),
        ("hub.challenge", challenge),
        ("hub.verify_token", verify_token),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


class MetaHandshake:
    """Meta's verification request sent to a callback, the answer checked as Meta checks it."""

    def __init__(self, timeout: float = 5.0) -> None:
        self._http = urllib3.PoolManager()
        self._timeout = timeout

    def verify(self, registration: AppRegistration) -> None:
        challenge = str(secrets.randbelow(9 * 10**9) + 10**9)  # ten digits, as Meta's
        url = challenge_query(registration.callback_url, challenge, registration.verify_token or "")
        try:
            response = self._http.request(
                "GET",
                url,
                timeout=urllib3.Timeout(total=self._timeout),
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.NewConnectionError as exc:  # (a ConnectTimeoutError too)
            raise HandshakeFailedError(
                f"the callback could not be reached for Meta's verification request: "
                f"{type(exc).__name__}"
            ) from None
        except urllib3.exceptions.TimeoutError:
            raise HandshakeFailedError(
                f"the callback did not answer Meta's verification request within "
                f"{self._timeout:g} s"
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            raise HandshakeFailedError(
                f"the callback could not be reached for Meta's verification request: "
                f"{type(exc).__name__}"
            ) from None
        body = response.data.decode("utf-8", "replace")
        quoted = repr(body[:SHOWN]) + ("…" if len(body) > SHOWN else "")
        if response.status != 200:
            raise HandshakeFailedError(
                f"the callback answered Meta's verification request with HTTP "
                f"{response.status} (body {quoted}); it must answer 200 with hub.challenge "
                "as its whole body once hub.verify_token matches"
            )
        if body.strip() != challenge:  # (a trailing newline is how some frameworks end it)
            raise HandshakeFailedError(
                f"the callback answered 200, but its body {quoted} is not the hub.challenge "
                f"sent ({challenge!r}): it must answer with the challenge as its whole body"
            )
