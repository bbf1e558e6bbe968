"""Standard Webhooks: signing, verifying, and sending batches of interactions."""

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.domain.delivery import OutboxInteraction, SendOutcome
from app.domain.inbox import WebhookInteraction

EVENT_TYPE = "interactions.created"


class InvalidSignatureError(Exception):
    """The message is not from someone holding the secret, or is outside the time tolerance."""


def sign(secret: str, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt to send `body`."""
    signature = Webhook(secret).sign(webhook_id, at, body.decode())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def verify(secret: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Check the raw body's signature and timestamp (±5 minutes); return its webhook-id."""
    names = ("webhook-id", "webhook-timestamp", "webhook-signature")
    wanted = {k.lower(): v for k, v in headers.items() if k.lower() in names}
    try:
        Webhook(secret).verify(body, wanted, json_parse=False)
    except WebhookVerificationError as exc:
        raise InvalidSignatureError(str(exc)) from exc
    except (ValueError, TypeError) as exc:  # malformed signature header or a body that is not UTF-8
        raise InvalidSignatureError("malformed webhook-signature header or body") from exc
    return wanted["webhook-id"]  # present: verify() rejects a message without it


def to_wire(item: WebhookInteraction) -> dict[str, Any]:
    """One item as the receiver's schema reads it."""
    return {
        "account_id": str(item.account_id),
        "platform": item.platform.value,
        "platform_id": item.platform_id,
        "kind": item.kind.value,
        "author": {"handle": item.author.handle, "display_name": item.author.display_name},
        "text": item.text,
        "occurred_at": item.occurred_at.isoformat(),
        "content": (
            {"platform_id": item.content.platform_id, "title": item.content.title}
            if item.content
            else None
        ),
        "intent": item.intent.value if item.intent else None,
        "sentiment": item.sentiment.value if item.sentiment else None,
        "is_demo": item.is_demo,
    }


class HttpWebhookSender:
    """POSTs one signed message per batch; signs at send time, so every attempt is fresh."""

    def __init__(
        self,
        target_url: str,
        secret: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: tuple[float, float] = (5.0, 30.0),
    ) -> None:
        self._url = target_url
        self._secret = secret
        self._now = now
        self._timeout = timeout
        self._session = requests.Session()

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        body = json.dumps({"type": EVENT_TYPE, "data": [to_wire(i.data) for i in items]}).encode()
        headers = {
            **sign(self._secret, webhook_id, body, self._now()),
            "Content-Type": "application/json",
        }
        try:
            response = self._session.post(
                self._url, data=body, headers=headers, timeout=self._timeout, allow_redirects=False
            )
        except requests.RequestException as exc:
            return SendOutcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        code = response.status_code
        if 200 <= code < 300:
            return SendOutcome(ok=True, status_code=code)
        return SendOutcome(
            ok=False,
            status_code=code,
            error=f"HTTP {code}: {response.text[:300]}",
            retry_after=_retry_after(response.headers.get("Retry-After"), self._now()),
            permanent=code == 410,
        )


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(timedelta(0), when - now) if when.tzinfo else None
