"""TikTok's check of a callback, as "Set Up Development Configuration" (developers.tiktok.com/
doc/set-up-development-configuration, "Set up webhooks") describes it: the portal's "Test URL"
sends a test event, a signed POST, to the callback, and the URL is saved once the app received
it; "the callback URL must immediately respond with a 200 HTTP status code" (Webhooks
Overview). demosim sends that event and keeps the app only if the callback answers 200."""

from datetime import UTC, datetime

import urllib3

from app.adapters.platforms.tiktok.webhooks import SIGNATURE_HEADER, TEST_EVENT, dumps, signature
from app.domain.apps import AppRegistration, HandshakeFailedError

SHOWN = 120  # characters of an answer's body quoted back in an error


class TikTokHandshake:
    def __init__(self, timeout: float = 5.0) -> None:
        self._http = urllib3.PoolManager()
        self._timeout = timeout

    def verify(self, registration: AppRegistration) -> None:
        now = int(datetime.now(UTC).timestamp())
        body = dumps({
            "client_key": registration.client_key or "",
            "event": TEST_EVENT,
            "create_time": now,
            "user_openid": "",
            "content": "{}",
        })  # fmt: skip
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(registration.secret, body, now),
        }
        try:
            response = self._http.request(
                "POST",
                registration.callback_url,
                body=body,
                headers=headers,
                timeout=urllib3.Timeout(total=self._timeout),
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.TimeoutError:
            raise HandshakeFailedError(
                f"the callback did not answer TikTok's test event within {self._timeout:g} s"
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            raise HandshakeFailedError(
                f"the callback could not be reached for TikTok's test event: {type(exc).__name__}"
            ) from None
        if response.status != 200:
            text = response.data.decode("utf-8", "replace")
            quoted = repr(text[:SHOWN]) + ("…" if len(text) > SHOWN else "")
            raise HandshakeFailedError(
                f"the callback answered TikTok's test event with HTTP {response.status} (body "
                f"{quoted}); it must answer 200 to every event signed with the client secret"
            )
